"""What grading works on and what it finds: targets, thresholds, evidence, the analysis."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.grading.points import PointEvidence
from app.grading.short import ShortEvidence
from app.grading.structure import Structure
from app.nlp.embedder import Vectors

# A reference of fewer content words is a one-line fact: graded on the answer as a whole
# (app/grading/short.py) rather than sentence by key point. Bank references have 55 or more.
SHORT_REFERENCE_WORDS = 30


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
    # Per key point, the vector of the reference sentence that states it (more context than the
    # short key point itself).
    key_point_anchors: Vectors | None = None
    mistakes: tuple[KnownMistake, ...] = ()
    # Rows: every wrong statement, then every correction, in `mistakes` order.
    mistake_vectors: Vectors | None = None


@dataclass(frozen=True)
class PointSet:
    """A question's key points with their vectors, to measure how well an answer states them."""

    texts: list[str]
    vectors: Vectors
    anchors: Vectors | None = None


@dataclass(frozen=True)
class Neighbours:
    """The other questions (references and key points), to tell an answer to another question."""

    ids: list[str]
    questions: list[str]
    reference_matrix: Vectors
    points: dict[str, PointSet] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on cosine similarity of multilingual-e5-small (its cosines sit in 0.7..1)."""

    similarity_floor: float = 0.80
    similarity_ceiling: float = 0.92
    key_point_floor: float = 0.80
    key_point_ceiling: float = 0.90
    anchor_floor: float = 0.84
    anchor_ceiling: float = 0.94
    lexical_weight: float = 0.2
    covered: float = 0.6
    # Off-topic: among the COMPETITORS questions whose references are closest to the answer, one
    # whose key points the answer states better than its own by GAP (or by SOFT_GAP when it states
    # them well, at COMPETITOR or more); or the answer is far from its own reference (ABSOLUTE)
    # and states none of its key points (ABSOLUTE_STRENGTH).
    off_topic_absolute: float = 0.83
    off_topic_absolute_strength: float = 0.3
    off_topic_competitors: int = 3
    off_topic_gap: float = 0.30
    off_topic_soft_gap: float = 0.20
    off_topic_competitor: float = 0.65
    mistake_similarity: float = 0.945
    mistake_margin: float = 0.015
    mistake_overlap: float = 0.4
    contradiction_similarity: float = 0.90
    contradiction_overlap: float = 0.8


@dataclass(frozen=True)
class KeyPointEvidence:
    index: int
    text: str
    strength: float
    covered: bool
    sentence: str | None
    evidence: PointEvidence | None = None


@dataclass(frozen=True)
class OffTopic:
    flagged: bool
    closer_question_id: str | None = None
    closer_question: str | None = None


@dataclass(frozen=True)
class MistakeEvidence:
    """A sentence of the answer that says something wrong, with the correction to show."""

    sentence: str
    wrong: str
    correction: str
    similarity: float
    key_point_index: int | None = None


@dataclass(frozen=True)
class Analysis:
    similarity: float
    similarity_norm: float
    key_points: list[KeyPointEvidence]
    off_topic: OffTopic
    structure: Structure
    sentences: list[str]
    relevant_share: float = 0.0
    # Share of the reference's content lemmas that the answer uses.
    lexical_recall: float = 0.0
    reference_words: int = 0
    mistakes: list[MistakeEvidence] = field(default_factory=list)
    injections: list[str] = field(default_factory=list)
    # Set only for a short reference (fewer than SHORT_REFERENCE_WORDS content words).
    short: ShortEvidence | None = None

    @property
    def word_count(self) -> int:
        return self.structure.content_words

    @property
    def covered_indexes(self) -> list[int]:
        return [kp.index for kp in self.key_points if kp.covered]

    @property
    def coverage(self) -> float:
        if not self.key_points:
            return 0.0
        return float(np.mean([kp.strength for kp in self.key_points]))

    @property
    def covered_share(self) -> float:
        return len(self.covered_indexes) / len(self.key_points) if self.key_points else 0.0
