"""MLflow runs of the evaluations: one small seam, so a logging failure never breaks a command."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import VAR_DIR, Settings

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

log = logging.getLogger("feedbackfirst.mlflow")

DEFAULT_TRACKING_URI = f"sqlite:///{VAR_DIR / 'mlflow.db'}"


def no_telemetry() -> None:
    """MLflow, Ragas and Evidently phone home unless told not to; our data stays here."""
    for name in ("DO_NOT_TRACK", "RAGAS_DO_NOT_TRACK", "MLFLOW_DISABLE_TELEMETRY"):
        os.environ.setdefault(name, "true")


def tracking_uri(settings: Settings) -> str:
    """The setting, else MLFLOW_TRACKING_URI, else a SQLite file under var/."""
    return (
        settings.mlflow_tracking_uri
        or os.environ.get("MLFLOW_TRACKING_URI")
        or DEFAULT_TRACKING_URI
    )


def flatten(data: Mapping[str, object], prefix: str = "") -> dict[str, float]:
    """Numeric leaves of nested metrics as `a.b.c` keys; None, text and lists are left out."""
    flat: dict[str, float] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{name}.")
        elif isinstance(value, bool):
            flat[name] = float(value)
        elif isinstance(value, int | float) and value == value:  # NaN is not a metric
            flat[name] = float(value)
    return flat


def _local_store(uri: str) -> bool:
    return uri.startswith(("sqlite:", "file:", "/")) or "://" not in uri


def _experiment_id(client: MlflowClient, name: str, uri: str, settings: Settings) -> str:
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return str(experiment.experiment_id)
    # A local store keeps artifacts next to it, not in ./mlruns of whatever the cwd is.
    location = None
    if _local_store(uri):
        settings.mlflow_artifacts.mkdir(parents=True, exist_ok=True)
        location = settings.mlflow_artifacts.resolve().as_uri()
    return str(client.create_experiment(name, artifact_location=location))


def log_run(
    settings: Settings,
    experiment: str,
    *,
    run_name: str,
    params: Mapping[str, object],
    metrics: Mapping[str, float],
    artifacts: Iterable[Path] = (),
    tags: Mapping[str, str] | None = None,
) -> str | None:
    """Log one finished run; its id, or None when MLflow is off or logging failed (warned)."""
    if not settings.mlflow_enabled:
        return None
    try:
        return _log_run(settings, experiment, run_name, params, metrics, artifacts, tags or {})
    except Exception as exc:  # noqa: BLE001 - the command's own output must not depend on MLflow
        log.warning("MLflow run not logged (%s): %s", tracking_uri(settings), exc)
        return None


def _log_run(
    settings: Settings,
    experiment: str,
    run_name: str,
    params: Mapping[str, object],
    metrics: Mapping[str, float],
    artifacts: Iterable[Path],
    tags: Mapping[str, str],
) -> str:
    no_telemetry()
    from mlflow.entities import Metric, Param, RunTag
    from mlflow.tracking import MlflowClient

    uri = tracking_uri(settings)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    client = MlflowClient(tracking_uri=uri)
    run = client.create_run(
        _experiment_id(client, experiment, uri, settings), run_name=run_name, tags=dict(tags)
    )
    run_id = str(run.info.run_id)
    now = int(time.time() * 1000)
    try:
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
            params=[Param(k, str(v)[:6000]) for k, v in params.items()],
            tags=[RunTag("feedbackfirst.command", experiment)],
        )
        for path in artifacts:
            client.log_artifact(run_id, str(path))
    except Exception:
        client.set_terminated(run_id, status="FAILED")
        raise
    client.set_terminated(run_id)
    return run_id
