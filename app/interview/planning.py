"""Topic weights for a vacancy (and the candidate's experience), and the questions of a plan."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.bank.schema import TOPICS
from app.bank.store import QuestionStore
from app.interview.lexicon import topic_mentions
from app.interview.selection import next_question
from app.interview.topics import TOPIC_QUERIES
from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import sentences, words

MAX_LINES = 60
# A line this close to no topic (cosine) is boilerplate ("ДМС, гибкий график") and carries no
# weight; the weight grows linearly up to INFORMATIVE_SPAN above it.
LINE_FLOOR = 0.80
INFORMATIVE_SPAN = 0.04
# Softmax temperature over topics per line: low, so a line votes for the one or two topics it
# is about rather than smearing over all of them.
TEMPERATURE = 0.005
# A topic named outright ("CatBoost", "A/B-тесты") gets this on top of the votes (which sum to 1);
# Python/SQL and statistics are named in nearly every vacancy, so naming them says less.
LEXICON_BONUS = 0.15
TOOL_TOPICS = {"python_sql": 0.3, "probability_statistics": 0.3}
# Metrics and validation come up in nearly every ML interview, whatever the vacancy says.
PRIOR = {"metrics_validation": 0.1}
EXPERIENCE_SHARE = 0.25


@dataclass(frozen=True)
class TopicWeight:
    topic: str
    weight: float


@dataclass(frozen=True)
class Plan:
    topics: list[TopicWeight]
    question_ids: list[str]


def text_lines(text: str) -> list[str]:
    """Sentences and bullet lines of a vacancy that say something (three words or more)."""
    lines = [s for s in sentences(text) if len(words(s)) >= 3]
    return lines[:MAX_LINES]


# Topic descriptions embedded once per model and process.
_DESCRIPTIONS: dict[str, Vectors] = {}


def _topic_description_vectors(embedder: Embedder) -> Vectors:
    if embedder.model_id not in _DESCRIPTIONS:
        _DESCRIPTIONS[embedder.model_id] = embedder.embed(
            [TOPIC_QUERIES[t] for t in TOPICS], kind="query"
        )
    return _DESCRIPTIONS[embedder.model_id]


def _line_topic_scores(store: QuestionStore, lines: list[str]) -> npt.NDArray[np.float64]:
    """Lines x topics: closeness to the topic's nearest bank questions and to its description."""
    embedder = store.embedder
    vectors = embedder.embed(lines, kind="query")
    to_questions = vectors @ store.reference_matrix.T
    topic_of = np.array([q.topic for q in store.questions])
    by_bank = np.zeros((len(lines), len(TOPICS)))
    for j, topic in enumerate(TOPICS):
        columns = to_questions[:, topic_of == topic]
        if columns.shape[1]:
            top = np.sort(columns, axis=1)[:, -3:]
            by_bank[:, j] = top.mean(axis=1)
    by_description = vectors @ _topic_description_vectors(embedder).T
    scores: npt.NDArray[np.float64] = 0.5 * by_bank + 0.5 * by_description
    return scores


def _votes(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each informative line's softmax vote over topics, weighted by how informative it is."""
    if not len(scores):
        return np.zeros(len(TOPICS))
    best = scores.max(axis=1, keepdims=True)
    soft = np.exp((scores - best) / TEMPERATURE)
    soft /= soft.sum(axis=1, keepdims=True)
    informative = np.clip((best[:, 0] - LINE_FLOOR) / INFORMATIVE_SPAN, 0.0, 1.0)
    total = informative.sum()
    votes: npt.NDArray[np.float64] = (
        (informative[:, None] * soft).sum(axis=0) / total if total > 0 else np.zeros(len(TOPICS))
    )
    return votes


def topic_weights(
    store: QuestionStore, vacancy: str, experience: str | None = None
) -> list[TopicWeight]:
    """Every topic with a weight (summing to 1), highest first."""
    weights = _votes(_line_topic_scores(store, text_lines(vacancy) or [vacancy]))
    if experience and experience.strip():
        lines = text_lines(experience) or [experience]
        weights = (1 - EXPERIENCE_SHARE) * weights + EXPERIENCE_SHARE * _votes(
            _line_topic_scores(store, lines)
        )
    for topic in topic_mentions(vacancy):
        weights[TOPICS.index(topic)] += LEXICON_BONUS * TOOL_TOPICS.get(topic, 1.0)
    for topic, prior in PRIOR.items():
        weights[TOPICS.index(topic)] += prior
    total = weights.sum()
    if total <= 0:
        weights = np.full(len(TOPICS), 1.0 / len(TOPICS))
    else:
        weights = weights / total
    ranked = sorted(zip(TOPICS, weights, strict=True), key=lambda pair: -pair[1])
    return [TopicWeight(topic, round(float(w), 4)) for topic, w in ranked]


def allocate(weights: list[TopicWeight], count: int, max_topics: int = 5) -> list[str]:
    """The topic of each question, in the order asked: top topics by weight, interleaved."""
    top = weights[:max_topics]
    total = sum(w.weight for w in top) or 1.0
    exact = [count * w.weight / total for w in top]
    seats = [int(x) for x in exact]
    # Largest remainders get the seats left.
    for i in sorted(range(len(top)), key=lambda i: -(exact[i] - seats[i]))[: count - sum(seats)]:
        seats[i] += 1
    order: list[str] = []
    while len(order) < count:
        for i, w in enumerate(top):
            if seats[i] > 0:
                order.append(w.topic)
                seats[i] -= 1
    return order


def plan(
    store: QuestionStore,
    vacancy: str,
    experience: str | None = None,
    level: str = "middle",
    count: int = 5,
) -> Plan:
    """Weights and the questions a session on this vacancy would ask, in order."""
    weights = topic_weights(store, vacancy, experience)
    asked: list[str] = []
    for position, topic in enumerate(allocate(weights, count)):
        question = next_question(
            store,
            topics=[topic],
            level=level,
            asked_ids=asked,
            position=position,
            vacancy_text=vacancy,
            seed="plan",
        )
        if question is not None:
            asked.append(question.id)
    return Plan(weights, asked)
