"""Text hygiene for scraped questions: normalisation, language, junk."""

from __future__ import annotations

import re
import unicodedata

from app.nlp.text import detect_language

_MARKUP = re.compile(r"<[^>]+>|[*_`#>|]+|!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MARKS = re.compile("[👶⭐🚀\ufe0f\u200b]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
MIN_WORDS = 3
MAX_WORDS = 80


def normalise(text: str) -> str:
    """NFKC, markdown/HTML markup and difficulty emoji removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub(" ", _MARKS.sub("", text))
    return _SPACE.sub(" ", text).strip()


def exact_key(text: str) -> str:
    """Case, punctuation and spacing do not make a different question."""
    return " ".join(_WORD.findall(text.casefold().replace("ё", "е")))


def junk_reason(question: str) -> str | None:
    """Why a scraped "question" is not one, or None."""
    words = _WORD.findall(question)
    if len(words) < MIN_WORDS:
        return "short"
    if len(words) > MAX_WORDS:
        return "long"
    if "http://" in question or "https://" in question:
        return "link"
    letters = sum(ch.isalpha() for ch in question)
    if letters < 0.6 * len(question.replace(" ", "")):
        return "not_text"
    if detect_language(question) == "other":
        return "language"
    return None
