"""The pipeline stages as functions of the app's Settings: what DVC and Dagster call."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.bank.build import load_sources
from app.bootstrap import bank_embedder
from app.config import Settings
from app.llm.client import build_llm
from app.nlp.embedder import Embedder, build_embedder
from pipelines.augment import AugmentReport, augment
from pipelines.clean import CleanItem, CleanReport, clean
from pipelines.items import read_items, scraped_files, write_jsonl
from pipelines.load import LoadReport, load_bank_index


def write_metrics(path: Path | None, data: dict[str, object]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_clean(path: Path) -> list[CleanItem]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [CleanItem.model_validate_json(line) for line in lines if line.strip()]


def raw_fingerprint(files: list[Path]) -> str:
    """One hash of the raw inputs read, so a clean output names the data it came from."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_clean(
    settings: Settings, embedder: Embedder, output: Path
) -> tuple[list[CleanItem], CleanReport, dict[str, object]]:
    """Clean every scraped JSONL under settings.raw_dir against the curated bank."""
    files = scraped_files(settings.raw_dir)
    items, invalid = read_items(files)
    bank = load_sources(settings.bank_dir, settings.drafts_dir).questions
    kept, report = clean(items, bank, embedder)
    write_jsonl(output, kept)
    inputs: dict[str, object] = {
        "raw_files": len(files),
        "raw_sha256": raw_fingerprint(files),
        "invalid_lines": invalid,
    }
    return kept, report, inputs


def run_augment(settings: Settings, cleaned: Path, limit: int | None = None) -> AugmentReport:
    settings.drafts_dir.mkdir(parents=True, exist_ok=True)
    return augment(read_clean(cleaned), build_llm(settings), settings.drafts_dir, limit=limit)


def run_build(settings: Settings, embedder: Embedder) -> LoadReport:
    return load_bank_index(settings.bank_dir, settings.drafts_dir, settings.lancedb_uri, embedder)


def cached_embedder(settings: Settings) -> Embedder:
    """The bank's disk-cached embedder: a rebuild embeds only texts it has not seen."""
    return bank_embedder(settings, build_embedder(settings))
