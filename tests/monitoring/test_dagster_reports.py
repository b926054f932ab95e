"""The daily report assets materialise in process on a small simulated pilot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from mlflow.tracking import MlflowClient

from dagster_project.reports import report_assets, report_job, report_schedule
from tests.conftest import MINI_BANK
from tests.monitoring.conftest import SimulatedPilot


def test_schedule_runs_the_report_job_daily() -> None:
    assert report_schedule.cron_schedule == "0 6 * * *"
    assert report_schedule.job_name == report_job.name
    assert {a.key.path[-1] for a in report_assets} == {"pilot_metrics", "evidently_snapshots"}


def test_report_assets_materialise_on_a_simulated_pilot(
    simulated: SimulatedPilot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_index: str
) -> None:
    database = tmp_path / "ff.db"
    with sqlite3.connect(simulated.path) as source, sqlite3.connect(database) as target:
        source.backup(target)
    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    for name, value in {
        "FEEDBACKFIRST_DATABASE_URL": f"sqlite:///{database}",
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": mini_index,
        "FEEDBACKFIRST_MLFLOW_TRACKING_URI": tracking,
        "FEEDBACKFIRST_MLFLOW_ARTIFACTS": str(tmp_path / "artifacts"),
        "FEEDBACKFIRST_EVIDENTLY_WORKSPACE": str(tmp_path / "evidently"),
    }.items():
        monkeypatch.setenv(name, value)

    result = dg.materialize(report_assets)
    assert result.success
    pilot = result.asset_materializations_for_node("pilot_metrics")[0].metadata
    assert pilot["candidates"].value == 8
    assert pilot["verdict"].value in {"success", "failure"}
    snapshots = result.asset_materializations_for_node("evidently_snapshots")[0].metadata
    assert "bank" in snapshots["snapshots"].value and "pilot" in snapshots["snapshots"].value

    client = MlflowClient(tracking_uri=tracking)
    experiment = client.get_experiment_by_name("pilot")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.data.metrics["criteria_passed"] == pilot["criteria_passed"].value
    written = list((tmp_path / "evidently").rglob("snapshots/*.json"))
    assert len(written) == len(snapshots["snapshots"].value.split(", "))
