import numpy as np
import pytest

from app.grading.points import POINT_FEATURES, PointEvidence, PointModel, fit_point_model


def _evidence(rng: np.random.Generator, covered: bool) -> PointEvidence:
    # Covered points: a sentence close to the point's reference sentence that shares its words.
    anchor = rng.normal(0.93 if covered else 0.86, 0.02)
    return PointEvidence(
        strength=float(rng.uniform(0.4, 0.9)),
        point_cosine=float(rng.normal(0.88, 0.02)),
        anchor_cosine=float(anchor),
        lexical=float(rng.uniform(0.4, 1.0) if covered else rng.uniform(0.0, 0.5)),
        margin=float(rng.normal(0.1, 0.1)),
        answer_similarity=float(rng.uniform(0.3, 0.9)),
        assigned=True,
        point_contrast=float(rng.uniform(0.0, 0.05)),
        anchor_contrast=float(rng.uniform(0.0, 0.05)),
        relative=float(rng.normal(0.0, 0.1)),
        sentences=int(rng.integers(1, 8)),
        point_words=int(rng.integers(3, 9)),
    )


def test_fitted_model_separates_covered_points_it_did_not_see() -> None:
    rng = np.random.default_rng(7)
    labels = [bool(v) for v in rng.integers(0, 2, 400)]
    model = fit_point_model([_evidence(rng, c) for c in labels], labels)
    held_out = [bool(v) for v in rng.integers(0, 2, 200)]
    predicted = [model.covers(_evidence(rng, c)) for c in held_out]
    accuracy = np.mean([p == c for p, c in zip(predicted, held_out, strict=True)])
    assert accuracy >= 0.9
    assert model.weights["anchor_cosine"] > 0 and model.weights["lexical"] > 0
    assert 0.2 <= model.threshold <= 0.8


def test_model_round_trips_and_refuses_missing_features() -> None:
    model = PointModel(dict.fromkeys(POINT_FEATURES, 0.5), -1.0, 0.4)
    assert PointModel.from_json(model.to_json()) == model
    broken = model.to_json() | {"weights": {"strength": 1.0}}
    with pytest.raises(ValueError, match="lacks features"):
        PointModel.from_json(broken)
