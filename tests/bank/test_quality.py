"""Checks that need embeddings: key points present in their reference, near-duplicate questions."""

from pathlib import Path

import yaml

from app.bank.build import check_bank
from app.bank.loader import load_bank
from app.bank.quality import KEY_POINT_PRESENCE, key_point_presence, near_duplicates
from app.bank.schema import Question
from app.nlp.embedder import Embedder
from tests.conftest import MINI_BANK


def _mini() -> list[Question]:
    return load_bank(MINI_BANK).questions


def test_every_key_point_of_the_mini_bank_is_in_its_reference(embedder: Embedder) -> None:
    presence = key_point_presence(_mini(), embedder)
    assert all(v >= KEY_POINT_PRESENCE for values in presence.values() for v in values)


def test_key_point_missing_from_reference_is_an_error(embedder: Embedder, tmp_path: Path) -> None:
    overfitting, *others = _mini()
    foreign = "Свёрточный слой разделяет веса ядра по всем позициям изображения"
    broken = overfitting.model_copy(update={"key_points": [*overfitting.key_points[:4], foreign]})
    presence = key_point_presence([broken], embedder)[broken.id]
    assert presence[4] < KEY_POINT_PRESENCE <= min(presence[:4])
    _write(tmp_path, [broken, *others])
    report = check_bank(load_bank(tmp_path), embedder)
    assert [e for e in report.errors if "не найден в эталоне" in e] == [
        f"{broken.id}: ключевой пункт не найден в эталоне ({presence[4]:.2f}): «{foreign}»"
    ]


def test_paraphrased_question_is_reported_with_its_pair(embedder: Embedder) -> None:
    overfitting, *others = _mini()
    twin = overfitting.model_copy(
        update={
            "id": "ml_basics.overfitting_twin",
            "question": "Что такое переобучение модели и как с ним бороться?",
        }
    )
    pairs = near_duplicates([overfitting, *others, twin], embedder)
    assert [(p.first, p.second) for p in pairs] == [(overfitting.id, twin.id)]
    assert near_duplicates([overfitting, *others], embedder) == []


def _write(folder: Path, questions: list[Question]) -> None:
    data = [q.model_dump(mode="json") for q in questions]
    (folder / "bank.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
