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


_DONT_KNOW_PHRASE = re.compile(
    r"не\s+знаю|не\s+помню|пропущу|пропускаю|пропустим|затрудняюсь|без\s+понятия|понятия\s+не\s+имею"
    r"|не\s+сталкивал\w*|не\s+могу\s+ответить|i\s+don'?t\s+know|no\s+idea|not\s+sure|skip",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"пропущу|пропускаю|пропустим|следующ\w*\s+вопрос|давайте\s+дальше|next\s+question|skip",
    re.IGNORECASE,
)
# "…, но …" or a colon introduces what the candidate does know.
_BUT = re.compile(r"\bно\b|\bоднако\b|\bbut\b|:", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words that often surround "не знаю" without adding any knowledge.
_AROUND = frozenset(
    "я не знаю помню этот вопрос вопроса тут здесь честно если к сожалению увы пока ещё еще так "
    "сразу наверное да нет с этим этом этого сталкивался сталкивалась работал работала что такое "
    "это точно как правильно даже лучше можно давайте i know don't dont idea".split()
)
SKIP_MAX_WORDS = 30


def is_dont_know(text: str) -> bool:
    """True for answers that only say the candidate does not know (a few words around it at most)."""
    if _DONT_KNOW.match(text):
        return True
    if not _DONT_KNOW_PHRASE.search(text) or _BUT.search(text):
        return False
    words = _WORD.findall(text.lower())
    # "Не помню, что такое CTE, с SQL работал мало. Пропущу." gives up explicitly.
    if _SKIP.search(text) and len(words) <= SKIP_MAX_WORDS:
        return True
    rest = _DONT_KNOW_PHRASE.sub(" ", text.lower())
    return len([w for w in _WORD.findall(rest) if w not in _AROUND]) <= 2
