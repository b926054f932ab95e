"""The interview use cases shared by the chat, the CLI and later the API."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.bank.schema import Question
from app.bank.store import QuestionStore
from app.errors import InvalidAnswer, NotFound
from app.grading.grader import Grade, Grader
from app.grading.targets import target_for_question
from app.interview.planning import TopicWeight, allocate, topic_weights
from app.interview.progress import StudyItem, TopicProgress, TopicScore, study_plan, topic_progress
from app.interview.repetition import PASS_SCORE, RELEARN_AFTER, ReviewState, review
from app.interview.selection import next_question
from app.interview.topics import TOPIC_QUERIES
from app.storage import models

# Hard cap on what is stored of one answer; longer input is refused anyway, this bounds the row.
STORED_ANSWER_CHARS = 20_000
WEAK_SCORE = 5.0
# A best answer scored in this range is partial: an interviewer digs deeper with a follow-up.
PARTIAL_SCORES = (2.5, 7.5)


@dataclass(frozen=True)
class SubmitResult:
    answer_id: int
    attempt: int
    grade: Grade | None
    error: str | None = None


@dataclass(frozen=True)
class _History:
    """What earlier sessions say about a candidate."""

    due_failed: list[str]  # failed before and due again, earliest first
    not_due: list[str]  # answered and not due yet: not asked again
    seen_before: set[str]
    mastery: dict[str, float]  # topic -> mean score of its questions, 0..1


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SessionContext:
    level: str
    vacancy_text: str | None


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    topic: str
    question: str
    best_score: float | None
    attempts: int
    skipped: bool


@dataclass(frozen=True)
class Summary:
    results: list[QuestionResult]
    average: float | None
    weak_topics: list[str]
    study: list[StudyItem] = field(default_factory=list)
    progress: list[TopicProgress] = field(default_factory=list)


def _session_ids(db: Session, candidate_id: str) -> list[str]:
    """The candidate's sessions, newest first."""
    return list(
        db.scalars(
            select(models.InterviewSession.id)
            .where(models.InterviewSession.candidate_id == candidate_id)
            .order_by(models.InterviewSession.started_at.desc())
        )
    )


def _study_item(row: models.StudyRecommendation) -> StudyItem:
    return StudyItem(
        row.kind, row.topic, row.title, row.url, row.question_id, row.id, row.done_at is not None
    )


def _weak(results: list[QuestionResult]) -> list[QuestionResult]:
    return [r for r in results if r.best_score is None or r.best_score < WEAK_SCORE]


