"""Pydantic schema of one bank question, as stored in the curated YAML files."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

TOPICS: tuple[str, ...] = (
    "probability_statistics",
    "math_foundations",
    "ml_basics",
    "linear_models",
    "trees_ensembles",
    "metrics_validation",
    "feature_engineering",
    "unsupervised",
    "deep_learning",
    "optimization",
    "computer_vision",
    "nlp",
    "llm",
    "recsys",
    "time_series",
    "ab_testing",
    "mlops",
    "ml_system_design",
    "python_sql",
)

ROLES: tuple[str, ...] = (
    "data_scientist",
    "ml_engineer",
    "nlp",
    "cv",
    "recsys",
    "mlops",
    "analyst",
)

ID_PATTERN = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


class Level(StrEnum):
    junior = "junior"
    middle = "middle"
    senior = "senior"


class Source(StrEnum):
    curated = "curated"
    scraped = "scraped"
    generated = "generated"


class ReviewStatus(StrEnum):
    approved = "approved"
    pending = "pending"
    rejected = "rejected"


class Misconception(BaseModel):
    model_config = ConfigDict(extra="forbid")

    wrong: str = Field(min_length=10, description="A wrong statement candidates often make.")
    correction: str = Field(min_length=10, description="Why it is wrong and what is right.")


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3)
    url: HttpUrl


class Question(BaseModel):
    """One interview question with its reference answer and grading material."""

    model_config = ConfigDict(extra="forbid")

    id: str
    topic: str
    level: Level
    roles: list[str] = Field(min_length=1)
    question: str = Field(min_length=10, max_length=600)
    reference_answer: str = Field(min_length=200, max_length=3000)
    key_points: list[str] = Field(min_length=3, max_length=7)
    misconceptions: list[Misconception] = Field(default_factory=list, max_length=3)
    follow_ups: list[str] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list, max_length=3)
    source: Source = Source.curated
    review_status: ReviewStatus = ReviewStatus.approved

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("id must look like '<topic>.<slug>' in lower case")
        return value

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}")
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown roles {unknown}")
        return value

    @field_validator("key_points")
    @classmethod
    def _key_points_not_blank(cls, value: list[str]) -> list[str]:
        if any(len(point.strip()) < 5 for point in value):
            raise ValueError("every key point must be a real statement")
        return value

    @model_validator(mode="after")
    def _id_matches_topic(self) -> Question:
        if self.id.split(".", 1)[0] != self.topic:
            raise ValueError(f"id {self.id!r} must start with its topic {self.topic!r}")
        return self

    @property
    def served(self) -> bool:
        """Only approved questions reach candidates."""
        return self.review_status is ReviewStatus.approved
