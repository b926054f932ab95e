"""Asset checks: schemas of the stage outputs, the served bank's answers and topic coverage."""

from dagster import AssetCheckResult, AssetCheckSeverity, ResourceParam, asset_check
from pydantic import ValidationError

from app.bank.drafts import load_drafts
from app.bank.schema import TOPICS
from app.bank.store import QuestionStore
from app.nlp.embedder import Embedder
from dagster_project.assets import cleaned_questions, question_drafts, served_bank
from dagster_project.resources import PipelineSettings
from pipelines.clean import CleanItem


@asset_check(asset=cleaned_questions, description="Every cleaned row parses and has a known topic.")
def cleaned_schema(pipeline_settings: PipelineSettings) -> AssetCheckResult:
    bad = 0
    path = pipeline_settings.clean_path
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    for line in lines:
        try:
            if CleanItem.model_validate_json(line).topic not in TOPICS:
                bad += 1
        except ValidationError:
            bad += 1
    return AssetCheckResult(passed=bad == 0, metadata={"rows": len(lines), "invalid": bad})


@asset_check(asset=question_drafts, description="Every draft file parses as a bank question.")
def drafts_schema(pipeline_settings: PipelineSettings) -> AssetCheckResult:
    drafts, errors = load_drafts(pipeline_settings.settings().drafts_dir)
    return AssetCheckResult(
        passed=not errors,
        metadata={"drafts": len(drafts), "unreadable": [e.location for e in errors]},
    )


@asset_check(asset=served_bank, description="Only approved questions, none with an empty answer.")
def served_reference_answers(
    pipeline_settings: PipelineSettings, embedder: ResourceParam[Embedder]
) -> AssetCheckResult:
    store = QuestionStore(pipeline_settings.settings().lancedb_uri, embedder)
    empty = [q.id for q in store.questions if not q.reference_answer.strip()]
    unapproved = [q.id for q in store.questions if not q.served]
    return AssetCheckResult(
        passed=not empty and not unapproved,
        metadata={"served": len(store), "empty_reference": empty, "not_approved": unapproved},
    )


@asset_check(asset=served_bank, description="Every required topic has a served question.")
def served_topics_covered(
    pipeline_settings: PipelineSettings, embedder: ResourceParam[Embedder]
) -> AssetCheckResult:
    store = QuestionStore(pipeline_settings.settings().lancedb_uri, embedder)
    served = {q.topic for q in store.questions}
    missing = [t for t in pipeline_settings.topics if t not in served]
    return AssetCheckResult(
        passed=not missing,
        severity=AssetCheckSeverity.ERROR,
        metadata={"topics_covered": len(served), "missing_topics": missing},
    )


CHECKS = [cleaned_schema, drafts_schema, served_reference_answers, served_topics_covered]
