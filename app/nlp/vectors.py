"""Text vectors as the mean direction of sentence vectors: one convention for answers and references."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import sentences


def mean_direction(vectors: Vectors) -> Vectors:
    """Normalised mean of unit vectors; a zero vector stays zero."""
    mean: Vectors = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / np.float32(norm) if norm > 0 else mean


@dataclass(frozen=True)
class SentenceVectors:
    sentences: list[str]
    vectors: Vectors


def split_and_embed(embedder: Embedder, texts: list[str]) -> list[SentenceVectors]:
    """Each text's sentences with their vectors (query kind), embedded in one batch."""
    split = [sentences(t) or [t] for t in texts]
    flat = embedder.embed([s for parts in split for s in parts], kind="query")
    result = []
    at = 0
    for parts in split:
        result.append(SentenceVectors(parts, flat[at : at + len(parts)]))
        at += len(parts)
    return result


def text_vectors(embedder: Embedder, texts: list[str]) -> Vectors:
    """One vector per text: its sentences embedded (query kind) and averaged.

    Sentences embed faster than a whole text (the model's cost grows with length squared) and
    answers are analysed sentence by sentence anyway, so references are built the same way.
    """
    result = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for row, split in enumerate(split_and_embed(embedder, texts)):
        result[row] = mean_direction(split.vectors)
    return result
