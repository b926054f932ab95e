"""The Dagster graph materialises in process on the mini bank and a few scraped items."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dagster import materialize

from app.bank.loader import load_bank
from dagster_project.checks import CHECKS, served_topics_covered
from dagster_project.definitions import ASSETS, bank_pipeline_job, bank_pipeline_schedule, defs
from dagster_project.resources import PipelineSettings
from tests.conftest import MINI_BANK

SCRAPED = Path(__file__).resolve().parents[1] / "data" / "scraped"
MINI_TOPICS = ["ml_basics", "metrics_validation", "trees_ensembles", "deep_learning"]


def _settings(root: Path, topics: list[str]) -> PipelineSettings:
    return PipelineSettings(
        bank_dir=str(MINI_BANK),
        drafts_dir=str(root / "drafts"),
        raw_dir=str(root / "raw"),
        lancedb_uri=str(root / "lancedb"),
        interim_dir=str(root / "interim"),
        required_topics=topics,
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, embedder):
    """One in-process materialisation of every asset and check, shared by the tests below."""
    root = tmp_path_factory.mktemp("dagster")
    shutil.copytree(SCRAPED, root / "raw" / "scraped")
    resources = {
        "pipeline_settings": _settings(root, MINI_TOPICS),
        "embedder": embedder,
        "llm": None,
    }
    return root, materialize([*ASSETS, *CHECKS], resources=resources, raise_on_error=False)


def _metadata(result, key: str) -> dict[str, object]:
    (event,) = result.asset_materializations_for_node(key)
    return {k: v.value for k, v in event.metadata.items()}


def test_definitions_load_with_job_and_schedule():
    assert {a.key.to_user_string() for a in ASSETS} == {
        "scraped_questions",
        "cleaned_questions",
        "question_drafts",
        "served_bank",
    }
    assert defs.resolve_job_def(bank_pipeline_job.name) is not None
    assert bank_pipeline_schedule.cron_schedule == "0 3 * * *"
    assert len(defs.get_repository_def().asset_checks_defs_by_key) == len(CHECKS)


def test_assets_materialise_and_checks_pass(run):
    _, result = run

    assert result.success
    scraped = _metadata(result, "scraped_questions")
    assert (scraped["rows"], scraped["invalid_rows"]) == (4, 1)
    cleaned = _metadata(result, "cleaned_questions")
    assert cleaned["rows"] == 2
    assert cleaned["duplicate_rate"] == 0.5  # the bank's own question, twice
    drafts = _metadata(result, "question_drafts")
    assert drafts["skipped"] is True and drafts["rows"] == 0
    bank = _metadata(result, "served_bank")
    served = len(load_bank(MINI_BANK).questions)
    assert (bank["rows"], bank["bank_version"], bank["embedded"]) == (served, 1, served)
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(CHECKS)
    assert all(e.passed for e in evaluations)


def test_topic_check_fails_when_a_canonical_topic_is_missing(run, embedder):
    root, _ = run
    # Every canonical topic is required by default; the mini bank has four.
    result = served_topics_covered(pipeline_settings=_settings(root, []), embedder=embedder)

    assert not result.passed
    missing = result.metadata["missing_topics"].value
    assert "unsupervised" in missing and "ml_basics" not in missing