class InterviewService:
    """Starts sessions, asks questions, stores and grades answers, sums a session up."""

    def __init__(
        self,
        store: QuestionStore,
        grader: Grader,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        relearn_after: timedelta = RELEARN_AFTER,
        on_answer: Callable[[str, float], None] | None = None,
    ) -> None:
        self._store = store
        # Told (outcome, grading seconds) once per stored answer: the metrics' seam.
        self._on_answer = on_answer or (lambda _outcome, _seconds: None)
        self._grader = grader
        self._sessions = sessions
        self._clock = clock
        self._relearn_after = relearn_after

    def new_candidate(self) -> str:
        with self._sessions.begin() as db:
            candidate = models.Candidate()
            db.add(candidate)
            db.flush()
            return candidate.id

    def plan_topics(
        self, text: str, experience: str | None = None, limit: int = 4
    ) -> list[TopicWeight]:
        """The heaviest topics of a vacancy or wish list, their weights rescaled to sum to 1."""
        top = topic_weights(self._store, text, experience)[:limit]
        total = sum(w.weight for w in top) or 1.0
        return [TopicWeight(w.topic, round(w.weight / total, 3)) for w in top]

    def start(
        self,
        candidate_id: str,
        *,
        level: str,
        topics: list[str],
        vacancy_text: str | None = None,
        planned_questions: int = 5,
        weights: dict[str, float] | None = None,
    ) -> str:
        with self._sessions.begin() as db:
            if db.get(models.Candidate, candidate_id) is None:
                raise NotFound(candidate_id)
            session = models.InterviewSession(
                candidate_id=candidate_id,
                started_at=self._clock(),
                level=level,
                topics=topics,
                vacancy_text=vacancy_text,
                planned_questions=planned_questions,
                topic_weights={t: w for t, w in (weights or {}).items() if t in topics},
            )
            db.add(session)
            db.flush()
            return session.id

    def _session(self, db: Session, session_id: str, candidate_id: str) -> models.InterviewSession:
        session = db.get(models.InterviewSession, session_id)
        # Another candidate's session looks exactly like a missing one.
        if session is None or session.candidate_id != candidate_id:
            raise NotFound(session_id)
        return session

    def ask_next(self, session_id: str, candidate_id: str) -> Question | None:
        """The next question, recorded as asked; None when the session is done.

        A partial answer gets the bank's follow-up question next; then a question failed in an
        earlier session and due again (up to a third of the session); otherwise topics the
        candidate is weak in get more of the questions.
        """
        with self._sessions.begin() as db:
            session = self._session(db, session_id, candidate_id)
            if session.status != "active" or len(session.asked) >= session.planned_questions:
                return None
            asked = [a.question_id for a in session.asked]
            history = self._history(db, candidate_id, session)
            question = (
                self._follow_up(db, session, asked + history.not_due)
                or self._repeat(history, session, asked)
                or next_question(
                    self._store,
                    topics=self._topic_order(history, session, len(asked)),
                    level=session.level,
                    asked_ids=asked + history.not_due,
                    position=len(asked),
                    vacancy_text=session.vacancy_text,
                    seed=session.id,
                )
            )
            if question is None:
                return None
            session.asked.append(
                models.AskedQuestion(
                    question_id=question.id, topic=question.topic, position=len(asked)
                )
            )
            return question

    def _follow_up(
        self, db: Session, session: models.InterviewSession, excluded: list[str]
    ) -> Question | None:
        """The bank's follow-up of the last question when its best answer was partial; never a
        follow-up of a follow-up."""
        if not session.asked:
            return None
        last = self._store.get(session.asked[-1].question_id)
        if len(session.asked) > 1:
            before = self._store.get(session.asked[-2].question_id)
            if last.id in before.follow_ups:
                return None
        best = db.scalar(
            select(func.max(models.Grade.score))
            .join(models.Answer)
            .where(models.Answer.session_id == session.id, models.Answer.question_id == last.id)
        )
        if best is None or not PARTIAL_SCORES[0] <= best < PARTIAL_SCORES[1]:
            return None
        for question_id in last.follow_ups:
            if question_id not in excluded:
                try:
                    return self._store.get(question_id)
                except NotFound:
                    continue
        return None

    def _history(
        self, db: Session, candidate_id: str, session: models.InterviewSession
    ) -> _History:
        items = db.scalars(
            select(models.ReviewItem).where(models.ReviewItem.candidate_id == candidate_id)
        ).all()
        now = self._clock()
        started = _aware(session.started_at)
        earlier = [i for i in items if _aware(i.reviewed_at) < started]
        scores: dict[str, list[float]] = defaultdict(list)
        for item in earlier:
            scores[item.topic].append(item.last_score)
        return _History(
            due_failed=[
                i.question_id
                for i in sorted(earlier, key=lambda i: _aware(i.due_at))
                if i.last_score < PASS_SCORE and _aware(i.due_at) <= now
            ],
            not_due=[i.question_id for i in items if _aware(i.due_at) > now],
            seen_before={i.question_id for i in earlier},
            mastery={t: sum(v) / (10 * len(v)) for t, v in scores.items()},
        )

    def _repeat(
        self, history: _History, session: models.InterviewSession, asked: list[str]
    ) -> Question | None:
        budget = max(1, session.planned_questions // 3)
        if sum(1 for q in asked if q in history.seen_before) >= budget:
            return None
        for question_id in history.due_failed:
            question = self._store.get(question_id)
            if question_id not in asked and (
                not session.topics or question.topic in session.topics
            ):
                return question
        return None

    def _topic_order(
        self, history: _History, session: models.InterviewSession, position: int
    ) -> list[str]:
        """This position's topic first, then the rest as fallbacks. Seats follow the plan's
        weight times 2 - mastery, so weak topics get more."""
        topics = list(dict.fromkeys(session.topics))
        if not topics:
            return []
        planned = session.topic_weights or {}
        weights = sorted(
            (
                TopicWeight(
                    t, planned.get(t, 1.0 / len(topics)) * (2.0 - history.mastery.get(t, 0.5))
                )
                for t in topics
            ),
            key=lambda w: -w.weight,
        )
        order = allocate(weights, max(session.planned_questions, len(topics)), len(topics))
        first = order[position % len(order)]
        return [first] + [t for t in topics if t != first]

    def rate_feedback(
        self,
        candidate_id: str,
        answer_id: int,
        rating: int | None = None,
        thumbs_up: bool | None = None,
    ) -> None:
        """Pilot signal on one answer's feedback; a later rating replaces the earlier one."""
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidAnswer("Оценка полезности — от 1 до 5.")
        with self._sessions.begin() as db:
            answer = db.get(models.Answer, answer_id)
            if answer is None:
                raise NotFound(str(answer_id))
            self._session(db, answer.session_id, candidate_id)  # someone else's: NotFound
            row = db.scalar(
                select(models.FeedbackRating).where(models.FeedbackRating.answer_id == answer_id)
            )
            if row is None:
                row = models.FeedbackRating(answer_id=answer_id)
                db.add(row)
            if rating is not None:
                row.rating = rating
            if thumbs_up is not None:
                row.thumbs_up = thumbs_up

    def record_confidence(
        self, session_id: str, candidate_id: str, moment: str, value: int
    ) -> None:
        """Self-rated confidence 1..5 at the start or the end of a session."""
        if moment not in {"start", "end"} or not 1 <= value <= 5:
            raise InvalidAnswer("Уверенность — от 1 до 5, в начале (start) или в конце (end).")
        with self._sessions.begin() as db:
            self._session(db, session_id, candidate_id)
            row = db.scalar(
                select(models.ConfidenceSurvey).where(
                    models.ConfidenceSurvey.session_id == session_id,
                    models.ConfidenceSurvey.moment == moment,
                )
            )
            if row is None:
                db.add(models.ConfidenceSurvey(session_id=session_id, moment=moment, value=value))
            else:
                row.value = value

    def record_llm_usage(
        self, session_id: str, candidate_id: str, prompt_tokens: int, completion_tokens: int
    ) -> None:
        with self._sessions.begin() as db:
            session = self._session(db, session_id, candidate_id)
            session.llm_prompt_tokens += prompt_tokens
            session.llm_completion_tokens += completion_tokens

    def session_context(self, session_id: str, candidate_id: str) -> SessionContext:
        with self._sessions.begin() as db:
            session = self._session(db, session_id, candidate_id)
            return SessionContext(session.level, session.vacancy_text)

    def question(self, question_id: str) -> Question:
        return self._store.get(question_id)

    def skip(self, session_id: str, candidate_id: str, question_id: str) -> None:
        with self._sessions.begin() as db:
            session = self._session(db, session_id, candidate_id)
            for asked in session.asked:
                if asked.question_id == question_id:
                    asked.skipped = True

    def submit_answer(
        self, session_id: str, candidate_id: str, question_id: str, text: str
    ) -> SubmitResult:
        """Store the answer first, then grade it; a refused answer is kept with the reason."""
        question = self._store.get(question_id)
        with self._sessions.begin() as db:
            self._session(db, session_id, candidate_id)
            previous = db.scalar(
                select(func.count(models.Answer.id)).where(
                    models.Answer.session_id == session_id,
                    models.Answer.question_id == question_id,
                )
            )
            answer = models.Answer(
                session_id=session_id,
                question_id=question_id,
                attempt=(previous or 0) + 1,
                text=text.replace("\x00", "")[:STORED_ANSWER_CHARS],
            )
            db.add(answer)
            db.flush()
            answer_id, attempt = answer.id, answer.attempt

        started = time.perf_counter()
        try:
            grade = self._grader.grade(target_for_question(question, self._store), text)
        except InvalidAnswer as exc:
            self._on_answer("rejected", time.perf_counter() - started)
            self._mark(answer_id, "rejected", exc.user_message)
            return SubmitResult(answer_id, attempt, None, exc.user_message)
        except Exception:
            self._on_answer("failed", time.perf_counter() - started)
            self._mark(answer_id, "failed", "grading failed")
            raise
        self._on_answer("graded", time.perf_counter() - started)

        with self._sessions.begin() as db:
            row = db.get(models.Answer, answer_id)
            assert row is not None  # noqa: S101 - written above in this call
            row.status = "graded"
            self._review(db, candidate_id, question, grade.score)
            db.add(
                models.Grade(
                    answer_id=answer_id,
                    score=grade.score,
                    off_topic=grade.off_topic,
                    covered_key_points=grade.covered_key_points,
                    feedback=grade.feedback,
                    grader_version=grade.grader_version,
                )
            )
        return SubmitResult(answer_id, attempt, grade)

    def _review(self, db: Session, candidate_id: str, question: Question, score: float) -> None:
        """Spaced repetition: the latest graded attempt decides when the question comes back."""
        item = db.scalar(
            select(models.ReviewItem).where(
                models.ReviewItem.candidate_id == candidate_id,
                models.ReviewItem.question_id == question.id,
            )
        )
        now = self._clock()
        if item is None:
            item = models.ReviewItem(
                candidate_id=candidate_id, question_id=question.id, topic=question.topic
            )
            db.add(item)
            state = ReviewState()
        else:
            state = ReviewState(item.repetitions, item.interval_days, item.ease)
        state, due = review(state, score, now, self._relearn_after)
        item.repetitions, item.interval_days, item.ease = (
            state.repetitions,
            state.interval_days,
            state.ease,
        )
        item.last_score, item.due_at, item.reviewed_at = score, due, now

    def _mark(self, answer_id: int, status: str, error: str) -> None:
        with self._sessions.begin() as db:
            row = db.get(models.Answer, answer_id)
            if row is not None:
                row.status, row.error = status, error

    def finish(self, session_id: str, candidate_id: str) -> Summary:
        """Close the session; its report: results, per-topic progress and a stored study plan."""
        with self._sessions.begin() as db:
            session = self._session(db, session_id, candidate_id)
            if session.status == "active":
                session.status = "finished"
                session.finished_at = self._clock()
            asked = list(session.asked)
            answers = db.scalars(
                select(models.Answer).where(models.Answer.session_id == session_id)
            ).all()
            scores: dict[str, list[float]] = defaultdict(list)
            attempts: dict[str, int] = defaultdict(int)
            for answer in answers:
                attempts[answer.question_id] += 1
                if answer.grade is not None:
                    scores[answer.question_id].append(answer.grade.score)
            summary = self._summary(asked, scores, attempts)
            study = self._stored_study(db, session_id)
            if not study:
                study = self._store_study(db, session_id, candidate_id, _weak(summary.results))
            progress = topic_progress(self._topic_scores(db, candidate_id), session_id)
        return Summary(summary.results, summary.average, summary.weak_topics, study, progress)

    def progress(self, candidate_id: str) -> list[TopicProgress]:
        """Per-topic mastery: the latest session as `now`, all earlier ones as `before`."""
        with self._sessions() as db:
            latest = next(iter(_session_ids(db, candidate_id)), None)
            return topic_progress(self._topic_scores(db, candidate_id), latest)

    def _topic_scores(self, db: Session, candidate_id: str) -> list[TopicScore]:
        rows = db.execute(
            select(
                models.AskedQuestion.session_id,
                models.AskedQuestion.question_id,
                models.AskedQuestion.topic,
            )
            .join(models.InterviewSession)
            .where(models.InterviewSession.candidate_id == candidate_id)
        ).all()
        best = {
            (session_id, question_id): score
            for session_id, question_id, score in db.execute(
                select(
                    models.Answer.session_id,
                    models.Answer.question_id,
                    func.max(models.Grade.score),
                )
                .join(models.Grade)
                .join(
                    models.InterviewSession, models.InterviewSession.id == models.Answer.session_id
                )
                .where(models.InterviewSession.candidate_id == candidate_id)
                .group_by(models.Answer.session_id, models.Answer.question_id)
            )
        }
        return [TopicScore(s, t, best.get((s, q), 0.0)) for s, q, t in rows]

    def _stored_study(self, db: Session, session_id: str) -> list[StudyItem]:
        rows = db.scalars(
            select(models.StudyRecommendation)
            .where(models.StudyRecommendation.session_id == session_id)
            .order_by(models.StudyRecommendation.id)
        ).all()
        return [_study_item(r) for r in rows]

    def _store_study(
        self, db: Session, session_id: str, candidate_id: str, weak: list[QuestionResult]
    ) -> list[StudyItem]:
        weak_questions = [self._store.get(r.question_id) for r in weak]
        topics = list(dict.fromkeys(q.topic for q in weak_questions))
        seen = {
            q
            for (q,) in db.execute(
                select(models.AskedQuestion.question_id)
                .join(models.InterviewSession)
                .where(models.InterviewSession.candidate_id == candidate_id)
            )
        }
        pool = [
            hit.question
            for topic in topics
            for hit in self._store.search(
                TOPIC_QUERIES.get(topic, topic),
                topics=[topic],
                exclude_ids=sorted(seen),
                limit=2,
            )
        ]
        rows = [
            models.StudyRecommendation(
                session_id=session_id,
                kind=item.kind,
                topic=item.topic,
                title=item.title,
                url=item.url,
                question_id=item.question_id,
            )
            for item in study_plan(weak_questions, pool)
        ]
        db.add_all(rows)
        db.flush()
        return [_study_item(r) for r in rows]

    def mark_done(self, candidate_id: str, recommendation_id: int, done: bool = True) -> None:
        """Pilot signal: the candidate studied a recommendation of a report."""
        with self._sessions.begin() as db:
            row = db.get(models.StudyRecommendation, recommendation_id)
            if row is None:
                raise NotFound(str(recommendation_id))
            self._session(db, row.session_id, candidate_id)  # someone else's: NotFound
            row.done_at = self._clock() if done else None

    def study_items(self, candidate_id: str) -> list[StudyItem]:
        """Every recommendation the candidate got, newest session first."""
        with self._sessions() as db:
            return [
                item
                for session_id in _session_ids(db, candidate_id)
                for item in self._stored_study(db, session_id)
            ]

    def _summary(
        self,
        asked: list[models.AskedQuestion],
        scores: dict[str, list[float]],
        attempts: dict[str, int],
    ) -> Summary:
        results = []
        for item in asked:
            question = self._store.get(item.question_id)
            best = max(scores[item.question_id]) if scores.get(item.question_id) else None
            results.append(
                QuestionResult(
                    item.question_id,
                    item.topic,
                    question.question,
                    best,
                    attempts.get(item.question_id, 0),
                    item.skipped and best is None,
                )
            )
        graded = [r.best_score for r in results if r.best_score is not None]
        average = round(sum(graded) / len(graded), 1) if graded else None
        weak_topics = list(dict.fromkeys(r.topic for r in _weak(results)))
        return Summary(results, average, weak_topics)
