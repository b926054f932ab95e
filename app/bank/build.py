"""Build the served index from the curated YAML (and approved drafts), refusing a bank that does
not validate."""

from __future__ import annotations

from pathlib import Path

from app.bank.drafts import with_approved_drafts
from app.bank.loader import LoadResult, load_bank
from app.bank.quality import check_semantics
from app.bank.store import (
    BuildReport,
    bank_fingerprint,
    build_version,
    index_exists,
    latest_sources_fingerprint,
)
from app.bank.validate import Report, validate_bank
from app.nlp.embedder import Embedder


class BankInvalid(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__("\n".join(report.errors))
        self.report = report


def check_bank(loaded: LoadResult, embedder: Embedder) -> Report:
    """Every check the bank must pass: schema and structure, then the ones needing embeddings."""
    report = validate_bank(loaded)
    semantic = check_semantics(loaded.questions, embedder)
    return Report(report.errors + semantic.errors, report.warnings + semantic.warnings)


def load_sources(bank_dir: Path, drafts_dir: Path | None = None) -> LoadResult:
    """Curated questions plus approved drafts: everything the next build would serve."""
    return with_approved_drafts(load_bank(bank_dir), drafts_dir)


def build_bank_version(
    bank_dir: Path, lancedb_uri: str, embedder: Embedder, drafts_dir: Path | None = None
) -> BuildReport:
    """Validate the sources and write them as a new version of the index."""
    loaded = load_sources(bank_dir, drafts_dir)
    report = check_bank(loaded, embedder)
    if not report.ok:
        raise BankInvalid(report)
    return build_version(loaded.questions, embedder, lancedb_uri)


def build_bank(
    bank_dir: Path, lancedb_uri: str, embedder: Embedder, drafts_dir: Path | None = None
) -> int:
    """Validate the bank and write it to LanceDB; returns the number of questions served."""
    return build_bank_version(bank_dir, lancedb_uri, embedder, drafts_dir).questions


def ensure_bank(
    bank_dir: Path, lancedb_uri: str, embedder: Embedder, drafts_dir: Path | None = None
) -> bool:
    """Build the index when it is missing or older than its sources; True when a build happened.
    A rollback keeps the sources' hash, so it is not undone until the sources change."""
    if index_exists(lancedb_uri):
        loaded = load_sources(bank_dir, drafts_dir)
        if loaded.errors or bank_fingerprint(loaded.questions) == latest_sources_fingerprint(
            lancedb_uri
        ):
            return False
    build_bank(bank_dir, lancedb_uri, embedder, drafts_dir)
    return True
