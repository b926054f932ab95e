"""One candidate, two sessions in the real chat: the second comes back to what the first got
wrong; the report's chart renders; recommendations are marked done; export and delete work."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.bank.loader import load_bank
from tests.conftest import MINI_BANK, TESTS_DIR
from tests.e2e.support import click, open_page, send, serve_chat

pytestmark = pytest.mark.e2e

USER, PASSWORD = "lena_ds", "correct-horse-9"
WEAK = "trees_ensembles"
DONT_KNOW = "Честно, не помню, как это устроено."


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini bank plus a second ml_basics question, so the weak topic competes for seats."""
    folder = tmp_path_factory.mktemp("bank")
    shutil.copy(MINI_BANK / "mini.yaml", folder / "mini.yaml")
    shutil.copy(TESTS_DIR / "data" / "bank_extra" / "ml_basics.yaml", folder / "extra.yaml")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bank: Path) -> Iterator[tuple[str, Path]]:
    with serve_chat(
        tmp_path_factory.mktemp("progress"),
        bank_dir=str(bank),
        questions_per_session="2",
        relearn_after_minutes="0",  # the failed question is due again at once
    ) as running:
        yield running


def _query(db_path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql, args).fetchall()


def _plan_ml_and_trees(page: Page, count: str | None = None) -> None:
    expect(page.get_by_text("Добро пожаловать в FeedbackFirst")).to_be_visible()
    click(page, "Junior")
    click(page, "Смешанное интервью")
    for title in ("Метрики и валидация", "Глубокое обучение", "Признаки и подготовка данных"):
        click(page, f"Убрать: {title}")
        expect(page.get_by_role("button", name=f"Убрать: {title}")).to_have_count(0)
    if count:
        click(page, f"Вопросов: {count}")
        expect(page.get_by_text(f"{count} вопроса.")).to_be_visible()
    click(page, "Начать интервью")


def _run_session(page: Page, db_path: Path, total: int, answer: dict[str, str]) -> list[str]:
    """Answer each question with `answer[topic]` (the reference answer when missing)."""
    references = {q.id: q.reference_answer for q in load_bank(Path(BANK_DIR[0])).questions}
    asked: list[str] = []
    for number in range(1, total + 1):
        expect(page.get_by_text(f"Вопрос {number} из {total}")).to_be_visible()
        ((question_id, topic),) = _query(
            db_path, "SELECT question_id, topic FROM asked_questions ORDER BY id DESC LIMIT 1"
        )
        asked.append(str(question_id))
        send(page, answer.get(str(topic), references[str(question_id)]))
        expect(page.get_by_text("Оценка:")).to_have_count(number)
        click(page, "Следующий вопрос")
    expect(page.get_by_text("Итоги интервью")).to_be_visible()
    return asked


def _topics(db_path: Path, ids: list[str]) -> list[str]:
    by_id = {q.id: q.topic for q in load_bank(Path(BANK_DIR[0])).questions}
    return [by_id[i] for i in ids]


BANK_DIR: list[str] = []


def test_two_sessions_of_one_candidate(
    browser: Browser, server: tuple[str, Path], bank: Path
) -> None:
    url, db_path = server
    BANK_DIR[:] = [str(bank)]

    with open_page(browser, url, USER, PASSWORD) as page:
        _plan_ml_and_trees(page)
        click(page, "2")  # confidence before the first question
        first = _run_session(page, db_path, 2, {WEAK: DONT_KNOW})
        expect(page.locator(".js-plotly-plot")).to_be_visible()
        expect(page.get_by_text("Рекомендации")).to_be_visible()
        click(page, "Сделано 1")
        expect(page.get_by_text("Отмечено: пункт 1")).to_be_visible()
        click(page, "3")  # confidence after the report
    failed = [q for q, t in zip(first, _topics(db_path, first), strict=True) if t == WEAK]
    assert len(failed) == 1

    # The candidate comes back: signs in again with the same login in a fresh browser.
    with open_page(browser, url, USER, PASSWORD) as page:
        _plan_ml_and_trees(page, count="3")
        click(page, "Пропустить")
        second = _run_session(page, db_path, 3, {})
        assert second[0] == failed[0]  # the failed question is repeated first
        weak_share = [_topics(db_path, s).count(WEAK) / len(s) for s in (first, second)]
        assert weak_share[1] > weak_share[0]  # more questions from the weak topic

        expect(page.get_by_text("Прогресс по темам")).to_be_visible()
        chart = page.locator(".js-plotly-plot")
        expect(chart).to_be_visible()
        expect(chart.locator("g.trace.bars")).to_have_count(2)  # before and now
        trees_row = page.locator("tr", has_text="Деревья и ансамбли").last
        expect(trees_row).to_contain_text("0")

        click(page, "4")
        click(page, "Скачать мои данные")
        link = page.get_by_role("link", name="feedbackfirst-my-data.json")
        expect(link).to_be_visible()
        exported = json.loads(page.request.get(str(link.get_attribute("href"))).text())
        assert exported["candidate"]["username"] == USER
        assert len(exported["sessions"]) == 2
        assert [len(s["answers"]) for s in exported["sessions"]] == [2, 3]
        done = [r for s in exported["sessions"] for r in s["recommendations"] if r["done_at"]]
        assert len(done) == 1

        click(page, "Удалить мои данные")
        click(page, "Да, удалить всё")
        expect(page.get_by_text("Ваши данные удалены")).to_be_visible()

    for table in ("candidates", "interview_sessions", "answers", "grades", "review_items"):
        assert _query(db_path, f"SELECT count(*) FROM {table}") == [(0,)], table  # noqa: S608
    assert _query(db_path, "SELECT count(*) FROM users WHERE identifier = ?", USER) == [(0,)]
    assert _query(db_path, "SELECT count(*) FROM threads") == [(0,)]


def test_a_signed_in_candidate_resumes_an_interview_from_the_history(
    browser: Browser, server: tuple[str, Path]
) -> None:
    url, _ = server
    with open_page(browser, url, "resume_me", PASSWORD) as page:
        _plan_ml_and_trees(page)
        click(page, "Пропустить")
        expect(page.get_by_text("Вопрос 1 из 2")).to_be_visible()
        send(page, DONT_KNOW)
        expect(page.get_by_text("Оценка:")).to_have_count(1)

    with open_page(browser, url, "resume_me", PASSWORD) as page:
        page.get_by_text("Junior: Основы машинного обучения, Деревья и ансамбли").first.click()
        expect(page.get_by_text(DONT_KNOW)).to_be_visible()  # the earlier chat is shown
        expect(page.get_by_text("С возвращением!")).to_be_visible()
        click(page, "Следующий вопрос")
        expect(page.get_by_text("Вопрос 2 из 2")).to_be_visible()
