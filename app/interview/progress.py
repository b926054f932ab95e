"""Per-topic mastery across sessions and the study plan of a session's report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.bank.schema import Question

PRACTICE_QUESTIONS = 3


@dataclass(frozen=True)
class TopicScore:
    """A question's best score in one session (skipped and unanswered count as 0)."""

    session_id: str
    topic: str
    score: float


@dataclass(frozen=True)
class TopicProgress:
    topic: str
    before: float | None  # mean best score 0..10 of earlier sessions; None when never asked
    now: float | None  # the same for the session in question
    answered: int  # questions of the topic over all these sessions


@dataclass(frozen=True)
class StudyItem:
    """One line of the study plan; `id` is set once it is stored."""

    kind: str  # resource | topic | practice
    topic: str
    title: str
    url: str | None = None
    question_id: str | None = None
    id: int | None = None
    done: bool = False


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def topic_progress(scores: Iterable[TopicScore], session_id: str | None) -> list[TopicProgress]:
    """Topics of `session_id` first (weakest first), then the rest, each with before and now."""
    before: dict[str, list[float]] = defaultdict(list)
    now: dict[str, list[float]] = defaultdict(list)
    for item in scores:
        (now if item.session_id == session_id else before)[item.topic].append(item.score)
    rows = [
        TopicProgress(t, _mean(before[t]), _mean(now[t]), len(before[t]) + len(now[t]))
        for t in dict.fromkeys([*now, *before])
    ]
    return sorted(rows, key=lambda r: (r.now is None, r.now or 0.0, r.topic))


def study_plan(
    weak: list[Question], practice_pool: list[Question], practice: int = PRACTICE_QUESTIONS
) -> list[StudyItem]:
    """Resources of the questions answered weakly (or their reference when there are none),
    then a few fresh practice questions of the same topics."""
    items: list[StudyItem] = []
    seen_urls: set[str] = set()
    for question in weak:
        resources = [r for r in question.resources if str(r.url) not in seen_urls]
        seen_urls.update(str(r.url) for r in resources)
        items.extend(
            StudyItem("resource", question.topic, r.title, url=str(r.url), question_id=question.id)
            for r in resources
        )
        if not question.resources:
            items.append(
                StudyItem(
                    "topic",
                    question.topic,
                    f"Разобрать эталонный ответ: «{question.question}»",
                    question_id=question.id,
                )
            )
    items.extend(
        StudyItem("practice", q.topic, q.question, question_id=q.id)
        for q in practice_pool[:practice]
    )
    return items
