"""Routes: accounts and tokens, sessions, answers, a candidate's own data."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.accounts.service import AccountService
from app.api.errors import BODY_NOT_PARSED, russian_validation_message
from app.api.ratelimit import RateLimiter, build_rate_limiter, retry_after
from app.api.schemas import (
    AnswerIn,
    ConfidenceIn,
    Credentials,
    ErrorOut,
    GradeOut,
    QuestionOut,
    RatingIn,
    RecommendationOut,
    ResultOut,
    SessionIn,
    SessionOut,
    SummaryOut,
    TokenOut,
    TopicProgressOut,
)
from app.bootstrap import Services
from app.interview.progress import StudyItem, TopicProgress
from app.interview.service import InterviewService


class RussianErrorsRoute(APIRoute):
    """Refused bodies (invalid JSON or UTF-8, failed validation) get one Russian sentence."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return JSONResponse({"detail": russian_validation_message(exc.errors())}, 422)
            except StarletteHTTPException as exc:
                # FastAPI raises Starlette's exception when the body cannot be decoded.
                if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
                    return JSONResponse({"detail": BODY_NOT_PARSED}, 400)
                raise

        return route


router = APIRouter(prefix="/api/v1", route_class=RussianErrorsRoute)
_bearer = HTTPBearer(auto_error=False)
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut},
    401: {"model": ErrorOut},
    404: {"model": ErrorOut},
    422: {"model": ErrorOut},
    429: {"model": ErrorOut, "description": "Слишком много запросов; см. Retry-After"},
}


def services(request: Request) -> Services:
    built: Services = request.app.state.services()
    return built


def _accounts(svc: Annotated[Services, Depends(services)]) -> AccountService:
    return svc.accounts


def _interview(svc: Annotated[Services, Depends(services)]) -> InterviewService:
    return svc.interview


def _rate_limiter(
    request: Request, svc: Annotated[Services, Depends(services)]
) -> RateLimiter | None:
    """One limiter per application, built on first use from the services' settings."""
    state = request.app.state
    if not hasattr(state, "rate_limiter"):
        state.rate_limiter = build_rate_limiter(svc.settings)
    limiter: RateLimiter | None = state.rate_limiter
    return limiter


async def candidate(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    accounts: Annotated[AccountService, Depends(_accounts)],
    limiter: Annotated[RateLimiter | None, Depends(_rate_limiter)],
) -> str:
    """The candidate the bearer token belongs to (401 otherwise), within their request rate
    (429 with Retry-After otherwise)."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Нужен токен: Authorization: Bearer …")
    candidate_id = await run_in_threadpool(accounts.candidate_for_token, credentials.credentials)
    wait = await limiter.take(candidate_id) if limiter else 0.0
    if wait > 0:
        seconds = retry_after(wait)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Слишком много запросов. Подождите {seconds} с и повторите.",
            headers={"Retry-After": seconds},
        )
    return candidate_id


Candidate = Annotated[str, Depends(candidate)]
# Row ids fit a signed 64-bit column; a larger number from a client is a 422, not a driver error.
RowId = Annotated[int, PathParam(ge=1, le=2**63 - 1)]
Accounts = Annotated[AccountService, Depends(_accounts)]
Interview = Annotated[InterviewService, Depends(_interview)]


@router.post("/accounts", status_code=201, responses=ERRORS, tags=["accounts"])
async def register(body: Credentials, accounts: Accounts) -> TokenOut:
    """Create an account and return its first token."""
    candidate_id = await run_in_threadpool(accounts.register, body.username, body.password)
    return TokenOut(candidate_id=candidate_id, token=accounts.issue_token(candidate_id))


@router.post("/tokens", responses=ERRORS, tags=["accounts"])
async def login(body: Credentials, accounts: Accounts) -> TokenOut:
    """A new token for a username and password."""
    candidate_id = await run_in_threadpool(accounts.authenticate, body.username, body.password)
    return TokenOut(candidate_id=candidate_id, token=accounts.issue_token(candidate_id))


@router.post("/sessions", status_code=201, responses=ERRORS, tags=["interview"])
async def start_session(body: SessionIn, me: Candidate, interview: Interview) -> SessionOut:
    """Start an interview on the given topics, or on the vacancy's topics."""
    topics, weights = body.topics, None
    if not topics and body.vacancy:
        planned = await run_in_threadpool(interview.plan_topics, body.vacancy)
        topics, weights = [w.topic for w in planned], {w.topic: w.weight for w in planned}
    if not topics:
        raise HTTPException(422, "Укажите темы (topics) или текст вакансии (vacancy).")
    session_id = await run_in_threadpool(
        lambda: interview.start(
            me,
            level=body.level,
            topics=topics,
            vacancy_text=body.vacancy,
            planned_questions=body.questions,
            weights=weights,
        )
    )
    return SessionOut(session_id=session_id, topics=topics)


