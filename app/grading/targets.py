"""Grading targets: from a bank question with its stored vectors, or from a bare reference."""

from __future__ import annotations

import re

from app.bank.schema import Question
from app.bank.store import QuestionStore
from app.grading.types import GradingTarget, KnownMistake, Neighbours, PointSet
from app.nlp.text import sentences

MAX_DERIVED_POINTS = 7


def target_for_question(question: Question, store: QuestionStore) -> GradingTarget:
    return GradingTarget(
        question=question.question,
        reference_answer=question.reference_answer,
        key_points=question.key_points,
        question_id=question.id,
        reference_vector=store.reference_vector(question.id),
        key_point_vectors=store.key_point_vectors(question.id),
        key_point_anchors=store.key_point_anchors(question.id),
        mistakes=tuple(KnownMistake(m.wrong, m.correction) for m in question.misconceptions),
        mistake_vectors=store.mistake_vectors(question.id),
    )


def key_points_from_reference(reference: str) -> list[str]:
    """Key points for a reference that has none: its sentences, long ones split at semicolons."""
    parts = [
        clause.strip()
        for sentence in sentences(reference) or [reference]
        for clause in re.split(r";\s+", sentence)
        if len(clause.split()) >= 2
    ]
    if not parts:
        return [reference.strip()]
    if len(parts) <= MAX_DERIVED_POINTS:
        return parts
    # Keep the most informative clauses, in their original order.
    keep = sorted(sorted(range(len(parts)), key=lambda i: -len(parts[i]))[:MAX_DERIVED_POINTS])
    return [parts[i] for i in keep]


def neighbours_of(store: QuestionStore) -> Neighbours:
    return Neighbours(
        ids=[q.id for q in store.questions],
        questions=[q.question for q in store.questions],
        reference_matrix=store.reference_matrix,
        points={
            q.id: PointSet(
                q.key_points, store.key_point_vectors(q.id), store.key_point_anchors(q.id)
            )
            for q in store.questions
        },
    )
