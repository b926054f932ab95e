"""One asset per pipeline stage, with row counts, duplicate rate and topic coverage."""

from collections import Counter

from dagster import AssetExecutionContext, MaterializeResult, ResourceParam, asset

from app.bank.build import load_sources
from app.bank.drafts import load_drafts
from app.llm.client import LLMClient
from app.nlp.embedder import Embedder
from dagster_project.resources import PipelineSettings
from pipelines.augment import augment
from pipelines.clean import CleanItem, clean
from pipelines.items import ScrapedItem, read_items, scraped_files, write_jsonl
from pipelines.load import load_bank_index

GROUP = "bank"


@asset(group_name=GROUP, description="Scraped questions under data/raw (JSONL of the spiders).")
def scraped_questions(
    context: AssetExecutionContext, pipeline_settings: PipelineSettings
) -> list[ScrapedItem]:
    files = scraped_files(pipeline_settings.settings().raw_dir)
    items, invalid = read_items(files)
    context.add_output_metadata(
        {
            "rows": len(items),
            "invalid_rows": invalid,
            "files": len(files),
            "by_spider": dict(Counter(i.spider for i in items)),
        }
    )
    return items


@asset(group_name=GROUP, description="Normalised, de-duplicated questions with topic and level.")
def cleaned_questions(
    context: AssetExecutionContext,
    pipeline_settings: PipelineSettings,
    embedder: ResourceParam[Embedder],
    scraped_questions: list[ScrapedItem],
) -> list[CleanItem]:
    settings = pipeline_settings.settings()
    bank = load_sources(settings.bank_dir, settings.drafts_dir).questions
    kept, report = clean(scraped_questions, bank, embedder)
    write_jsonl(pipeline_settings.clean_path, kept)
    context.add_output_metadata(
        {
            "rows": report.kept,
            "input_rows": report.input,
            "duplicate_rate": report.duplicate_rate,
            "junk": sum(report.junk.values()),
            "topics_covered": len(report.by_topic),
            "by_topic": report.by_topic,
            "by_language": report.by_language,
        }
    )
    return kept


@asset(group_name=GROUP, description="LLM drafts of reference answers, pending review.")
def question_drafts(
    context: AssetExecutionContext,
    pipeline_settings: PipelineSettings,
    llm: ResourceParam[LLMClient | None],
    cleaned_questions: list[CleanItem],
) -> list[str]:
    drafts_dir = pipeline_settings.settings().drafts_dir
    report = augment(cleaned_questions, llm, drafts_dir)
    drafts, errors = load_drafts(drafts_dir)
    context.add_output_metadata(
        report.to_json()
        | {
            "rows": len(drafts),
            "pending": sum(d.question.review_status.value == "pending" for d in drafts),
            "unreadable": len(errors),
        }
    )
    return [d.question.id for d in drafts]


@asset(
    group_name=GROUP,
    deps=[question_drafts],
    description="The served LanceDB bank: curated + approved drafts, a new version per build.",
)
def served_bank(
    pipeline_settings: PipelineSettings, embedder: ResourceParam[Embedder]
) -> MaterializeResult:  # type: ignore[type-arg]
    settings = pipeline_settings.settings()
    report = load_bank_index(settings.bank_dir, settings.drafts_dir, settings.lancedb_uri, embedder)
    v = report.build.version
    missing = [t for t in pipeline_settings.topics if t not in report.by_topic]
    return MaterializeResult(
        metadata={
            "rows": v.questions,
            "bank_version": v.version,
            "embedded": v.embedded,
            "reused": v.reused,
            "topics_covered": len(report.by_topic),
            "missing_topics": missing,
            "pending_drafts": report.pending_drafts,
            "approved_drafts": report.approved_drafts,
        }
    )
