"""Helpers of the browser tests: a chat server on a free port, a page, typing and clicking."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.conftest import MINI_BANK

CHROMIUM = os.environ.get("FEEDBACKFIRST_CHROMIUM", "/usr/bin/chromium")
TEST_PASSWORD = "secret-pass-1"  # a throwaway account of a test server
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chat server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def send(page: Page, text: str) -> None:
    box = page.locator("#chat-input")
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def click(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).last.click()


def start_ml_basics_interview(page: Page) -> None:
    """From the greeting to question 1: Junior, the topic «Основы машинного обучения», no survey."""
    expect(page.get_by_text("Добро пожаловать в FeedbackFirst")).to_be_visible()
    click(page, "Junior")
    click(page, "Выбрать тему")
    click(page, "Основы машинного обучения")
    click(page, "Начать интервью")
    click(page, "Пропустить")
    expect(page.get_by_text("Вопрос 1 из")).to_be_visible()


@contextmanager
def serve_chat(root: Path, **settings: str) -> Iterator[tuple[str, Path]]:
    """`feedbackfirst serve` on the mini bank and a fresh SQLite file under `root`; extra
    FEEDBACKFIRST_* settings by name (questions_per_session="3"). Yields (url, database path)."""
    db_path = root / "ff.db"
    port = free_port()
    env = dict(
        os.environ,
        FEEDBACKFIRST_BANK_DIR=str(MINI_BANK),
        FEEDBACKFIRST_LANCEDB_URI=str(root / "lancedb"),
        FEEDBACKFIRST_EMBEDDING_CACHE=str(root / "embedding-cache.sqlite"),
        FEEDBACKFIRST_DATABASE_URL=f"sqlite:///{db_path}",
        FEEDBACKFIRST_DRAFTS_DIR=str(root / "drafts"),
        FEEDBACKFIRST_CHAT_AUTH_SECRET="test-secret-" + "x" * 32,
    )
    env.update({f"FEEDBACKFIRST_{name.upper()}": value for name, value in settings.items()})
    with (root / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/", process)
            yield f"http://127.0.0.1:{port}", db_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def sign_in(page: Page, username: str, password: str) -> None:
    """The chat's login form; a new login creates the account."""
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()


@contextmanager
def open_page(
    browser: Browser, url: str, username: str | None = None, password: str = TEST_PASSWORD
) -> Iterator[Page]:
    """A fresh Russian-locale browser context on the chat, signed in as `username` (a new
    account per page unless given)."""
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    sign_in(page, username or f"cand_{uuid.uuid4().hex[:10]}", password)
    try:
        yield page
    finally:
        context.close()
