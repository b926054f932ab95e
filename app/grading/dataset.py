"""Graded answers in JSON Lines: the input contract of the grading evaluation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.errors import ExplainedError


class DatasetInvalid(ExplainedError):
    """A dataset line that cannot be read; the message names the file and line."""


class GradedAnswer(BaseModel):
    """One expert-graded answer; extra fields (notes, question ids) are kept but unused."""

    model_config = ConfigDict(extra="allow")

    id: str
    question: str = Field(min_length=1)
    reference_answer: str = Field(min_length=1)
    key_points: list[str] | None = None
    answer: str
    score: float = Field(ge=0)
    max_score: float = Field(default=10.0, gt=0)
    off_topic: bool | None = None
    covered_key_points: list[int] | None = None
    kind: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> str:
        return str(value)

    @property
    def expert_score(self) -> float:
        """The expert's grade on the product's 0..10 scale."""
        return 10.0 * min(self.score, self.max_score) / self.max_score


def load_dataset(path: Path) -> list[GradedAnswer]:
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rows.append(GradedAnswer.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                raise DatasetInvalid(f"{path}:{number}: {exc}") from exc
    if not rows:
        raise DatasetInvalid(f"{path}: no graded answers")
    return rows


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
