"""Simulated candidates on the REST API (asyncio + httpx): register, start, ask, answer, finish."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class Plan:
    users: int
    # Seconds a candidate "reads and types" between actions (uniform in this range), and the
    # window over which the candidates arrive.
    think: tuple[float, float] = (5.0, 15.0)
    ramp_up: float = 30.0
    topics: tuple[str, ...] = ("ml_basics",)
    seed: int = 7


@dataclass
class Results:
    answer_latencies: list[float] = field(default_factory=list)
    step_latencies: dict[str, list[float]] = field(default_factory=dict)
    other_latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    answers_ok: int = 0
    sessions_finished: int = 0
    started: float = 0.0
    ended: float = 0.0

    def error(self, step: str, detail: str) -> None:
        key = f"{step}: {detail}"[:120]
        self.errors[key] = self.errors.get(key, 0) + 1


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _call(
    client: httpx.AsyncClient,
    results: Results,
    step: str,
    method: str,
    url: str,
    *,
    json: object = None,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> httpx.Response | None:
    began = time.perf_counter()
    try:
        response = await client.request(method, url, json=json, headers=headers)
    except httpx.HTTPError as exc:
        results.error(step, type(exc).__name__)
        return None
    elapsed = time.perf_counter() - began
    (results.answer_latencies if step == "answer" else results.other_latencies).append(elapsed)
    results.step_latencies.setdefault(step, []).append(elapsed)
    if response.status_code != expect:
        results.error(step, f"HTTP {response.status_code} {response.text[:60]}")
        return None
    return response


async def candidate(
    client: httpx.AsyncClient,
    plan: Plan,
    index: int,
    answers: dict[str, list[str]],
    results: Results,
) -> None:
    """One candidate's visit; `answers` maps a question id to answer texts written for it."""
    rng = random.Random(plan.seed * 100_003 + index)
    await asyncio.sleep(rng.uniform(0, plan.ramp_up))
    name = f"load{plan.seed}_{index}_{rng.randrange(10**9)}"
    registered = await _call(
        client,
        results,
        "register",
        "POST",
        "/api/v1/accounts",
        json={"username": name, "password": f"load-password-{index}-{plan.seed}"},
        expect=201,
    )
    if registered is None:
        return
    auth = {"Authorization": f"Bearer {registered.json()['token']}"}
    started = await _call(
        client,
        results,
        "start",
        "POST",
        "/api/v1/sessions",
        json={"level": "junior", "topics": [rng.choice(plan.topics)], "questions": 1},
        headers=auth,
        expect=201,
    )
    if started is None:
        return
    session = started.json()["session_id"]
    await asyncio.sleep(rng.uniform(*plan.think))
    asked = await _call(
        client, results, "next", "POST", f"/api/v1/sessions/{session}/next", headers=auth
    )
    if asked is None:
        return
    question = asked.json()["question_id"]
    texts = answers.get(question) or [t for pool in answers.values() for t in pool]
    await asyncio.sleep(rng.uniform(*plan.think))
    answered = await _call(
        client,
        results,
        "answer",
        "POST",
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": rng.choice(texts)},
        headers=auth,
    )
    if answered is not None:
        results.answers_ok += 1
    await asyncio.sleep(rng.uniform(*plan.think))
    if await _call(
        client, results, "finish", "POST", f"/api/v1/sessions/{session}/finish", headers=auth
    ):
        results.sessions_finished += 1


async def run(
    base_url: str,
    plan: Plan,
    answers: dict[str, list[str]],
    request_timeout: float = 120.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Results:
    """All candidates at once over one connection pool sized for them; `transport` lets a test
    drive an in-process application."""
    results = Results()
    # Idle connections expire before uvicorn's 5 s keep-alive, else a request may race the
    # server closing its connection (a client-side ReadError, not a server failure).
    limits = httpx.Limits(
        max_connections=plan.users, max_keepalive_connections=plan.users, keepalive_expiry=3.0
    )
    async with httpx.AsyncClient(
        base_url=base_url, timeout=request_timeout, limits=limits, transport=transport
    ) as client:
        results.started = time.perf_counter()
        await asyncio.gather(
            *(candidate(client, plan, i, answers, results) for i in range(plan.users))
        )
        results.ended = time.perf_counter()
    return results
