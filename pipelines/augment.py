"""LLM augmentation: for scraped questions the configured LLM drafts the reference answer, key
points, misconceptions, topic and level; drafts are saved as pending and never served unapproved."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.bank.drafts import Draft, Origin, load_drafts, save_draft
from app.bank.schema import (
    ROLES,
    TOPICS,
    Level,
    Misconception,
    Question,
    Resource,
    ReviewStatus,
    Source,
)
from app.llm.client import LLMClient, LLMUnavailable, Messages
from pipelines.clean import CleanItem

SYSTEM_PROMPT = f"""Ты — эксперт по машинному обучению и готовишь банк вопросов для тренажёра собеседований.
Тебе дают вопрос с публичной страницы (и, возможно, ответ оттуда — он может быть неточным).
Напиши по-русски, своими словами, проверенные факты:
- reference_answer: эталонный ответ сильного кандидата, 80-250 слов (определение, как и почему, практические детали и ловушки, пример);
- key_points: 3-7 атомарных проверяемых утверждений до 16 слов, каждое прямо сказано в эталоне;
- misconceptions: 0-3 объекта {{"wrong": ..., "correction": ...}} — реальные ошибки кандидатов;
- level: junior, middle или senior;
- topic: одна из тем {", ".join(TOPICS)};
- roles: одна или несколько ролей из {", ".join(ROLES)};
- question: вопрос так, как его задаёт интервьюер вслух, по-русски.
Верни только JSON-объект с этими полями, без markdown."""


class DraftReply(BaseModel):
    """The LLM's draft, validated before anything is written."""

    model_config = ConfigDict(extra="ignore")

    question: str = Field(min_length=10, max_length=600)
    reference_answer: str = Field(min_length=200, max_length=3000)
    key_points: list[str] = Field(min_length=3, max_length=7)
    misconceptions: list[Misconception] = Field(default_factory=list, max_length=3)
    level: Level
    topic: str
    roles: list[str] = Field(min_length=1)

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}")
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        known = [r for r in value if r in ROLES]
        if not known:
            raise ValueError("no known role")
        return known


@dataclass
class AugmentReport:
    input: int = 0
    already_drafted: int = 0
    drafted: int = 0
    failed: int = 0
    skipped: bool = False
    reason: str = ""
    draft_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "already_drafted": self.already_drafted,
            "drafted": self.drafted,
            "failed": self.failed,
            "skipped": self.skipped,
            "reason": self.reason,
        }


def draft_id(item: CleanItem, topic: str) -> str:
    return f"{topic}.scraped_{item.id}"


def messages_for(item: CleanItem) -> Messages:
    # The page's text is data, fenced off from the instructions.
    material = f"Вопрос со страницы:\n<<<\n{item.question}\n>>>"
    if item.answer:
        material += f"\nОтвет со страницы (может быть неточным):\n<<<\n{item.answer[:3000]}\n>>>"
    material += f"\nПредполагаемая тема: {item.topic}, уровень: {item.level.value}."
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": material},
    ]


def to_draft(item: CleanItem, reply: DraftReply, model: str) -> Draft:
    """A pending, generated question; the source page is its first study resource when https."""
    url = urlparse(item.source_url)
    resources = (
        [
            Resource.model_validate(
                {"title": f"Источник вопроса: {url.netloc}", "url": item.source_url}
            )
        ]
        if url.scheme == "https"
        else []
    )
    question = Question(
        id=draft_id(item, reply.topic),
        topic=reply.topic,
        level=reply.level,
        roles=reply.roles,
        question=reply.question,
        reference_answer=reply.reference_answer,
        key_points=reply.key_points,
        misconceptions=reply.misconceptions,
        resources=resources,
        source=Source.generated,
        review_status=ReviewStatus.pending,
    )
    origin = Origin(
        source_url=item.source_url,
        spider=item.spider,
        scraped_question=item.question,
        scraped_answer=item.answer,
        generated_by=model,
        generated_at=datetime.now(UTC),
    )
    return Draft(question=question, origin=origin)


async def _draft_all(
    items: list[CleanItem], llm: LLMClient, drafts_dir: Path, report: AugmentReport
) -> None:
    for item in items:
        try:
            reply = await llm.structured(messages_for(item), DraftReply)
        except LLMUnavailable:
            report.failed += 1
            continue
        draft = to_draft(item, reply, llm.model)
        save_draft(drafts_dir, draft)
        report.drafted += 1
        report.draft_ids.append(draft.question.id)


def augment(
    items: list[CleanItem], llm: LLMClient | None, drafts_dir: Path, *, limit: int | None = None
) -> AugmentReport:
    """Draft every item that has no draft yet (pending, approved or rejected); with no LLM,
    record that the step was skipped."""
    report = AugmentReport(input=len(items))
    drafts, _ = load_drafts(drafts_dir)
    done = {d.question.id.split(".", 1)[1] for d in drafts}
    todo = [item for item in items if f"scraped_{item.id}" not in done]
    report.already_drafted = len(items) - len(todo)
    if llm is None:
        report.skipped = True
        report.reason = "LLM не настроен (FEEDBACKFIRST_LLM_BASE_URL, FEEDBACKFIRST_LLM_MODEL)"
        return report
    if limit is not None:
        todo = todo[:limit]
    asyncio.run(_draft_all(todo, llm, drafts_dir, report))
    return report
