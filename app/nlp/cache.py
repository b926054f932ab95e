"""A disk cache of vectors for bank texts, so rebuilding or revalidating the bank embeds only changes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from app.nlp.embedder import Embedder, Kind, Vectors


class CachedEmbedder:
    """Wraps an embedder for bank texts only: candidates' answers must never be written to disk."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.backend = inner.backend
        self.dim = inner.dim
        self._model_key = f"{inner.model_id}|{inner.backend}|{inner.dim}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " model TEXT NOT NULL, key TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (model, key))"
        )
        self.hits = 0
        self.misses = 0

    def _key(self, text: str, kind: Kind) -> str:
        return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors:
        keys = [self._key(t, kind) for t in texts]
        found = self._lookup(sorted(set(keys)))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            fresh = self.inner.embed(missing, kind=kind)
            rows = [
                (self._model_key, self._key(t, kind), v.astype(np.float32).tobytes())
                for t, v in zip(missing, fresh, strict=True)
            ]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            found.update({key: vec for (_, key, _), vec in zip(rows, fresh, strict=True)})
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def _lookup(self, keys: list[str]) -> dict[str, Vectors]:
        found: dict[str, Vectors] = {}
        # SQLite limits bound parameters per statement; 500 keys per query stays well below it.
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",  # noqa: S608
                [self._model_key, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def close(self) -> None:
        self._db.close()
