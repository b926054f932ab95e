"""Text vectors as the mean direction of sentence vectors: one convention for answers and references."""

from __future__ import annotations

import numpy as np

from app.nlp.embedder import Embedder, Vectors
from app.nlp.text import sentences


def mean_direction(vectors: Vectors) -> Vectors:
    """Normalised mean of unit vectors; a zero vector stays zero."""
    mean: Vectors = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / np.float32(norm) if norm > 0 else mean


def text_vectors(embedder: Embedder, texts: list[str]) -> Vectors:
    """One vector per text: its sentences embedded (query kind) and averaged.

    Sentences embed faster than a whole text (the model's cost grows with length squared) and
    answers are analysed sentence by sentence anyway, so references are built the same way.
    """
    split = [sentences(t) or [t] for t in texts]
    flat = embedder.embed([s for parts in split for s in parts], kind="query")
    result = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    at = 0
    for row, parts in enumerate(split):
        result[row] = mean_direction(flat[at : at + len(parts)])
        at += len(parts)
    return result
