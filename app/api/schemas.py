"""Request and response bodies of the REST API."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field


def _plain(value: str) -> str:
    """Refuse NUL and other control characters (binary data pasted or sent by a script)."""
    if any(unicodedata.category(ch) in {"Cc", "Cs"} and ch not in "\n\r\t" for ch in value):
        raise ValueError("двоичные или служебные символы не принимаются, нужен обычный текст.")
    return value


PlainText = Annotated[str, AfterValidator(_plain)]


class Credentials(BaseModel):
    username: PlainText = Field(min_length=3, max_length=64)
    password: PlainText = Field(min_length=1, max_length=256)


class TokenOut(BaseModel):
    candidate_id: str
    token: str = Field(description="Bearer token; shown once, only its hash is stored.")


class SessionIn(BaseModel):
    level: Literal["junior", "middle", "senior"] = "middle"
    topics: list[Annotated[PlainText, Field(max_length=64)]] = Field(
        default_factory=list, max_length=19
    )
    vacancy: PlainText | None = Field(default=None, max_length=50_000)
    questions: int = Field(default=5, ge=1, le=20)


class SessionOut(BaseModel):
    session_id: str
    topics: list[str]


class QuestionOut(BaseModel):
    question_id: str
    topic: str
    level: str
    question: str


class AnswerIn(BaseModel):
    question_id: PlainText = Field(max_length=128)
    text: PlainText = Field(max_length=20_000)


class GradeOut(BaseModel):
    answer_id: int
    attempt: int
    score: float
    off_topic: bool
    covered_key_points: list[int]
    feedback: str


class ResultOut(BaseModel):
    question_id: str
    topic: str
    question: str
    best_score: float | None
    attempts: int
    skipped: bool


class TopicProgressOut(BaseModel):
    topic: str
    before: float | None = Field(description="Средняя оценка темы в прошлых сессиях, 0..10")
    now: float | None = Field(description="Средняя оценка темы в этой (последней) сессии")
    answered: int


class RecommendationOut(BaseModel):
    id: int
    kind: str = Field(
        description="resource (материал), topic (повторить эталон), practice (вопрос)"
    )
    topic: str
    title: str
    url: str | None
    question_id: str | None
    done: bool


class SummaryOut(BaseModel):
    results: list[ResultOut]
    average: float | None
    weak_topics: list[str]
    progress: list[TopicProgressOut]
    recommendations: list[RecommendationOut]


class ErrorOut(BaseModel):
    detail: str


class RatingIn(BaseModel):
    rating: int | None = Field(default=None, ge=1, le=5, description="Полезность разбора, 1..5")
    thumbs_up: bool | None = None


class ConfidenceIn(BaseModel):
    moment: Literal["start", "end"]
    value: int = Field(ge=1, le=5)
