"""Chainlit's data layer on our database (SQLite and PostgreSQL): threads, steps, the thumbs
that reach the pilot signals, and a deleted candidate's chat that stays deleted."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from chainlit.context import init_http_context
from chainlit.types import Feedback
from chainlit.user import User

from app.accounts.service import AccountService
from app.chat.auth import ChatHistory, async_url, auth_secret
from app.config import Settings
from app.storage.db import make_engine, make_sessionmaker, upgrade


def _step(thread_id: str, **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "threadId": thread_id,
        "name": "FeedbackFirst",
        "type": "assistant_message",
        "streaming": False,
        "output": "Оценка: 6/10",
        "createdAt": "2026-12-01T10:00:00Z",
        **extra,
    }


def test_history_roundtrip_feedback_and_forgetting(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    accounts = AccountService(make_sessionmaker(engine))
    candidate = accounts.sign_in("olga_ml", "long-enough-1")
    received: list[tuple[str, int, bool]] = []

    async def scenario() -> None:
        init_http_context()  # Chainlit's step writes look up a session (an HTTP one writes at once)
        history = ChatHistory(
            async_url(database_url), on_feedback=lambda *signal: received.append(signal)
        )
        user = await history.create_user(
            User(identifier="olga_ml", metadata={"candidate_id": candidate})
        )
        assert user is not None
        thread = str(uuid.uuid4())
        await history.update_thread(thread, name="Junior: Основы", user_id=user.id, tags=["ml"])
        run = _step(thread, type="run", name="on_message")
        message = _step(thread, parentId=run["id"], metadata={"answer_id": 42})
        for step in (run, message):
            await history.create_step(step)  # type: ignore[arg-type]
        await history.upsert_feedback(Feedback(forId=str(run["id"]), value=1, threadId=thread))
        stored = await history.get_thread(thread)
        assert stored is not None and stored["name"] == "Junior: Основы"
        assert [s["output"] for s in stored["steps"] if s["type"] == "assistant_message"] == [
            "Оценка: 6/10"
        ]

        # The owner deletes their data while the chat is open: its later writes go nowhere.
        history.forget(thread)
        await asyncio.to_thread(accounts.delete, candidate)
        await history.update_thread(thread, metadata={"chat": {"stage": "deleted"}})
        await history.create_step(_step(thread))  # type: ignore[arg-type]
        assert await history.get_thread(thread) is None
        await history.engine.dispose()

    asyncio.run(scenario())
    engine.dispose()
    assert received == [(candidate, 42, True)]


def test_async_url_keeps_the_database() -> None:
    assert async_url("sqlite:///var/ff.db") == "sqlite+aiosqlite:///var/ff.db"
    assert async_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_auth_secret_from_settings_or_a_private_file(tmp_path: Path) -> None:
    configured = Settings(chat_auth_secret="from-env", _env_file=None)  # type: ignore[call-arg]
    assert auth_secret(configured, tmp_path / "secret") == "from-env"
    unset = Settings(_env_file=None)  # type: ignore[call-arg]
    first = auth_secret(unset, tmp_path / "secret")
    assert len(first) > 40 and auth_secret(unset, tmp_path / "secret") == first
    assert (tmp_path / "secret").stat().st_mode & 0o077 == 0
