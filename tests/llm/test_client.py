"""The LLM client against a real Chat Completions server on loopback."""

import asyncio
import json
import time
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from app.llm.breaker import CircuitBreaker
from app.llm.client import LLMClient, LLMUnavailable, Usage
from tests.llm_server import FakeLLM, Reply

HELLO = [{"role": "user", "content": "Привет"}]


class Verdict(BaseModel):
    ok: bool
    reason: str


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


def _client(llm: FakeLLM, **kwargs: object) -> LLMClient:
    options: dict[str, object] = {"timeout": 2.0, "max_retries": 2, "backoff": 0.01} | kwargs
    return LLMClient(llm.base_url, "fake-model", "secret-key", **options)  # type: ignore[arg-type]


async def _collect(client: LLMClient, usage: Usage) -> list[str]:
    return [piece async for piece in client.stream(HELLO, usage)]


def test_reply_usage_and_key(llm: FakeLLM) -> None:
    llm.replies.append(Reply(content="Здравствуйте, начнём."))
    usage = Usage()
    text = asyncio.run(_client(llm).complete(HELLO, usage))
    assert text == "Здравствуйте, начнём."
    assert usage.completion_tokens == 2 and usage.prompt_tokens > 0
    assert llm.last_request.headers["authorization"] == "Bearer secret-key"


def test_stream_yields_pieces_as_they_come(llm: FakeLLM) -> None:
    llm.replies.append(Reply(content="Расскажите про переобучение.", chunk_delay=0.01))
    usage = Usage()
    pieces = asyncio.run(_collect(_client(llm), usage))
    assert len(pieces) > 3
    assert "".join(pieces) == "Расскажите про переобучение."
    assert usage.completion_tokens == 3


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retries_after_rate_limit_and_server_errors(llm: FakeLLM, status: int) -> None:
    llm.replies += [Reply(status=status), Reply(content="ok")]
    assert asyncio.run(_client(llm).complete(HELLO)) == "ok"
    assert len(llm.requests) == 2


def test_gives_up_after_retries(llm: FakeLLM) -> None:
    llm.replies += [Reply(status=500)] * 5
    with pytest.raises(LLMUnavailable):
        asyncio.run(_client(llm).complete(HELLO))
    assert len(llm.requests) == 3


def test_hanging_server_times_out(llm: FakeLLM) -> None:
    llm.replies += [Reply(hang=True)] * 3
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        asyncio.run(_client(llm, timeout=0.3, max_retries=1).complete(HELLO))
    assert time.monotonic() - started < 3.0


def test_malformed_body_is_retried_then_given_up(llm: FakeLLM) -> None:
    llm.replies += [Reply(malformed=True), Reply(content="ok")]
    assert asyncio.run(_client(llm).complete(HELLO)) == "ok"
    llm.replies += [Reply(malformed=True)] * 3
    with pytest.raises(LLMUnavailable):
        asyncio.run(_client(llm).complete(HELLO))


def test_broken_stream_is_retried_before_any_text(llm: FakeLLM) -> None:
    llm.replies += [Reply(status=500), Reply(content="Второй раз получилось.")]
    assert "".join(asyncio.run(_collect(_client(llm), Usage()))) == "Второй раз получилось."


def test_structured_reply_is_asked_again_once_when_off_schema(llm: FakeLLM) -> None:
    good = json.dumps({"ok": True, "reason": "всё верно"}, ensure_ascii=False)
    llm.replies += [Reply(content='{"ok": "может быть"}'), Reply(content=f"```json\n{good}\n```")]
    verdict = asyncio.run(_client(llm).structured(HELLO, Verdict))
    assert verdict == Verdict(ok=True, reason="всё верно")
    assert "не соответствует схеме" in llm.last_request.text
    llm.replies += [Reply(content="не JSON"), Reply(content="{}")]
    with pytest.raises(LLMUnavailable, match="schema"):
        asyncio.run(_client(llm).structured(HELLO, Verdict))


def test_breaker_stops_calls_after_repeated_failures(llm: FakeLLM) -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, cooldown=30.0, clock=lambda: now[0])
    client = _client(llm, max_retries=0, breaker=breaker)
    llm.replies += [Reply(status=500)] * 2

    async def scenario() -> tuple[int, str]:
        # One event loop for the whole scenario, as in the chat server: the client keeps its
        # connections between calls.
        for _ in range(2):
            with pytest.raises(LLMUnavailable):
                await client.complete(HELLO)
        sent = len(llm.requests)
        with pytest.raises(LLMUnavailable, match="circuit open"):
            await client.complete(HELLO)
        assert len(llm.requests) == sent == 2
        now[0] = 31.0
        llm.replies.append(Reply(content="снова работает"))
        return sent, await client.complete(HELLO)

    _, text = asyncio.run(scenario())
    assert text == "снова работает"
    assert not breaker.is_open
