"""Structure of an answer: term lists, definition and example, filler, repetition."""

from app.grading.structure import describe
from app.nlp.text import sentences


def _describe(text: str):  # type: ignore[no-untyped-def]
    parts = sentences(text)
    return describe(parts, list(dict.fromkeys(parts)))


def test_list_of_terms_is_told_from_prose() -> None:
    stuffed = _describe(
        "Бэггинг, бутстрэп, OOB, бустинг, градиентный спуск, XGBoost, LightGBM, SHAP."
    )
    prose = _describe(
        "Бэггинг обучает модели на бутстрэп-выборках и усредняет их ответы, поэтому разброс "
        "ансамбля меньше, чем у одной модели."
    )
    assert stuffed.term_list
    assert not prose.term_list


def test_definition_example_filler_and_repetition() -> None:
    text = (
        "Регуляризация — это штраф за сложность модели. Ну вот, типа, короче, штраф. "
        "Например, L2 добавляет сумму квадратов весов. Регуляризация — это штраф за сложность модели."
    )
    s = _describe(text)
    assert s.definition and s.example
    assert s.repeated_sentences == 1
    assert s.filler_ratio > 0.05
    plain = _describe("Модель штрафуют за большие веса")
    assert not plain.example and plain.filler_ratio == 0
