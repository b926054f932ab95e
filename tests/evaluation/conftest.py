"""A tiny expert-graded dataset on the mini bank's questions, and labelled vacancies for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.bank.loader import load_bank
from tests.conftest import MINI_BANK

VACANCIES = [
    {
        "id": "v-metrics",
        "vacancy": "Ищем аналитика-исследователя. Нужно выбирать метрики классификации: "
        "precision, recall, F1, строить ROC-кривые и PR-кривые, валидировать модели.",
        "must": ["metrics_validation"],
        "irrelevant": ["deep_learning"],
    },
    {
        "id": "v-dl",
        "vacancy": "Команда компьютерного зрения ищет инженера: обучение нейронных сетей, "
        "регуляризация dropout и batch normalization, борьба с переобучением сетей.",
        "must": ["deep_learning", "ml_basics"],
        "irrelevant": ["metrics_validation"],
    },
    {
        "id": "v-trees",
        "vacancy": "Скоринг на табличных данных: градиентный бустинг и случайный лес, "
        "ансамбли деревьев решений, подбор гиперпараметров и борьба с переобучением.",
        "must": ["trees_ensembles", "ml_basics"],
        "irrelevant": ["deep_learning"],
    },
]


def graded_rows() -> list[dict[str, object]]:
    """Per mini-bank question: all its key points (9/10), one key point (3/10) and another
    question's key points (0/10, off topic); short texts, as grading costs ~1 ms a token."""
    questions = load_bank(MINI_BANK).questions
    rows: list[dict[str, object]] = []
    for i, q in enumerate(questions):
        other = questions[(i + 1) % len(questions)]
        base = {"question": q.question, "reference_answer": q.reference_answer}
        rows += [
            base
            | {
                "id": f"{q.id}:good",
                "answer": " ".join(p + "." for p in q.key_points),
                "score": 9,
                "off_topic": False,
                "covered_key_points": list(range(len(q.key_points))),
                "kind": "excellent",
            },
            base
            | {
                "id": f"{q.id}:one",
                "answer": q.key_points[0] + ".",
                "score": 3,
                "off_topic": False,
                "covered_key_points": [0],
                "kind": "superficial",
            },
            base
            | {
                "id": f"{q.id}:off",
                "answer": " ".join(p + "." for p in other.key_points[:3]),
                "score": 0,
                "off_topic": True,
                "covered_key_points": [],
                "kind": "off_topic",
            },
        ]
    return rows


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture(scope="session")
def graded_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("graded") / "mini_graded.jsonl", graded_rows())


@pytest.fixture(scope="session")
def vacancies_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("vacancies") / "mini_vacancies.jsonl", VACANCIES)
