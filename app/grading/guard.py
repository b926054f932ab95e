"""Finds text that addresses the grader instead of the question (prompt injection)."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"(игнорир\w*|забудь\w*|не\s+обращай\w*)\s+(\w+\s+){0,3}(инструкц\w*|правил\w*|указани\w*|промпт\w*)"
    r"|постав\w*\s+(мне\s+)?(\d+|максимальн\w*|высш\w*|отличн\w*)"
    r"|(оцен\w*|балл\w*)\s+(\w+\s+){0,2}(10|десять|максимум)"
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
