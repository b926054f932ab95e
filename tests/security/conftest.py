"""Attack tests: the API on the real services, and one headless Chromium per browser module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_api
from app.bootstrap import Services, build_services
from app.config import Settings
from app.nlp.embedder import Embedder
from tests.conftest import MINI_BANK
from tests.e2e.conftest import browser  # noqa: F401 - the module-scoped Chromium fixture


def api_settings(database_url: str, mini_index: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        database_url=database_url,
        lancedb_uri=mini_index,
        bank_dir=MINI_BANK,
        embedding_cache=tmp_path / "cache.sqlite",
        _env_file=None,  # type: ignore[call-arg]
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def sqlite_services(mini_index: str, embedder: Embedder, tmp_path: Path) -> Iterator[Services]:
    built = build_services(
        api_settings(f"sqlite:///{tmp_path / 'ff.db'}", mini_index, tmp_path), embedder
    )
    yield built
    built.engine.dispose()


@pytest.fixture
def client(sqlite_services: Services) -> TestClient:
    return TestClient(create_api(lambda: sqlite_services))


TEST_PASSWORD = "секрет-123"  # a throwaway account of a test database


def account(client: TestClient, username: str, password: str = TEST_PASSWORD) -> dict[str, str]:
    """Register `username` and return its Authorization header."""
    response = client.post("/api/v1/accounts", json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
