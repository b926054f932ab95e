"""Spaced repetition of bank questions per candidate (SM-2, with a short relearning step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PASS_SCORE = 5.0
# A failed question comes back within the next session of the day (Anki-style relearning step);
# passed ones follow SM-2's day intervals.
RELEARN_AFTER = timedelta(minutes=10)
MIN_EASE = 1.3


@dataclass(frozen=True)
class ReviewState:
    repetitions: int = 0
    interval_days: float = 0.0
    ease: float = 2.5


def quality(score: float) -> int:
    """SM-2 quality 0..5 from a 0..10 score."""
    return max(0, min(5, round(score / 2)))


def review(
    state: ReviewState, score: float, now: datetime, relearn_after: timedelta = RELEARN_AFTER
) -> tuple[ReviewState, datetime]:
    """The new state after an answer scored `score`, and when the question is due again."""
    q = quality(score)
    ease = max(MIN_EASE, state.ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
    if score < PASS_SCORE:
        return ReviewState(0, 0.0, ease), now + relearn_after
    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1.0
    elif repetitions == 2:
        interval = 6.0
    else:
        interval = state.interval_days * ease
    return ReviewState(repetitions, interval, ease), now + timedelta(days=interval)
