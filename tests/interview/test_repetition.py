from datetime import UTC, datetime, timedelta

from app.interview.repetition import RELEARN_AFTER, ReviewState, review

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_failed_answer_comes_back_soon_and_lowers_ease() -> None:
    state, due = review(ReviewState(repetitions=3, interval_days=15, ease=2.5), 2.0, NOW)
    assert due == NOW + RELEARN_AFTER
    assert state.repetitions == 0 and state.ease < 2.5


def test_passed_answers_space_out_by_sm2() -> None:
    state, due = review(ReviewState(), 9.0, NOW)
    assert due == NOW + timedelta(days=1)
    state, due = review(state, 9.0, NOW)
    assert due == NOW + timedelta(days=6)
    state, due = review(state, 10.0, NOW)
    assert due == NOW + timedelta(days=6 * state.ease)
    assert state.ease >= 2.5
