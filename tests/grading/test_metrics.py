"""Agreement metrics of the evaluation contract, on hand-checkable numbers."""

import pytest

from app.grading.metrics import Judged, agreement, precision_recall_f1, quadratic_weighted_kappa


def test_kappa_is_one_for_identical_grades_and_negative_for_reversed() -> None:
    grades = [0, 2, 5, 7, 10]
    assert quadratic_weighted_kappa(grades, grades) == pytest.approx(1.0)
    assert quadratic_weighted_kappa(grades, [10 - g for g in grades]) < 0


def test_precision_recall_f1_counts() -> None:
    result = precision_recall_f1(true_positive=3, predicted=4, actual=6)
    assert result == pytest.approx({"precision": 0.75, "recall": 0.5, "f1": 0.6})
    assert precision_recall_f1(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_agreement_reports_every_contract_metric() -> None:
    judged = [
        Judged(9, 8.5, "excellent", False, False, [0, 1, 2], [0, 1, 2]),
        Judged(6, 5.0, "good_partial", False, False, [0, 1], [0]),
        Judged(2, 3.5, "superficial", False, False, [], [2]),
        Judged(0, 0.5, "off_topic", True, True, [], []),
        Judged(1, 4.0, "off_topic", True, False, [], []),
    ]
    metrics = agreement(judged)
    assert metrics["n"] == 5
    assert 0.8 < metrics["spearman"] <= 1.0  # type: ignore[operator]
    assert metrics["mae"] == pytest.approx((0.5 + 1 + 1.5 + 0.5 + 3) / 5)
    assert metrics["off_topic"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "n": 5}
    )
    # Key points: 4 correct of 5 predicted, of 5 expected.
    assert metrics["key_points"]["precision"] == pytest.approx(0.8)  # type: ignore[index]
    assert metrics["key_points"]["recall"] == pytest.approx(0.8)  # type: ignore[index]
    assert metrics["by_kind"]["off_topic"]["mean_predicted"] == pytest.approx(2.25)  # type: ignore[index]


def test_correlations_are_none_when_undefined() -> None:
    metrics = agreement([Judged(5, 5), Judged(5, 6)])
    assert metrics["pearson"] is None and metrics["spearman"] is None
