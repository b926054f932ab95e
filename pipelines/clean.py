"""Clean scraped questions: normalise, drop junk and duplicates (exact and by embeddings, against
each other and the curated bank), and map each to a canonical topic and level."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict

from app.bank.schema import TOPICS, Level, Question
from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import Language, detect_language
from pipelines.items import ScrapedItem
from pipelines.text import exact_key, junk_reason, normalise

# Cosine of e5 query vectors of two question texts. Rewordings in one language score 0.93-0.99
# ("What does supervised learning mean?" / "What is supervised machine learning?": 0.946), different
# questions of one subject 0.82-0.84. A translation scores lower than that ("What is overfitting?" /
# "Что такое переобучение?": 0.74), so duplicates across languages are left to the reviewer.
NEAR_DUPLICATE = 0.92
# Bank passages per topic compared with an item (measured on 12 scraped-style questions against the
# full bank: 3 names the expected topic where 1 sends "bagging vs boosting" to python_sql).
PER_TOPIC = 3


class CleanItem(BaseModel):
    """A scraped question ready for augmentation, with its topic and level."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    answer: str | None
    language: Language
    topic: str
    level: Level
    topic_similarity: float
    source_url: str
    spider: str
    section: str | None = None


@dataclass
class CleanReport:
    input: int = 0
    junk: dict[str, int] = field(default_factory=dict)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    bank_duplicates: int = 0
    kept: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)

    @property
    def duplicate_rate(self) -> float:
        duplicates = self.exact_duplicates + self.near_duplicates + self.bank_duplicates
        return round(duplicates / self.input, 4) if self.input else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "kept": self.kept,
            "junk": sum(self.junk.values()),
            "junk_by_reason": dict(sorted(self.junk.items())),
            "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates,
            "bank_duplicates": self.bank_duplicates,
            "duplicate_rate": self.duplicate_rate,
            "topics_covered": len(self.by_topic),
            "by_topic": self.by_topic,
            "by_language": self.by_language,
        }


def item_id(question: str) -> str:
    return hashlib.sha256(exact_key(question).encode()).hexdigest()[:12]


def classify(
    vectors: Vectors, bank: list[Question], bank_vectors: Vectors
) -> list[tuple[str, Level, float]]:
    """Topic of each query vector: the topic whose best PER_TOPIC bank passages are closest on
    average (a plain k-nearest vote favours topics with more questions); level: similarity-weighted
    vote of those passages."""
    members: dict[str, list[int]] = {}
    for j, question in enumerate(bank):
        members.setdefault(question.topic, []).append(j)
    sims = vectors @ bank_vectors.T
    result = []
    for row in sims:
        best: dict[str, list[int]] = {
            topic: sorted(rows, key=lambda j: -row[j])[:PER_TOPIC]
            for topic, rows in members.items()
        }
        topic = max(best, key=lambda t: float(np.mean(row[best[t]])))
        votes: dict[str, float] = {}
        for j in best[topic]:
            votes[bank[j].level.value] = votes.get(bank[j].level.value, 0.0) + float(row[j])
        level = Level(max(votes, key=lambda lv: votes[lv]))
        result.append((topic, level, float(row[best[topic][0]])))
    return result


def clean(
    items: list[ScrapedItem],
    bank: list[Question],
    embedder: Embedder,
    *,
    near_duplicate: float = NEAR_DUPLICATE,
) -> tuple[list[CleanItem], CleanReport]:
    """Kept items in input order, and what was dropped and why."""
    report = CleanReport(input=len(items))
    seen = {exact_key(q.question) for q in bank}
    candidates: list[tuple[ScrapedItem, str, str | None]] = []
    for item in items:
        question = normalise(item.question)
        reason = junk_reason(question)
        if reason:
            report.junk[reason] = report.junk.get(reason, 0) + 1
            continue
        key = exact_key(question)
        if key in seen:
            report.exact_duplicates += 1
            continue
        seen.add(key)
        answer = normalise(item.answer) if item.answer else None
        candidates.append((item, question, answer or None))
    if not candidates:
        return [], report
    vectors = embedder.embed([q for _, q, _ in candidates], kind="query")
    bank_vectors = embedder.embed([q.question for q in bank], kind="query")
    to_bank = (vectors @ bank_vectors.T).max(axis=1) if bank else np.zeros(len(candidates))
    # Topics are matched against question + reference (e5's query-to-passage use), which holds up
    # better across languages than question-to-question similarity.
    passages = embedder.embed([f"{q.question}\n{q.reference_answer}" for q in bank], kind="passage")
    labels = classify(vectors, bank, passages) if bank else []
    kept: list[CleanItem] = []
    kept_rows: list[int] = []
    for i, (item, question, answer) in enumerate(candidates):
        if to_bank[i] >= near_duplicate:
            report.bank_duplicates += 1
            continue
        if kept_rows and float((vectors[kept_rows] @ vectors[i]).max()) >= near_duplicate:
            report.near_duplicates += 1
            continue
        topic, level, similarity = labels[i] if labels else (TOPICS[0], Level.middle, 0.0)
        if item.level_hint is not None and item.level_hint in Level.__members__:
            level = Level(item.level_hint)
        kept_rows.append(i)
        kept.append(
            CleanItem(
                id=item_id(question),
                question=question,
                answer=answer,
                language=detect_language(question),
                topic=topic,
                level=level,
                topic_similarity=round(similarity, 4),
                source_url=str(item.source_url),
                spider=item.spider,
                section=item.section,
            )
        )
    report.kept = len(kept)
    report.by_topic = dict(sorted(Counter(k.topic for k in kept).items()))
    report.by_language = dict(sorted(Counter(k.language for k in kept).items()))
    return kept, report
