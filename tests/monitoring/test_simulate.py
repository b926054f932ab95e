from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.nlp.embedder import Embedder
from app.pilot.metrics import pilot_report
from app.pilot.signals import load_signals
from app.storage import models
from tests.monitoring.conftest import PILOT_END, PILOT_START, SimulatedPilot, run_simulation


def _trace(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    """Everything but the random ids: days, questions, attempts, scores, ratings."""
    query = (
        select(
            models.InterviewSession.started_at,
            models.Answer.question_id,
            models.Answer.attempt,
            models.Answer.text,
            models.Grade.score,
            models.FeedbackRating.rating,
            models.FeedbackRating.thumbs_up,
        )
        .join(models.Answer, models.Answer.session_id == models.InterviewSession.id)
        .outerjoin(models.Grade, models.Grade.answer_id == models.Answer.id)
        .outerjoin(models.FeedbackRating, models.FeedbackRating.answer_id == models.Answer.id)
        .order_by(models.Answer.id)
    )
    with sessions() as db:
        ids = [tuple(db.scalars(select(models.Candidate.id)).all())]
        return ids + [tuple(row) for row in db.execute(query)]


def test_simulation_is_seeded_and_deterministic(
    tmp_path: Path, mini_index: str, embedder: Embedder
) -> None:
    first = run_simulation(tmp_path / "a.db", mini_index, embedder, users=1, seed=11)
    again = run_simulation(tmp_path / "b.db", mini_index, embedder, users=1, seed=11)
    other = run_simulation(tmp_path / "c.db", mini_index, embedder, users=1, seed=12)
    assert _trace(first.sessions) == _trace(again.sessions)
    assert _trace(first.sessions) != _trace(other.sessions)


def test_simulated_pilot_is_marked_realistic_and_within_its_dates(
    simulated: SimulatedPilot,
) -> None:
    with simulated.sessions() as db:
        candidates = db.scalars(select(models.Candidate)).all()
        scores = db.scalars(select(models.Grade.score)).all()
        days = {d.date() for d in db.scalars(select(models.InterviewSession.started_at)).all()}
        statuses = set(db.scalars(select(models.Answer.status)).all())
        done = db.scalar(
            select(func.count(models.StudyRecommendation.id)).where(
                models.StudyRecommendation.done_at.is_not(None)
            )
        )
    assert len(candidates) == simulated.result.candidates == 8
    assert all(c.synthetic and c.username is None for c in candidates)
    assert statuses <= {"graded", "rejected"}
    # Answers of varying quality graded for real: weak and strong ones.
    assert min(scores) < 3 and max(scores) > 7
    assert len(days) >= 5
    assert all(PILOT_START.date() <= d <= PILOT_END.date() for d in days)
    assert done and done < simulated.result.recommendations
    report = pilot_report(load_signals(simulated.sessions))
    assert report.synthetic_candidates == report.candidates == 8
    # Every metric has signals to be computed from.
    assert all(m.n > 0 and m.value is not None for m in report.metrics)
