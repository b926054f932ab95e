"""Evidently reports from the SQL store: snapshots accumulate in a workspace project, the HTML
loads in Chromium, and nothing a candidate typed about themselves leaves the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.bank.loader import load_bank
from app.bank.store import QuestionStore
from app.grading.grader import Grader
from app.grading.targets import neighbours_of
from app.interview.service import InterviewService
from app.nlp.embedder import Embedder
from app.storage import models
from app.storage.db import make_engine, make_sessionmaker
from monitoring.reports import PROJECT, Reports, build_reports, publish, save_html
from tests.conftest import MINI_BANK
from tests.monitoring.conftest import PILOT_END, SimulatedPilot

NAME = "Мирослава Звягинцева"
EMAIL = "miroslava.zv@example.org"
PHONE = "+7 916 555-12-34"
USERNAME = "zvyagintseva_m"
SECRETS = [NAME, "Звягинцева", EMAIL, PHONE, "555-12-34", USERNAME]


@pytest.fixture(scope="module")
def personal_pilot(
    simulated: SimulatedPilot,
    tmp_path_factory: pytest.TempPathFactory,
    store: QuestionStore,
    embedder: Embedder,
) -> sessionmaker[Session]:
    """The simulated pilot plus a real-looking candidate who typed their name, e-mail and phone
    into answers (and has them in the username), in the current window."""
    path = tmp_path_factory.mktemp("personal") / "ff.db"
    # The backup API, not a file copy: the store runs in WAL mode.
    with sqlite3.connect(simulated.path) as source, sqlite3.connect(path) as target:
        source.backup(target)
    sessions = make_sessionmaker(make_engine(f"sqlite:///{path}"))
    clock = [PILOT_END - timedelta(days=1)]
    service = InterviewService(
        store, Grader(embedder, neighbours_of(store)), sessions, clock=lambda: clock[0]
    )
    candidate = service.new_candidate()
    with sessions.begin() as db:
        row = db.get(models.Candidate, candidate)
        assert row is not None
        row.username = USERNAME
    session = service.start(candidate, level="junior", topics=["ml_basics"])
    question = service.ask_next(session, candidate)
    assert question is not None
    answer = f"Меня зовут {NAME}, пишите на {EMAIL} или звоните {PHONE}. " + " ".join(
        question.key_points[:2]
    )
    result = service.submit_answer(session, candidate, question.id, answer)
    assert result.grade is not None
    service.rate_feedback(candidate, result.answer_id, 5, True)
    with sessions.begin() as db:
        stored = db.get(models.Answer, result.answer_id)
        assert stored is not None
        stored.created_at = clock[0]
    return sessions


@pytest.fixture(scope="module")
def reports(personal_pilot: sessionmaker[Session]) -> Reports:
    return build_reports(personal_pilot, load_bank(MINI_BANK).questions, PILOT_END, days=7)


def test_reports_cover_drift_bank_and_pilot(reports: Reports) -> None:
    assert set(reports.snapshots) == {"drift", "bank", "pilot"}, reports.notes
    drift = reports.snapshots["drift"].dict()
    drifted = [m for m in drift["metrics"] if "ValueDrift" in m["metric_name"]]
    assert {m["config"]["column"] for m in drifted} >= {"answer_words", "score", "topic"}
    pilot = {
        m["config"]["column"]: m["value"] for m in reports.snapshots["pilot"].dict()["metrics"]
    }
    assert set(pilot) == {
        "positive_rating",
        "rating",
        "returned",
        "completed_recommendation",
        "score_gain",
        "confidence_up",
    }
    assert 0 <= pilot["returned"] <= 1 and 1 <= pilot["rating"] <= 5


def test_workspace_project_accumulates_snapshots(reports: Reports, tmp_path: Path) -> None:
    from evidently.ui.workspace import Workspace

    first = publish(reports, tmp_path / "ws")
    second = publish(reports, tmp_path / "ws")
    workspace = Workspace(str(tmp_path / "ws"))
    (project,) = workspace.search_project(PROJECT)
    assert set(map(str, workspace.list_runs(project.id))) == set(first) | set(second)
    assert len(first) == len(second) == 3
    panels = [p.title for p in workspace.get_dashboard(project.id).panels]
    assert "Метрики пилота" in panels and len(panels) == 3  # added once, with the project


def test_no_personal_data_leaves_the_store(reports: Reports, tmp_path: Path) -> None:
    publish(reports, tmp_path / "ws")
    save_html(reports, tmp_path / "html")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 6
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} found in {path}"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--headless"], headless=True
        )
        yield browser
        browser.close()


@pytest.mark.e2e
def test_report_html_renders_in_chromium_without_js_errors(
    reports: Reports, tmp_path: Path, chromium: object
) -> None:
    (path,) = [p for p in save_html(reports, tmp_path) if p.stem == "drift"]
    context = chromium.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("text=answer_words", timeout=60_000)
    assert page.locator("svg").count() > 0  # the plots were drawn
    context.close()
    assert errors == []


def test_monitor_report_command_publishes_and_writes_html(
    simulated: SimulatedPilot, tmp_path: Path, mini_index: str
) -> None:
    from typer.testing import CliRunner

    from app.cli import cli

    env = {
        "FEEDBACKFIRST_DATABASE_URL": simulated.url,
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": mini_index,
        "FEEDBACKFIRST_EVIDENTLY_WORKSPACE": str(tmp_path / "ws"),
    }
    args = ["monitor", "report", "--as-of", "2026-11-28", "--html", str(tmp_path / "html")]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "3 снимков (drift, bank, pilot)" in result.stdout
    assert sorted(p.name for p in (tmp_path / "html").iterdir()) == [
        "bank.html",
        "drift.html",
        "pilot.html",
    ]
    assert len(list((tmp_path / "ws").rglob("snapshots/*.json"))) == 3
