"""Build the served index from the curated YAML, refusing a bank that does not validate."""

from __future__ import annotations

from pathlib import Path

from app.bank.loader import LoadResult, load_bank
from app.bank.quality import check_semantics
from app.bank.store import bank_fingerprint, build_index, index_exists, index_fingerprint
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


def build_bank(bank_dir: Path, lancedb_uri: str, embedder: Embedder) -> int:
    """Validate the bank and write it to LanceDB; returns the number of questions served."""
    loaded = load_bank(bank_dir)
    report = check_bank(loaded, embedder)
    if not report.ok:
        raise BankInvalid(report)
    return build_index(loaded.questions, embedder, lancedb_uri)


def ensure_bank(bank_dir: Path, lancedb_uri: str, embedder: Embedder) -> bool:
    """Build the index when it is missing or older than the YAML; True when a build happened."""
    if index_exists(lancedb_uri):
        loaded = load_bank(bank_dir)
        if loaded.errors or bank_fingerprint(loaded.questions) == index_fingerprint(lancedb_uri):
            return False
    build_bank(bank_dir, lancedb_uri, embedder)
    return True
