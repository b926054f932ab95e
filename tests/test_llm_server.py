"""The fake Chat Completions server, driven by the real ``openai`` client."""

from __future__ import annotations

import concurrent.futures
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from tests.llm_server import DEFAULT_CONTENT, FakeLLM, Reply

MESSAGES: list[Any] = [
    {"role": "system", "content": "You are an interviewer."},
    {"role": "user", "content": "What is overfitting?"},
]


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture
def client(llm: FakeLLM) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=llm.base_url, api_key="k", max_retries=0) as c:
        yield c


def test_non_streaming_reply_and_usage(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.append(Reply(content="Overfitting means memorising noise."))
    completion = client.chat.completions.create(model="gpt-test", messages=MESSAGES)

    assert completion.object == "chat.completion"
    assert completion.model == "gpt-test"
    assert completion.id.startswith("chatcmpl-")
    choice = completion.choices[0]
    assert choice.index == 0
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content == "Overfitting means memorising noise."
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == 7
    assert completion.usage.completion_tokens == 4
    assert completion.usage.total_tokens == 11


def test_queue_is_consumed_in_order_then_default(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.extend([Reply(content="one"), Reply(content="two")])
    llm.default = Reply(content="fallback")

    answers = [
        client.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content
        for _ in range(4)
    ]

    assert answers == ["one", "two", "fallback", "fallback"]
    assert llm.replies == []


def test_streaming_deltas_and_usage_chunk(llm: FakeLLM, client: openai.OpenAI) -> None:
    content = "Переобучение — это когда модель запоминает шум."
    llm.replies.append(Reply(content=content))

    stream = client.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)

    assert all(c.object == "chat.completion.chunk" for c in chunks)
    pieces = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert "".join(pieces) == content
    assert len([p for p in pieces if p]) > 3  # split into small pieces
    finish = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finish[-1] == "stop"
    assert chunks[-1].choices == []
    usage = chunks[-1].usage
    assert usage is not None
    assert usage.completion_tokens == len(content.split())
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_streaming_without_usage_has_no_usage_chunk(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.append(Reply(content="short answer", chunk_delay=0.01))
    chunks = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))

    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "short answer"


def test_streaming_raw_wire_format(llm: FakeLLM) -> None:
    llm.replies.append(Reply(content="abcdefgh"))
    body = {"model": "m", "messages": MESSAGES, "stream": True}
    with httpx.stream("POST", f"{llm.base_url}/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]

    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    data = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    assert data[0]["choices"][0]["delta"]["role"] == "assistant"
    assert data[-1]["choices"][0]["finish_reason"] == "stop"


def test_rate_limit(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.append(Reply(status=429))
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="m", messages=MESSAGES)

    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "0"
    assert caught.value.code == "rate_limit_exceeded"


def test_server_errors(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.extend([Reply(status=500), Reply(status=503)])
    with pytest.raises(openai.InternalServerError) as first:
        client.chat.completions.create(model="m", messages=MESSAGES)
    with pytest.raises(openai.InternalServerError) as second:
        client.chat.completions.create(model="m", messages=MESSAGES, stream=True)

    assert first.value.status_code == 500
    assert second.value.status_code == 503
    assert first.value.type == "server_error"


def test_malformed_body(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.append(Reply(malformed=True))
    with pytest.raises((openai.APIError, json.JSONDecodeError)):
        client.chat.completions.create(model="m", messages=MESSAGES)


def test_malformed_stream(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.replies.append(Reply(malformed=True))
    stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    with pytest.raises((openai.APIError, json.JSONDecodeError)):
        list(stream)


def test_hang_times_out_and_does_not_block_shutdown() -> None:
    with FakeLLM() as llm:
        llm.replies.append(Reply(hang=True))
        client = openai.OpenAI(base_url=llm.base_url, api_key="k", max_retries=0)
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(model="m", messages=MESSAGES, timeout=0.5)
        client.close()
        started = time.monotonic()
    assert time.monotonic() - started < 1.0


def test_hang_is_released_by_shutdown() -> None:
    errors: list[Exception] = []

    def ask(client: openai.OpenAI) -> None:
        try:
            client.chat.completions.create(model="m", messages=MESSAGES, timeout=5)
        except openai.APIError as exc:
            errors.append(exc)

    with FakeLLM() as llm:
        llm.default = Reply(hang=True)
        client = openai.OpenAI(base_url=llm.base_url, api_key="k", max_retries=0)
        waiting = threading.Thread(target=ask, args=(client,))
        waiting.start()
        time.sleep(0.3)
        assert waiting.is_alive()
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
    waiting.join(timeout=2)
    client.close()
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIStatusError | openai.APIConnectionError)


def test_delay_does_not_block_other_requests(llm: FakeLLM) -> None:
    llm.replies.append(Reply(content="slow", delay=0.6))
    body = {"model": "m", "messages": MESSAGES}
    with httpx.Client(base_url=llm.base_url) as http:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            slow = pool.submit(http.post, "/chat/completions", json=body)
            time.sleep(0.1)
            started = time.monotonic()
            fast = http.post("/chat/completions", json=body)
            fast_elapsed = time.monotonic() - started
            assert fast.json()["choices"][0]["message"]["content"] == DEFAULT_CONTENT
            assert slow.result().json()["choices"][0]["message"]["content"] == "slow"
    assert fast_elapsed < 0.4


def test_requests_are_recorded_with_headers(llm: FakeLLM, client: openai.OpenAI) -> None:
    client.chat.completions.create(model="gpt-test", messages=MESSAGES, temperature=0.2)

    assert len(llm.requests) == 1
    recorded = llm.last_request
    assert recorded.method == "POST"
    assert recorded.path == "/v1/chat/completions"
    assert recorded.headers["authorization"] == "Bearer k"
    assert recorded.json["model"] == "gpt-test"
    assert recorded.json["temperature"] == 0.2
    assert recorded.json["messages"] == MESSAGES
    assert "overfitting" in recorded.text


def test_responder_answers_from_the_prompt(llm: FakeLLM, client: openai.OpenAI) -> None:
    def echo(request: dict[str, Any]) -> str:
        return "echo: " + str(request["messages"][-1]["content"])

    llm.responder = echo
    llm.replies.append(Reply(content="scripted"))

    first = client.chat.completions.create(model="m", messages=MESSAGES)
    second = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)

    assert first.choices[0].message.content == "scripted"
    streamed = "".join(c.choices[0].delta.content or "" for c in second if c.choices)
    assert streamed == "echo: What is overfitting?"


def test_default_content_without_responder(llm: FakeLLM, client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == DEFAULT_CONTENT


def test_models(llm: FakeLLM, client: openai.OpenAI) -> None:
    llm.models = ["fake-model", "fake-mini"]
    assert [m.id for m in client.models.list()] == ["fake-model", "fake-mini"]
    assert client.models.retrieve("fake-mini").id == "fake-mini"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("missing")


def test_start_and_stop_are_fast() -> None:
    started = time.monotonic()
    with FakeLLM() as llm:
        assert llm.base_url.startswith("http://127.0.0.1:")
        assert llm.port > 0
    assert time.monotonic() - started < 1.0
