"""Daily reports as Dagster assets: the pilot metrics (logged to MLflow) and the Evidently
snapshots (answer drift, bank quality, pilot) added to the monitoring workspace.

Each run builds its parts from Settings (the environment), as every process of ours does.
No `from __future__ import annotations` here: Dagster reads the context annotation at runtime.
"""

from datetime import UTC, datetime

import dagster as dg
from dagster import AssetExecutionContext
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings

GROUP = "reports"


def _sessions(settings: Settings) -> sessionmaker[Session]:
    from app.storage.db import make_engine, make_sessionmaker, upgrade

    upgrade(settings.database_url)
    return make_sessionmaker(make_engine(settings.database_url))


@dg.asset(group_name=GROUP, description="Метрики пилота с порогами и вердиктом; запуск в MLflow.")
def pilot_metrics(context: AssetExecutionContext) -> dg.MaterializeResult[None]:
    from app.pilot.metrics import pilot_report
    from app.pilot.signals import load_signals
    from evaluation.tracking import log_run

    settings = Settings()
    report = pilot_report(load_signals(_sessions(settings)))
    run_id = log_run(
        settings,
        "pilot",
        run_name=f"daily {datetime.now(UTC):%Y-%m-%d}",
        params={"since": None, "synthetic_candidates": report.synthetic_candidates},
        metrics={m.name: m.value for m in report.metrics if m.value is not None}
        | {"criteria_passed": float(report.criteria_passed), "succeeded": float(report.succeeded)},
    )
    context.log.info("pilot: %s of 4 criteria", report.criteria_passed)
    metadata: dict[str, dg.RawMetadataValue] = {
        m.name: m.value for m in report.metrics if m.value is not None
    }
    metadata |= {
        "criteria_passed": report.criteria_passed,
        "verdict": "success" if report.succeeded else "failure",
        "candidates": report.candidates,
        "mlflow_run": run_id or "",
    }
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    group_name=GROUP,
    description="Снимки Evidently (дрейф ответов, качество банка, пилот) в рабочем пространстве.",
)
def evidently_snapshots(context: AssetExecutionContext) -> dg.MaterializeResult[None]:
    from app.bank.loader import load_bank
    from monitoring.reports import build_reports, publish

    settings = Settings()
    reports = build_reports(_sessions(settings), load_bank(settings.bank_dir).questions)
    ids = publish(reports, settings.evidently_workspace)
    for note in reports.notes:
        context.log.warning(note)
    return dg.MaterializeResult(
        metadata={
            "snapshots": ", ".join(reports.snapshots),
            "snapshot_ids": ", ".join(ids),
            "workspace": str(settings.evidently_workspace),
            "skipped": "; ".join(reports.notes),
        }
    )


report_assets = [pilot_metrics, evidently_snapshots]
report_job = dg.define_asset_job(
    "daily_reports", selection=dg.AssetSelection.assets(*report_assets)
)
report_schedule = dg.ScheduleDefinition(
    job=report_job, cron_schedule="0 6 * * *", execution_timezone="UTC"
)
