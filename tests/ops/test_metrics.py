"""/metrics: requests, latency, grading time, answers stored and LLM calls move as they happen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.app import create_api
from app.bootstrap import build_services
from app.config import Settings
from app.nlp.embedder import Embedder
from app.observability import Metrics
from tests.llm_server import FakeLLM, Reply
from tests.ops.conftest import account, start

ANSWER_ROUTE = "/api/v1/sessions/{session_id}/answers"


def test_requests_grading_and_answers_are_counted(client: TestClient, metrics: Metrics) -> None:
    def sample(name: str, **labels: str) -> float:
        return metrics.registry.get_sample_value(name, labels) or 0.0

    me = account(client, "olga")
    session, question = start(client, me)
    url = f"/api/v1/sessions/{session}/answers"
    empty = client.post(url, json={"question_id": question, "text": "  "}, headers=me)
    assert empty.status_code == 422  # stored, then refused by grading
    good = "Переобучение: модель запоминает шум обучающей выборки и плохо обобщает на новые данные."
    assert client.post(url, json={"question_id": question, "text": good}, headers=me).is_success

    assert sample("feedbackfirst_answers_stored_total", outcome="graded") == 1
    assert sample("feedbackfirst_answers_stored_total", outcome="rejected") == 1
    assert sample("feedbackfirst_grading_seconds_count", outcome="graded") == 1
    assert sample("feedbackfirst_grading_seconds_sum", outcome="graded") > 0
    answered = sample(
        "feedbackfirst_http_requests_total", route=ANSWER_ROUTE, method="POST", status="200"
    )
    refused = sample(
        "feedbackfirst_http_requests_total", route=ANSWER_ROUTE, method="POST", status="422"
    )
    assert answered == 1 and refused == 1
    assert (
        sample("feedbackfirst_http_request_seconds_count", route=ANSWER_ROUTE, method="POST") == 2
    )

    exposed = client.get("/metrics")
    assert exposed.status_code == 200 and exposed.headers["content-type"].startswith("text/plain")
    assert 'feedbackfirst_answers_stored_total{outcome="graded"} 1.0' in exposed.text
    assert session not in exposed.text and "olga" not in exposed.text


def test_llm_calls_and_failures_are_counted(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    metrics = Metrics()
    with FakeLLM() as llm:
        configured = settings.model_copy(
            update={"llm_base_url": llm.base_url, "llm_model": "fake-model", "llm_max_retries": 1}
        )
        services = build_services(configured, embedder, metrics)
        assert services.llm is not None
        llm.replies.extend([Reply(status=500), Reply(content="Готово")])
        text = asyncio.run(services.llm.complete([{"role": "user", "content": "привет"}]))
        probe = TestClient(create_api(lambda: services, metrics))
        assert probe.get("/ready").json()["checks"]["llm"]["state"] == "closed"
        for _ in range(configured.llm_breaker_failures):
            services.llm.breaker.failure()
        ready = probe.get("/ready")  # an open breaker is reported, never fails readiness
        assert ready.status_code == 200 and ready.json()["checks"]["llm"]["state"] == "open"
        services.engine.dispose()
    assert text == "Готово"
    assert (
        metrics.registry.get_sample_value("feedbackfirst_llm_requests_total", {"outcome": "error"})
        == 1
    )
    assert (
        metrics.registry.get_sample_value("feedbackfirst_llm_requests_total", {"outcome": "ok"})
        == 1
    )
