"""Grade a dataset of expert-graded answers and measure agreement with the experts."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from app.bank.store import QuestionStore
from app.errors import InvalidAnswer
from app.grading.analysis import key_point_anchors
from app.grading.dataset import GradedAnswer
from app.grading.grader import Grader
from app.grading.metrics import Judged, agreement
from app.grading.points import fit_point_model
from app.grading.scoring import (
    GRADER_VERSION,
    SHORT_FEATURES,
    ScoreModel,
    features,
    fit_linear,
    fit_score_model,
    short_features,
)
from app.grading.targets import key_points_from_reference, neighbours_of, target_for_question
from app.grading.types import GradingTarget, Neighbours, PointSet
from app.grading.validation import is_dont_know
from app.nlp.embedder import Embedder
from app.nlp.vectors import mean_direction, split_and_embed

# Fewer answers than this cannot fit a score model.
MIN_ANSWERS = 10


@dataclass(frozen=True)
class Prediction:
    id: str
    score: float
    off_topic: bool
    covered_key_points: list[int]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "score": self.score,
            "off_topic": self.off_topic,
            "covered_key_points": self.covered_key_points,
        }


@dataclass(frozen=True)
class EvaluationTargets:
    """A grading target per distinct question of the dataset, and who its neighbours are."""

    by_question: dict[str, GradingTarget]
    neighbours: Neighbours
    from_bank: int


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def build_targets(
    rows: list[GradedAnswer], embedder: Embedder, store: QuestionStore | None
) -> EvaluationTargets:
    """Bank questions keep their stored material; others use the row's reference and key points.

    Neighbours for off-topic checks are the bank's references plus every other reference of the
    dataset, so an answer to another question of the dataset is recognised too.
    """
    bank = {_normalise(q.question): q for q in store.questions} if store else {}
    by_question: dict[str, GradingTarget] = {}
    own: dict[str, GradingTarget] = {}
    for row in rows:
        key = _normalise(row.question)
        if key in by_question or key in own:
            continue
        question = bank.get(key)
        if question is not None and store is not None:
            by_question[key] = target_for_question(question, store)
        else:
            own[key] = GradingTarget(
                question=row.question,
                reference_answer=row.reference_answer,
                key_points=row.key_points or key_points_from_reference(row.reference_answer),
                question_id=f"dataset:{len(own)}",
            )
    bank_neighbours = neighbours_of(store) if store else None
    ids = list(bank_neighbours.ids) if bank_neighbours else []
    questions = list(bank_neighbours.questions) if bank_neighbours else []
    points = dict(bank_neighbours.points) if bank_neighbours else {}
    matrix = (
        bank_neighbours.reference_matrix
        if bank_neighbours
        else np.zeros((0, embedder.dim), np.float32)
    )
    own_vectors = []
    if own:
        references = split_and_embed(embedder, [t.reference_answer for t in own.values()])
        for (key, target), reference in zip(list(own.items()), references, strict=True):
            point_vectors = embedder.embed(target.key_points, kind="query")
            anchors = key_point_anchors(target.key_points, point_vectors, reference)
            qid = target.question_id or key
            own_vectors.append(mean_direction(reference.vectors))
            by_question[key] = replace(
                target,
                reference_vector=own_vectors[-1],
                key_point_vectors=point_vectors,
                key_point_anchors=anchors,
            )
            ids.append(qid)
            questions.append(target.question)
            points[qid] = PointSet(target.key_points, point_vectors, anchors)
        matrix = np.vstack([matrix, *own_vectors])
    from_bank = len(by_question) - len(own)
    return EvaluationTargets(by_question, Neighbours(ids, questions, matrix, points), from_bank)


def predict(
    rows: list[GradedAnswer], targets: EvaluationTargets, grader: Grader
) -> list[Prediction]:
    predictions = []
    for row in rows:
        target = targets.by_question[_normalise(row.question)]
        try:
            grade = grader.grade(target, row.answer)
        except InvalidAnswer:
            predictions.append(Prediction(row.id, 0.0, False, []))
            continue
        predictions.append(
            Prediction(row.id, grade.score, grade.off_topic, grade.covered_key_points)
        )
    return predictions


def calibrate(
    rows: list[GradedAnswer],
    targets: EvaluationTargets,
    grader: Grader,
    alpha: float = 1.0,
    trained_on: dict[str, object] | None = None,
) -> ScoreModel:
    """Fit the key-point model on the experts' ticks, then the score models on its evidence.

    The main model sees only answers it decides: on-topic, gradable, not 'не знаю', to a long
    reference; answers to short references (when the grader sees them as such) fit their own.
    """
    gradable, evidence, covered = [], [], []
    for row in rows:
        if is_dont_know(row.answer.strip()):
            continue
        try:
            analysis = grader.analyse(targets.by_question[_normalise(row.question)], row.answer)
        except InvalidAnswer:
            continue
        gradable.append(row)
        if row.covered_key_points is None or analysis.off_topic.flagged:
            continue
        ticked = set(row.covered_key_points)
        # Only points with a sentence of their own can be covered: the model decides those.
        for point in analysis.key_points:
            if point.evidence is not None and point.evidence.assigned:
                evidence.append(point.evidence)
                covered.append(point.index in ticked)
    points = fit_point_model(evidence, covered) if sum(covered) >= 10 else None
    with_points = grader.with_model(ScoreModel(GRADER_VERSION, {}, 0.0, points=points))
    values, expert, short_values, short_expert = [], [], [], []
    for row in gradable:
        analysis = with_points.analyse(targets.by_question[_normalise(row.question)], row.answer)
        if analysis.short is not None:
            short_values.append(short_features(analysis.short))
            short_expert.append(row.expert_score)
        elif not analysis.off_topic.flagged and analysis.sentences:
            values.append(features(analysis))
            expert.append(row.expert_score)
    if len(values) < MIN_ANSWERS:
        raise InvalidAnswer(
            f"Для калибровки нужно хотя бы {MIN_ANSWERS} ответов по теме, есть {len(values)}."
        )
    short = (
        fit_linear(
            short_values, short_expert, SHORT_FEATURES, alpha, {"answers": len(short_values)}
        )
        if len(short_values) >= MIN_ANSWERS
        else None
    )
    info = (trained_on or {}) | {"answers": len(values), "key_point_pairs": len(evidence)}
    return fit_score_model(values, expert, alpha, info, points, short)


def judge(rows: list[GradedAnswer], predictions: list[Prediction]) -> dict[str, object]:
    judged = [
        Judged(
            expert=row.expert_score,
            predicted=p.score,
            kind=row.kind,
            expert_off_topic=row.off_topic,
            predicted_off_topic=p.off_topic,
            expert_points=row.covered_key_points,
            predicted_points=p.covered_key_points,
        )
        for row, p in zip(rows, predictions, strict=True)
    ]
    return agreement(judged)
