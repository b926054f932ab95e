"""JSON log lines per request, with no answer text or secret, and a full disk survived."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.llm.client import LLMClient, LLMUnavailable
from app.logs import JsonFormatter, SafeHandler, configure_logging, scrub
from tests.llm_server import FakeLLM, Reply
from tests.ops.conftest import account, start

ANSWER = "Переобучение: модель запомнила обучающую выборку, ЗАМЕТНАЯ-ФРАЗА-ОТВЕТА и шум."


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = False


def test_requests_are_logged_as_json_without_answers_or_secrets(
    client: TestClient, restore_logging: None
) -> None:
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    me = account(client, "lena")
    token = me["Authorization"].removeprefix("Bearer ")
    session, question = start(client, me)
    graded = client.post(
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": ANSWER},
        headers=me | {"X-Request-ID": "probe-42"},
    )
    assert graded.status_code == 200 and graded.headers["x-request-id"] == "probe-42"
    logging.getLogger("feedbackfirst.test").warning("leaked? Authorization: Bearer %s", token)

    text = out.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert "ЗАМЕТНАЯ-ФРАЗА-ОТВЕТА" not in text and token not in text
    assert "секрет-123" not in text  # the password sent at registration
    answered = next(e for e in lines if e.get("request_id") == "probe-42")
    assert answered["route"] == "/api/v1/sessions/{session_id}/answers"
    assert answered["status"] == 200 and answered["method"] == "POST"
    assert answered["duration_ms"] > 0
    assert {"time", "level", "logger", "message"} <= set(answered)
    assert session not in answered["message"]  # the template, never the raw path
    assert all(e["request_id"] for e in lines if e["logger"] == "feedbackfirst.http")


def test_scrub_masks_tokens_and_key_values() -> None:
    text = scrub("Authorization: Bearer abc.DEF-1 password=hunter2 api_key: sk-123 fine")
    assert "abc.DEF-1" not in text and "hunter2" not in text and "sk-123" not in text
    assert text.endswith("fine")


class _FullDisk(io.TextIOBase):
    def write(self, _text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_drops_log_lines_but_requests_succeed(
    client: TestClient, restore_logging: None
) -> None:
    handlers = configure_logging("INFO", file=Path("/dev/full"), stream=_FullDisk())
    for _ in range(3):
        assert client.get("/health").status_code == 200
    me = account(client, "mark")
    session, question = start(client, me)
    graded = client.post(
        f"/api/v1/sessions/{session}/answers",
        json={"question_id": question, "text": ANSWER},
        headers=me,
    )
    assert graded.status_code == 200
    assert client.get("/api/v1/me/export", headers=me).json()["sessions"][0]["answers"]
    assert all(h.dropped >= 5 for h in handlers)  # both the stream and /dev/full refused


def test_safe_handler_formats_exceptions_by_type_only() -> None:
    out = io.StringIO()
    handler = SafeHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("feedbackfirst.test.exc")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise ValueError(ANSWER)  # as if the answer ended up in an exception's text
    except ValueError:
        logger.exception("grading failed")
    entry = json.loads(out.getvalue())
    assert entry["error"] == "ValueError" and "ЗАМЕТНАЯ-ФРАЗА-ОТВЕТА" not in out.getvalue()
    assert "test_safe_handler_formats_exceptions_by_type_only" in entry["stack"]


class _Verdict(BaseModel):
    ok: bool


def test_an_off_schema_llm_reply_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    quoted = '{"ok": "ЦИТАТА-ИЗ-ОТВЕТА-КАНДИДАТА"}'
    with FakeLLM() as llm, caplog.at_level(logging.WARNING, logger="feedbackfirst.llm"):
        llm.replies += [Reply(content=quoted), Reply(content=quoted)]
        client = LLMClient(llm.base_url, "fake-model", timeout=2.0, backoff=0.01)
        with pytest.raises(LLMUnavailable):
            asyncio.run(client.structured([{"role": "user", "content": "?"}], _Verdict))
    assert "off schema" in caplog.text and "bool_parsing" in caplog.text
    assert "ЦИТАТА" not in caplog.text


def test_uvicorn_logs_become_json_lines_too(restore_logging: None) -> None:
    out = io.StringIO()
    logging.getLogger("uvicorn.error").handlers.append(logging.StreamHandler(io.StringIO()))
    configure_logging("INFO", stream=out)
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info("GET /x 200")  # the middleware's line replaces it
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(e["logger"], e["message"]) for e in lines] == [
        ("uvicorn.error", "Started server process [42]")
    ]


def test_serve_writes_nothing_but_json_lines(tmp_path: Path) -> None:
    """The real `feedbackfirst serve` (bank build, migrations, uvicorn): a container's log must
    parse line by line, so no plain echo slips in beside the logger."""
    import urllib.request

    from tests.e2e.support import serve_chat

    with serve_chat(tmp_path) as (url, _):
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:  # noqa: S310
            assert response.status == 200
    lines = (tmp_path / "server.log").read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line)["message"] for line in lines]  # fails on a non-JSON line
    assert "Банк вопросов собран." in messages
    assert any(m.startswith("Чат: http://") for m in messages)
