from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.bank.schema import Question
from app.bank.store import QuestionStore
from app.errors import NotFound
from app.grading.grader import Grade, Grader
from app.grading.targets import neighbours_of
from app.grading.types import GradingTarget
from app.interview.service import InterviewService
from app.nlp.embedder import Embedder
from app.storage import models
from app.storage.db import make_engine, make_sessionmaker, upgrade
from tests.grading.test_grader import GOOD


class _BrokenGrader(Grader):
    """A grader that fails after the answer reached it, like a crash mid-analysis."""

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        raise RuntimeError("analysis crashed")


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def service(
    store: QuestionStore, embedder: Embedder, sessions: sessionmaker[Session]
) -> InterviewService:
    return InterviewService(store, Grader(embedder, neighbours_of(store)), sessions)


def _answers(sessions: sessionmaker[Session]) -> list[models.Answer]:
    with sessions() as db:
        return list(db.scalars(select(models.Answer).order_by(models.Answer.id)))


def _first_question(service: InterviewService) -> tuple[str, str, Question]:
    """A new candidate's session on ml_basics, with its first question asked."""
    candidate = service.new_candidate()
    session = service.start(candidate, level="junior", topics=["ml_basics"])
    question = service.ask_next(session, candidate)
    assert question is not None
    return candidate, session, question


def test_interview_asks_plans_topics_and_never_repeats(service: InterviewService) -> None:
    candidate = service.new_candidate()
    session = service.start(
        candidate, level="junior", topics=["ml_basics", "metrics_validation"], planned_questions=3
    )
    asked = [service.ask_next(session, candidate) for _ in range(3)]
    ids = [q.id for q in asked if q is not None]
    assert ids[:2] == ["ml_basics.overfitting_test", "metrics_validation.precision_recall_test"]
    assert len(ids) == len(set(ids))
    assert service.ask_next(session, candidate) is None  # plan exhausted


def test_answer_and_grade_are_stored_with_attempts(
    service: InterviewService, sessions: sessionmaker[Session]
) -> None:
    candidate, session, question = _first_question(service)
    first = service.submit_answer(session, candidate, question.id, "Модель плохо работает.")
    second = service.submit_answer(session, candidate, question.id, GOOD)
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.grade is not None and second.grade is not None
    assert second.grade.score > first.grade.score
    rows = _answers(sessions)
    assert [r.status for r in rows] == ["graded", "graded"]
    with sessions() as db:
        grade = db.scalar(select(models.Grade).where(models.Grade.answer_id == second.answer_id))
        assert grade is not None and grade.score == second.grade.score
    summary = service.finish(session, candidate)
    assert summary.results[0].best_score == second.grade.score
    assert summary.results[0].attempts == 2


def test_answer_is_kept_when_grading_crashes(
    store: QuestionStore, embedder: Embedder, sessions: sessionmaker[Session]
) -> None:
    service = InterviewService(store, _BrokenGrader(embedder), sessions)
    candidate, session, question = _first_question(service)
    with pytest.raises(RuntimeError):
        service.submit_answer(session, candidate, question.id, GOOD)
    rows = _answers(sessions)
    assert [(r.text, r.status) for r in rows] == [(GOOD, "failed")]


def test_refused_answer_is_kept_with_its_reason(
    service: InterviewService, sessions: sessionmaker[Session]
) -> None:
    candidate, session, question = _first_question(service)
    result = service.submit_answer(session, candidate, question.id, "   ")
    assert result.grade is None and result.error is not None and "пустой" in result.error
    sql = "'; DROP TABLE answers; --"
    stored = service.submit_answer(session, candidate, question.id, sql)
    rows = _answers(sessions)
    assert [r.status for r in rows] == ["rejected", "graded"]
    assert rows[1].text == sql  # stored as text, the table is still there
    assert stored.grade is not None and stored.grade.score < 3


def test_another_candidate_cannot_touch_a_session(service: InterviewService) -> None:
    owner, intruder = service.new_candidate(), service.new_candidate()
    session = service.start(owner, level="middle", topics=["ml_basics"])
    with pytest.raises(NotFound):
        service.ask_next(session, intruder)
    with pytest.raises(NotFound):
        service.submit_answer(session, intruder, "ml_basics.overfitting_test", GOOD)
    with pytest.raises(NotFound):
        service.finish(session, intruder)


