"""Read the pilot signals out of the SQL store: ids, times, scores and ratings, never free text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from app.storage import models


@dataclass(frozen=True)
class Rating:
    candidate_id: str
    rating: int | None
    thumbs_up: bool | None


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    candidate_id: str
    started_at: datetime
    confidence_start: int | None
    confidence_end: int | None


@dataclass(frozen=True)
class Attempt:
    """One graded answer, in the order the candidate gave them."""

    candidate_id: str
    question_id: str
    at: datetime
    attempt: int
    score: float


@dataclass(frozen=True)
class RecommendationRow:
    candidate_id: str
    done: bool


@dataclass(frozen=True)
class PilotSignals:
    sessions: list[SessionRow]
    ratings: list[Rating]
    attempts: list[Attempt]
    recommendations: list[RecommendationRow]
    synthetic_candidates: int


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes for timezone-aware columns; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_window(query: Select, since: date | None, synthetic: bool | None) -> Select:  # type: ignore[type-arg]
    """Rows of sessions started on or after `since`; of synthetic or real candidates only."""
    if since is not None:
        start = datetime.combine(since, time.min, tzinfo=UTC)
        query = query.where(models.InterviewSession.started_at >= start)
    if synthetic is not None:
        query = query.join(
            models.Candidate, models.Candidate.id == models.InterviewSession.candidate_id
        ).where(models.Candidate.synthetic == synthetic)
    return query


def load_signals(
    sessions: sessionmaker[Session], since: date | None = None, synthetic: bool | None = None
) -> PilotSignals:
    """Every pilot signal of sessions started since `since` (all when None)."""
    session_q = _in_window(
        select(
            models.InterviewSession.id,
            models.InterviewSession.candidate_id,
            models.InterviewSession.started_at,
        ),
        since,
        synthetic,
    )
    survey_q = _in_window(
        select(
            models.ConfidenceSurvey.session_id,
            models.ConfidenceSurvey.moment,
            models.ConfidenceSurvey.value,
        ).join(
            models.InterviewSession,
            models.InterviewSession.id == models.ConfidenceSurvey.session_id,
        ),
        since,
        synthetic,
    )
    rating_q = _in_window(
        select(
            models.InterviewSession.candidate_id,
            models.FeedbackRating.rating,
            models.FeedbackRating.thumbs_up,
        )
        .join(models.Answer, models.Answer.id == models.FeedbackRating.answer_id)
        .join(models.InterviewSession, models.InterviewSession.id == models.Answer.session_id),
        since,
        synthetic,
    )
    attempt_q = _in_window(
        select(
            models.InterviewSession.candidate_id,
            models.Answer.question_id,
            models.Answer.created_at,
            models.Answer.attempt,
            models.Grade.score,
        )
        .join(models.Grade, models.Grade.answer_id == models.Answer.id)
        .join(models.InterviewSession, models.InterviewSession.id == models.Answer.session_id),
        since,
        synthetic,
    )
    recommendation_q = _in_window(
        select(models.InterviewSession.candidate_id, models.StudyRecommendation.done_at).join(
            models.InterviewSession,
            models.InterviewSession.id == models.StudyRecommendation.session_id,
        ),
        since,
        synthetic,
    )
    with sessions() as db:
        surveys: dict[str, dict[str, int]] = {}
        for session_id, moment, value in db.execute(survey_q):
            surveys.setdefault(session_id, {})[moment] = value
        rows = [
            SessionRow(
                sid,
                cid,
                aware(started),
                surveys.get(sid, {}).get("start"),
                surveys.get(sid, {}).get("end"),
            )
            for sid, cid, started in db.execute(session_q)
        ]
        ratings = [Rating(*row) for row in db.execute(rating_q)]
        attempts = [
            Attempt(cid, qid, aware(at), attempt, float(score))
            for cid, qid, at, attempt, score in db.execute(attempt_q)
        ]
        recommendations = [
            RecommendationRow(cid, done_at is not None)
            for cid, done_at in db.execute(recommendation_q)
        ]
        candidate_ids = {row.candidate_id for row in rows}
        synthetic_ids = set(
            db.scalars(select(models.Candidate.id).where(models.Candidate.synthetic.is_(True)))
        )
    return PilotSignals(
        rows, ratings, attempts, recommendations, len(candidate_ids & synthetic_ids)
    )
