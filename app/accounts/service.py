"""Register, log in, tokens; and everything stored about a candidate, to export or delete."""

from __future__ import annotations

import hashlib
import re
import secrets
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.passwords import hash_password, verify_password
from app.errors import ExplainedError, FeedbackFirstError
from app.storage import models

_USERNAME = re.compile(r"^[\w.@+-]{3,64}$")
MIN_PASSWORD = 8


class AccountError(ExplainedError):
    """Registration refused (login taken, too short a password); the message says why."""


class NotAuthenticated(FeedbackFirstError):
    user_message = "Нужен вход: неверный логин, пароль или токен."


@cache
def _dummy_hash() -> str:
    """A hash to check unknown logins against, so they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def register(self, username: str, password: str) -> str:
        if not _USERNAME.match(username):
            raise AccountError("Логин: от 3 до 64 символов, буквы, цифры и . _ @ + -.")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"Пароль должен быть не короче {MIN_PASSWORD} символов.")
        with self._sessions.begin() as db:
            if db.scalar(select(models.Candidate.id).where(models.Candidate.username == username)):
                raise AccountError("Такой логин уже занят.")
            candidate = models.Candidate(username=username, password_hash=hash_password(password))
            db.add(candidate)
            db.flush()
            return candidate.id

    def authenticate(self, username: str, password: str) -> str:
        with self._sessions() as db:
            row = db.execute(
                select(models.Candidate.id, models.Candidate.password_hash).where(
                    models.Candidate.username == username
                )
            ).first()
        if row is None or row.password_hash is None:
            verify_password(password, _dummy_hash())  # same work as a real check
            raise NotAuthenticated()
        if not verify_password(password, row.password_hash):
            raise NotAuthenticated()
        return str(row.id)

    def sign_in(self, username: str, password: str) -> str:
        """The chat's login: a known login must match its password, a new one is registered."""
        try:
            return self.authenticate(username, password)
        except NotAuthenticated:
            with self._sessions() as db:
                taken = db.scalar(
                    select(models.Candidate.id).where(models.Candidate.username == username)
                )
            if taken:
                raise
            return self.register(username, password)

    def external(self, username: str) -> str:
        """A candidate signed in by a trusted proxy or OAuth: created on first sight, no password."""
        if not _USERNAME.match(username):
            raise AccountError("Логин: от 3 до 64 символов, буквы, цифры и . _ @ + -.")
        with self._sessions.begin() as db:
            found = db.scalar(
                select(models.Candidate.id).where(models.Candidate.username == username)
            )
            if found:
                return str(found)
            candidate = models.Candidate(username=username)
            db.add(candidate)
            db.flush()
            return candidate.id

    def exists(self, candidate_id: str) -> bool:
        with self._sessions() as db:
            return db.get(models.Candidate, candidate_id) is not None

    def issue_token(self, candidate_id: str) -> str:
        """A new bearer token; only its hash is stored, so it is shown once."""
        token = secrets.token_urlsafe(32)
        with self._sessions.begin() as db:
            db.add(models.ApiToken(candidate_id=candidate_id, token_hash=_token_hash(token)))
        return token

    def candidate_for_token(self, token: str) -> str:
        with self._sessions() as db:
            candidate = db.scalar(
                select(models.ApiToken.candidate_id).where(
                    models.ApiToken.token_hash == _token_hash(token)
                )
            )
        if candidate is None:
            raise NotAuthenticated()
        return str(candidate)

    def export(self, candidate_id: str) -> dict[str, object]:
        """Everything stored about the candidate, as plain JSON-able data."""
        with self._sessions() as db:
            candidate = db.get(models.Candidate, candidate_id)
            if candidate is None:
                raise NotAuthenticated()
            sessions = db.scalars(
                select(models.InterviewSession)
                .where(models.InterviewSession.candidate_id == candidate_id)
                .order_by(models.InterviewSession.started_at)
            ).all()
            result = []
            for session in sessions:
                answers = db.scalars(
                    select(models.Answer)
                    .where(models.Answer.session_id == session.id)
                    .order_by(models.Answer.id)
                ).all()
                ratings = {
                    r.answer_id: r
                    for r in db.scalars(
                        select(models.FeedbackRating).where(
                            models.FeedbackRating.answer_id.in_([a.id for a in answers])
                        )
                    )
                }
                result.append(
                    {
                        "id": session.id,
                        "level": session.level,
                        "topics": session.topics,
                        "vacancy_text": session.vacancy_text,
                        "status": session.status,
                        "started_at": session.started_at.isoformat(),
                        "questions": [
                            {"question_id": a.question_id, "skipped": a.skipped}
                            for a in session.asked
                        ],
                        "answers": [_answer(a, ratings.get(a.id)) for a in answers],
                        "recommendations": [
                            {
                                "id": r.id,
                                "kind": r.kind,
                                "topic": r.topic,
                                "title": r.title,
                                "url": r.url,
                                "question_id": r.question_id,
                                "done_at": r.done_at.isoformat() if r.done_at else None,
                            }
                            for r in db.scalars(
                                select(models.StudyRecommendation).where(
                                    models.StudyRecommendation.session_id == session.id
                                )
                            )
                        ],
                        "confidence": {
                            c.moment: c.value
                            for c in db.scalars(
                                select(models.ConfidenceSurvey).where(
                                    models.ConfidenceSurvey.session_id == session.id
                                )
                            )
                        },
                    }
                )
            return {
                "candidate": {
                    "id": candidate.id,
                    "username": candidate.username,
                    "created_at": candidate.created_at.isoformat(),
                },
                "sessions": result,
            }

    def delete(self, candidate_id: str) -> None:
        """Remove the candidate and every row about them (explicitly: SQLite may not cascade)."""
        with self._sessions.begin() as db:
            session_ids = select(models.InterviewSession.id).where(
                models.InterviewSession.candidate_id == candidate_id
            )
            answer_ids = select(models.Answer.id).where(models.Answer.session_id.in_(session_ids))
            db.execute(delete(models.Grade).where(models.Grade.answer_id.in_(answer_ids)))
            db.execute(
                delete(models.FeedbackRating).where(models.FeedbackRating.answer_id.in_(answer_ids))
            )
            db.execute(
                delete(models.ConfidenceSurvey).where(
                    models.ConfidenceSurvey.session_id.in_(session_ids)
                )
            )
            db.execute(
                delete(models.StudyRecommendation).where(
                    models.StudyRecommendation.session_id.in_(session_ids)
                )
            )
            self._delete_chat_history(db, candidate_id)
            db.execute(delete(models.Answer).where(models.Answer.session_id.in_(session_ids)))
            db.execute(
                delete(models.AskedQuestion).where(models.AskedQuestion.session_id.in_(session_ids))
            )
            db.execute(
                delete(models.InterviewSession).where(
                    models.InterviewSession.candidate_id == candidate_id
                )
            )
            db.execute(delete(models.ApiToken).where(models.ApiToken.candidate_id == candidate_id))
            db.execute(
                delete(models.ReviewItem).where(models.ReviewItem.candidate_id == candidate_id)
            )
            db.execute(delete(models.Candidate).where(models.Candidate.id == candidate_id))

    @staticmethod
    def _delete_chat_history(db: Session, candidate_id: str) -> None:
        """The chat's threads of the candidate's login (Chainlit's tables)."""
        username = db.scalar(
            select(models.Candidate.username).where(models.Candidate.id == candidate_id)
        )
        if username is None:
            return
        users = models.chainlit_users
        threads = models.chainlit_threads
        user_ids = select(users.c.id).where(users.c.identifier == username)
        thread_ids = select(threads.c.id).where(threads.c.userId.in_(user_ids))
        for table in (models.chainlit_feedbacks, models.chainlit_elements, models.chainlit_steps):
            db.execute(delete(table).where(table.c.threadId.in_(thread_ids)))
        db.execute(delete(threads).where(threads.c.userId.in_(user_ids)))
        db.execute(delete(users).where(users.c.identifier == username))


def _answer(answer: models.Answer, rating: models.FeedbackRating | None) -> dict[str, object]:
    grade = answer.grade
    return {
        "answer_id": answer.id,
        "feedback_rating": None
        if rating is None
        else {"rating": rating.rating, "thumbs_up": rating.thumbs_up},
        "question_id": answer.question_id,
        "attempt": answer.attempt,
        "text": answer.text,
        "status": answer.status,
        "created_at": answer.created_at.isoformat(),
        "grade": None
        if grade is None
        else {
            "score": grade.score,
            "off_topic": grade.off_topic,
            "covered_key_points": grade.covered_key_points,
            "feedback": grade.feedback,
            "grader_version": grade.grader_version,
        },
    }
