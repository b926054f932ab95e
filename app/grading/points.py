"""Is a key point covered? A logistic model over the evidence for one (key point, answer) pair."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

POINT_FEATURES = (
    "strength",
    "point_cosine",
    "anchor_cosine",
    "lexical",
    "margin",
    "answer_similarity",
    "assigned",
    "point_contrast",
    "anchor_contrast",
    "relative",
    "sentences",
    "point_words",
)


@dataclass(frozen=True)
class PointEvidence:
    """Raw evidence that an answer states one key point, before the covered decision."""

    strength: float  # combined strength at the sentence the point was assigned to (0..1)
    point_cosine: float  # best cosine between the key point and a sentence
    anchor_cosine: float  # best cosine between the point's reference sentence and a sentence
    lexical: float  # best share of the point's lemmas found in one sentence
    margin: float  # how much better the point's best sentence fits it than the other points
    answer_similarity: float  # the whole answer against the reference (scaled 0..1)
    assigned: bool  # the point has a sentence of its own
    # A sentence that states the point stands out from the rest of the answer; a vague answer
    # is uniformly close to every point.
    point_contrast: float  # best minus mean cosine of the point over the sentences
    anchor_contrast: float  # the same for the point's reference sentence
    relative: float  # this point's best strength minus the mean best of the other points
    sentences: int  # sentences in the answer
    point_words: int  # content words of the key point

    def values(self) -> list[float]:
        # Cosines of multilingual-e5 sit in 0.7..1: centre and stretch them like the others.
        return [
            self.strength,
            10 * (self.point_cosine - 0.85),
            10 * (self.anchor_cosine - 0.85),
            self.lexical,
            self.margin,
            self.answer_similarity,
            float(self.assigned),
            10 * self.point_contrast,
            10 * self.anchor_contrast,
            self.relative,
            float(np.log1p(self.sentences)),
            self.point_words / 10,
        ]


@dataclass(frozen=True)
class PointModel:
    """Logistic regression from PointEvidence to P(covered), with the F1-best cut-off."""

    weights: dict[str, float]
    intercept: float
    threshold: float = 0.5

    def probability(self, evidence: PointEvidence) -> float:
        z = self.intercept + sum(
            self.weights[name] * value
            for name, value in zip(POINT_FEATURES, evidence.values(), strict=True)
        )
        return float(1.0 / (1.0 + np.exp(-z)))

    def covers(self, evidence: PointEvidence) -> bool:
        return self.probability(evidence) >= self.threshold

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PointModel:
        weights = data["weights"]
        missing = set(POINT_FEATURES) - set(weights)
        if missing:
            raise ValueError(f"the key-point model lacks features {sorted(missing)}")
        return cls(
            {str(k): float(v) for k, v in weights.items()},
            float(data["intercept"]),
            float(data.get("threshold", 0.5)),
        )


def fit_point_model(
    evidence: list[PointEvidence], covered: list[bool], alpha: float = 1.0
) -> PointModel:
    """L2-regularised logistic regression by Newton steps; the cut-off maximises F1 on the data."""
    x = np.array([e.values() for e in evidence], dtype=np.float64)
    y = np.asarray(covered, dtype=np.float64)
    design = np.hstack([np.ones((len(x), 1)), x])
    penalty = alpha * np.eye(design.shape[1])
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    probabilities = 1.0 / (1.0 + np.exp(-(design @ beta)))
    return PointModel(
        {name: round(float(w), 6) for name, w in zip(POINT_FEATURES, beta[1:], strict=True)},
        round(float(beta[0]), 6),
        _best_threshold(probabilities, y),
    )


def _best_threshold(
    probabilities: npt.NDArray[np.float64], truth: npt.NDArray[np.float64]
) -> float:
    best, best_f1 = 0.5, -1.0
    for cut in np.arange(0.2, 0.81, 0.025):
        predicted = probabilities >= cut
        tp = float((predicted & (truth == 1)).sum())
        f1 = 2 * tp / max(1.0, float(predicted.sum()) + float(truth.sum()))
        if f1 > best_f1 + 1e-9:
            best, best_f1 = round(float(cut), 3), f1
    return best
