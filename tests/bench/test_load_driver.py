"""The load driver, five candidates against the API in-process (the real run is bench/load)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.api.app import create_api
from app.bank.loader import load_bank
from app.bootstrap import build_services
from app.config import Settings
from app.nlp.embedder import Embedder
from app.storage import models
from bench.load.driver import Plan, percentile, run
from bench.load.run import answer_texts
from tests.conftest import MINI_BANK


def test_five_candidates_answer_and_every_answer_is_stored(
    mini_index: str, embedder: Embedder, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ff.db'}",
        lancedb_uri=mini_index,
        bank_dir=MINI_BANK,
        embedding_cache=tmp_path / "cache.sqlite",
        _env_file=None,  # type: ignore[call-arg]
    )
    services = build_services(settings, embedder)
    texts = answer_texts(MINI_BANK)
    assert set(texts) == {q.id for q in load_bank(MINI_BANK).questions}
    plan = Plan(users=5, think=(0.0, 0.01), ramp_up=0.05, topics=("ml_basics", "deep_learning"))
    transport = httpx.ASGITransport(app=create_api(lambda: services))
    results = asyncio.run(run("http://api", plan, texts, transport=transport))

    assert results.errors == {}
    assert results.answers_ok == results.sessions_finished == 5
    assert len(results.answer_latencies) == 5 and percentile(results.answer_latencies, 95)
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(models.Grade)) == 5
        assert db.scalar(select(func.count()).select_from(models.Candidate)) == 5
    services.engine.dispose()
