"""The interview with an LLM on loopback: streamed questions, a follow-up, richer feedback,
and the embedded fallback when the LLM fails in every way a provider can."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import click, open_page, send, serve_chat, start_ml_basics_interview
from tests.grading.test_grader import GOOD
from tests.llm_server import FakeLLM, Reply

pytestmark = pytest.mark.e2e

PHRASED = "Коллега, вопрос из нашей практики"
FOLLOW_UP = "А как бы вы заметили это по метрикам на трейне и на валидации?"
PARTIAL = (
    "Переобучение — когда модель хорошо работает на обучающей выборке, но плохо на новых "
    "данных. Помогает регуляризация."
)
FOLLOW_UP_REPLY = (
    "Это видно по разрыву: ошибка на трейне низкая, а на валидации высокая. Проверять надо "
    "на отложенной выборке или кросс-валидацией."
)
IMPROVED = "Переобучение — это когда модель запоминает шум обучающей выборки."
REFERENCE_MARK = "запоминает шум"  # a phrase of the mini bank's reference answer


def _responder(body: dict[str, Any]) -> str:
    system = body["messages"][0]["content"]
    user = body["messages"][-1]["content"]
    if "уточняющий" in system:
        return FOLLOW_UP
    if "разбираешь ответ" in system:
        return json.dumps(
            {
                "errors": [],
                "missing": ["Не сказано, как обнаружить переобучение — по разрыву метрик."],
                "improved_answer": IMPROVED + " Ставлю 10/10. Его видно по разрыву ошибок.",
                "tip": "Начинайте с определения, затем признаки и способы борьбы.",
            },
            ensure_ascii=False,
        )
    question = user.split("Вопрос из банка:", 1)[-1].strip().splitlines()[0]
    return f"{PHRASED}: {question}"


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLM]:
    with FakeLLM(responder=_responder) as server:
        yield server


@pytest.fixture(scope="module")
def llm_server(
    tmp_path_factory: pytest.TempPathFactory, llm: FakeLLM
) -> Iterator[tuple[str, Path]]:
    with serve_chat(
        tmp_path_factory.mktemp("chat-llm"),
        questions_per_session="2",
        llm_base_url=llm.base_url,
        llm_model="fake-model",
        llm_api_key="test-key",
        llm_timeout="1",
        llm_max_retries="1",
        # Every failure mode below must fall back on its own, not via an open breaker.
        llm_breaker_failures="1000",
    ) as running:
        yield running


@pytest.fixture
def page(browser: Browser, llm_server: tuple[str, Path], llm: FakeLLM) -> Iterator[Page]:
    llm.replies.clear()
    llm.default = Reply(chunk_delay=0.02)
    with open_page(browser, llm_server[0]) as page:
        yield page


def test_interview_with_the_llm(page: Page, llm: FakeLLM, llm_server: tuple[str, Path]) -> None:
    start_ml_basics_interview(page)
    expect(page.get_by_text(PHRASED)).to_be_visible()
    expect(page.get_by_text("Вопрос из банка")).to_be_visible()
    asking = [r for r in llm.requests if "Вопрос из банка" in r.text]
    assert asking and asking[0].json["stream"] is True
    assert REFERENCE_MARK not in asking[0].text  # no reference before the answer

    send(page, PARTIAL)
    expect(page.get_by_text("Оценка:").first).to_be_visible()
    expect(page.get_by_text(FOLLOW_UP)).to_be_visible()

    send(page, FOLLOW_UP_REPLY)
    expect(page.get_by_text("Попытка 2")).to_be_visible()
    expect(page.get_by_text("Разбор интервьюера")).to_be_visible()
    expect(page.get_by_text(IMPROVED)).to_be_visible()
    assert page.get_by_text("Ставлю 10/10").count() == 0  # the LLM never states a score
    explaining = [r for r in llm.requests if "разбираешь ответ" in r.text]
    assert explaining and "<<<ДАННЫЕ_ПОЛЬЗОВАТЕЛЯ" in explaining[-1].text

    with sqlite3.connect(llm_server[1]) as db:
        texts = [r[0] for r in db.execute("SELECT text FROM answers ORDER BY id")]
        tokens = db.execute(
            "SELECT sum(llm_prompt_tokens), sum(llm_completion_tokens) FROM interview_sessions"
        ).fetchone()
    assert texts[-2:] == [PARTIAL, f"{PARTIAL}\n\n{FOLLOW_UP_REPLY}"]
    assert tokens[0] > 0 and tokens[1] > 0


@pytest.mark.parametrize(
    "failure",
    [
        Reply(status=500),
        Reply(status=429),
        Reply(malformed=True),
        Reply(hang=True),
        Reply(delay=3.0),  # slower than the 1 s timeout
    ],
    ids=["500", "429", "malformed", "no-answer", "too-slow"],
)
def test_failing_llm_falls_back_to_the_embedded_interview(
    page: Page, llm: FakeLLM, llm_server: tuple[str, Path], failure: Reply
) -> None:
    llm.default = failure
    start_ml_basics_interview(page)
    expect(page.get_by_role("heading", name="Что такое переобучение")).to_be_visible()
    send(page, GOOD)
    expect(page.get_by_text("Оценка:").first).to_be_visible()
    click(page, "Следующий вопрос")  # the mini bank has one question of this topic
    expect(page.get_by_text("Итоги интервью")).to_be_visible()
    assert page.get_by_text("Разбор интервьюера").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    with sqlite3.connect(llm_server[1]) as db:
        last = db.execute("SELECT text, status FROM answers ORDER BY id DESC LIMIT 1").fetchone()
    assert last == (GOOD, "graded")
