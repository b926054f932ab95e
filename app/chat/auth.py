"""Who is chatting: password, trusted-header or OAuth sign-in, and the chat history store."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.oauth_providers import get_configured_oauth_providers
from chainlit.step import StepDict
from sqlalchemy.engine import make_url

from app.accounts.service import AccountError, NotAuthenticated
from app.bootstrap import shared_services
from app.config import VAR_DIR, Settings
from app.storage.db import normalise_url

log = logging.getLogger("feedbackfirst.chat")

SECRET_FILE = VAR_DIR / "chainlit-auth-secret"


def auth_secret(settings: Settings, path: Path = SECRET_FILE) -> str:
    """The configured secret, else one generated once and kept on disk (owner-only)."""
    if settings.chat_auth_secret is not None:
        return settings.chat_auth_secret.get_secret_value()
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret, encoding="utf-8")
    return secret


def async_url(url: str) -> str:
    """The same database through an async driver, for Chainlit's data layer."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    return parsed.render_as_string(hide_password=False)  # psycopg 3 is async as well


class ChatHistory(SQLAlchemyDataLayer):
    """Chainlit's SQL data layer that stops writing a chat whose owner deleted their data, so
    the open chat does not bring the deleted thread back."""

    def __init__(self, conninfo: str) -> None:
        super().__init__(conninfo=conninfo)
        self._forgotten: set[str] = set()

    def forget(self, thread_id: str) -> None:
        self._forgotten.add(thread_id)

    async def update_thread(self, thread_id: str, *args: Any, **kwargs: Any) -> None:
        if thread_id not in self._forgotten:
            await super().update_thread(thread_id, *args, **kwargs)

    async def create_step(self, step_dict: StepDict) -> None:
        if step_dict.get("threadId") not in self._forgotten:
            await super().create_step(step_dict)

    async def update_step(self, step_dict: StepDict) -> None:
        if step_dict.get("threadId") not in self._forgotten:
            await super().update_step(step_dict)


def _user(username: str, candidate_id: str) -> cl.User:
    return cl.User(identifier=username, metadata={"candidate_id": candidate_id})


async def _password_login(username: str, password: str) -> cl.User | None:
    accounts = (await cl.make_async(shared_services)()).accounts
    try:
        candidate_id = await cl.make_async(accounts.sign_in)(username.strip(), password)
    except (NotAuthenticated, AccountError):
        return None
    return _user(username.strip(), candidate_id)


async def _header_login(headers: dict[str, str]) -> cl.User | None:
    services = await cl.make_async(shared_services)()
    username = headers.get(services.settings.chat_auth_header.lower(), "").strip()
    if not username:
        return None
    try:
        candidate_id = await cl.make_async(services.accounts.external)(username)
    except AccountError:
        return None
    return _user(username, candidate_id)


async def _oauth_login(
    provider: str, _token: str, _raw: dict[str, str], user: cl.User, _id_token: str | None = None
) -> cl.User | None:
    accounts = (await cl.make_async(shared_services)()).accounts
    username = f"{provider}:{user.identifier}"[:64]
    try:
        return _user(username, await cl.make_async(accounts.external)(username))
    except AccountError:
        return None


def register(settings: Settings) -> None:
    """Turn on the configured sign-in and the SQL chat history (resume) for the chat."""
    if settings.chat_auth == "header":
        cl.header_auth_callback(_header_login)  # type: ignore[arg-type]
    else:
        cl.password_auth_callback(_password_login)
    if get_configured_oauth_providers():
        cl.oauth_callback(_oauth_login)
    url = async_url(settings.database_url)

    @cl.data_layer
    def _history() -> SQLAlchemyDataLayer:
        return ChatHistory(conninfo=url)


def candidate_of(user: cl.User | None) -> str | None:
    if user is None:
        return None
    value = user.metadata.get("candidate_id")
    return value if isinstance(value, str) else None
