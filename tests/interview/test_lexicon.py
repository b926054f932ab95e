import pytest

from app.interview.lexicon import topic_mentions


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Опыт с SQL и pandas обязателен", "python_sql"),
        ("ранжирование ленты новостей", "recsys"),
        ("прогноз спроса по магазинам", "time_series"),
        ("проведение A/B-тестов", "ab_testing"),
        ("CatBoost и LightGBM в проде", "trees_ensembles"),
        ("Computer Vision: детекция дефектов", "computer_vision"),
    ],
)
def test_named_terms_map_to_their_topic(text: str, topic: str) -> None:
    assert topic in topic_mentions(text)


def test_unrelated_text_names_no_topic() -> None:
    assert topic_mentions("Бухгалтерия, кадровый учёт и 1С") == {}


def test_stem_words_match_in_order_not_anywhere() -> None:
    assert "time_series" in topic_mentions("анализ временных рядов")
    assert "time_series" not in topic_mentions("ряды кресел и временный пропуск")
