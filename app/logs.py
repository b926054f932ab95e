"""Structured logs: one JSON object per line, request ids, secrets scrubbed, a full disk survived."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

# Set by the request middleware; every record logged while serving a request carries it.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Request facts the middleware passes as `extra`; nothing else from a record is written.
FIELDS = ("request_id", "route", "method", "status", "duration_ms")
# A secret that slipped into a message (a header, a URL, an exception text) is masked.
_SECRETS = re.compile(
    r"(?i)((?:authorization\s*[=:]\s*)?(?:bearer|basic)\s+"
    r"|(?:password|passwd|token|api[_-]?key|secret|authorization)\s*[=:]\s*)"
    r"[^\s,;&\"']+"
)


def scrub(text: str) -> str:
    """Mask bearer tokens and key=value secrets."""
    return _SECRETS.sub(r"\1***", text)


class JsonFormatter(logging.Formatter):
    """time, level, logger, message and the request fields, as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            entry["request_id"] = rid
        for name in FIELDS[1:]:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            # The type and the frames only: exception texts may quote an answer or a password.
            entry["error"] = record.exc_info[0].__name__
            entry["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


class SafeHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that drops records it cannot write (a full disk) instead of failing."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        # logging would print a traceback per record to stderr; one count is enough.
        self.dropped += 1


def file_handler(path: Path) -> SafeHandler:
    path.parent.mkdir(parents=True, exist_ok=True)
    return SafeHandler(path.open("a", encoding="utf-8"))


def configure_logging(
    level: str = "INFO", file: Path | None = None, stream: TextIO | None = None
) -> list[SafeHandler]:
    """Send every logger (uvicorn's included) as JSON lines to stderr and, if given, a file."""
    handlers = [SafeHandler(stream or sys.stderr)]
    if file is not None:
        handlers.append(file_handler(file))
    formatter = JsonFormatter()
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)  # the root's level rules
        logger.propagate = True
    # Our middleware logs each request with its route and duration; uvicorn's would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
    return handlers
