"""Statements that contradict the reference: known misconceptions and negated key points."""

from __future__ import annotations

import numpy as np

from app.grading.types import KnownMistake, MistakeEvidence, Thresholds
from app.nlp.embedder import Vectors
from app.nlp.text import content_lemmas, words

NEGATIONS = frozenset(
    "не нет ни никогда нельзя невозможно not no never cannot can't don't doesn't isn't aren't "
    "won't shouldn't".split()
)


def negated(text: str) -> bool:
    """Odd number of negation words: the statement is the negation of its positive form."""
    return sum(1 for w in words(text) if w.lower() in NEGATIONS) % 2 == 1


def lexical_overlap(statement: str, sentence: str) -> float:
    said = set(content_lemmas(sentence))
    wanted = set(content_lemmas(statement))
    return len(wanted & said) / len(wanted) if wanted else 0.0


def known_misconceptions(
    mistakes: tuple[KnownMistake, ...],
    mistake_vectors: Vectors,
    answer_sentences: list[str],
    sentence_vectors: Vectors,
    t: Thresholds,
) -> list[MistakeEvidence]:
    """Sentences closer to a misconception's wrong statement than to its correction."""
    if not mistakes or not answer_sentences:
        return []
    n = len(mistakes)
    to_wrong = mistake_vectors[:n] @ sentence_vectors.T
    to_correction = mistake_vectors[n:] @ sentence_vectors.T
    found = []
    for i, mistake in enumerate(mistakes):
        j = int(np.argmax(to_wrong[i]))
        wrong, right = float(to_wrong[i, j]), float(to_correction[i, j])
        sentence = answer_sentences[j]
        if (
            wrong >= t.mistake_similarity
            and wrong - right >= t.mistake_margin
            and lexical_overlap(mistake.wrong, sentence) >= t.mistake_overlap
            and negated(sentence) == negated(mistake.wrong)
        ):
            found.append(MistakeEvidence(sentence, mistake.wrong, mistake.correction, wrong))
    return found


def negated_key_points(
    points: list[str],
    point_vectors: Vectors,
    answer_sentences: list[str],
    sentence_vectors: Vectors,
    t: Thresholds,
) -> list[MistakeEvidence]:
    """A sentence that says a key point almost word for word but with the opposite polarity."""
    if not answer_sentences:
        return []
    sims = point_vectors @ sentence_vectors.T
    found = []
    for i, point in enumerate(points):
        for j, sentence in enumerate(answer_sentences):
            if (
                float(sims[i, j]) >= t.contradiction_similarity
                and lexical_overlap(point, sentence) >= t.contradiction_overlap
                and negated(point) != negated(sentence)
            ):
                found.append(MistakeEvidence(sentence, sentence, point, float(sims[i, j]), i))
                break
    return found
