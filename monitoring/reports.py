"""Evidently reports from the SQL store, and a workspace whose project accumulates them.

Three snapshots per run: drift of answers (length, score, topic, rating) between a reference
window and the current one, data quality of the bank, and the pilot metrics with their
thresholds as tests. The frames hold pseudonymous ids and numbers only (monitoring/frames.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from app.bank.schema import Question
from app.pilot import metrics as pilot
from app.pilot.signals import load_signals
from evaluation.tracking import no_telemetry
from monitoring.frames import answers_frame, bank_frame, pilot_frame, window

if TYPE_CHECKING:
    from evidently import Report
    from evidently.core.report import Snapshot
    from evidently.ui.workspace import Project

PROJECT = "FeedbackFirst"
PROJECT_DESCRIPTION = "Ответы, банк вопросов и метрики пилота (только псевдонимные id и числа)."
# Fewer answers than this in a window say nothing about drift.
MIN_ROWS = 5
DRIFT_COLUMNS = ["answer_words", "answer_chars", "score", "topic", "rating"]


@dataclass
class Reports:
    as_of: datetime
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _drift_report() -> Report:
    from evidently import Report
    from evidently.presets import DataDriftPreset

    return Report([DataDriftPreset(columns=DRIFT_COLUMNS)])


def drift_snapshot(
    sessions: sessionmaker[Session], as_of: datetime, days: int, reports: Reports
) -> None:
    """Current window: the last `days` days; reference: the `days` before it, or all earlier
    answers when that window is too thin."""
    from evidently import DataDefinition, Dataset

    frame = answers_frame(sessions)
    current_start = as_of - timedelta(days=days)
    current = window(frame, current_start, as_of)
    reference = window(frame, current_start - timedelta(days=days), current_start)
    if len(reference) < MIN_ROWS:
        reference = window(frame, datetime.min.replace(tzinfo=UTC), current_start)
    if len(current) < MIN_ROWS or len(reference) < MIN_ROWS:
        reports.notes.append(
            f"drift: too few answers (current {len(current)}, reference {len(reference)})"
        )
        return
    definition = DataDefinition(
        id_column="answer_id",
        numerical_columns=["answer_words", "answer_chars", "score", "rating"],
        categorical_columns=["topic"],
    )
    columns = ["answer_id", *DRIFT_COLUMNS]
    with warnings.catch_warnings():
        # Chi-square on a topic absent from one window divides by zero; the test still decides.
        warnings.simplefilter("ignore", RuntimeWarning)
        reports.snapshots["drift"] = _drift_report().run(
            Dataset.from_pandas(current[columns], data_definition=definition),
            Dataset.from_pandas(reference[columns], data_definition=definition),
            timestamp=as_of.replace(tzinfo=None),
            name=f"Дрейф ответов {as_of:%Y-%m-%d}",
            tags=["drift"],
        )


def bank_snapshot(questions: list[Question], as_of: datetime, reports: Reports) -> None:
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import MinValue
    from evidently.presets import DataSummaryPreset
    from evidently.tests import gte

    frame = bank_frame(questions)
    definition = DataDefinition(
        id_column="question_id",
        numerical_columns=[
            "question_chars",
            "reference_words",
            "key_points",
            "misconceptions",
            "resources",
            "follow_ups",
        ],
        categorical_columns=["topic", "level", "source", "review_status"],
    )
    report = Report(
        [
            DataSummaryPreset(),
            # The schema's own floors: a question needs three key points and a real reference.
            MinValue(column="key_points", tests=[gte(3)]),
            MinValue(column="reference_words", tests=[gte(25)]),
        ]
    )
    reports.snapshots["bank"] = report.run(
        Dataset.from_pandas(frame, data_definition=definition),
        None,
        timestamp=as_of.replace(tzinfo=None),
        name=f"Банк вопросов {as_of:%Y-%m-%d}",
        tags=["bank"],
    )


def pilot_snapshot(sessions: sessionmaker[Session], as_of: datetime, reports: Reports) -> None:
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import MeanValue
    from evidently.tests import gte

    frame = pilot_frame(load_signals(sessions))
    thresholds = {
        "positive_rating": pilot.USEFULNESS,
        "rating": pilot.ACCURACY,
        "returned": pilot.RETURN,
        "completed_recommendation": pilot.RECOMMENDATION,
        "score_gain": pilot.SCORE_GAIN,
        "confidence_up": pilot.STRESS,
    }
    present = [c for c in thresholds if frame[c].notna().any()]
    if not present:
        reports.notes.append("pilot: no signals yet")
        return
    definition = DataDefinition(id_column="candidate_id", numerical_columns=list(thresholds))
    report = Report([MeanValue(column=c, tests=[gte(thresholds[c])]) for c in present])
    reports.snapshots["pilot"] = report.run(
        Dataset.from_pandas(frame, data_definition=definition),
        None,
        timestamp=as_of.replace(tzinfo=None),
        name=f"Метрики пилота {as_of:%Y-%m-%d}",
        tags=["pilot"],
    )


def build_reports(
    sessions: sessionmaker[Session],
    questions: list[Question],
    as_of: datetime | None = None,
    days: int = 7,
) -> Reports:
    no_telemetry()
    reports = Reports(as_of or datetime.now(UTC))
    drift_snapshot(sessions, reports.as_of, days, reports)
    bank_snapshot(questions, reports.as_of, reports)
    pilot_snapshot(sessions, reports.as_of, reports)
    return reports


PILOT_LEGENDS = {
    "positive_rating": "полезность (доля 👍)",
    "rating": "оценка 1-5",
    "returned": "вернулись",
    "completed_recommendation": "выполнили рекомендацию",
    "score_gain": "прирост балла",
    "confidence_up": "уверенность выросла",
}


def _add_panels(project: Project) -> None:
    """The dashboard over time: pilot metrics, drifted share and drift of each answer column."""
    from evidently.sdk.models import PanelMetric
    from evidently.sdk.panels import counter_panel, line_plot_panel

    project.dashboard.add_panel(
        counter_panel(
            title="Доля дрейфующих колонок ответов",
            size="half",
            values=[
                PanelMetric(
                    legend="доля",
                    metric="DriftedColumnsCount",
                    metric_labels={"value_type": "share"},
                )
            ],
        )
    )
    project.dashboard.add_panel(
        line_plot_panel(
            title="Дрейф ответов по колонкам",
            size="half",
            values=[
                PanelMetric(legend=c, metric="ValueDrift", metric_labels={"column": c})
                for c in DRIFT_COLUMNS
            ],
        )
    )
    project.dashboard.add_panel(
        line_plot_panel(
            title="Метрики пилота",
            values=[
                PanelMetric(legend=legend, metric="MeanValue", metric_labels={"column": column})
                for column, legend in PILOT_LEGENDS.items()
            ],
        )
    )


def publish(reports: Reports, workspace: Path, project_name: str = PROJECT) -> list[str]:
    """Add the snapshots to the workspace's project (created once, with its dashboard)."""
    from evidently.ui.workspace import Workspace

    workspace.mkdir(parents=True, exist_ok=True)
    ws = Workspace(str(workspace))
    found = ws.search_project(project_name)
    if found:
        project = found[0]
    else:
        project = ws.create_project(project_name, PROJECT_DESCRIPTION)
        _add_panels(project)
    return [str(ws.add_run(project.id, snapshot).id) for snapshot in reports.snapshots.values()]


def save_html(reports: Reports, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, snapshot in reports.snapshots.items():
        path = folder / f"{name}.html"
        snapshot.save_html(str(path))
        paths.append(path)
    return paths
