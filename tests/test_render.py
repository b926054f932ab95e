from app.chat.render import question_text, summary_text
from app.interview.progress import StudyItem, TopicProgress
from app.interview.service import QuestionResult, Summary
from tests.conftest import MINI_BANK


def test_summary_lists_scores_skips_and_study_links() -> None:
    summary = Summary(
        results=[
            QuestionResult("a.x", "ml_basics", "Что такое <b>переобучение</b>?", 8.5, 2, False),
            QuestionResult("b.y", "trees_ensembles", "Как устроен лес?", None, 0, True),
        ],
        average=8.5,
        weak_topics=["trees_ensembles"],
        study=[
            StudyItem(
                "resource",
                "trees_ensembles",
                "scikit-learn: Random Forests",
                url="https://scikit-learn.org/stable/modules/ensemble.html",
                id=7,
            ),
            StudyItem("practice", "trees_ensembles", "Что такое *бэггинг*?", id=8, done=True),
        ],
        progress=[
            TopicProgress("ml_basics", before=4.0, now=8.5, answered=3),
            TopicProgress("deep_learning", before=6.0, now=None, answered=1),
        ],
    )
    text = summary_text(summary)
    assert "8.5/10" in text
    assert "пропущен" in text
    assert "Деревья и ансамбли" in text
    assert "(https://scikit-learn.org/stable/modules/ensemble.html)" in text
    assert "<b>" not in text  # question text is escaped
    assert "1. Изучить (Деревья и ансамбли)" in text
    assert "2. Потренировать вопрос (Деревья и ансамбли): Что такое \\*бэггинг\\*? ✅" in text
    assert "| Основы машинного обучения | 4 | 8.5 |" in text
    assert "Глубокое обучение |" not in text  # not asked this time: not in the table


def test_question_text_shows_number_topic_and_level() -> None:
    from app.bank.loader import load_bank

    question = load_bank(MINI_BANK).questions[0]
    text = question_text(question, 2, 5)
    assert "Вопрос 2 из 5" in text
    assert "Основы машинного обучения" in text
    assert question.question in text
