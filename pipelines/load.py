"""Embed and load: the served bank (curated + approved drafts) as a new LanceDB version."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.bank.build import build_bank_version, load_sources
from app.bank.drafts import load_drafts
from app.bank.schema import TOPICS
from app.bank.store import BuildReport
from app.nlp.embedder import Embedder


@dataclass(frozen=True)
class LoadReport:
    build: BuildReport
    by_topic: dict[str, int]
    pending_drafts: int
    approved_drafts: int

    @property
    def missing_topics(self) -> list[str]:
        return [t for t in TOPICS if t not in self.by_topic]

    def to_json(self) -> dict[str, object]:
        v = self.build.version
        return {
            "version": v.version,
            "questions": v.questions,
            "embedded": v.embedded,
            "reused": v.reused,
            "topics_covered": len(self.by_topic),
            "missing_topics": self.missing_topics,
            "pending_drafts": self.pending_drafts,
            "approved_drafts": self.approved_drafts,
            "by_topic": self.by_topic,
        }


def load_bank_index(
    bank_dir: Path, drafts_dir: Path, lancedb_uri: str, embedder: Embedder
) -> LoadReport:
    """Validate and build; only questions new or changed since the last build are embedded."""
    build = build_bank_version(bank_dir, lancedb_uri, embedder, drafts_dir)
    served = [q for q in load_sources(bank_dir, drafts_dir).questions if q.served]
    drafts, _ = load_drafts(drafts_dir)
    return LoadReport(
        build=build,
        by_topic=dict(sorted(Counter(q.topic for q in served).items())),
        pending_drafts=sum(d.question.review_status.value == "pending" for d in drafts),
        approved_drafts=sum(d.question.served for d in drafts),
    )
