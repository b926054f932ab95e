"""The FastAPI application: routes, probes, error mapping, and the services it is built on."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError

from app.accounts.service import AccountError, NotAuthenticated
from app.api.health import bank_ok
from app.api.health import router as health_router
from app.api.middleware import ObserveRequests
from app.api.routes import router
from app.bootstrap import Services
from app.errors import BankNotBuilt, FeedbackFirstError, InvalidAnswer, NotFound
from app.observability import Metrics

log = logging.getLogger("feedbackfirst.api")

_STATUS: dict[type[FeedbackFirstError], int] = {
    NotAuthenticated: 401,
    NotFound: 404,
    AccountError: 422,
    InvalidAnswer: 422,
    BankNotBuilt: 503,
}
DB_UNAVAILABLE = "База данных временно недоступна. Повторите через несколько секунд."
SERVER_ERROR = "Внутренняя ошибка сервиса. Попробуйте ещё раз чуть позже."
BANK_UNAVAILABLE = "Банк вопросов временно недоступен. Попробуйте через несколько минут."


def _bank_readable(request: Request) -> bool:
    try:
        services: Services = request.app.state.services()
    except Exception:
        return True  # not a bank problem: services could not be built at all
    return bank_ok(services.settings.lancedb_uri)


def create_api(services: Callable[[], Services], metrics: Metrics | None = None) -> FastAPI:
    """`services` is called per request (cached by the caller), so start-up stays instant."""
    api = FastAPI(
        title="FeedbackFirst API",
        version="1",
        description="Тренажёр ML-собеседований: сессии, вопросы, оценка ответов, мои данные.",
    )
    api.state.services = services
    api.state.metrics = metrics or Metrics()
    api.include_router(health_router)
    api.include_router(router)
    api.add_middleware(ObserveRequests, metrics=api.state.metrics)

    @api.exception_handler(FeedbackFirstError)
    async def _domain_error(_request: Request, exc: FeedbackFirstError) -> JSONResponse:
        code = next((c for kind, c in _STATUS.items() if isinstance(exc, kind)), 400)
        return JSONResponse({"detail": exc.user_message}, status_code=code)

    @api.exception_handler(OperationalError)
    @api.exception_handler(DBAPIError)
    async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database error: %s", type(exc).__name__)
        return JSONResponse({"detail": DB_UNAVAILABLE}, status_code=503)

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", type(exc).__name__)
        # LanceDB raises its own errors when its files are gone: tell the candidate what is wrong.
        if not await run_in_threadpool(_bank_readable, request):
            return JSONResponse({"detail": BANK_UNAVAILABLE}, status_code=503)
        return JSONResponse({"detail": SERVER_ERROR}, status_code=500)

    return api
