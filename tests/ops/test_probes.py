"""/health, /ready and what they say when the database or the bank is gone."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.app import BANK_UNAVAILABLE, create_api
from app.api.health import bank_ok
from app.bootstrap import Services, prepare_bank
from app.config import Settings
from app.nlp.embedder import Embedder
from app.observability import Metrics
from tests.ops.conftest import account, start
from tests.ops.test_faults import GOOD


def test_health_and_ready_when_all_is_up(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] and body["checks"]["bank"]["ok"]
    assert body["checks"]["llm"]["state"] == "not_configured"


def test_ready_fails_when_the_database_is_unreachable(
    services: Services, metrics: Metrics, tmp_path: Path
) -> None:
    from app.storage.db import make_engine

    # A port nothing listens on: the engine cannot connect.
    services.engine = make_engine("postgresql://postgres@127.0.0.1:1/none")
    client = TestClient(create_api(lambda: services, metrics))
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == {"ok": False, "detail": "База данных недоступна."}
    assert ready.json()["checks"]["bank"]["ok"]
    assert client.get("/health").status_code == 200  # alive, just not ready


def test_ready_reports_services_that_cannot_start(metrics: Metrics) -> None:
    def broken() -> Services:
        raise RuntimeError("database refused")

    ready = TestClient(create_api(broken, metrics)).get("/ready")
    assert ready.status_code == 503
    assert "не готов" in ready.json()["detail"]


def test_missing_bank_files_fail_readiness_then_recover(
    client: TestClient, services: Services, bank_copy: Path, tmp_path: Path
) -> None:
    me = account(client, "nina")
    saved = tmp_path / "saved"
    shutil.move(bank_copy, saved)
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert "Банк вопросов недоступен" in ready.json()["checks"]["bank"]["detail"]
    assert ready.json()["checks"]["database"]["ok"]
    session = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"]}, headers=me
    ).json()["session_id"]
    down = client.post(f"/api/v1/sessions/{session}/next", headers=me)
    assert down.status_code == 503 and down.json() == {"detail": BANK_UNAVAILABLE}

    shutil.move(saved, bank_copy)  # the volume comes back
    assert client.get("/ready").status_code == 200
    session, question = start(client, me)  # the same process serves again, no restart
    graded = client.post(
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": GOOD},
        headers=me,
    )
    assert graded.status_code == 200, graded.text


def test_missing_bank_is_rebuilt_from_the_curated_yaml(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    # One database is enough here: the rebuild embeds the mini bank (~15 s).
    uri = str(tmp_path / "rebuilt")
    settings = settings.model_copy(update={"lancedb_uri": uri})
    assert not bank_ok(uri)
    # What `feedbackfirst serve` (and so a restarted container) does before serving.
    assert prepare_bank(settings, embedder) is True
    assert bank_ok(uri)
