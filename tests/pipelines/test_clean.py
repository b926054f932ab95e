"""Cleaning: junk, exact and near duplicates (with each other and the bank), topic and level."""

from __future__ import annotations

from app.bank.loader import load_bank
from app.nlp.text import detect_language
from pipelines.clean import clean
from pipelines.text import normalise
from tests.conftest import MINI_BANK
from tests.pipelines.factories import scraped


def test_normalise_and_language():
    assert normalise("**What is  overfitting? 👶**") == "What is overfitting?"
    assert detect_language("Что такое dropout в нейросетях?") == "ru"
    assert detect_language("What is dropout in neural networks?") == "en"


def test_clean_drops_junk_and_duplicates_and_labels_topics(embedder):
    bank = load_bank(MINI_BANK).questions
    items = [
        scraped("What does supervised learning mean?", level_hint="junior"),
        scraped("What is supervised machine learning?"),  # a rewording of the first
        scraped("what does supervised   learning mean"),  # the first again, other case/spacing
        scraped("Что такое переобучение и как с ним бороться?"),  # in the curated bank
        scraped("Зачем в нейросети dropout и что он делает при инференсе?"),  # reworded bank one
        scraped("Как выбрать порог классификации, если важнее полнота, чем точность?"),
        scraped("Вопрос номер двенадцать ??? 1234567890 ........"),
    ]
    kept, report = clean(items, bank, embedder)

    questions = [k.question for k in kept]
    assert questions[0] == "What does supervised learning mean?"
    assert "What is supervised machine learning?" not in questions
    assert report.exact_duplicates == 2  # the case variant and the bank's own question
    assert report.near_duplicates == 1
    assert report.junk == {"not_text": 1}
    assert report.bank_duplicates == 1
    assert report.kept == len(kept) == 2
    assert report.duplicate_rate == round(4 / 7, 4)
    by_question = {k.question: k for k in kept}
    assert (
        by_question["Как выбрать порог классификации, если важнее полнота, чем точность?"].topic
        == "metrics_validation"
    )
    assert by_question["What does supervised learning mean?"].level.value == "junior"
    assert by_question["What does supervised learning mean?"].language == "en"