@router.post(
    "/sessions/{session_id}/next",
    responses=ERRORS | {204: {"description": "Вопросов больше нет"}},
    tags=["interview"],
)
async def next_question(session_id: str, me: Candidate, interview: Interview) -> QuestionOut:
    question = await run_in_threadpool(interview.ask_next, session_id, me)
    if question is None:
        raise HTTPException(status.HTTP_204_NO_CONTENT)
    return QuestionOut(
        question_id=question.id,
        topic=question.topic,
        level=question.level.value,
        question=question.question,
    )


@router.post("/sessions/{session_id}/answers", responses=ERRORS, tags=["interview"])
async def submit_answer(
    session_id: str, body: AnswerIn, me: Candidate, interview: Interview
) -> GradeOut:
    """Store the answer, then grade it; an ungradable answer is kept and gets a 422 with why."""
    result = await run_in_threadpool(
        interview.submit_answer, session_id, me, body.question_id, body.text
    )
    if result.grade is None:
        raise HTTPException(422, result.error or "Ответ не удалось оценить.")
    return GradeOut(
        answer_id=result.answer_id,
        attempt=result.attempt,
        score=result.grade.score,
        off_topic=result.grade.off_topic,
        covered_key_points=result.grade.covered_key_points,
        feedback=result.grade.feedback,
    )


@router.post("/sessions/{session_id}/finish", responses=ERRORS, tags=["interview"])
async def finish(session_id: str, me: Candidate, interview: Interview) -> SummaryOut:
    summary = await run_in_threadpool(interview.finish, session_id, me)
    return SummaryOut(
        results=[
            ResultOut(
                question_id=r.question_id,
                topic=r.topic,
                question=r.question,
                best_score=r.best_score,
                attempts=r.attempts,
                skipped=r.skipped,
            )
            for r in summary.results
        ],
        average=summary.average,
        weak_topics=summary.weak_topics,
        progress=[_progress(p) for p in summary.progress],
        recommendations=[_recommendation(i) for i in summary.study],
    )


def _progress(row: TopicProgress) -> TopicProgressOut:
    return TopicProgressOut(topic=row.topic, before=row.before, now=row.now, answered=row.answered)


def _recommendation(item: StudyItem) -> RecommendationOut:
    return RecommendationOut(
        id=item.id or 0,
        kind=item.kind,
        topic=item.topic,
        title=item.title,
        url=item.url,
        question_id=item.question_id,
        done=item.done,
    )


@router.get("/me/progress", responses=ERRORS, tags=["progress"])
async def my_progress(me: Candidate, interview: Interview) -> list[TopicProgressOut]:
    """Per-topic mean score: the latest session (now) against all earlier ones (before)."""
    return [_progress(p) for p in await run_in_threadpool(interview.progress, me)]


@router.get("/me/recommendations", responses=ERRORS, tags=["progress"])
async def my_recommendations(me: Candidate, interview: Interview) -> list[RecommendationOut]:
    """What the reports told me to study, newest session first."""
    return [_recommendation(i) for i in await run_in_threadpool(interview.study_items, me)]


@router.post(
    "/recommendations/{recommendation_id}/done",
    status_code=204,
    responses=ERRORS,
    tags=["progress"],
)
async def recommendation_done(
    recommendation_id: RowId, me: Candidate, interview: Interview
) -> Response:
    """Mark a recommendation of a report as studied."""
    await run_in_threadpool(interview.mark_done, me, recommendation_id)
    return Response(status_code=204)


@router.post("/answers/{answer_id}/rating", status_code=204, responses=ERRORS, tags=["pilot"])
async def rate_feedback(
    answer_id: RowId, body: RatingIn, me: Candidate, interview: Interview
) -> Response:
    """How useful the feedback on this answer was (1..5 and/or thumbs)."""
    await run_in_threadpool(interview.rate_feedback, me, answer_id, body.rating, body.thumbs_up)
    return Response(status_code=204)


@router.post("/sessions/{session_id}/confidence", status_code=204, responses=ERRORS, tags=["pilot"])
async def confidence(
    session_id: str, body: ConfidenceIn, me: Candidate, interview: Interview
) -> Response:
    """Self-rated confidence (1..5) at the start or the end of the session."""
    await run_in_threadpool(interview.record_confidence, session_id, me, body.moment, body.value)
    return Response(status_code=204)


@router.get("/me/export", responses=ERRORS, tags=["my data"])
async def export_my_data(me: Candidate, accounts: Accounts) -> dict[str, object]:
    """Everything stored about me: account, sessions, questions, answers and grades."""
    return await run_in_threadpool(accounts.export, me)


@router.delete("/me", status_code=204, responses=ERRORS, tags=["my data"])
async def delete_my_data(me: Candidate, accounts: Accounts) -> Response:
    """Delete my account and every answer, grade and session; tokens stop working."""
    await run_in_threadpool(accounts.delete, me)
    return Response(status_code=204)
