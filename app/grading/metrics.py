"""Agreement of predicted grades with expert grades: correlations, kappa, error, flag and point F1."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.stats import pearsonr, spearmanr


@dataclass(frozen=True)
class Judged:
    """One answer with the expert's grade and the grader's prediction, scores on 0..10."""

    expert: float
    predicted: float
    kind: str | None = None
    expert_off_topic: bool | None = None
    predicted_off_topic: bool = False
    expert_points: list[int] | None = None
    predicted_points: list[int] | None = None


def quadratic_weighted_kappa(expert: list[int], predicted: list[int], levels: int = 11) -> float:
    """Cohen's kappa with quadratic weights over integer grades 0..levels-1."""
    observed = np.zeros((levels, levels))
    for e, p in zip(expert, predicted, strict=True):
        observed[e, p] += 1
    total = observed.sum()
    if total == 0:
        return float("nan")
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    grid = np.arange(levels)
    weights = (grid[:, None] - grid[None, :]) ** 2 / (levels - 1) ** 2
    denominator = float((weights * expected).sum())
    if denominator == 0:
        return 1.0
    return 1.0 - float((weights * observed).sum()) / denominator


def precision_recall_f1(true_positive: int, predicted: int, actual: int) -> dict[str, float]:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _correlation(kind: str, a: list[float], b: list[float]) -> float | None:
    if len(a) < 3 or len(set(a)) < 2 or len(set(b)) < 2:
        return None
    result = pearsonr(a, b) if kind == "pearson" else spearmanr(a, b)
    return float(result[0])


def agreement(judged: list[Judged]) -> dict[str, object]:
    """The metrics of the evaluation contract; None where the data cannot define one."""
    expert = [j.expert for j in judged]
    predicted = [j.predicted for j in judged]
    metrics: dict[str, object] = {
        "n": len(judged),
        "pearson": _correlation("pearson", expert, predicted),
        "spearman": _correlation("spearman", expert, predicted),
        "quadratic_weighted_kappa": quadratic_weighted_kappa(
            [round(e) for e in expert], [round(p) for p in predicted]
        )
        if judged
        else None,
        "mae": float(np.mean(np.abs(np.subtract(expert, predicted)))) if judged else None,
    }
    flagged = [j for j in judged if j.expert_off_topic is not None]
    metrics["off_topic"] = precision_recall_f1(
        sum(bool(j.expert_off_topic and j.predicted_off_topic) for j in flagged),
        sum(j.predicted_off_topic for j in flagged),
        sum(bool(j.expert_off_topic) for j in flagged),
    ) | {"n": len(flagged)}
    pointed = [j for j in judged if j.expert_points is not None]
    metrics["key_points"] = precision_recall_f1(
        sum(len(set(j.expert_points or []) & set(j.predicted_points or [])) for j in pointed),
        sum(len(set(j.predicted_points or [])) for j in pointed),
        sum(len(set(j.expert_points or [])) for j in pointed),
    ) | {"n": len(pointed)}
    metrics["by_kind"] = _by_kind(judged)
    return metrics


def _by_kind(judged: list[Judged]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Judged]] = defaultdict(list)
    for j in judged:
        if j.kind:
            groups[j.kind].append(j)
    return {
        kind: {
            "n": len(rows),
            "mean_expert": float(np.mean([r.expert for r in rows])),
            "mean_predicted": float(np.mean([r.predicted for r in rows])),
            "mae": float(np.mean([abs(r.expert - r.predicted) for r in rows])),
        }
        for kind, rows in sorted(groups.items())
    }
