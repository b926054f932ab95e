"""Evidence about one answer: closeness to the reference, key points, mistakes, off-topic, structure."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from app.grading.guard import is_injection
from app.grading.mistakes import known_misconceptions, negated_key_points
from app.grading.points import PointEvidence, PointModel
from app.grading.short import short_evidence
from app.grading.structure import describe
from app.grading.types import (
    SHORT_REFERENCE_WORDS,
    Analysis,
    GradingTarget,
    KeyPointEvidence,
    Neighbours,
    OffTopic,
    Thresholds,
)
from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import content_lemmas, detect_language, sentences
from app.nlp.tokens import TokenEncoder
from app.nlp.vectors import SentenceVectors, mean_direction, split_and_embed, text_vectors

# Content words a sentence needs per key point it can state (rounded: 3 words state one, 6 two).
WORDS_PER_POINT = 4


def _scale(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def analyse(
    answer: str,
    target: GradingTarget,
    embedder: Embedder,
    neighbours: Neighbours | None = None,
    thresholds: Thresholds | None = None,
    point_model: PointModel | None = None,
    tokens: TokenEncoder | None = None,
) -> Analysis:
    """Compare a cleaned answer with its target; instructions to the grader count as no evidence.

    With a token encoder, an answer to a short reference also gets whole-answer evidence.
    """
    t = thresholds or Thresholds()
    all_sentences = sentences(answer) or [answer]
    injections = [s for s in all_sentences if is_injection(s)]
    # Repeated sentences add no evidence; embedding each once also bounds the work.
    kept = list(dict.fromkeys(s for s in all_sentences if s not in injections))
    structure = describe(all_sentences, kept)
    if not kept:
        empty = [
            KeyPointEvidence(i, kp, 0.0, False, None) for i, kp in enumerate(target.key_points)
        ]
        return Analysis(0.0, 0.0, empty, OffTopic(False), structure, [], injections=injections)

    sentence_vectors = embedder.embed(kept, kind="query")
    answer_vector = mean_direction(sentence_vectors)
    reference = target.reference_vector
    if reference is None:
        reference = text_vectors(embedder, [target.reference_answer])[0]
    similarity = float(answer_vector @ reference)

    point_vectors = target.key_point_vectors
    if point_vectors is None:
        point_vectors = embedder.embed(target.key_points, kind="query")
    anchors = target.key_point_anchors
    if anchors is None:
        reference_split = split_and_embed(embedder, [target.reference_answer])[0]
        anchors = key_point_anchors(target.key_points, point_vectors, reference_split)
    pairs = pair_evidence(target.key_points, point_vectors, kept, sentence_vectors, t, anchors)
    strength = pairs.strength
    similarity_norm = _scale(similarity, t.similarity_floor, t.similarity_ceiling)
    contradictions = negated_key_points(target.key_points, point_vectors, kept, sentence_vectors, t)
    contradicted = {m.key_point_index for m in contradictions}
    evidence = _assign(
        target.key_points, kept, pairs, similarity_norm, contradicted, t, point_model
    )
    mistake_vectors = target.mistake_vectors
    if target.mistakes and mistake_vectors is None:
        mistake_vectors = embedder.embed(
            [m.wrong for m in target.mistakes] + [m.correction for m in target.mistakes],
            kind="query",
        )
    misconceptions = (
        known_misconceptions(target.mistakes, mistake_vectors, kept, sentence_vectors, t)
        if mistake_vectors is not None
        else []
    )
    reference_words = len(content_lemmas(target.reference_answer))
    short = (
        short_evidence(target.question, target.reference_answer, " ".join(kept), embedder, tokens)
        # The token model (all-MiniLM-L6-v2) knows English only.
        if tokens is not None
        and reference_words < SHORT_REFERENCE_WORDS
        and detect_language(target.reference_answer) == "en"
        else None
    )
    # A one-line reference leaves too little to tell a terse or paraphrased answer from one to
    # another question (on the English development set every such flag was wrong): not judged.
    off_topic = (
        OffTopic(False)
        if short is not None
        else _off_topic(
            answer_vector,
            similarity,
            float(strength.max(axis=1).mean()) if len(target.key_points) else 0.0,
            kept,
            sentence_vectors,
            target.question_id,
            neighbours,
            t,
        )
    )
    relevant = (strength.max(axis=0) >= t.covered) | (
        sentence_vectors @ reference >= t.similarity_floor
    )
    return Analysis(
        similarity=similarity,
        similarity_norm=similarity_norm,
        # An answer to another question states none of this question's points.
        key_points=[replace(kp, covered=False, sentence=None) for kp in evidence]
        if off_topic.flagged
        else evidence,
        off_topic=off_topic,
        structure=structure,
        sentences=kept,
        relevant_share=float(relevant.mean()),
        lexical_recall=_recall(target.reference_answer, kept),
        reference_words=reference_words,
        mistakes=misconceptions + contradictions,
        injections=injections,
        short=short,
    )


def _recall(reference: str, answer_sentences: list[str]) -> float:
    wanted = set(content_lemmas(reference))
    said = {lemma for s in answer_sentences for lemma in content_lemmas(s)}
    return len(wanted & said) / len(wanted) if wanted else 0.0


@dataclass(frozen=True)
class PairEvidence:
    """Evidence for every (key point, sentence) pair; each array is points x sentences."""

    point_cosine: npt.NDArray[np.float64]
    anchor_cosine: npt.NDArray[np.float64]
    lexical: npt.NDArray[np.float64]
    strength: npt.NDArray[np.float64]


def pair_evidence(
    points: list[str],
    point_vectors: Vectors,
    text_sentences: list[str],
    sentence_vectors: Vectors,
    thresholds: Thresholds | None = None,
    anchors: Vectors | None = None,
) -> PairEvidence:
    """How strongly each sentence states each key point.

    Semantic evidence is the closeness to the key point or, when given, to its anchor sentence of
    the reference, whichever is stronger; lexical evidence is the share of the point's lemmas said.
    """
    t = thresholds or Thresholds()
    point_cosine = (point_vectors @ sentence_vectors.T).astype(np.float64)
    semantic = np.clip(
        (point_cosine - t.key_point_floor) / (t.key_point_ceiling - t.key_point_floor), 0.0, 1.0
    )
    anchor_cosine = point_cosine
    if anchors is not None:
        anchor_cosine = (anchors @ sentence_vectors.T).astype(np.float64)
        anchored = (anchor_cosine - t.anchor_floor) / (t.anchor_ceiling - t.anchor_floor)
        semantic = np.maximum(semantic, np.clip(anchored, 0.0, 1.0))
    sentence_lemmas = [set(content_lemmas(s)) for s in text_sentences]
    lexical = np.zeros_like(semantic)
    for i, point in enumerate(points):
        lemmas = set(content_lemmas(point))
        if lemmas:
            lexical[i] = [len(lemmas & said) / len(lemmas) for said in sentence_lemmas]
    strength = (1 - t.lexical_weight) * semantic + t.lexical_weight * lexical
    return PairEvidence(point_cosine, anchor_cosine, lexical, strength)


def key_point_strengths(
    points: list[str],
    point_vectors: Vectors,
    text_sentences: list[str],
    sentence_vectors: Vectors,
    thresholds: Thresholds | None = None,
    anchors: Vectors | None = None,
) -> npt.NDArray[np.float64]:
    """How strongly each sentence states each key point (points x sentences, 0..1)."""
    return pair_evidence(
        points, point_vectors, text_sentences, sentence_vectors, thresholds, anchors
    ).strength


def key_point_anchors(
    points: list[str], point_vectors: Vectors, reference: SentenceVectors
) -> Vectors:
    """For each key point, the vector of the reference sentence that states it best."""
    strength = key_point_strengths(points, point_vectors, reference.sentences, reference.vectors)
    anchors: Vectors = reference.vectors[strength.argmax(axis=1)]
    return anchors


def _assign(
    points: list[str],
    answer_sentences: list[str],
    pairs: PairEvidence,
    similarity_norm: float,
    contradicted: set[int | None],
    t: Thresholds,
    point_model: PointModel | None,
) -> list[KeyPointEvidence]:
    """Give each key point its best sentence (a short one states only one point), then decide."""
    strength = pairs.strength
    n_sentences = len(answer_sentences)
    capacity = [
        max(1, (len(set(content_lemmas(s))) + 2) // WORDS_PER_POINT) for s in answer_sentences
    ]
    assigned: dict[int, int] = {}
    for flat in np.argsort(-strength, axis=None):
        row, col = divmod(int(flat), n_sentences)
        if row not in assigned and capacity[col] > 0:
            assigned[row] = col
            capacity[col] -= 1
    best = strength.max(axis=1)
    result = []
    for i, point in enumerate(points):
        chosen = assigned.get(i)
        if i in contradicted:
            result.append(KeyPointEvidence(i, point, 0.0, False, None))
            continue
        # A point without a sentence of its own keeps half of its best evidence.
        value = float(strength[i, chosen]) if chosen is not None else 0.5 * float(strength[i].max())
        column = chosen if chosen is not None else int(strength[i].argmax())
        others = np.delete(strength[:, column], i)
        other_best = np.delete(best, i)
        evidence = PointEvidence(
            strength=value,
            point_cosine=float(pairs.point_cosine[i].max()),
            anchor_cosine=float(pairs.anchor_cosine[i].max()),
            lexical=float(pairs.lexical[i].max()),
            margin=value - float(others.max()) if len(others) else value,
            answer_similarity=similarity_norm,
            assigned=chosen is not None,
            point_contrast=float(pairs.point_cosine[i].max() - pairs.point_cosine[i].mean()),
            anchor_contrast=float(pairs.anchor_cosine[i].max() - pairs.anchor_cosine[i].mean()),
            relative=float(best[i] - (other_best.mean() if len(other_best) else 0.0)),
            sentences=n_sentences,
            point_words=len(set(content_lemmas(point))),
        )
        decided = point_model.covers(evidence) if point_model else value >= t.covered
        covered = chosen is not None and decided
        sentence = answer_sentences[column] if covered else None
        result.append(KeyPointEvidence(i, point, value, covered, sentence, evidence))
    return result


def _off_topic(
    answer_vector: Vectors,
    similarity: float,
    own_strength: float,
    answer_sentences: list[str],
    sentence_vectors: Vectors,
    question_id: str | None,
    neighbours: Neighbours | None,
    t: Thresholds,
) -> OffTopic:
    """An answer to another question states that question's key points better than its own."""
    if neighbours is not None and len(neighbours.ids):
        sims = neighbours.reference_matrix @ answer_vector
        closest = [j for j in np.argsort(-sims) if neighbours.ids[j] != question_id]
        for j in closest[: t.off_topic_competitors]:
            other = neighbours.points.get(neighbours.ids[j])
            if other is None or not other.texts:
                continue
            strength = key_point_strengths(
                other.texts, other.vectors, answer_sentences, sentence_vectors, t, other.anchors
            )
            competitor = float(strength.max(axis=1).mean())
            gap = competitor - own_strength
            if gap >= t.off_topic_gap or (
                gap >= t.off_topic_soft_gap and competitor >= t.off_topic_competitor
            ):
                return OffTopic(True, neighbours.ids[j], neighbours.questions[j])
    return OffTopic(
        similarity < t.off_topic_absolute and own_strength < t.off_topic_absolute_strength
    )
