"""`pilot simulate` as a user runs it (a process), then `pilot report` on what it wrote."""

import json
import os
import subprocess
import sys
from pathlib import Path

from mlflow.tracking import MlflowClient
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import MINI_BANK


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=300,
    )


def test_simulate_then_report_json_with_verdict_and_mlflow_run(tmp_path: Path) -> None:
    mlflow_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": str(tmp_path / "lancedb"),
        "FEEDBACKFIRST_EMBEDDING_CACHE": str(tmp_path / "cache.sqlite"),
        "FEEDBACKFIRST_DATABASE_URL": f"sqlite:///{tmp_path / 'ff.db'}",
        "FEEDBACKFIRST_MLFLOW_ARTIFACTS": str(tmp_path / "mlartifacts"),
        "MLFLOW_TRACKING_URI": mlflow_uri,
        "FEEDBACKFIRST_MLFLOW_TRACKING_URI": "",  # empty is unset: MLflow's own variable decides
    }
    simulated = _run(["pilot", "simulate", "--users", "3", "--start", "2026-11-01"], env)
    assert simulated.returncode == 0, simulated.stderr
    assert "3 кандидатов (synthetic)" in simulated.stdout

    # The reports in process: the same command without four more interpreter start-ups.
    def report(*args: str) -> dict[str, object]:
        result = CliRunner().invoke(cli, ["pilot", "report", "--json", *args], env=env)
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    data = report()
    assert data["candidates"] == data["synthetic_candidates"] == 3
    names = {
        "usefulness",
        "accuracy_rating",
        "return_rate",
        "recommendation_completion",
        "score_gain",
        "lower_stress",
    }
    assert set(data["metrics"]) == names
    for metric in data["metrics"].values():
        assert set(metric) >= {"value", "threshold", "pass"}
        assert metric["pass"] == (
            metric["value"] is not None and metric["value"] >= metric["threshold"]
        )
    passed = sum(c["pass"] for c in data["criteria"].values())
    assert data["criteria_passed"] == passed
    assert data["verdict"] == ("success" if passed >= 3 else "failure")

    later = report("--since", "2030-01-01")
    assert later["candidates"] == 0 and later["verdict"] == "failure"
    assert report("--real-only", "--no-mlflow")["candidates"] == 0
    assert "error" in report("--since", "вчера")

    client = MlflowClient(tracking_uri=mlflow_uri)
    experiment = client.get_experiment_by_name("pilot")
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])
    assert len(runs) == 2  # --no-mlflow logged nothing
    first = runs[0].data
    assert first.metrics["criteria_passed"] == passed
    assert first.params["threshold.usefulness"] == "0.8"
