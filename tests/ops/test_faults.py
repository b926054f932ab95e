"""The database restarted mid-session: the next request works and no answer is lost."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.api.app import DB_UNAVAILABLE
from app.bootstrap import Services
from app.storage.db import make_engine, normalise_url
from tests.ops.conftest import account, start

GOOD = "Переобучение: модель запоминает шум обучающей выборки и плохо обобщает на новые данные."


def _terminate_connections(url: str) -> int:
    """What a PostgreSQL restart does to the pool: every server-side connection is killed."""
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            killed = conn.scalar(
                text(
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t"
                )
            )
    finally:
        admin.dispose()
    return int(killed or 0)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_database_restart_mid_session_loses_no_answer(
    client: TestClient, database_url: str
) -> None:
    me = account(client, "petr")
    session, question = start(client, me)
    assert _terminate_connections(database_url) >= 1  # the pool held live connections

    url = f"/api/v1/sessions/{session}/answers"
    graded = client.post(url, json={"question_id": question, "text": GOOD}, headers=me)
    assert graded.status_code == 200, graded.text
    assert client.get("/ready").json()["status"] == "ready"

    _terminate_connections(database_url)
    answers = client.get("/api/v1/me/export", headers=me).json()["sessions"][0]["answers"]
    assert [(a["text"], a["status"]) for a in answers] == [(GOOD, "graded")]


def test_database_down_gives_a_russian_503(client: TestClient, services: Services) -> None:
    me = account(client, "raya")
    # Nothing listens on port 1: every query fails as during a database outage.
    services.sessions.configure(bind=make_engine("postgresql://postgres@127.0.0.1:1/none"))
    down = client.get("/api/v1/me/export", headers=me)
    assert down.status_code == 503
    assert down.json() == {"detail": DB_UNAVAILABLE}
