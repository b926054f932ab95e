"""From evidence to scores: named features, a calibrated linear model, and the three sub-scores."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from app.grading.points import PointModel
from app.grading.short import ShortEvidence
from app.grading.types import SHORT_REFERENCE_WORDS, Analysis

GRADER_VERSION = "embedded-1.2"
MODEL_PATH = Path(__file__).resolve().parent / "calibration" / f"{GRADER_VERSION}.json"

FEATURES = (
    "coverage",
    "covered_share",
    "similarity",
    "lexical_recall",
    "mistakes",
    "relevant_share",
    "term_list",
    "filler",
    "repetition",
    "example",
    "definition",
)
# Answers to short references (app/grading/short.py) have a model of their own.
SHORT_FEATURES = ("token_recall", "demoted_similarity")
OFF_TOPIC_CAP = 1.0
# An answer that tries to instruct the grader is graded on the rest of it, and never above this:
# an interviewer would not reward an attempt to game the grade.
INJECTION_CAP = 3.0
# Against a reference of SHORT_REFERENCE_WORDS or more content words, an answer of fewer than
# SHORT_ANSWER_WORDS cannot be complete: it is capped, lower still when it states no key point.
# Short references ("At the main function.") accept short answers.
SHORT_ANSWER_WORDS = 6
SHORT_ANSWER_CAP = 3.0
EMPTY_ANSWER_CAP = 1.0


def features(analysis: Analysis) -> dict[str, float]:
    """The evidence the score model weighs, each roughly on 0..1."""
    s = analysis.structure
    return {
        "coverage": analysis.coverage,
        "covered_share": analysis.covered_share,
        "similarity": analysis.similarity_norm,
        "lexical_recall": analysis.lexical_recall,
        "mistakes": min(1.0, float(len(analysis.mistakes))),
        "relevant_share": analysis.relevant_share,
        "term_list": float(s.term_list),
        "filler": min(1.0, 10 * s.filler_ratio),
        "repetition": s.repeated_sentences / max(1, s.sentences + s.repeated_sentences),
        "example": float(s.example),
        "definition": float(s.definition),
    }


def short_features(evidence: ShortEvidence) -> dict[str, float]:
    return {
        "token_recall": evidence.token_recall,
        "demoted_similarity": evidence.demoted_similarity,
    }


@dataclass(frozen=True)
class LinearModel:
    """Weights over named features and an intercept; predictions on the 0..10 scale."""

    weights: dict[str, float]
    intercept: float
    trained_on: dict[str, object] = field(default_factory=dict)

    def predict(self, values: dict[str, float]) -> float:
        raw = self.intercept + sum(w * values[name] for name, w in self.weights.items())
        return float(np.clip(raw, 0.0, 10.0))


@dataclass(frozen=True)
class ScoreModel:
    """Linear model from features to the expert's 0..10 grade, fitted on the development set."""

    version: str
    weights: dict[str, float]
    intercept: float
    trained_on: dict[str, object] = field(default_factory=dict)
    # Decides which key points are covered; without it a fixed strength cut-off does.
    points: PointModel | None = None
    # For answers to short references; without it they go through the main model.
    short: LinearModel | None = None

    def predict(self, values: dict[str, float]) -> float:
        return LinearModel(self.weights, self.intercept).predict(values)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ScoreModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        missing = set(FEATURES) - set(data["weights"])
        if missing:
            raise ValueError(f"{path}: the score model lacks features {sorted(missing)}")
        points = PointModel.from_json(data["points"]) if data.get("points") else None
        short = LinearModel(**data["short"]) if data.get("short") else None
        if short is not None and set(short.weights) != set(SHORT_FEATURES):
            raise ValueError(f"{path}: the short-answer model needs features {SHORT_FEATURES}")
        return cls(
            data["version"],
            data["weights"],
            data["intercept"],
            data.get("trained_on", {}),
            points,
            short,
        )


def fit_linear(
    rows: list[dict[str, float]],
    targets: list[float],
    names: tuple[str, ...],
    alpha: float = 1.0,
    trained_on: dict[str, object] | None = None,
) -> LinearModel:
    """Ridge regression in closed form; features are centred so the intercept is not penalised."""
    x = np.array([[r[name] for name in names] for r in rows], dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    mean_x, mean_y = x.mean(axis=0), y.mean()
    centred = x - mean_x
    gram = centred.T @ centred + alpha * np.eye(len(names))
    weights = np.linalg.solve(gram, centred.T @ (y - mean_y))
    return LinearModel(
        {name: round(float(w), 6) for name, w in zip(names, weights, strict=True)},
        round(float(mean_y - mean_x @ weights), 6),
        trained_on or {},
    )


def fit_score_model(
    rows: list[dict[str, float]],
    targets: list[float],
    alpha: float = 1.0,
    trained_on: dict[str, object] | None = None,
    points: PointModel | None = None,
    short: LinearModel | None = None,
) -> ScoreModel:
    main = fit_linear(rows, targets, FEATURES, alpha)
    return ScoreModel(GRADER_VERSION, main.weights, main.intercept, trained_on or {}, points, short)


@dataclass(frozen=True)
class Scores:
    overall: float
    correctness: float
    completeness: float
    structure: float


def score(analysis: Analysis, model: ScoreModel) -> Scores:
    """The calibrated overall score, bounded by what the evidence can justify, and sub-scores."""
    # Nothing but instructions to the grader (or nothing at all) is no answer.
    if not analysis.sentences:
        overall = 0.0
    elif analysis.short is not None and model.short is not None:
        overall = model.short.predict(short_features(analysis.short))
    else:
        overall = model.predict(features(analysis))
    if analysis.off_topic.flagged:
        overall = min(overall, OFF_TOPIC_CAP)
    if analysis.injections:
        overall = min(overall, INJECTION_CAP)
    if (
        analysis.word_count < SHORT_ANSWER_WORDS
        and analysis.reference_words >= SHORT_REFERENCE_WORDS
    ):
        overall = min(overall, SHORT_ANSWER_CAP if analysis.covered_indexes else EMPTY_ANSWER_CAP)
    completeness = 10 * (0.5 * analysis.covered_share + 0.5 * analysis.coverage)
    correctness = (
        10 * max(0.0, 1 - 0.5 * len(analysis.mistakes)) * min(1.0, 0.3 + completeness / 10)
    )
    return Scores(
        overall=round(overall, 1),
        correctness=round(correctness, 1) if analysis.sentences else 0.0,
        completeness=round(completeness, 1),
        structure=round(structure_score(analysis), 1),
    )


def structure_score(analysis: Analysis) -> float:
    """How well the answer is built, whatever its content: 0..10."""
    s = analysis.structure
    if not analysis.sentences:
        return 0.0
    value = 4.0 + 2.0 * s.definition + 2.0 * s.example
    value += 2.0 * min(1.0, s.content_words / 40)
    value -= 3.0 * s.term_list + 20 * s.filler_ratio
    value -= 4.0 * s.repeated_sentences / max(1, s.sentences + s.repeated_sentences)
    value -= 2.0 * (1 - analysis.relevant_share)
    return float(np.clip(value, 0.0, 10.0))
