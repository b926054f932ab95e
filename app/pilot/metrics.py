"""The pilot's success metrics, each with its threshold, and the verdict (3 of 4 criteria).

The mapping of criteria to metrics is written down in docs/monitoring.md; keep both in step.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from app.pilot.signals import PilotSignals

USEFULNESS = 0.80  # share of positive feedback ratings
ACCURACY = 4.0  # mean 1..5 rating
RETURN = 0.40  # share of users with a session on a second day
RECOMMENDATION = 0.30  # share of users given recommendations who completed one
SCORE_GAIN = 1.0  # mean gain (0..10 points) from the first to the last attempt at a question
STRESS = 0.70  # share of surveyed users whose confidence went up
CRITERIA_NEEDED = 3

CRITERIA: dict[str, tuple[str, ...]] = {
    "accuracy": ("usefulness", "accuracy_rating"),
    "engagement": ("return_rate", "recommendation_completion"),
    "training_success": ("score_gain",),
    "stress": ("lower_stress",),
}


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | None  # None when nobody gave the signal
    threshold: float
    passed: bool
    n: int  # ratings, users or question pairs it is computed over


@dataclass(frozen=True)
class Criterion:
    name: str
    metrics: tuple[str, ...]
    passed: bool


@dataclass(frozen=True)
class PilotReport:
    since: date | None
    candidates: int
    synthetic_candidates: int
    metrics: list[Metric]
    criteria: list[Criterion]

    @property
    def criteria_passed(self) -> int:
        return sum(c.passed for c in self.criteria)

    @property
    def succeeded(self) -> bool:
        return self.criteria_passed >= CRITERIA_NEEDED

    def metric(self, name: str) -> Metric:
        return next(m for m in self.metrics if m.name == name)

    def to_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "candidates": self.candidates,
            "synthetic_candidates": self.synthetic_candidates,
            # "pass" is the key the contract names.
            "metrics": {
                m.name: {"value": m.value, "threshold": m.threshold, "pass": m.passed, "n": m.n}
                for m in self.metrics
            },
            "criteria": {
                c.name: {"metrics": list(c.metrics), "pass": c.passed} for c in self.criteria
            },
            "criteria_passed": self.criteria_passed,
            "criteria_needed": CRITERIA_NEEDED,
            "verdict": "success" if self.succeeded else "failure",
        }


def _metric(name: str, value: float | None, threshold: float, n: int) -> Metric:
    rounded = round(value, 4) if value is not None else None
    return Metric(name, rounded, threshold, value is not None and value >= threshold, n)


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def is_positive(rating: int | None, thumbs_up: bool | None) -> bool | None:
    """Thumbs decide; a 1..5 rating alone counts positive from 4; None without a signal."""
    if thumbs_up is not None:
        return thumbs_up
    return rating >= 4 if rating is not None else None


def usefulness(signals: PilotSignals) -> Metric:
    flags = [p for r in signals.ratings if (p := is_positive(r.rating, r.thumbs_up)) is not None]
    return _metric("usefulness", _share(flags), USEFULNESS, len(flags))


def accuracy_rating(signals: PilotSignals) -> Metric:
    values = [r.rating for r in signals.ratings if r.rating is not None]
    mean = sum(values) / len(values) if values else None
    return _metric("accuracy_rating", mean, ACCURACY, len(values))


def returned(signals: PilotSignals) -> dict[str, bool]:
    """Per user: a session started on a second calendar day (UTC)."""
    days: dict[str, set[date]] = defaultdict(set)
    for s in signals.sessions:
        days[s.candidate_id].add(s.started_at.date())
    return {c: len(d) >= 2 for c, d in days.items()}


def completed_recommendation(signals: PilotSignals) -> dict[str, bool]:
    """Per user given recommendations: at least one marked done."""
    done: dict[str, bool] = defaultdict(bool)
    for r in signals.recommendations:
        done[r.candidate_id] |= r.done
    return dict(done)


def confidence_up(signals: PilotSignals) -> dict[str, bool]:
    """Per surveyed user: confidence at the end of the last surveyed session above that at the
    start of the first."""
    first_start: dict[str, int] = {}
    last_end: dict[str, int] = {}
    for s in sorted(signals.sessions, key=lambda s: s.started_at):
        if s.confidence_start is not None:
            first_start.setdefault(s.candidate_id, s.confidence_start)
        if s.confidence_end is not None:
            last_end[s.candidate_id] = s.confidence_end
    return {c: last_end[c] > v for c, v in first_start.items() if c in last_end}


def score_gains(signals: PilotSignals) -> list[tuple[str, float]]:
    """(user, last minus first graded score) of every question a user answered more than once."""
    tries: dict[tuple[str, str], list[tuple[datetime, int, float]]] = defaultdict(list)
    for a in signals.attempts:
        tries[(a.candidate_id, a.question_id)].append((a.at, a.attempt, a.score))
    return [
        (candidate, ordered[-1][2] - ordered[0][2])
        for (candidate, _), attempts in sorted(tries.items())
        if len(ordered := sorted(attempts)) >= 2
    ]


def return_rate(signals: PilotSignals) -> Metric:
    flags = list(returned(signals).values())
    return _metric("return_rate", _share(flags), RETURN, len(flags))


def recommendation_completion(signals: PilotSignals) -> Metric:
    flags = list(completed_recommendation(signals).values())
    return _metric("recommendation_completion", _share(flags), RECOMMENDATION, len(flags))


def score_gain(signals: PilotSignals) -> Metric:
    gains = [g for _, g in score_gains(signals)]
    mean = sum(gains) / len(gains) if gains else None
    return _metric("score_gain", mean, SCORE_GAIN, len(gains))


def lower_stress(signals: PilotSignals) -> Metric:
    flags = list(confidence_up(signals).values())
    return _metric("lower_stress", _share(flags), STRESS, len(flags))


def pilot_report(signals: PilotSignals, since: date | None = None) -> PilotReport:
    metrics = [
        usefulness(signals),
        accuracy_rating(signals),
        return_rate(signals),
        recommendation_completion(signals),
        score_gain(signals),
        lower_stress(signals),
    ]
    passed = {m.name: m.passed for m in metrics}
    criteria = [
        Criterion(name, names, all(passed[n] for n in names)) for name, names in CRITERIA.items()
    ]
    candidates = len({s.candidate_id for s in signals.sessions})
    return PilotReport(since, candidates, signals.synthetic_candidates, metrics, criteria)
