"""Sentence segmentation and lemmas for Russian (and English) answers."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import pymorphy3
from nltk.stem.porter import PorterStemmer
from razdel import sentenize, tokenize

_WORD = re.compile(r"[\w\-]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[a-z]{4,}")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

Language = Literal["ru", "en", "other"]

# Words that carry no evidence of knowledge; kept short on purpose (lemmas).
STOP_LEMMAS = frozenset(
    """
    и в во не что он на я с со как а то все всё она так его но да ты к у же вы за бы по только
    ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или
    ни быть был него до вас нибудь опять уж вам ведь там потом себя ничто ей может они тут где
    есть надо ней для мы тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж
    тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтоб нее
    сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше
    тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
    перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это который
    также свой весь очень каждый является являться например т е д др
    the a an of to in and or is are be for on with as by it this that which at from not
    """.split()
)


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _porter() -> PorterStemmer:
    return PorterStemmer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Normal form of one word: pymorphy3 for Russian, the Porter stem for Latin words."""
    word = word.lower().replace("ё", "е")
    if _CYRILLIC.search(word):
        return str(_morph().parse(word)[0].normal_form).replace("ё", "е")
    if _LATIN_WORD.fullmatch(word) and word not in STOP_LEMMAS:
        return str(_porter().stem(word))
    return word


def sentences(text: str) -> list[str]:
    """Sentences of a text; bullet lines count as sentences too."""
    parts: list[str] = []
    for line in re.split(r"\n\s*(?:[-*•]\s+|\d+[.)]\s+)?", text):
        parts.extend(s.text.strip() for s in sentenize(line) if s.text.strip())
    return parts


def words(text: str) -> list[str]:
    return list(_words(text))


# Key points, references and answer sentences are tokenised many times per grading; razdel is
# the slowest step after the embedder, so results are cached by text.
@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(text) if _WORD.fullmatch(t.text))


def content_lemmas(text: str) -> list[str]:
    """Lemmas of the meaningful words of a text, in order."""
    return list(_content_lemmas(text))


@lru_cache(maxsize=50_000)
def _content_lemmas(text: str) -> tuple[str, ...]:
    result = []
    for word in _words(text):
        norm = lemma(word)
        if norm not in STOP_LEMMAS and (len(norm) > 1 or norm.isdigit()):
            result.append(norm)
    return tuple(result)


@lru_cache(maxsize=200_000)
def part_of_speech(word: str) -> str | None:
    """OpenCorpora part of speech of a Russian word (VERB, NOUN, ...); None for other words."""
    word = word.lower()
    if not _CYRILLIC.search(word):
        return None
    pos = _morph().parse(word)[0].tag.POS
    return str(pos) if pos else None


def detect_language(text: str) -> Language:
    """Russian when a fair share of letters is Cyrillic (Russian ML text is full of English terms)."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    letters = cyrillic + latin
    if letters == 0:
        return "other"
    if cyrillic / letters >= 0.3:
        return "ru"
    return "en" if latin / letters >= 0.9 else "other"
