"""A fake OpenAI-compatible Chat Completions server for tests.

It is a real HTTP server on 127.0.0.1 (FastAPI run by uvicorn in a background thread), so the
official ``openai`` client talks to it exactly as to the real API::

    with FakeLLM() as llm:
        llm.replies.append(Reply(content="Привет"))
        client = openai.OpenAI(base_url=llm.base_url, api_key="k", max_retries=0)
        ...
        assert llm.requests[-1].headers["authorization"] == "Bearer k"
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

DEFAULT_CONTENT = "Hello from FakeLLM."
DEFAULT_MODEL = "fake-model"

# OpenAI-style error ``type`` and ``code`` for the statuses tests usually script.
_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Bad request (fake).", "invalid_request_error", None),
    401: ("Incorrect API key provided (fake).", "invalid_request_error", "invalid_api_key"),
    403: ("Permission denied (fake).", "invalid_request_error", None),
    404: ("The model does not exist (fake).", "invalid_request_error", "model_not_found"),
    429: ("Rate limit reached (fake).", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request (fake).", "server_error", None),
    503: ("The engine is currently overloaded (fake).", "server_error", None),
}

Responder = Callable[[dict[str, Any]], str]


@dataclass
class Reply:
    """One scripted answer; ``content=None`` asks ``FakeLLM.responder`` (or the default text)."""

    content: str | None = None
    status: int = 200
    delay: float = 0.0
    chunk_delay: float = 0.0
    malformed: bool = False
    hang: bool = False


@dataclass
class RecordedRequest:
    """A request as the server received it; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any = None

    @property
    def text(self) -> str:
        """All message texts of a chat request, joined by newlines (for ``in`` assertions)."""
        if not isinstance(self.json, dict):
            return ""
        return "\n".join(_message_text(m) for m in self.json.get("messages") or [])


@dataclass
class FakeLLM:
    """A scripted Chat Completions server; use it as a context manager."""

    default: Reply = field(default_factory=Reply)
    responder: Responder | None = None
    models: list[str] = field(default_factory=lambda: [DEFAULT_MODEL])
    chunk_size: int = 4
    replies: list[Reply] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The ``base_url`` for ``openai.OpenAI``, e.g. ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeLLM:
        """Start the server on a free port and wait until it accepts connections."""
        config = uvicorn.Config(
            self._build_app(),
            host="127.0.0.1",
            port=0,
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="off",
            log_config=None,  # leave the test run's logging alone
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._stopping.clear()
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(target=server.run, name="fake-llm", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("FakeLLM did not start")
            time.sleep(0.002)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Stop the server; hanging and delayed requests are answered 503 at once."""
        self._stopping.set()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout=2)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=2)

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- scripting helpers -------------------------------------------------------------------

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent recorded request."""
        with self._lock:
            return self.requests[-1]

    def _record(self, request: Request, body: Any) -> None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self._lock:
            self.requests.append(
                RecordedRequest(request.method, request.url.path, headers, body),
            )

    def _next_reply(self) -> Reply:
        with self._lock:
            return self.replies.pop(0) if self.replies else self.default

    def _content(self, reply: Reply, body: dict[str, Any]) -> str:
        if reply.content is not None:
            return reply.content
        if self.responder is not None:
            return self.responder(body)
        return DEFAULT_CONTENT

    async def _sleep(self, seconds: float) -> bool:
        """Sleep without blocking the loop; return False early when the server is stopping."""
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            await asyncio.sleep(min(left, 0.05))
        return False

    # -- the app -----------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

        @app.get("/v1/models")
        async def list_models(request: Request) -> Response:
            self._record(request, None)
            return JSONResponse({"object": "list", "data": [_model(m) for m in self.models]})

        @app.get("/v1/models/{model}")
        async def get_model(model: str, request: Request) -> Response:
            self._record(request, None)
            if model not in self.models:
                return _error(404)
            return JSONResponse(_model(model))

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Response:
            raw = await request.body()
            try:
                body = json.loads(raw)
            except ValueError:
                self._record(request, raw.decode(errors="replace"))
                return _error(400, "The request body is not valid JSON.")
            self._record(request, body)
            if not isinstance(body, dict):
                return _error(400, "The request body must be a JSON object.")

            reply = self._next_reply()
            if reply.hang:
                while await self._sleep(60):
                    pass
                return _error(503, "FakeLLM is shutting down.")
            if not await self._sleep(reply.delay):
                return _error(503, "FakeLLM is shutting down.")
            if reply.status != 200:
                return _error(reply.status)

            content = self._content(reply, body)
            if body.get("stream"):
                return StreamingResponse(
                    self._stream(reply, body, content),
                    media_type="text/event-stream",
                    headers={"cache-control": "no-cache"},
                )
            if reply.malformed:
                return Response(
                    '{"id": "chatcmpl-broken", "choices": [', media_type="application/json"
                )
            return JSONResponse(_completion(body, content))

        return app

    async def _stream(self, reply: Reply, body: dict[str, Any], content: str) -> AsyncIterator[str]:
        """Server-sent events as the real API sends them, ending with ``data: [DONE]``."""
        options = body.get("stream_options") or {}
        include_usage = bool(options.get("include_usage"))
        base = {
            "id": _new_id(),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model") or DEFAULT_MODEL,
            "system_fingerprint": "fp_fake",
        }

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            data: dict[str, Any] = {**base, "choices": [choice]}
            if include_usage:
                data["usage"] = None
            return _sse(data)

        yield chunk({"role": "assistant", "content": "", "refusal": None})
        if reply.malformed:
            yield 'data: {"id": "chatcmpl-broken", "choices": [\n\n'
            return
        size = max(1, self.chunk_size)
        for start in range(0, len(content), size):
            if not await self._sleep(reply.chunk_delay):
                return
            yield chunk({"content": content[start : start + size]})
        yield chunk({}, "stop")
        if include_usage:
            yield _sse({**base, "choices": [], "usage": _usage(body, content)})
        yield "data: [DONE]\n\n"


# -- payloads --------------------------------------------------------------------------------


def _new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _message_text(message: Any) -> str:
    """The text of one chat message; ``content`` may be a string or a list of parts."""
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _tokens(text: str) -> int:
    """A rough, deterministic token count: one token per whitespace-separated word."""
    return len(text.split())


def _usage(body: dict[str, Any], content: str) -> dict[str, int]:
    prompt = sum(_tokens(_message_text(m)) for m in body.get("messages") or [])
    completion = _tokens(content)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "id": _new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model") or DEFAULT_MODEL,
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(body, content),
    }


def _model(model: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": 0, "owned_by": "fake-llm"}


def _error(status: int, message: str | None = None) -> JSONResponse:
    """An OpenAI-style error body; 429 also carries ``retry-after: 0``."""
    default, kind, code = _ERRORS.get(status, (f"HTTP {status} (fake).", "server_error", None))
    error = {"message": message or default, "type": kind, "param": None, "code": code}
    headers = {"retry-after": "0"} if status == 429 else None
    return JSONResponse({"error": error}, status_code=status, headers=headers)
