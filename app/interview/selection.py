"""Choosing topics and the next question from the LanceDB bank."""

from __future__ import annotations

import random

from app.bank.schema import Question
from app.bank.store import QuestionStore
from app.interview.topics import TOPIC_QUERIES

LEVEL_ORDER = ("junior", "middle", "senior")


def _levels_near(level: str) -> list[str]:
    """The asked level first, then the neighbouring ones."""
    i = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 1
    return sorted(LEVEL_ORDER, key=lambda other: abs(LEVEL_ORDER.index(other) - i))


def next_question(
    store: QuestionStore,
    *,
    topics: list[str],
    level: str,
    asked_ids: list[str],
    position: int,
    vacancy_text: str | None,
    seed: str,
) -> Question | None:
    """The first topic (in the order given) with a question left; in it, one of the best matches
    of the level, varied by seed and position."""
    rng = random.Random(f"{seed}:{position}")  # noqa: S311 - variety, not security
    for topic in topics:
        query = vacancy_text or TOPIC_QUERIES.get(topic, topic)
        for candidate_level in _levels_near(level):
            hits = store.search(
                query, topics=[topic], levels=[candidate_level], exclude_ids=asked_ids, limit=3
            )
            if hits:
                return rng.choice(hits).question
    return None
