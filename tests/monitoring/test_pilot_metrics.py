from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.pilot import metrics
from app.pilot.metrics import pilot_report
from app.pilot.signals import (
    Attempt,
    PilotSignals,
    Rating,
    RecommendationRow,
    SessionRow,
    load_signals,
)
from app.storage import models
from app.storage.db import make_engine, make_sessionmaker, upgrade

DAY = datetime(2026, 11, 2, 10, tzinfo=UTC)


def _session(cid: str, day: int, start: int | None = None, end: int | None = None) -> SessionRow:
    return SessionRow(f"{cid}-{day}", cid, DAY + timedelta(days=day), start, end)


def _signals(**parts: object) -> PilotSignals:
    base: dict[str, object] = {
        "sessions": [],
        "ratings": [],
        "attempts": [],
        "recommendations": [],
        "synthetic_candidates": 0,
    }
    return PilotSignals(**(base | parts))  # type: ignore[arg-type]


def test_usefulness_counts_thumbs_first_then_ratings_from_four() -> None:
    ratings = [Rating("a", None, True)] * 7 + [Rating("a", 2, True), Rating("a", 5, False)]
    ratings += [Rating("b", 4, None), Rating("b", 3, None), Rating("b", None, None)]
    m = metrics.usefulness(_signals(ratings=ratings))
    # 8 thumbs up + one rating of 4 positive, out of 11 with a signal.
    assert (m.n, m.value) == (11, round(9 / 11, 4))
    assert m.passed and m.threshold == metrics.USEFULNESS  # 0.818 >= 0.80
    accuracy = metrics.accuracy_rating(_signals(ratings=ratings))
    assert accuracy.value == round((2 + 5 + 4 + 3) / 4, 4) and not accuracy.passed


def test_return_means_a_second_calendar_day_not_a_second_session() -> None:
    sessions = [_session("a", 0), _session("a", 0), _session("b", 0), _session("b", 3)]
    sessions += [_session("c", 0), _session("d", 1), _session("d", 9)]
    m = metrics.return_rate(_signals(sessions=sessions))
    assert (m.n, m.value, m.passed) == (4, 0.5, True)


def test_stress_compares_first_start_with_last_end() -> None:
    sessions = [_session("a", 0, start=2, end=2), _session("a", 4, start=3, end=3)]  # 2 -> 3
    sessions += [_session("b", 0, start=4, end=5), _session("b", 2, end=3)]  # 4 -> 3
    sessions += [_session("c", 0, start=3)]  # no end survey: not counted
    m = metrics.lower_stress(_signals(sessions=sessions))
    assert (m.n, m.value, m.passed) == (2, 0.5, False)


def test_score_gain_is_last_minus_first_attempt_per_question() -> None:
    attempts = [
        Attempt("a", "q1", DAY, 1, 2.0),
        Attempt("a", "q1", DAY, 2, 5.0),
        Attempt("a", "q1", DAY + timedelta(days=3), 1, 6.0),
        Attempt("a", "q2", DAY, 1, 7.0),  # answered once: no gain
        Attempt("b", "q1", DAY, 1, 8.0),
        Attempt("b", "q1", DAY + timedelta(days=1), 1, 7.0),
    ]
    m = metrics.score_gain(_signals(attempts=attempts))
    assert (m.n, m.value, m.passed) == (2, 1.5, True)


def test_verdict_needs_three_of_four_criteria_and_each_criterion_all_its_metrics() -> None:
    sessions = [_session(c, 0, start=2, end=4) for c in "abc"] + [_session("a", 2)]
    signals = _signals(
        sessions=sessions,
        ratings=[Rating("a", 5, True)] * 5,
        attempts=[Attempt("a", "q", DAY, 1, 1.0), Attempt("a", "q", DAY, 2, 6.0)],
        recommendations=[RecommendationRow("a", False)],
    )
    report = pilot_report(signals)
    assert report.metric("return_rate").value == round(1 / 3, 4)
    assert report.metric("recommendation_completion").value == 0.0
    criteria = {c.name: c.passed for c in report.criteria}
    assert criteria == {
        "accuracy": True,
        "engagement": False,
        "training_success": True,
        "stress": True,
    }
    assert report.criteria_passed == 3 and report.succeeded
    data = report.to_json()
    assert data["verdict"] == "success"
    assert set(data["metrics"]) == set(metrics.CRITERIA["accuracy"]) | {  # type: ignore[arg-type]
        "return_rate",
        "recommendation_completion",
        "score_gain",
        "lower_stress",
    }


def test_no_signal_is_no_value_and_not_a_pass() -> None:
    report = pilot_report(_signals())
    assert all(m.value is None and not m.passed and m.n == 0 for m in report.metrics)
    assert report.to_json()["verdict"] == "failure"


@pytest.fixture
def pilot_db(database_url: str) -> sessionmaker[Session]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_signals_are_read_per_window_and_marker(pilot_db: sessionmaker[Session]) -> None:
    with pilot_db.begin() as db:
        real = models.Candidate(username="real_user")
        fake = models.Candidate(synthetic=True)
        db.add_all([real, fake])
        db.flush()
        for cid, day in [(real.id, 1), (real.id, 10), (fake.id, 10)]:
            session = models.InterviewSession(
                candidate_id=cid, level="junior", started_at=DAY + timedelta(days=day)
            )
            db.add(session)
            db.flush()
            answer = models.Answer(session_id=session.id, question_id="ml_basics.q", text="x")
            db.add(answer)
            db.flush()
            db.add(
                models.Grade(answer_id=answer.id, score=day / 2, feedback="f", grader_version="t")
            )
            db.add(models.FeedbackRating(answer_id=answer.id, rating=4, thumbs_up=True))
            db.add(models.ConfidenceSurvey(session_id=session.id, moment="start", value=2))
            db.add(
                models.StudyRecommendation(
                    session_id=session.id, kind="topic", topic="ml_basics", title="t"
                )
            )
    everything = load_signals(pilot_db)
    assert len(everything.sessions) == 3 and everything.synthetic_candidates == 1
    assert len(everything.ratings) == len(everything.attempts) == 3
    assert {s.confidence_start for s in everything.sessions} == {2}
    later = load_signals(pilot_db, since=date(2026, 11, 5))
    assert len(later.sessions) == 2 and len(later.recommendations) == 2
    real_only = load_signals(pilot_db, synthetic=False)
    assert {s.candidate_id for s in real_only.sessions} == {real.id}
    assert real_only.synthetic_candidates == 0
    report = pilot_report(everything)
    assert report.metric("score_gain").value == 4.5  # the real user: 0.5 -> 5.0
    assert report.metric("return_rate").value == 0.5
