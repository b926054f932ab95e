from app.bank.store import QuestionStore
from app.interview.planning import TopicWeight, allocate, plan, text_lines, topic_weights
from app.nlp.embedder import Embedder

BOOSTING = (
    "Ищем специалиста в команду кредитного скоринга.\n"
    "Задачи: обучать градиентный бустинг (CatBoost, LightGBM) на табличных данных "
    "и подбирать гиперпараметры бустинга.\n"
    "Условия: ДМС, гибкий график, офис у метро."
)


def test_boilerplate_lines_are_dropped_and_bullets_kept() -> None:
    lines = text_lines("Задачи:\n- обучать модели ранжирования\n- ДМС\nЗарплата по итогам.")
    assert "обучать модели ранжирования" in lines
    assert "ДМС" not in lines


def test_weights_follow_the_vacancy(store: QuestionStore, embedder: Embedder) -> None:
    weights = topic_weights(store, BOOSTING)
    # Metrics and validation get a prior everywhere.
    assert "trees_ensembles" in {w.topic for w in weights[:2]}
    by_topic = {w.topic: w.weight for w in weights}
    assert by_topic["trees_ensembles"] > by_topic["deep_learning"] > by_topic["computer_vision"]
    assert abs(sum(w.weight for w in weights) - 1.0) < 1e-3
    assert [w.weight for w in weights] == sorted((w.weight for w in weights), reverse=True)


def test_allocation_gives_more_questions_to_heavier_topics_and_interleaves() -> None:
    weights = [TopicWeight("a", 0.5), TopicWeight("b", 0.3), TopicWeight("c", 0.2)]
    order = allocate(weights, 5)
    assert order.count("a") >= order.count("b") >= order.count("c") >= 1
    assert order[:3] == ["a", "b", "c"]


def test_plan_asks_distinct_bank_questions(store: QuestionStore, embedder: Embedder) -> None:
    result = plan(store, BOOSTING, level="junior", count=3)
    assert len(result.question_ids) == len(set(result.question_ids)) == 3
    # CatBoost and LightGBM are boosting: its question beats the random forest one.
    assert "trees_ensembles.gradient_boosting_test" in result.question_ids[:2]
