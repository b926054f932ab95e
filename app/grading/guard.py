"""Finds text that addresses the grader instead of the question (prompt injection)."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"(игнорир\w*|проигнорир\w*|забудь\w*|не\s+обращай\w*)\s+(\w+\s+){0,3}"
    r"(инструкц\w*|правил\w*|указани\w*|промпт\w*|эталон\w*)"
    r"|постав\w*\s+(мне\s+)?(\d+|максимальн\w*|высш\w*|отличн\w*)"
    r"|\bстав\w*\s+(\w+\s+){0,2}(\d+\s*(балл\w*|/\s*10|из\s+10)|максимальн\w*\s+балл\w*)"
    r"|(оцен\w*|балл\w*)\s+(\w+\s+){0,3}(на\s+)?(максимум|10\s*(балл\w*|из\s+10|/\s*10)|десять\s+балл)"
    r"|оцени\w*\s+(\w+\s+){0,3}на\s+(10|десять)\b"
    r"|(инструкци\w*|примечани\w*)\s+для\s+(оценщик\w*|проверяющ\w*|модел\w*|систем\w*)"
    r"|для\s+(оценщика|проверяющ\w+\s+систем\w*)"
    r"|\b10\s*/\s*10\b|\bsystem\s*prompt\b|системн\w+\s+промпт\w*"
    r"|ignore\s+(all\s+|any\s+|the\s+)?(previous\s+|prior\s+|above\s+)?instructions"
    r"|give\s+(me\s+)?(a\s+)?(10|full|max\w*)\s*(/\s*10|score|points|marks)?"
    r"|you\s+are\s+now\b|act\s+as\b"
    r"|^\s*(system|assistant|developer|система|ассистент)\s*:|<\|?im_start\|?>|\[/?inst\]"
    r"|\b(score|grade|оценк\w*|балл\w*)\s*[=:]\s*\d+|ответ\w*\s+кандидат\w*",
    re.IGNORECASE,
)


def is_injection(sentence: str) -> bool:
    """True when a sentence tries to instruct the grader or ask for a score."""
    return bool(_INJECTION.search(sentence))
