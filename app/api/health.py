"""Probes: /health (the process answers), /ready (database and bank usable), /metrics."""

from __future__ import annotations

import logging
from pathlib import Path

import lancedb
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from app.bank.store import QUESTIONS_TABLE, index_exists
from app.bootstrap import Services

router = APIRouter(tags=["service"])
log = logging.getLogger("feedbackfirst.health")

DB_DOWN = "База данных недоступна."
BANK_DOWN = "Банк вопросов недоступен: файлы индекса LanceDB не найдены или повреждены."
NOT_STARTED = "Сервис ещё не готов: не удалось подготовить базу данных или банк вопросов."


def database_ok(services: Services) -> bool:
    try:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not reachable" for a probe
        log.warning("readiness: database unreachable", exc_info=True)
        return False
    return True


def bank_ok(uri: str) -> bool:
    """The served index exists and its questions table can be read."""
    if "://" not in uri and not Path(uri).is_dir():
        return False  # connecting would create an empty folder where the volume should be
    try:
        table = lancedb.connect(uri).open_table(QUESTIONS_TABLE)
        return index_exists(uri) and table.count_rows() > 0
    except Exception:  # a half-deleted index raises from deep inside LanceDB
        log.warning("readiness: bank unreadable", exc_info=True)
        return False


def llm_state(services: Services) -> str:
    if services.llm is None:
        return "not_configured"
    return "open" if services.llm.breaker.is_open else "closed"


def readiness(services: Services) -> dict[str, object]:
    db, bank = database_ok(services), bank_ok(services.settings.lancedb_uri)
    checks: dict[str, object] = {
        "database": {"ok": db} | ({} if db else {"detail": DB_DOWN}),
        "bank": {"ok": bank} | ({} if bank else {"detail": BANK_DOWN}),
        # The chat works without the LLM (embedded feedback), so its state never fails readiness.
        "llm": {"ok": True, "state": llm_state(services)},
    }
    return {"status": "ready" if db and bank else "not_ready", "checks": checks}


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process serves requests. Touches nothing else."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "Не готов: см. checks"}})
async def ready(request: Request) -> JSONResponse:
    """Readiness: the database answers and the question bank is readable; the LLM state is
    reported but never fails it."""
    try:
        services: Services = await run_in_threadpool(request.app.state.services)
    except Exception:
        log.exception("readiness: services could not be built")
        return JSONResponse({"status": "not_ready", "detail": NOT_STARTED}, status_code=503)
    body = await run_in_threadpool(readiness, services)
    return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text exposition of this process's metrics."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
