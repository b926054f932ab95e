"""Frames for the dashboards, read from the SQL store.

Only pseudonymous ids, lengths, scores, topics and ratings leave the store: never usernames,
never the text of answers or feedback. Lengths are computed here and the text dropped.
"""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.bank.schema import Question
from app.pilot.metrics import (
    completed_recommendation,
    confidence_up,
    is_positive,
    returned,
    score_gains,
)
from app.pilot.signals import PilotSignals, aware
from app.storage import models

ANSWER_COLUMNS = [
    "answer_id",
    "candidate_id",
    "session_id",
    "question_id",
    "topic",
    "attempt",
    "status",
    "answer_chars",
    "answer_words",
    "score",
    "off_topic",
    "rating",
    "thumbs_up",
    "at",
]


def answers_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """One row per stored answer: who (pseudonymous), what topic, how long, score, rating."""
    query = (
        select(
            models.Answer.id,
            models.InterviewSession.candidate_id,
            models.Answer.session_id,
            models.Answer.question_id,
            models.Answer.attempt,
            models.Answer.status,
            models.Answer.text,
            models.Grade.score,
            models.Grade.off_topic,
            models.FeedbackRating.rating,
            models.FeedbackRating.thumbs_up,
            models.Answer.created_at,
        )
        .join(models.InterviewSession, models.InterviewSession.id == models.Answer.session_id)
        .outerjoin(models.Grade, models.Grade.answer_id == models.Answer.id)
        .outerjoin(models.FeedbackRating, models.FeedbackRating.answer_id == models.Answer.id)
        .order_by(models.Answer.id)
    )
    rows = []
    with sessions() as db:
        for aid, cid, sid, qid, attempt, status, text, score, off, rating, thumbs, at in db.execute(
            query
        ):
            rows.append(
                {
                    "answer_id": aid,
                    "candidate_id": cid,
                    "session_id": sid,
                    "question_id": qid,
                    "topic": qid.split(".", 1)[0],
                    "attempt": attempt,
                    "status": status,
                    "answer_chars": len(text),
                    "answer_words": len(text.split()),
                    "score": score,
                    "off_topic": None if off is None else float(off),
                    "rating": rating,
                    "thumbs_up": None if thumbs is None else float(thumbs),
                    "at": aware(at),
                }
            )
    frame = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    for column in ("score", "off_topic", "rating", "thumbs_up"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def window(frame: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Rows with start < at <= end."""
    at = pd.to_datetime(frame["at"], utc=True)
    return frame[(at > pd.Timestamp(start)) & (at <= pd.Timestamp(end))]


def bank_frame(questions: list[Question]) -> pd.DataFrame:
    """One row per bank question: its shape (counts and lengths), no text."""
    return pd.DataFrame(
        [
            {
                "question_id": q.id,
                "topic": q.topic,
                "level": q.level.value,
                "source": q.source.value,
                "review_status": q.review_status.value,
                "question_chars": len(q.question),
                "reference_words": len(q.reference_answer.split()),
                "key_points": len(q.key_points),
                "misconceptions": len(q.misconceptions),
                "resources": len(q.resources),
                "follow_ups": len(q.follow_ups),
            }
            for q in questions
        ]
    )


PILOT_COLUMNS = [
    "candidate_id",
    "returned",
    "confidence_up",
    "completed_recommendation",
    "score_gain",
    "positive_rating",
    "rating",
]


def pilot_frame(signals: PilotSignals) -> pd.DataFrame:
    """Per-user rows (returned, confidence up, recommendation done), per-question-pair rows
    (score gain) and per-rating rows (positive, 1..5), NaN where a row lacks the signal, so the
    mean of each column is the pilot metric of app.pilot.metrics."""
    rows: list[dict[str, object]] = []
    up, done = confidence_up(signals), completed_recommendation(signals)
    for candidate, came_back in sorted(returned(signals).items()):
        rows.append(
            {
                "candidate_id": candidate,
                "returned": came_back,
                "confidence_up": up.get(candidate),
                "completed_recommendation": done.get(candidate),
            }
        )
    rows += [{"candidate_id": c, "score_gain": g} for c, g in score_gains(signals)]
    rows += [
        {
            "candidate_id": r.candidate_id,
            "positive_rating": is_positive(r.rating, r.thumbs_up),
            "rating": r.rating,
        }
        for r in signals.ratings
    ]
    frame = pd.DataFrame(rows, columns=PILOT_COLUMNS)
    for column in PILOT_COLUMNS[1:]:
        frame[column] = [_number(v) for v in frame[column]]
    return frame


def _number(value: object) -> float:
    """Booleans and counts as floats; a missing signal (None, NaN) as NaN."""
    if value is None:
        return math.nan
    return float(value)  # type: ignore[arg-type]
