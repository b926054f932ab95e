"""Evidence about one answer: similarity to the reference, key-point coverage, off-topic."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from app.grading.guard import is_injection
from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import content_lemmas, sentences


@dataclass(frozen=True)
class KnownMistake:
    """A misconception of the bank: the wrong statement and its correction."""

    wrong: str
    correction: str


@dataclass(frozen=True)
class GradingTarget:
    """What an answer is graded against; vectors are taken from the index when it has them."""

    question: str
    reference_answer: str
    key_points: list[str]
    question_id: str | None = None
    reference_vector: Vectors | None = None
    key_point_vectors: Vectors | None = None
    mistakes: tuple[KnownMistake, ...] = ()
    # Rows: every wrong statement, then every correction, in `mistakes` order.
    mistake_vectors: Vectors | None = None


@dataclass(frozen=True)
class Neighbours:
    """Reference answers of the other questions, to tell an answer to another question."""

    ids: list[str]
    questions: list[str]
    reference_matrix: Vectors


# Content words a sentence needs per key point it can state (rounded: 3 words state one, 6 two).
WORDS_PER_POINT = 4


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on cosine similarity of multilingual-e5-small (its cosines sit in 0.7..1)."""

    similarity_floor: float = 0.80
    similarity_ceiling: float = 0.92
    key_point_floor: float = 0.80
    key_point_ceiling: float = 0.90
    covered: float = 0.5
    off_topic_absolute: float = 0.79
    off_topic_margin: float = 0.01


@dataclass(frozen=True)
class KeyPointEvidence:
    index: int
    text: str
    strength: float
    covered: bool
    sentence: str | None


@dataclass(frozen=True)
class OffTopic:
    flagged: bool
    closer_question_id: str | None = None
    closer_question: str | None = None


@dataclass(frozen=True)
class Analysis:
    similarity: float
    similarity_norm: float
    key_points: list[KeyPointEvidence]
    off_topic: OffTopic
    word_count: int
    sentences: list[str]
    injections: list[str] = field(default_factory=list)

    @property
    def covered_indexes(self) -> list[int]:
        return [kp.index for kp in self.key_points if kp.covered]

    @property
    def coverage(self) -> float:
        if not self.key_points:
            return 0.0
        return float(np.mean([kp.strength for kp in self.key_points]))


def _scale(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def analyse(
    answer: str,
    target: GradingTarget,
    embedder: Embedder,
    neighbours: Neighbours | None = None,
    thresholds: Thresholds | None = None,
) -> Analysis:
    """Compare a cleaned answer with its target; instructions to the grader count as no evidence."""
    t = thresholds or Thresholds()
    all_sentences = sentences(answer) or [answer]
    injections = [s for s in all_sentences if is_injection(s)]
    # Repeated sentences add no evidence; embedding each once also bounds the work.
    kept = list(dict.fromkeys(s for s in all_sentences if s not in injections))
    word_count = len(content_lemmas(" ".join(kept)))
    if not kept:
        empty = [
            KeyPointEvidence(i, kp, 0.0, False, None) for i, kp in enumerate(target.key_points)
        ]
        return Analysis(0.0, 0.0, empty, OffTopic(False), 0, [], injections)

    text = " ".join(kept)
    vectors = embedder.embed([text, *kept], kind="query")
    answer_vector, sentence_vectors = vectors[0], vectors[1:]
    reference = target.reference_vector
    if reference is None:
        reference = embedder.embed([target.reference_answer], kind="query")[0]
    similarity = float(answer_vector @ reference)

    point_vectors = target.key_point_vectors
    if point_vectors is None:
        point_vectors = embedder.embed(target.key_points, kind="query")
    evidence = _key_points(target.key_points, point_vectors, kept, sentence_vectors, t)
    off_topic = _off_topic(answer_vector, similarity, target.question_id, neighbours, t)
    return Analysis(
        similarity=similarity,
        similarity_norm=_scale(similarity, t.similarity_floor, t.similarity_ceiling),
        key_points=evidence,
        off_topic=off_topic,
        word_count=word_count,
        sentences=kept,
        injections=injections,
    )


def key_point_strengths(
    points: list[str],
    point_vectors: Vectors,
    text_sentences: list[str],
    sentence_vectors: Vectors,
    thresholds: Thresholds | None = None,
) -> npt.NDArray[np.float64]:
    """How strongly each sentence states each key point (points x sentences, 0..1)."""
    t = thresholds or Thresholds()
    sentence_lemmas = [set(content_lemmas(s)) for s in text_sentences]
    point_lemmas = [set(content_lemmas(p)) for p in points]
    sims = point_vectors @ sentence_vectors.T
    strength = np.zeros((len(points), len(text_sentences)))
    for i, lemmas in enumerate(point_lemmas):
        for j, said in enumerate(sentence_lemmas):
            lexical = len(lemmas & said) / len(lemmas) if lemmas else 0.0
            semantic = _scale(float(sims[i, j]), t.key_point_floor, t.key_point_ceiling)
            strength[i, j] = 0.7 * semantic + 0.3 * lexical
    return strength


def _key_points(
    points: list[str],
    point_vectors: Vectors,
    answer_sentences: list[str],
    sentence_vectors: Vectors,
    t: Thresholds,
) -> list[KeyPointEvidence]:
    """Match key points to answer sentences; a short sentence can state only one point."""
    sentence_lemmas = [set(content_lemmas(s)) for s in answer_sentences]
    strength = key_point_strengths(points, point_vectors, answer_sentences, sentence_vectors, t)
    n_sentences = len(answer_sentences)
    capacity = [max(1, (len(said) + 2) // WORDS_PER_POINT) for said in sentence_lemmas]
    assigned: dict[int, int] = {}
    for flat in np.argsort(-strength, axis=None):
        row, col = divmod(int(flat), n_sentences)
        if row not in assigned and capacity[col] > 0:
            assigned[row] = col
            capacity[col] -= 1
    result = []
    for i, point in enumerate(points):
        chosen = assigned.get(i)
        if chosen is None:
            # A point left without a sentence of its own keeps half of its best evidence.
            result.append(KeyPointEvidence(i, point, 0.5 * float(strength[i].max()), False, None))
            continue
        value = float(strength[i, chosen])
        covered = value >= t.covered
        sentence = answer_sentences[chosen] if covered else None
        result.append(KeyPointEvidence(i, point, value, covered, sentence))
    return result


def _off_topic(
    answer_vector: Vectors,
    similarity: float,
    question_id: str | None,
    neighbours: Neighbours | None,
    t: Thresholds,
) -> OffTopic:
    if neighbours is not None and len(neighbours.ids):
        sims = neighbours.reference_matrix @ answer_vector
        order = np.argsort(-sims)
        for j in order[:2]:
            if neighbours.ids[j] == question_id:
                continue
            if float(sims[j]) > similarity + t.off_topic_margin:
                return OffTopic(True, neighbours.ids[j], neighbours.questions[j])
            break
    return OffTopic(similarity < t.off_topic_absolute)
