"""The API on real services with its own metrics, a copy of the mini bank it may break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_api
from app.bootstrap import Services, build_services
from app.config import Settings
from app.nlp.embedder import Embedder
from app.observability import Metrics
from tests.conftest import MINI_BANK


@pytest.fixture
def bank_copy(mini_index: str, tmp_path: Path) -> Path:
    """A private copy of the mini index: fault tests delete it."""
    target = tmp_path / "lancedb"
    shutil.copytree(mini_index, target)
    return target


@pytest.fixture
def ops_settings(database_url: str, bank_copy: Path, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        lancedb_uri=str(bank_copy),
        bank_dir=MINI_BANK,
        embedding_cache=tmp_path / "cache.sqlite",
        drafts_dir=tmp_path / "drafts",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def services(ops_settings: Settings, embedder: Embedder, metrics: Metrics) -> Iterator[Services]:
    built = build_services(ops_settings, embedder, metrics)
    yield built
    built.engine.dispose()


@pytest.fixture
def client(services: Services, metrics: Metrics) -> TestClient:
    return TestClient(create_api(lambda: services, metrics), raise_server_exceptions=False)


def account(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/accounts", json={"username": username, "password": "секрет-123"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def start(client: TestClient, me: dict[str, str]) -> tuple[str, str]:
    """A session on ml_basics and its first question's id."""
    started = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"]}, headers=me
    )
    assert started.status_code == 201, started.text
    session = started.json()["session_id"]
    question = client.post(f"/api/v1/sessions/{session}/next", headers=me)
    assert question.status_code == 200, question.text
    return session, question.json()["question_id"]
