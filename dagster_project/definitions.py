"""The Definitions: the bank pipeline's stage assets and checks, the daily reports, their jobs
and schedules, resources."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, ScheduleDefinition, define_asset_job

from dagster_project.assets import (
    cleaned_questions,
    question_drafts,
    scraped_questions,
    served_bank,
)
from dagster_project.checks import CHECKS
from dagster_project.reports import report_assets, report_job, report_schedule
from dagster_project.resources import PipelineSettings, embedder_resource, llm_resource

ASSETS = [scraped_questions, cleaned_questions, question_drafts, served_bank]

bank_pipeline_job = define_asset_job(
    "bank_pipeline",
    selection=AssetSelection.assets(*ASSETS),
    description="Clean the scraped inputs, draft answers, rebuild the served bank.",
)
bank_pipeline_schedule = ScheduleDefinition(
    job=bank_pipeline_job, cron_schedule="0 3 * * *", execution_timezone="Europe/Moscow"
)


def resources() -> dict[str, object]:
    return {
        "pipeline_settings": PipelineSettings(),
        "embedder": embedder_resource,
        "llm": llm_resource,
    }


defs = Definitions(
    assets=[*ASSETS, *report_assets],
    asset_checks=CHECKS,
    jobs=[bank_pipeline_job, report_job],
    schedules=[bank_pipeline_schedule, report_schedule],
    resources=resources(),
)
