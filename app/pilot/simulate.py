"""Synthetic pilot usage through the real InterviewService, for demos and tests.

Seeded and deterministic for a given bank, seed and start: users of different skill answer
questions (graded for real), rate the feedback, report confidence, come back on later days and
mark recommendations done. Every candidate it makes is marked synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.bank.store import QuestionStore
from app.grading.grader import Grader
from app.interview.service import InterviewService, Summary
from app.pilot.answers import synthetic_answer
from app.storage import models

# One session asks this many questions: enough signal, and ~0.4 s of grading per answer.
QUESTIONS_PER_SESSION = 3


@dataclass
class SimulationResult:
    candidates: int = 0
    sessions: int = 0
    answers: int = 0
    ratings: int = 0
    recommendations: int = 0
    candidate_ids: list[str] = field(default_factory=list)


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _clamp(value: float, low: int = 1, high: int = 5) -> int:
    return int(min(high, max(low, round(value))))


class _Simulator:
    def __init__(
        self,
        store: QuestionStore,
        grader: Grader,
        sessions: sessionmaker[Session],
        rng: random.Random,
        clock: _Clock,
    ) -> None:
        self._sessions = sessions
        self._rng = rng
        self._clock = clock
        self._service = InterviewService(store, grader, sessions, clock=clock)
        self._topics = sorted({q.topic for q in store.questions if q.served})
        self._levels = sorted({q.level.value for q in store.questions if q.served})
        self.result = SimulationResult()

    def user(self, first_day: datetime, end: datetime) -> None:
        rng = self._rng
        created = self._service.new_candidate()
        candidate = self._id()
        with self._sessions.begin() as db:
            db.execute(
                update(models.Candidate)
                .where(models.Candidate.id == created)
                .values(id=candidate, synthetic=True, created_at=first_day)
            )
        self.result.candidates += 1
        self.result.candidate_ids.append(candidate)
        skill = rng.uniform(0.1, 0.85)
        topics = rng.sample(self._topics, min(len(self._topics), rng.choice([1, 2, 3])))
        level = rng.choice(self._levels)
        visits = 1 + (rng.choice([1, 1, 2]) if rng.random() < 0.55 else 0)
        confidence = _clamp(1 + 3 * skill + rng.gauss(0, 0.7))
        self._clock.now = first_day
        for visit in range(visits):
            confidence = self._session(candidate, level, topics, skill + 0.1 * visit, confidence)
            self._clock.now += timedelta(days=rng.randint(1, 6), hours=rng.uniform(-3, 3))
            if self._clock.now >= end:  # the pilot is over; those who would come back cannot
                break

    def _session(
        self, candidate: str, level: str, topics: list[str], skill: float, confidence: int
    ) -> int:
        rng, service = self._rng, self._service
        created = service.start(
            candidate, level=level, topics=topics, planned_questions=QUESTIONS_PER_SESSION
        )
        # Ids from the seed: the session id also seeds which question is chosen.
        session = self._id()
        with self._sessions.begin() as db:
            db.execute(
                update(models.InterviewSession)
                .where(models.InterviewSession.id == created)
                .values(id=session)
            )
        self.result.sessions += 1
        service.record_confidence(session, candidate, "start", confidence)
        scores: list[float] = []
        while (question := service.ask_next(session, candidate)) is not None:
            self._clock.now += timedelta(minutes=rng.uniform(2, 6))
            if rng.random() < 0.07:
                service.skip(session, candidate, question.id)
                continue
            quality = min(1.0, max(0.0, skill + rng.gauss(0, 0.25)))
            for attempt in range(2):
                result = service.submit_answer(
                    session, candidate, question.id, synthetic_answer(question, quality, rng)
                )
                self._stamp(models.Answer, result.answer_id)
                self.result.answers += 1
                if result.grade is None:
                    break
                self._rate(candidate, result.answer_id, result.grade.score, skill)
                scores.append(result.grade.score)
                # Some retry a weak answer once, having read the feedback.
                if attempt or result.grade.score >= 6 or rng.random() > 0.3:
                    break
                quality = min(1.0, quality + rng.uniform(0.15, 0.35))
        summary = service.finish(session, candidate)
        self._study(candidate, summary)
        mean = sum(scores) / len(scores) if scores else 0.0
        up = rng.random() < 0.55 + 0.35 * mean / 10
        end = _clamp(confidence + (rng.choice([1, 1, 2]) if up else rng.choice([0, -1])))
        service.record_confidence(session, candidate, "end", end)
        self._stamp_session(session)
        return end

    def _id(self) -> str:
        return f"{self._rng.getrandbits(128):032x}"

    def _rate(self, candidate: str, answer_id: int, score: float, skill: float) -> None:
        rng = self._rng
        if rng.random() > 0.7:
            return
        thumbs = rng.random() < 0.72 + 0.2 * skill
        rating = _clamp(rng.gauss(3.6 + 0.9 * score / 10, 0.7)) if rng.random() < 0.6 else None
        self._service.rate_feedback(candidate, answer_id, rating, thumbs)
        self.result.ratings += 1

    def _study(self, candidate: str, summary: Summary) -> None:
        """Some users study after a session: one or two items of its plan, a few days later."""
        rng, now = self._rng, self._clock.now
        stored = [item.id for item in summary.study if item.id is not None]
        self.result.recommendations += len(stored)
        if not stored or rng.random() > 0.4:
            return
        for item_id in rng.sample(stored, min(len(stored), rng.randint(1, 2))):
            self._clock.now = now + timedelta(days=rng.randint(1, 3))
            self._service.mark_done(candidate, item_id)
        self._clock.now = now

    def _stamp(self, model: type[models.Answer], row_id: int) -> None:
        """Rows get the simulated time, not the wall clock, so windows and days are realistic."""
        with self._sessions.begin() as db:
            db.execute(update(model).where(model.id == row_id).values(created_at=self._clock.now))

    def _stamp_session(self, session_id: str) -> None:
        now = self._clock.now
        with self._sessions.begin() as db:
            db.execute(
                update(models.InterviewSession)
                .where(models.InterviewSession.id == session_id)
                .values(finished_at=now)
            )
            for model in (models.ConfidenceSurvey,):
                db.execute(
                    update(model).where(model.session_id == session_id).values(created_at=now)
                )
            answer_ids = db.query(models.Answer.id).filter(models.Answer.session_id == session_id)
            db.execute(
                update(models.FeedbackRating)
                .where(models.FeedbackRating.answer_id.in_(answer_ids.scalar_subquery()))
                .values(created_at=now)
            )


def simulate(
    store: QuestionStore,
    grader: Grader,
    sessions: sessionmaker[Session],
    users: int,
    *,
    seed: int = 2026,
    start: datetime | None = None,
    days: int = 28,
) -> SimulationResult:
    """Fill the database with `users` synthetic candidates whose first visits spread over the
    `days` days from `start` (default: `days` days before now, at midnight UTC).

    The same seed on the same database state gives the same data; a second run on a database
    that already has candidates draws other ids and users.
    """
    with sessions() as db:
        existing = db.scalar(select(func.count(models.Candidate.id))) or 0
    rng = random.Random(f"{seed}:{existing}")  # noqa: S311 - seeded synthetic data, not secrets
    if start is None:
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start = today - timedelta(days=days)
    simulator = _Simulator(store, grader, sessions, rng, _Clock(start))
    end = start + timedelta(days=days)
    for _ in range(users):
        offset = timedelta(days=rng.randint(0, days - 2), hours=rng.uniform(9, 21))
        simulator.user(start + offset, end)
    return simulator.result
