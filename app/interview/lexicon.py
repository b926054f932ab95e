"""Word stems that name a topic outright in a vacancy or wish list (Russian and English)."""

from __future__ import annotations

import re

TOPIC_STEMS: dict[str, tuple[str, ...]] = {
    "probability_statistics": ("статисти", "вероятност", "гипотез", "statistic", "probabilit"),
    "math_foundations": ("линейн алгебр", "матан", "linear algebra", "calculus"),
    "ml_basics": ("машинн обучени", "machine learning", "классическ ml"),
    "linear_models": ("линейн регресс", "логистическ", "linear regression", "logistic"),
    "trees_ensembles": (
        "бустинг",
        "boosting",
        "catboost",
        "xgboost",
        "lightgbm",
        "случайн лес",
        "random forest",
        "деревь",
    ),
    "metrics_validation": ("метрик", "валидац", "roc-auc", "metric"),
    "feature_engineering": ("признак", "feature", "фич"),
    "unsupervised": ("кластериз", "clustering", "сегментац клиент", "аномал", "anomal"),
    "deep_learning": (
        "нейросет",
        "нейронн сет",
        "deep learning",
        "pytorch",
        "tensorflow",
        "глубок обучени",
    ),
    "optimization": ("оптимизац", "optimizer"),
    "computer_vision": (
        "компьютерн зрени",
        "computer vision",
        "изображени",
        "детекц",
        "image",
        "opencv",
    ),
    "nlp": ("nlp", "текст", "text", "bert", "обработк естествен"),
    "llm": ("llm", "gpt", "rag", "языков модел", "language model", "промпт", "prompt"),
    "recsys": ("рекомендац", "recommend", "recsys", "ранжирован", "ranking", "персонализ", "лент"),
    "time_series": ("временн ряд", "time series", "прогноз", "forecast", "спрос"),
    "ab_testing": ("a/b", "ab-тест", "а/б", "эксперимент", "experiment"),
    "mlops": (
        "mlops",
        "docker",
        "kubernetes",
        "airflow",
        "деплой",
        "deploy",
        "мониторинг",
        "ci/cd",
    ),
    "ml_system_design": ("system design", "дизайн ml", "архитектур", "продакшен", "production"),
    "python_sql": ("python", "питон", "sql", "pandas", "postgres", "clickhouse"),
}

_WORD = re.compile(r"[\w/\-]+", re.UNICODE)


def topic_mentions(text: str) -> dict[str, int]:
    """How many stems of each topic the text contains; a stem's words match word prefixes in order."""
    words = _WORD.findall(text.lower().replace("ё", "е"))
    joined = " " + " ".join(words)
    counts: dict[str, int] = {}
    for topic, stems in TOPIC_STEMS.items():
        hits = sum(1 for stem in stems if _has_stem(joined, stem))
        if hits:
            counts[topic] = hits
    return counts


def _has_stem(joined: str, stem: str) -> bool:
    pattern = r"\s" + r"\w*\s".join(re.escape(part) for part in stem.split())
    return re.search(pattern, joined) is not None
