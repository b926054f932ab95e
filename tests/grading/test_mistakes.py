"""Wrong statements are found, named with their correction, and cost points."""

import pytest

from app.bank.store import QuestionStore
from app.grading.grader import Grader
from app.grading.mistakes import negated
from app.grading.targets import neighbours_of, target_for_question
from app.grading.types import GradingTarget
from app.nlp.embedder import Embedder
from tests.grading.test_grader import GOOD

EPOCHS = (
    "Переобучение — модель запомнила обучающие данные и плохо работает на новых. "
    "Переобучение лечится только увеличением числа эпох обучения."
)


@pytest.fixture(scope="module")
def grader(embedder: Embedder, store: QuestionStore) -> Grader:
    return Grader(embedder, neighbours_of(store))


@pytest.fixture(scope="module")
def target(store: QuestionStore) -> GradingTarget:
    return target_for_question(store.get("ml_basics.overfitting_test"), store)


def test_negation_parity() -> None:
    assert negated("Бустинг не переобучается")
    assert not negated("Бустинг может переобучиться")
    assert not negated("Это не значит, что модель не работает")


def test_known_misconception_is_named_with_its_correction(
    grader: Grader, target: GradingTarget
) -> None:
    result = grader.grade(target, EPOCHS)
    assert [m.wrong for m in result.analysis.mistakes] == [target.mistakes[0].wrong]
    assert "**Ошибки**" in result.feedback
    assert "Больше эпох обычно усиливает переобучение" in result.feedback


def test_negated_key_point_is_a_mistake_not_coverage(grader: Grader, target: GradingTarget) -> None:
    wrong = GOOD.replace(
        "Проверять качество надо на отложенной выборке или через кросс-валидацию.",
        "Качество не проверяют на отложенной выборке или кросс-валидацией.",
    )
    result = grader.grade(target, wrong)
    assert any(m.key_point_index == 4 for m in result.analysis.mistakes)
    assert 4 not in result.covered_key_points
    assert result.score < grader.grade(target, GOOD).score


def test_correct_answer_has_no_mistakes(grader: Grader, target: GradingTarget) -> None:
    assert grader.grade(target, GOOD).analysis.mistakes == []
