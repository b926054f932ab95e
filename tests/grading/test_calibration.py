"""Calibration on real expert-graded rows, graded against their own references (no bank)."""

import json
from pathlib import Path

import numpy as np

from app.grading.dataset import GradedAnswer
from app.grading.evaluate import build_targets, calibrate, predict
from app.grading.grader import Grader
from app.nlp.embedder import Embedder

DEV_SET = Path(__file__).resolve().parents[2] / "evaluation" / "data" / "grading_calibration.jsonl"


def _rows(questions: int) -> list[GradedAnswer]:
    rows = [GradedAnswer.model_validate(json.loads(line)) for line in DEV_SET.open()]
    keep = list(dict.fromkeys(r.question for r in rows))[:questions]
    return [r for r in rows if r.question in keep]


def test_calibration_fits_points_and_scores_that_follow_the_experts(embedder: Embedder) -> None:
    rows = _rows(6)
    targets = build_targets(rows, embedder, None)
    grader = Grader(embedder, targets.neighbours)
    model = calibrate(rows, targets, grader, trained_on={"dataset": "test"})
    assert model.points is not None
    assert model.trained_on["key_point_pairs"] >= 50
    assert model.weights["lexical_recall"] > 0
    predicted = predict(rows, targets, grader.with_model(model))
    expert = [r.expert_score for r in rows]
    assert np.corrcoef([p.score for p in predicted], expert)[0, 1] >= 0.7
    excellent = [p for p, r in zip(predicted, rows, strict=True) if r.kind == "excellent"]
    assert all(len(p.covered_key_points) >= 2 for p in excellent)
