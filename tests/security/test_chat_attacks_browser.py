"""XSS, SQL injection and another candidate's data in the real chat, in headless Chromium."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import click, open_page, send, serve_chat, start_ml_basics_interview

pytestmark = pytest.mark.e2e

# Each payload sets its own window flag if it ever runs; alert() would open a dialog.
XSS = [
    '<img src=x onerror="window.__xss_img=1">',
    "<script>window.__xss_script=1</script>",
    '<svg onload="window.__xss_svg=1"></svg>',
    '<iframe srcdoc="<script>parent.__xss_iframe=1</script>"></iframe>',
    '<details open ontoggle="window.__xss_toggle=1">x</details>',
    '"><script>alert(1)</script>',
    "[ссылка](javascript:window.__xss_md=1)",
]
FLAGS = ["__xss_img", "__xss_script", "__xss_svg", "__xss_iframe", "__xss_toggle", "__xss_md"]
SQLI = "Переобучение'); DROP TABLE answers;-- модель запомнила шум, OR '1'='1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serve_chat(tmp_path_factory.mktemp("attacks"), questions_per_session="2") as running:
        yield running


def _watch(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def _inert(page: Page, dialogs: list[str]) -> None:
    ran = {flag: page.evaluate(f"window.{flag}") for flag in FLAGS}
    assert all(value is None for value in ran.values()), ran
    assert dialogs == []
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("iframe[srcdoc]").count() == 0


def test_xss_in_answers_and_vacancy_is_shown_as_text(
    browser: Browser, server: tuple[str, Path]
) -> None:
    with open_page(browser, server[0]) as page:
        dialogs = _watch(page)
        expect(page.get_by_text("Добро пожаловать в FeedbackFirst")).to_be_visible()
        click(page, "Middle")
        click(page, "Вставить вакансию")
        vacancy = "Data Scientist: случайный лес и бэггинг. " + " ".join(XSS)
        send(page, vacancy)
        expect(page.get_by_text("расскажите о своём опыте")).to_be_visible()
        send(page, "Опыт: " + XSS[0] + XSS[1])
        expect(page.get_by_text("План интервью")).to_be_visible()
        click(page, "Начать интервью")
        click(page, "Пропустить")
        expect(page.get_by_text("Вопрос 1 из")).to_be_visible()

        answer = "Модель запомнила шум и плохо обобщает. " + " ".join(XSS)
        send(page, answer)
        expect(page.get_by_text("Оценка:").first).to_be_visible()
        # The payload is on the page as literal text, not as markup.
        expect(page.get_by_text(XSS[1], exact=False).first).to_be_visible()
        _inert(page, dialogs)

    with sqlite3.connect(server[1]) as db:
        stored = [row[0] for row in db.execute("SELECT text FROM answers")]
        vacancies = [row[0] for row in db.execute("SELECT vacancy_text FROM interview_sessions")]
    assert answer in stored
    assert any(v and XSS[1] in v for v in vacancies)


def test_xss_login_name_is_refused_without_running(
    browser: Browser, server: tuple[str, Path]
) -> None:
    name = '<img src=x onerror="window.__xss_img=1">'
    with open_page(browser, server[0], username=name) as page:
        dialogs = _watch(page)
        # Logins are letters, digits and . _ @ + -: the chat stays on its sign-in form.
        expect(page.get_by_role("button", name="Войти", exact=True)).to_be_visible()
        page.wait_for_timeout(500)
        expect(page.get_by_text("Добро пожаловать в FeedbackFirst")).to_have_count(0)
        _inert(page, dialogs)


def test_sql_injection_answer_is_stored_and_shown_as_text_and_private(
    browser: Browser, server: tuple[str, Path]
) -> None:
    owner = f"owner_{uuid.uuid4().hex[:8]}"
    marker = f"{SQLI} {uuid.uuid4().hex[:8]}"
    with open_page(browser, server[0], username=owner) as page:
        start_ml_basics_interview(page)
        send(page, marker)
        expect(page.get_by_text("Оценка:").first).to_be_visible()
        expect(page.get_by_text(marker).first).to_be_visible()
        owner_url = page.url

    with sqlite3.connect(server[1]) as db:
        assert db.execute("SELECT count(*) FROM answers WHERE text = ?", (marker,)).fetchone() == (
            1,
        )

    # Another candidate sees none of it, not even by opening the owner's chat address.
    with open_page(browser, server[0]) as intruder:
        expect(intruder.get_by_text("Добро пожаловать в FeedbackFirst")).to_be_visible()
        assert marker not in intruder.content()
        if "/thread/" in owner_url:
            intruder.goto(owner_url)
            intruder.wait_for_timeout(2000)
            assert marker not in intruder.content()
    # And nobody signs in as the owner without the owner's password.
    with open_page(browser, server[0], username=owner, password="не-тот-пароль") as thief:
        expect(thief.get_by_role("button", name="Войти", exact=True)).to_be_visible()
        thief.wait_for_timeout(500)
        assert marker not in thief.content()
