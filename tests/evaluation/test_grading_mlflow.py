"""`eval grading` keeps its contract and is an MLflow run with params, metrics and artifacts,
listed by the MLflow server's REST API as the UI shows it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import MINI_BANK
from tests.evaluation.conftest import graded_rows


@dataclass(frozen=True)
class Evaluated:
    root: Path
    env: dict[str, str]
    tracking_uri: str
    result: subprocess.CompletedProcess[str]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=300,
    )


def _grading_args(dataset: Path, root: Path, tag: str) -> list[str]:
    return [
        "eval",
        "grading",
        str(dataset),
        "--output",
        str(root / f"{tag}-metrics.json"),
        "--predictions",
        str(root / f"{tag}-predictions.jsonl"),
    ]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory, graded_dataset: Path) -> Evaluated:
    root = tmp_path_factory.mktemp("mlflow")
    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    env = {
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": str(root / "lancedb"),
        "FEEDBACKFIRST_EMBEDDING_CACHE": str(root / "cache.sqlite"),
        "FEEDBACKFIRST_MLFLOW_TRACKING_URI": tracking_uri,
        "FEEDBACKFIRST_MLFLOW_ARTIFACTS": str(root / "artifacts"),
    }
    result = _run(_grading_args(graded_dataset, root, "run"), env)
    return Evaluated(root, env, tracking_uri, result)


def test_grading_run_has_params_metrics_and_artifacts(evaluated: Evaluated) -> None:
    assert evaluated.result.returncode == 0, evaluated.result.stderr
    metrics = json.loads((evaluated.root / "run-metrics.json").read_text("utf-8"))
    client = MlflowClient(tracking_uri=evaluated.tracking_uri)
    experiment = client.get_experiment_by_name("grading")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id])
    assert f"MLflow: run {run.info.run_id}" in evaluated.result.stderr
    assert run.info.status == "FINISHED"
    params = run.data.params
    assert params["embedding_model"] == metrics["embedding_model"]
    assert params["grader_version"] == metrics["grader_version"]
    assert params["dataset_sha256"] == metrics["dataset_sha256"]
    assert len(params["bank_version"]) == 64 and params["threshold.covered"] == "0.6"
    assert run.data.metrics["n"] == metrics["n"] == len(graded_rows())
    assert run.data.metrics["spearman"] == pytest.approx(metrics["spearman"])
    assert run.data.metrics["off_topic.f1"] == pytest.approx(metrics["off_topic"]["f1"])
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {
        "calibration.png",
        "confusion_matrix.png",
        "confusion_matrix.csv",
        "worst_errors.csv",
        "run-metrics.json",
        "run-predictions.jsonl",
    } <= artifacts
    local = Path(
        client.download_artifacts(run.info.run_id, "confusion_matrix.csv", str(evaluated.root))
    )
    counts = [list(map(int, line.split(",")[1:])) for line in local.read_text().splitlines()[1:]]
    assert sum(map(sum, counts)) == len(graded_rows())
    png = Path(client.download_artifacts(run.info.run_id, "calibration.png", str(evaluated.root)))
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_grading_contract_survives_a_broken_mlflow_store(
    evaluated: Evaluated, graded_dataset: Path
) -> None:
    # In process (the same command) on three rows, to spare a start-up and most grading.
    small = evaluated.root / "small.jsonl"
    small.write_text("".join(graded_dataset.read_text("utf-8").splitlines(True)[:3]), "utf-8")
    blocker = evaluated.root / "not-a-folder"
    blocker.write_text("x")
    env = evaluated.env | {"FEEDBACKFIRST_MLFLOW_TRACKING_URI": f"sqlite:///{blocker / 'm.db'}"}
    broken = CliRunner().invoke(cli, _grading_args(small, evaluated.root, "broken"), env=env)
    assert broken.exit_code == 0, broken.output
    assert "n=3" in broken.stdout and "MLflow: run" not in broken.output
    written = json.loads((evaluated.root / "broken-metrics.json").read_text("utf-8"))
    assert written["n"] == 3
    assert len((evaluated.root / "broken-predictions.jsonl").read_text().splitlines()) == 3
    client = MlflowClient(tracking_uri=evaluated.tracking_uri)
    experiment = client.get_experiment_by_name("grading")
    assert experiment is not None
    assert len(client.search_runs([experiment.experiment_id])) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mlflow_server(evaluated: Evaluated) -> Iterator[str]:
    port = _free_port()
    log = (evaluated.root / "server.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "mlflow"),
            "server",
            "--backend-store-uri",
            evaluated.tracking_uri,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true"),
        start_new_session=True,  # the server's workers go down with it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((evaluated.root / "server.log").read_text()) from None
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _api(url: str, path: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - loopback
        url + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - loopback
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_mlflow_server_lists_the_run_with_metrics_and_artifacts(
    evaluated: Evaluated, mlflow_server: str
) -> None:
    with urllib.request.urlopen(mlflow_server + "/", timeout=10) as page:  # noqa: S310
        assert page.status == 200 and b"<html" in page.read(2000).lower()
    found = _api(mlflow_server, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=grading")
    experiment_id = found["experiment"]["experiment_id"]  # type: ignore[index]
    runs = _api(mlflow_server, "/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment_id]})
    (run,) = runs["runs"]  # type: ignore[misc]
    metrics = {m["key"]: m["value"] for m in run["data"]["metrics"]}
    assert metrics["n"] == len(graded_rows()) and "quadratic_weighted_kappa" in metrics
    listed = _api(mlflow_server, f"/api/2.0/mlflow/artifacts/list?run_id={run['info']['run_id']}")
    assert {"calibration.png", "worst_errors.csv"} <= {f["path"] for f in listed["files"]}  # type: ignore[index, union-attr]
