"""An in-memory memo of vectors for batch runs over repeated texts (simulation, evaluation)."""

from __future__ import annotations

import numpy as np

from app.nlp.embedder import Embedder, Kind, Vectors


class MemoEmbedder:
    """Remembers vectors in memory for one batch run: synthetic answers repeat the bank's key
    points, and every question choice embeds the same topic query or vacancy again. Only for
    synthetic or labelled data: a process serving candidates must not keep their answers."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id, self.backend, self.dim = inner.model_id, inner.backend, inner.dim
        self._seen: dict[tuple[str, str], Vectors] = {}

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._seen))
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing, kind), strict=True):
                self._seen[(kind, text)] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._seen[(kind, t)] for t in texts]).astype(np.float32)
