"""The scraped question record: what spiders emit and the pipeline reads (JSON lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator


class ScrapedItem(BaseModel):
    """One question found on a public page; the answer is whatever the page gave, if anything."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=10, max_length=600)
    answer: str | None = Field(default=None, max_length=6000)
    source_url: HttpUrl
    spider: str = Field(min_length=1)
    section: str | None = Field(default=None, max_length=200)
    level_hint: str | None = None
    scraped_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @field_validator("question")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if sum(ch.isalpha() for ch in value) < 8:
            raise ValueError("a question needs words")
        return value.strip()

    @field_validator("answer", "section")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


def read_items(paths: Iterable[Path]) -> tuple[list[ScrapedItem], int]:
    """Valid items of JSONL files in order, and how many lines were invalid."""
    items: list[ScrapedItem] = []
    invalid = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                items.append(ScrapedItem.model_validate_json(line))
            except ValidationError:
                invalid += 1
    return items, invalid


def scraped_files(raw_dir: Path) -> list[Path]:
    """The JSONL files under a raw folder, in a stable order (missing folder: none)."""
    return sorted(raw_dir.rglob("*.jsonl")) if raw_dir.is_dir() else []


def write_jsonl(path: Path, rows: Iterable[BaseModel]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(row.model_dump_json() + "\n")
            count += 1
    return count


def iter_json(path: Path) -> Iterator[dict[str, object]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value = json.loads(line)
            if isinstance(value, dict):
                yield value
