"""The FastAPI application: routes, error mapping, and the services it is built on."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.accounts.service import AccountError, NotAuthenticated
from app.api.routes import router
from app.bootstrap import Services
from app.errors import FeedbackFirstError, InvalidAnswer, NotFound

_STATUS: dict[type[FeedbackFirstError], int] = {
    NotAuthenticated: 401,
    NotFound: 404,
    AccountError: 422,
    InvalidAnswer: 422,
}


def create_api(services: Callable[[], Services]) -> FastAPI:
    """`services` is called per request (cached by the caller), so start-up stays instant."""
    api = FastAPI(
        title="FeedbackFirst API",
        version="1",
        description="Тренажёр ML-собеседований: сессии, вопросы, оценка ответов, мои данные.",
    )
    api.state.services = services
    api.include_router(router)

    @api.exception_handler(FeedbackFirstError)
    async def _domain_error(_request: Request, exc: FeedbackFirstError) -> JSONResponse:
        code = next((c for kind, c in _STATUS.items() if isinstance(exc, kind)), 400)
        return JSONResponse({"detail": exc.user_message}, status_code=code)

    return api
