"""Schemathesis fuzzes every operation of the OpenAPI API in-process: no 5xx, ever."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.api.app import create_api
from app.bootstrap import build_services
from app.nlp.embedder import Embedder
from tests.security.conftest import account, api_settings

EXAMPLES = 40  # per operation: 13 operations in about 15 s


def test_no_operation_answers_with_a_server_error(
    mini_index: str, embedder: Embedder, tmp_path: Path
) -> None:
    # Rate limiting off: the fuzzer should reach the handlers, not the 429.
    services = build_services(
        api_settings(
            f"sqlite:///{tmp_path / 'ff.db'}", mini_index, tmp_path, rate_limit_per_minute=0
        ),
        embedder,
    )
    app = create_api(lambda: services)
    client = TestClient(app)
    auth = account(client, "fuzzer")
    # A real session, so ids drawn from it reach the deeper code paths too.
    session = client.post(
        "/api/v1/sessions", json={"level": "junior", "topics": ["ml_basics"]}, headers=auth
    ).json()["session_id"]
    question = client.post(f"/api/v1/sessions/{session}/next", headers=auth).json()["question_id"]

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in operations:
        if operation.method.upper() == "DELETE":
            continue  # deleting the account would turn every later call into a 401

        @given(case=operation.as_strategy(), real=st.booleans())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case, real: bool) -> None:
            if real and case.path_parameters and "session_id" in case.path_parameters:
                case.path_parameters["session_id"] = session
            if real and isinstance(case.body, dict) and "question_id" in case.body:
                case.body["question_id"] = question
            response = case.call(headers=auth)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        fuzz()
    assert failures == [], failures[:10]
    # The token was accepted: handlers answered, not only the authentication.
    assert {200, 201, 204} & statuses and {404, 422} <= statuses
    assert client.delete("/api/v1/me", headers=auth).status_code == 204
    services.engine.dispose()
