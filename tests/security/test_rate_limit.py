"""Per-candidate rate limiting of the API, in-process and shared through the real Redis."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_api
from app.api.ratelimit import MemoryRateLimiter, RedisRateLimiter
from app.bootstrap import Services, build_services
from app.nlp.embedder import Embedder
from tests.e2e.support import free_port
from tests.security.conftest import account, api_settings

REDIS_URL = os.environ.get("FEEDBACKFIRST_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BURST = 3


@pytest.fixture(params=["memory", "redis"])
def limited(
    request: pytest.FixtureRequest, mini_index: str, embedder: Embedder, tmp_path: Path
) -> Iterator[Services]:
    redis_url = REDIS_URL if request.param == "redis" else None
    settings = api_settings(
        f"sqlite:///{tmp_path / 'ff.db'}",
        mini_index,
        tmp_path,
        rate_limit_per_minute=6,  # one token every 10 s: the test never waits for a refill
        rate_limit_burst=BURST,
        redis_url=redis_url,
    )
    built = build_services(settings, embedder)
    yield built
    built.engine.dispose()


def _refused(response_status: int, detail: str, retry: str | None) -> bool:
    return response_status == 429 and "Слишком много запросов" in detail and retry is not None


def test_each_candidate_has_a_bucket_and_429_says_when_to_retry(limited: Services) -> None:
    # Two API workers on the same settings: with Redis they share the buckets.
    first = TestClient(create_api(lambda: limited))
    second = TestClient(create_api(lambda: limited))
    greedy, patient = account(first, "greedy"), account(first, "patient")
    statuses = [
        (second if i % 2 else first).get("/api/v1/me/progress", headers=greedy).status_code
        for i in range(BURST)
    ]
    assert statuses == [200] * BURST
    refused = first.get("/api/v1/me/progress", headers=greedy)
    shared = limited.settings.redis_url is not None
    if shared:
        again = second.get("/api/v1/me/progress", headers=greedy)
        assert _refused(again.status_code, again.json()["detail"], again.headers.get("retry-after"))
    else:
        # In-process buckets: the first worker saw only two of the requests.
        assert refused.status_code == 200
        refused = first.get("/api/v1/me/progress", headers=greedy)
    detail = refused.json()["detail"]
    assert _refused(refused.status_code, detail, refused.headers.get("retry-after"))
    assert 1 <= int(refused.headers["retry-after"]) <= 10
    assert f"{refused.headers['retry-after']} с" in detail
    assert first.get("/api/v1/me/progress", headers=patient).status_code == 200
    # Registration and login are not counted against the candidate.
    assert first.post(
        "/api/v1/tokens", json={"username": "greedy", "password": "секрет-123"}
    ).is_success


def test_memory_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(per_minute=60, burst=2, clock=lambda: now[0])

    async def takes() -> list[float]:
        return [await limiter.take("a") for _ in range(3)] + [await limiter.take("b")]

    waits = asyncio.run(takes())
    assert waits[:2] == [0.0, 0.0] and waits[2] == pytest.approx(1.0) and waits[3] == 0.0
    now[0] = 1.0
    assert asyncio.run(limiter.take("a")) == 0.0
    assert asyncio.run(limiter.take("a")) > 0


def test_redis_bucket_is_atomic_and_fails_open() -> None:
    async def burst() -> tuple[list[float], float]:
        limiter = RedisRateLimiter(REDIS_URL, per_minute=60, burst=5, prefix=f"t:{os.getpid()}:")
        key = os.urandom(8).hex()
        # 20 concurrent takes on one bucket: exactly the burst gets through.
        waits = await asyncio.gather(*(limiter.take(key) for _ in range(20)))
        limiter.close()
        down = RedisRateLimiter(f"redis://127.0.0.1:{free_port()}/0", per_minute=1, burst=1)
        unreachable = await down.take(key)
        down.close()
        return list(waits), unreachable

    waits, unreachable = asyncio.run(burst())
    assert sum(1 for w in waits if w == 0.0) == 5
    assert all(0 < w <= 16 for w in waits if w)
    assert unreachable == 0.0
