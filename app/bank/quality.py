"""Checks that need embeddings: key points stated in their reference, near-duplicate questions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.bank.schema import Question
from app.bank.validate import Report
from app.grading.analysis import key_point_strengths
from app.grading.types import Thresholds
from app.nlp.embedder import Embedder
from app.nlp.text import sentences

# A key point must be stated in its own reference at least this strongly (the grader's 0..1
# evidence). Own key points of the curated bank score >= 0.62; key points of another question
# of the same topic score 0.45 in the median, and above 0.6 mostly when the reference does
# mention them in passing.
KEY_POINT_PRESENCE = 0.6
# The evidence formula the presence floor was measured with; kept apart from the grader's own
# thresholds, which are tuned on answers and may move.
PRESENCE_THRESHOLDS = Thresholds(key_point_floor=0.80, key_point_ceiling=0.90, lexical_weight=0.3)
# Cosine of e5 vectors. Short questions of one subject can read alike ("Зачем нужна
# стратифицированная кросс-валидация?" vs "...вложенная...": 0.96), so a near-duplicate needs
# similar questions AND similar references; references this close say the same thing alone.
DUPLICATE_QUESTION_SIMILARITY = 0.95
DUPLICATE_PAIRED_REFERENCE_SIMILARITY = 0.92
DUPLICATE_REFERENCE_SIMILARITY = 0.97


@dataclass(frozen=True)
class DuplicatePair:
    first: str
    second: str
    question_similarity: float
    reference_similarity: float


def key_point_presence(
    questions: list[Question], embedder: Embedder, thresholds: Thresholds | None = None
) -> dict[str, list[float]]:
    """For every question, how strongly its own reference states each key point (0..1)."""
    t = thresholds or PRESENCE_THRESHOLDS
    split = [sentences(q.reference_answer) or [q.reference_answer] for q in questions]
    sentence_vectors = embedder.embed([s for parts in split for s in parts], kind="query")
    point_vectors = embedder.embed([p for q in questions for p in q.key_points], kind="query")
    result: dict[str, list[float]] = {}
    s_at = p_at = 0
    for question, parts in zip(questions, split, strict=True):
        n_points = len(question.key_points)
        strength = key_point_strengths(
            question.key_points,
            point_vectors[p_at : p_at + n_points],
            parts,
            sentence_vectors[s_at : s_at + len(parts)],
            t,
        )
        result[question.id] = [float(v) for v in strength.max(axis=1)]
        s_at += len(parts)
        p_at += n_points
    return result


def near_duplicates(questions: list[Question], embedder: Embedder) -> list[DuplicatePair]:
    """Pairs of questions that ask, or answer, the same thing; most similar first."""
    if len(questions) < 2:
        return []
    q_vectors = embedder.embed([q.question for q in questions], kind="query")
    r_vectors = embedder.embed([q.reference_answer for q in questions], kind="query")
    q_sims = q_vectors @ q_vectors.T
    r_sims = r_vectors @ r_vectors.T
    first, second = np.triu_indices(len(questions), k=1)
    pairs = [
        DuplicatePair(questions[i].id, questions[j].id, float(q_sims[i, j]), float(r_sims[i, j]))
        for i, j in zip(first.tolist(), second.tolist(), strict=True)
        if (
            q_sims[i, j] >= DUPLICATE_QUESTION_SIMILARITY
            and r_sims[i, j] >= DUPLICATE_PAIRED_REFERENCE_SIMILARITY
        )
        or r_sims[i, j] >= DUPLICATE_REFERENCE_SIMILARITY
    ]
    return sorted(pairs, key=lambda p: -max(p.question_similarity, p.reference_similarity))


def check_semantics(questions: list[Question], embedder: Embedder) -> Report:
    """Errors for key points missing from their reference and for near-duplicate questions."""
    report = Report()
    presence = key_point_presence(questions, embedder)
    for question in questions:
        for point, value in zip(question.key_points, presence[question.id], strict=True):
            if value < KEY_POINT_PRESENCE:
                report.errors.append(
                    f"{question.id}: ключевой пункт не найден в эталоне ({value:.2f}): «{point}»"
                )
    for pair in near_duplicates(questions, embedder):
        report.errors.append(
            f"{pair.first} ~ {pair.second}: почти дубликаты (вопросы {pair.question_similarity:.3f}, "
            f"эталоны {pair.reference_similarity:.3f})"
        )
    return report