def test_skipped_question_shows_in_summary_with_recommendation(service: InterviewService) -> None:
    candidate = service.new_candidate()
    session = service.start(
        candidate, level="middle", topics=["trees_ensembles"], planned_questions=1
    )
    question = service.ask_next(session, candidate)
    assert question is not None
    service.skip(session, candidate, question.id)
    summary = service.finish(session, candidate)
    assert summary.results[0].skipped
    assert summary.weak_topics == ["trees_ensembles"]
    resources = [i for i in summary.study if i.kind == "resource"]
    assert resources and all(i.question_id == question.id and i.url for i in resources)
    practice = [i for i in summary.study if i.kind == "practice"]
    assert practice and all(
        i.topic == "trees_ensembles" and i.question_id != question.id for i in practice
    )
    # The report is stored once: finishing again gives the same ids, not a second plan.
    again = service.finish(session, candidate)
    assert [i.id for i in again.study] == [i.id for i in summary.study]


def test_recommendations_are_marked_done_by_their_owner_only(service: InterviewService) -> None:
    owner, intruder = service.new_candidate(), service.new_candidate()
    session = service.start(owner, level="middle", topics=["trees_ensembles"], planned_questions=1)
    question = service.ask_next(session, owner)
    assert question is not None
    service.skip(session, owner, question.id)
    item = service.finish(session, owner).study[0]
    assert item.id is not None and not item.done
    with pytest.raises(NotFound):
        service.mark_done(intruder, item.id)
    service.mark_done(owner, item.id)
    assert [i.done for i in service.study_items(owner) if i.id == item.id] == [True]
    assert service.study_items(intruder) == []


def test_plan_topics_from_vacancy_text(service: InterviewService) -> None:
    topics = service.plan_topics(
        "Ищем DS: метрики классификации precision и recall, ROC-кривые", limit=2
    )
    assert topics[0].topic == "metrics_validation"
    assert abs(sum(t.weight for t in topics) - 1) < 0.01


def test_second_session_repeats_the_failed_question_and_weighs_weak_topics(
    store: QuestionStore, embedder: Embedder, sessions: sessionmaker[Session]
) -> None:
    now = [datetime(2026, 12, 1, 10, 0, tzinfo=UTC)]
    service = InterviewService(
        store, Grader(embedder, neighbours_of(store)), sessions, clock=lambda: now[0]
    )
    candidate = service.new_candidate()
    topics = ["ml_basics", "metrics_validation", "trees_ensembles"]
    first = service.start(candidate, level="junior", topics=topics, planned_questions=3)
    scores = {}
    for _ in range(3):
        question = service.ask_next(first, candidate)
        assert question is not None
        # The candidate fails on overfitting and knows the rest.
        text = "Не совсем помню, что-то про модель." if question.topic == "ml_basics" else GOOD
        result = service.submit_answer(first, candidate, question.id, text)
        scores[question.topic] = result.grade.score if result.grade else None
    service.finish(first, candidate)
    assert scores["ml_basics"] is not None and scores["ml_basics"] < 5

    now[0] += timedelta(minutes=30)
    # ml_basics is listed last: only the repetition rule can bring its question first.
    second = service.start(candidate, level="junior", topics=topics[::-1], planned_questions=3)
    repeated = service.ask_next(second, candidate)
    assert repeated is not None and repeated.id == "ml_basics.overfitting_test"
    # Passed questions are not due yet, so the session runs out of new ones in this mini bank.
    asked = [repeated.id]
    while (question := service.ask_next(second, candidate)) is not None:
        asked.append(question.id)
    assert len(asked) == len(set(asked))
    for question_id in asked:
        service.submit_answer(second, candidate, question_id, GOOD)
    report = {p.topic: p for p in service.finish(second, candidate).progress}
    # The repeated overfitting question was failed before and answered well now.
    assert report["ml_basics"].before is not None and report["ml_basics"].now is not None
    assert report["ml_basics"].now > report["ml_basics"].before
    assert service.progress(candidate) == list(report.values())


def test_plan_weights_decide_which_topic_gets_more_questions(service: InterviewService) -> None:
    asked_topics = []
    for weights in (
        {"ml_basics": 0.2, "trees_ensembles": 0.8},
        {"ml_basics": 0.8, "trees_ensembles": 0.2},
    ):
        candidate = service.new_candidate()
        session = service.start(
            candidate,
            level="junior",
            topics=["ml_basics", "trees_ensembles"],
            planned_questions=2,
            weights=weights,
        )
        question = service.ask_next(session, candidate)
        assert question is not None
        asked_topics.append(question.topic)
    assert asked_topics == ["trees_ensembles", "ml_basics"]
