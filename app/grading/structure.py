"""How an answer is built: length, definition and example, filler, repetition, term lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.nlp.text import STOP_LEMMAS, content_lemmas, lemma, part_of_speech, words

_DEFINITION = re.compile(
    r"\s[—–-]\s|\bэто\b|\bназыва\w*|\bозначает\b|\bопредел\w*|\bis\s+(a|an|the)\b|\bmeans\b|\brefers\s+to\b",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(
    r"\bнапример\b|\bк\s+примеру\b|\bпример\w*|\bскажем\b|\bдопустим\b|\bпредставим\b"
    r"|\bfor\s+example\b|\bfor\s+instance\b|\be\.g\.|\bsuch\s+as\b|\d",
    re.IGNORECASE,
)
FILLERS = (
    "ну",
    "вот",
    "типа",
    "короче",
    "как бы",
    "в общем",
    "в принципе",
    "так сказать",
    "собственно",
    "значит",
    "это самое",
    "как сказать",
    "вообще-то",
    "наверное",
    "как-то так",
    "что-то вроде",
    "basically",
    "actually",
    "kind of",
    "sort of",
    "you know",
)
_FILLER = re.compile(r"\b(" + "|".join(re.escape(f) for f in FILLERS) + r")\b", re.IGNORECASE)
VERB_TAGS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})


@dataclass(frozen=True)
class Structure:
    words: int
    content_words: int
    sentences: int
    repeated_sentences: int
    definition: bool
    example: bool
    filler_ratio: float
    function_word_ratio: float
    verb_ratio: float

    @property
    def term_list(self) -> bool:
        """Terms strung together without the words that would explain them."""
        return self.words >= 4 and self.function_word_ratio < 0.12 and self.verb_ratio < 0.05


def describe(all_sentences: list[str], kept: list[str]) -> Structure:
    """Structure of an answer; `kept` are its distinct sentences that address the question."""
    text = " ".join(kept)
    tokens = words(text)
    lowered = [t.lower() for t in tokens]
    content = content_lemmas(text)
    function_words = sum(1 for t in lowered if lemma(t) in STOP_LEMMAS)
    verbs = sum(1 for t in lowered if part_of_speech(t) in VERB_TAGS)
    return Structure(
        words=len(tokens),
        content_words=len(content),
        sentences=len(kept),
        repeated_sentences=len(all_sentences) - len(set(all_sentences)),
        definition=bool(kept) and bool(_DEFINITION.search(" ".join(kept[:2]))),
        example=bool(_EXAMPLE.search(text)),
        filler_ratio=len(_FILLER.findall(text)) / max(1, len(tokens)),
        function_word_ratio=function_words / max(1, len(tokens)),
        verb_ratio=verbs / max(1, len(content)),
    )
