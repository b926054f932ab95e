"""The REST API on the real services (mini bank, real grader), on SQLite and PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.api.app import create_api
from app.bootstrap import Services, build_services
from app.config import Settings
from app.nlp.embedder import Embedder
from app.storage import models
from tests.conftest import MINI_BANK
from tests.grading.test_grader import GOOD


@pytest.fixture
def services(
    database_url: str, mini_index: str, embedder: Embedder, tmp_path: Path
) -> Iterator[Services]:
    settings = Settings(
        database_url=database_url,
        lancedb_uri=mini_index,
        bank_dir=MINI_BANK,
        embedding_cache=tmp_path / "cache.sqlite",
        relearn_after_minutes=0,  # a failed question may come back in the very next session
        _env_file=None,  # type: ignore[call-arg]
    )
    built = build_services(settings, embedder)
    yield built
    built.engine.dispose()


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_api(lambda: services))


def _account(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/accounts", json={"username": username, "password": "секрет-123"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_accounts_and_tokens(client: TestClient) -> None:
    _account(client, "anna")
    taken = client.post("/api/v1/accounts", json={"username": "anna", "password": "другой-пароль"})
    assert taken.status_code == 422 and "занят" in taken.json()["detail"]
    short = client.post("/api/v1/accounts", json={"username": "boris", "password": "123"})
    assert short.status_code == 422 and "Пароль" in short.json()["detail"]
    wrong = client.post("/api/v1/tokens", json={"username": "anna", "password": "не тот"})
    assert wrong.status_code == 401
    right = client.post("/api/v1/tokens", json={"username": "anna", "password": "секрет-123"})
    assert right.status_code == 200 and right.json()["token"]
    assert client.get("/api/v1/me/export").status_code == 401
    bad = {"Authorization": "Bearer forged"}
    assert client.get("/api/v1/me/export", headers=bad).status_code == 401


def test_interview_export_and_delete(client: TestClient, services: Services) -> None:
    me = _account(client, "vera")
    started = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"]}, headers=me
    )
    assert started.status_code == 201
    session = started.json()["session_id"]
    question = client.post(f"/api/v1/sessions/{session}/next", headers=me).json()
    assert question["question_id"] == "ml_basics.overfitting_test"

    url = f"/api/v1/sessions/{session}/answers"
    graded = client.post(
        url, json={"question_id": question["question_id"], "text": GOOD}, headers=me
    )
    assert graded.status_code == 200 and graded.json()["score"] >= 8
    empty = client.post(
        url, json={"question_id": question["question_id"], "text": "  "}, headers=me
    )
    assert empty.status_code == 422 and "пустой" in empty.json()["detail"]

    other = _account(client, "gleb")
    assert client.post(f"/api/v1/sessions/{session}/next", headers=other).status_code == 404
    assert (
        client.post(url, json={"question_id": "x", "text": GOOD}, headers=other).status_code == 404
    )

    summary = client.post(f"/api/v1/sessions/{session}/finish", headers=me).json()
    assert summary["results"][0]["best_score"] >= 8

    export = client.get("/api/v1/me/export", headers=me).json()
    answers = export["sessions"][0]["answers"]
    assert [a["status"] for a in answers] == ["graded", "rejected"]  # the refused one is kept
    assert answers[0]["text"] == GOOD and export["candidate"]["username"] == "vera"
    assert client.get("/api/v1/me/export", headers=other).json()["sessions"] == []

    assert client.delete("/api/v1/me", headers=me).status_code == 204
    assert client.get("/api/v1/me/export", headers=me).status_code == 401
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(models.Answer)) == 0
        assert db.scalar(select(func.count()).select_from(models.InterviewSession)) == 0
        assert (
            db.scalar(select(models.Candidate.username).where(models.Candidate.username == "vera"))
            is None
        )
    assert client.get("/api/v1/me/export", headers=other).status_code == 200


def test_openapi_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/sessions", "/api/v1/me/export", "/api/v1/me"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_pilot_signals_are_stored_exported_and_private(client: TestClient) -> None:
    me, other = _account(client, "dina"), _account(client, "egor")
    session = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"]}, headers=me
    ).json()["session_id"]
    assert (
        client.post(
            f"/api/v1/sessions/{session}/confidence",
            json={"moment": "start", "value": 2},
            headers=me,
        ).status_code
        == 204
    )
    question = client.post(f"/api/v1/sessions/{session}/next", headers=me).json()["question_id"]
    answer = client.post(
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": GOOD},
        headers=me,
    ).json()["answer_id"]
    rating = f"/api/v1/answers/{answer}/rating"
    assert client.post(rating, json={"rating": 4}, headers=me).status_code == 204
    assert client.post(rating, json={"thumbs_up": True}, headers=me).status_code == 204
    assert client.post(rating, json={"rating": 9}, headers=me).status_code == 422
    assert client.post(rating, json={"rating": 1}, headers=other).status_code == 404
    client.post(
        f"/api/v1/sessions/{session}/confidence", json={"moment": "end", "value": 4}, headers=me
    )

    exported = client.get("/api/v1/me/export", headers=me).json()["sessions"][0]
    assert exported["confidence"] == {"start": 2, "end": 4}
    assert exported["answers"][0]["feedback_rating"] == {"rating": 4, "thumbs_up": True}
    assert client.delete("/api/v1/me", headers=me).status_code == 204


def test_progress_and_recommendations_of_my_own_sessions(client: TestClient) -> None:
    me, other = _account(client, "fedor"), _account(client, "galina")
    scores = []
    for text in ("Не помню, что это.", GOOD):
        session = client.post(
            "/api/v1/sessions",
            json={"level": "junior", "topics": ["ml_basics"], "questions": 1},
            headers=me,
        ).json()["session_id"]
        question = client.post(f"/api/v1/sessions/{session}/next", headers=me).json()
        client.post(
            f"/api/v1/sessions/{session}/answers",
            json={"question_id": question["question_id"], "text": text},
            headers=me,
        )
        summary = client.post(f"/api/v1/sessions/{session}/finish", headers=me).json()
        scores.append(summary["results"][0]["best_score"])
        if len(scores) == 1:
            first_plan = summary["recommendations"]
    assert first_plan and first_plan[0]["kind"] == "resource" and not first_plan[0]["done"]

    progress = client.get("/api/v1/me/progress", headers=me).json()
    assert progress == [
        {"topic": "ml_basics", "before": scores[0], "now": scores[1], "answered": 2}
    ]
    assert client.get("/api/v1/me/progress", headers=other).json() == []

    done = f"/api/v1/recommendations/{first_plan[0]['id']}/done"
    assert client.post(done, headers=other).status_code == 404
    assert client.post(done, headers=me).status_code == 204
    mine = client.get("/api/v1/me/recommendations", headers=me).json()
    assert [r["done"] for r in mine if r["id"] == first_plan[0]["id"]] == [True]
    assert client.get("/api/v1/me/recommendations", headers=other).json() == []
