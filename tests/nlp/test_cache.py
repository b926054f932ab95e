"""The on-disk vector cache of bank texts: same vectors, fewer model calls, kinds kept apart."""

from pathlib import Path

import numpy as np

from app.nlp.cache import CachedEmbedder
from app.nlp.embedder import Embedder

TEXTS = ["Градиентный бустинг строит деревья последовательно.", "Случайный лес усредняет деревья."]


def test_second_call_is_served_from_disk_with_equal_vectors(
    embedder: Embedder, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite"
    first = CachedEmbedder(embedder, path)
    computed = first.embed(TEXTS, kind="query")
    first.close()
    again = CachedEmbedder(embedder, path)
    cached = again.embed([TEXTS[1], TEXTS[0], TEXTS[1]], kind="query")
    assert (again.hits, again.misses) == (3, 0)
    np.testing.assert_allclose(cached, computed[[1, 0, 1]], atol=1e-6)
    np.testing.assert_allclose(
        cached, embedder.embed([TEXTS[1], TEXTS[0], TEXTS[1]], "query"), atol=1e-5
    )


def test_query_and_passage_vectors_are_cached_apart(embedder: Embedder, tmp_path: Path) -> None:
    cache = CachedEmbedder(embedder, tmp_path / "cache.sqlite")
    query = cache.embed(TEXTS[:1], kind="query")
    passage = cache.embed(TEXTS[:1], kind="passage")
    assert cache.misses == 2
    assert not np.allclose(query, passage)
    assert cache.embed([], kind="query").shape == (0, embedder.dim)
