"""Pipeline drafts: generated questions waiting for a reviewer, one YAML file each, never served
until approved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from app.bank.loader import LoadError, LoadResult
from app.bank.schema import Question, ReviewStatus
from app.errors import NotFound


class Origin(BaseModel):
    """Where a draft came from: the scraped page and the model that wrote the reference."""

    model_config = ConfigDict(extra="forbid")

    source_url: str
    spider: str
    scraped_question: str
    scraped_answer: str | None = None
    generated_by: str
    generated_at: datetime


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Question
    origin: Origin


def draft_path(drafts_dir: Path, question_id: str) -> Path:
    return drafts_dir / f"{question_id}.yaml"


def save_draft(drafts_dir: Path, draft: Draft) -> Path:
    drafts_dir.mkdir(parents=True, exist_ok=True)
    path = draft_path(drafts_dir, draft.question.id)
    data = draft.model_dump(mode="json", exclude_defaults=False)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_drafts(drafts_dir: Path) -> tuple[list[Draft], list[LoadError]]:
    """Every draft under drafts_dir (missing folder: none), with the files that do not parse."""
    drafts: list[Draft] = []
    errors: list[LoadError] = []
    if not drafts_dir.is_dir():
        return drafts, errors
    for path in sorted(drafts_dir.glob("*.yaml")):
        try:
            drafts.append(Draft.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except (yaml.YAMLError, ValidationError) as exc:
            errors.append(LoadError(path.name, f"черновик не читается: {exc}"))
    return drafts, errors


def set_review(drafts_dir: Path, question_id: str, status: ReviewStatus) -> Draft:
    """Approve or reject a draft in place; an approved draft joins the bank on the next build."""
    path = draft_path(drafts_dir, question_id)
    if not path.is_file():
        raise NotFound(question_id)
    draft = Draft.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    question = draft.question.model_copy(update={"review_status": status})
    updated = draft.model_copy(update={"question": question})
    save_draft(drafts_dir, updated)
    return updated


def with_approved_drafts(curated: LoadResult, drafts_dir: Path | None) -> LoadResult:
    """The sources of the served bank: the curated YAML plus drafts a reviewer approved."""
    if drafts_dir is None:
        return curated
    drafts, errors = load_drafts(drafts_dir)
    approved = [d.question for d in drafts if d.question.served]
    return LoadResult(curated.questions + approved, curated.errors + errors)
