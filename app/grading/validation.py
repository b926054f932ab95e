"""Checks an answer before grading: what cannot be graded gets a clear Russian message."""

from __future__ import annotations

import re
import unicodedata

from app.errors import InvalidAnswer

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_DONT_KNOW = re.compile(
    r"^\s*(я\s+)?(не\s+знаю|без\s+понятия|понятия\s+не\s+имею|не\s+помню|затрудняюсь(\s+ответить)?|"
    r"i\s+don'?t\s+know|no\s+idea|пропуск|пас)[\s.!?…)]*$",
    re.IGNORECASE,
)


def clean_answer(text: str, max_chars: int) -> str:
    """Normalised answer text, or InvalidAnswer for empty, oversized, binary or letterless input."""
    if "\x00" in text:
        raise InvalidAnswer("Ответ похож на двоичные данные. Напишите ответ обычным текстом.")
    text = unicodedata.normalize("NFC", text)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if controls > max(3, len(text) // 100):
        raise InvalidAnswer("Ответ содержит служебные символы. Напишите ответ обычным текстом.")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\n\t").strip()
    if not text:
        raise InvalidAnswer("Ответ пустой. Напишите, что вы знаете по вопросу, хотя бы пару фраз.")
    if len(text) > max_chars:
        raise InvalidAnswer(
            f"Ответ слишком длинный ({len(text)} символов, максимум {max_chars}). "
            "Сократите его до главного: на собеседовании ценят ясность."
        )
    if len(_LETTER.findall(text)) < 2:
        raise InvalidAnswer("В ответе нет слов. Напишите ответ текстом.")
    return text


def is_dont_know(text: str) -> bool:
    """True for answers that only say the candidate does not know."""
    return bool(_DONT_KNOW.match(text))
