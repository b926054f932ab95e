"""SQL injection, another candidate's data, oversized and binary bodies, against the real API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select

from app.api.app import create_api
from app.bootstrap import Services, build_services
from app.nlp.embedder import Embedder
from app.storage import models
from tests.grading.test_grader import GOOD
from tests.security.conftest import account, api_settings

SQLI = [
    "Robert'); DROP TABLE answers;--",
    "' OR '1'='1' --",
    '1; DELETE FROM candidates WHERE "1"="1"',
    "x' UNION SELECT username, password_hash FROM candidates --",
]


@pytest.fixture
def services(
    database_url: str, mini_index: str, embedder: Embedder, tmp_path: Path
) -> Iterator[Services]:
    built = build_services(api_settings(database_url, mini_index, tmp_path), embedder)
    yield built
    built.engine.dispose()


@pytest.fixture
def api(services: Services) -> TestClient:
    return TestClient(create_api(lambda: services))


def _session(client: TestClient, me: dict[str, str], **body: object) -> tuple[str, str]:
    started = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"], **body}, headers=me
    )
    assert started.status_code == 201, started.text
    session = started.json()["session_id"]
    question = client.post(f"/api/v1/sessions/{session}/next", headers=me).json()
    return session, question["question_id"]


def test_sql_injection_strings_are_stored_and_returned_as_text(
    api: TestClient, services: Services
) -> None:
    # Logins allow letters, digits and . _ @ + - only: SQL in a name is refused in Russian.
    refused = api.post("/api/v1/accounts", json={"username": SQLI[0], "password": "p" * 8})
    assert refused.status_code == 422 and "Логин" in refused.json()["detail"]
    name = "o.brien+sql@x"
    me = account(api, name, password=SQLI[1])
    session, question = _session(api, me, vacancy=SQLI[3] + " ищем ML-инженера")
    texts = [f"{GOOD} {payload}" for payload in SQLI]
    for text in texts:
        graded = api.post(
            f"/api/v1/sessions/{session}/answers",
            json={"question_id": question, "text": text},
            headers=me,
        )
        assert graded.status_code == 200, graded.text

    export = api.get("/api/v1/me/export", headers=me).json()
    assert export["candidate"]["username"] == name
    assert [a["text"] for a in export["sessions"][0]["answers"]] == texts
    assert export["sessions"][0]["vacancy_text"] == SQLI[3] + " ищем ML-инженера"
    # Every table is still there and holds exactly what was sent.
    assert {"answers", "candidates", "grades"} <= set(inspect(services.engine).get_table_names())
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(models.Answer)) == len(texts)
        assert db.scalar(select(func.count()).select_from(models.Candidate)) == 1
    # A password made of SQL is only ever hashed and compared.
    assert api.post("/api/v1/tokens", json={"username": name, "password": SQLI[1]}).is_success
    forged = api.post("/api/v1/tokens", json={"username": name, "password": "' OR 1=1 --"})
    assert forged.status_code == 401


def test_another_candidates_ids_look_missing_on_every_route(api: TestClient) -> None:
    owner, intruder = account(api, "owner"), account(api, "intruder")
    session, question = _session(api, owner, questions=1)
    answer = api.post(
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": "Не помню, что это."},
        headers=owner,
    ).json()["answer_id"]
    summary = api.post(f"/api/v1/sessions/{session}/finish", headers=owner).json()
    recommendation = summary["recommendations"][0]["id"]
    before = api.get("/api/v1/me/export", headers=owner).json()

    attempts = [
        ("post", f"/api/v1/sessions/{session}/next", None),
        ("post", f"/api/v1/sessions/{session}/answers", {"question_id": question, "text": GOOD}),
        ("post", f"/api/v1/sessions/{session}/finish", None),
        ("post", f"/api/v1/sessions/{session}/confidence", {"moment": "end", "value": 5}),
        ("post", f"/api/v1/answers/{answer}/rating", {"rating": 1}),
        ("post", f"/api/v1/recommendations/{recommendation}/done", None),
    ]
    for method, url, body in attempts:
        refused = api.request(method, url, json=body, headers=intruder)
        assert refused.status_code == 404, (url, refused.text)
        assert refused.json()["detail"] == "Не найдено."
        anonymous = api.request(method, url, json=body)
        assert anonymous.status_code == 401, url
    # "me" routes only ever reach the caller's own data.
    assert api.get("/api/v1/me/export", headers=intruder).json()["sessions"] == []
    assert api.get("/api/v1/me/progress", headers=intruder).json() == []
    assert api.get("/api/v1/me/recommendations", headers=intruder).json() == []
    assert api.delete("/api/v1/me", headers=intruder).status_code == 204
    assert api.get("/api/v1/me/export", headers=owner).json() == before


def _post_raw(client: TestClient, url: str, body: bytes, me: dict[str, str]) -> dict[str, object]:
    response = client.post(url, content=body, headers=me | {"Content-Type": "application/json"})
    assert response.status_code in {400, 422}, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and any("а" <= ch <= "я" for ch in detail.lower()), detail
    return {"status": response.status_code, "detail": detail}


def test_oversized_and_binary_bodies_are_refused_in_russian(
    client: TestClient, sqlite_services: Services
) -> None:
    me = account(client, "mallory")
    session, question = _session(client, me)
    url = f"/api/v1/sessions/{session}/answers"
    limit = sqlite_services.settings.max_answer_chars

    over_service = client.post(
        url, json={"question_id": question, "text": "слово " * (limit // 6 + 10)}, headers=me
    )
    assert over_service.status_code == 422 and "слишком длинный" in over_service.json()["detail"]
    over_api = client.post(url, json={"question_id": question, "text": "а" * 20_001}, headers=me)
    assert over_api.status_code == 422
    assert "слишком длинное" in over_api.json()["detail"] and "20000" in over_api.json()["detail"]

    nul = _post_raw(
        client, url, b'{"question_id": "%s", "text": "abc\\u0000def"}' % question.encode(), me
    )
    assert "двоичные" in str(nul["detail"])
    raw_nul = _post_raw(client, url, b'{"question_id": "x", "text": "a\x00b"}', me)
    assert raw_nul["status"] in {400, 422}
    invalid_utf8 = _post_raw(client, url, b'{"question_id": "x", "text": "\xff\xfe\xc3("}', me)
    assert "UTF-8" in str(invalid_utf8["detail"])
    garbage = _post_raw(client, url, bytes(range(256)), me)
    assert garbage["status"] in {400, 422}
    _post_raw(client, url, b'{"question_id": "x"', me)  # truncated JSON
    long_name = client.post("/api/v1/accounts", json={"username": "u" * 65, "password": "p" * 8})
    assert long_name.status_code == 422 and "логин" in long_name.json()["detail"]
    nul_name = client.post("/api/v1/accounts", json={"username": "ev\x00e", "password": "p" * 8})
    assert nul_name.status_code == 422 and "двоичные" in nul_name.json()["detail"]
    vacancy = client.post("/api/v1/sessions", json={"vacancy": "ML " * 20_000}, headers=me)
    assert vacancy.status_code == 422 and "вакансии" in vacancy.json()["detail"]

    # Nothing was stored from the refused bodies, except the service-refused answer it keeps.
    with sqlite_services.sessions() as db:
        statuses = db.scalars(select(models.Answer.status)).all()
    assert statuses == ["rejected"]
    # And the service still works.
    fine = client.post(url, json={"question_id": question, "text": GOOD}, headers=me)
    assert fine.status_code == 200 and fine.json()["score"] >= 8
