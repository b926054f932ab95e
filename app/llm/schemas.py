"""What the LLM must return, validated before anything of it reaches a candidate."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Correction(BaseModel):
    statement: str = Field(min_length=1, max_length=600)
    why: str = Field(min_length=1, max_length=1200)
    correction: str = Field(min_length=1, max_length=1200)


class FeedbackReply(BaseModel):
    """Richer feedback on one graded answer; it explains the embedded score, never sets one."""

    errors: list[Correction] = Field(default_factory=list, max_length=6)
    missing: list[str] = Field(default_factory=list, max_length=8)
    improved_answer: str = Field(min_length=20, max_length=4000)
    tip: str | None = Field(default=None, max_length=800)
