"""Small inputs for pipeline tests: scraped items and an LLM draft that passes the bank checks."""

from __future__ import annotations

import json

from pipelines.items import ScrapedItem

KMEANS_REFERENCE = (
    "Число кластеров в k-means задают заранее, поэтому его подбирают по данным и по задаче. "
    "Метод локтя строит сумму квадратов расстояний до центров для разных k и ищет излом кривой. "
    "Коэффициент силуэта сравнивает близость объекта к своему кластеру и к соседнему, выбирают k "
    "с наибольшим средним силуэтом. Статистика разрыва сравнивает кластеризацию с равномерными "
    "случайными данными. Критерии дают подсказку, но окончательное решение принимают по смыслу: "
    "кластеры должны быть устойчивыми при перезапусках и полезными для бизнеса. Например, при "
    "сегментации клиентов маркетинг может обслужить только пять сегментов, и это ограничивает k. "
    "Важно масштабировать признаки перед k-means, иначе расстояния определяет признак с самым "
    "большим разбросом."
)
KMEANS_DRAFT = {
    "question": "Как выбрать число кластеров в k-means?",
    "reference_answer": KMEANS_REFERENCE,
    "key_points": [
        "Метод локтя ищет излом кривой суммы квадратов расстояний до центров",
        "Коэффициент силуэта сравнивает близость к своему и соседнему кластеру",
        "Кластеры должны быть устойчивыми при перезапусках и полезными для бизнеса",
    ],
    "misconceptions": [
        {
            "wrong": "Число кластеров k-means находит сам по данным.",
            "correction": "k задают заранее; его подбирают методом локтя, силуэтом и по смыслу задачи.",
        }
    ],
    "level": "middle",
    "topic": "unsupervised",
    "roles": ["data_scientist"],
}


def draft_reply() -> str:
    return "```json\n" + json.dumps(KMEANS_DRAFT, ensure_ascii=False) + "\n```"


def scraped(question: str, answer: str | None = None, **extra: object) -> ScrapedItem:
    data: dict[str, object] = {
        "question": question,
        "answer": answer,
        "source_url": "https://example.org/interview.md",
        "spider": "github_markdown",
    }
    return ScrapedItem.model_validate(data | extra)
