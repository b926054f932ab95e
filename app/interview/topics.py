"""Russian names and short descriptions of the canonical topics, for the UI and for retrieval."""

from __future__ import annotations

TOPIC_TITLES: dict[str, str] = {
    "probability_statistics": "Теория вероятностей и статистика",
    "math_foundations": "Математика для ML",
    "ml_basics": "Основы машинного обучения",
    "linear_models": "Линейные модели",
    "trees_ensembles": "Деревья и ансамбли",
    "metrics_validation": "Метрики и валидация",
    "feature_engineering": "Признаки и подготовка данных",
    "unsupervised": "Обучение без учителя",
    "deep_learning": "Глубокое обучение",
    "optimization": "Оптимизация",
    "computer_vision": "Компьютерное зрение",
    "nlp": "Обработка текстов (NLP)",
    "llm": "Большие языковые модели",
    "recsys": "Рекомендательные системы",
    "time_series": "Временные ряды",
    "ab_testing": "A/B-тесты",
    "mlops": "MLOps",
    "ml_system_design": "Дизайн ML-систем",
    "python_sql": "Python и SQL",
}

# Retrieval queries: what a vacancy mentioning the topic would talk about.
TOPIC_QUERIES: dict[str, str] = {
    "probability_statistics": "вероятности, распределения, статистические гипотезы, p-value, доверительные интервалы",
    "math_foundations": "линейная алгебра, матрицы, производные, градиент, собственные векторы",
    "ml_basics": "переобучение, смещение и разброс, регуляризация, обучение с учителем",
    "linear_models": "линейная и логистическая регрессия, L1 и L2 регуляризация",
    "trees_ensembles": "решающие деревья, случайный лес, градиентный бустинг, CatBoost, XGBoost, LightGBM",
    "metrics_validation": "метрики качества, ROC-AUC, precision, recall, кросс-валидация, утечки",
    "feature_engineering": "признаки, кодирование категорий, пропуски, масштабирование, отбор признаков",
    "unsupervised": "кластеризация, k-means, понижение размерности, PCA, поиск аномалий",
    "deep_learning": "нейронные сети, обратное распространение, PyTorch, нормализация, dropout",
    "optimization": "градиентный спуск, SGD, Adam, learning rate, сходимость",
    "computer_vision": "компьютерное зрение, свёрточные сети, детекция, сегментация изображений",
    "nlp": "обработка текстов, токенизация, эмбеддинги, трансформеры, BERT, классификация текстов",
    "llm": "большие языковые модели, GPT, промпты, RAG, дообучение, LoRA",
    "recsys": "рекомендательные системы, коллаборативная фильтрация, ранжирование, матричные разложения",
    "time_series": "временные ряды, прогнозирование спроса, сезонность, ARIMA, валидация по времени",
    "ab_testing": "A/B-тесты, эксперименты, статистическая значимость, мощность, размер выборки",
    "mlops": "MLOps, деплой моделей, мониторинг, дрейф данных, CI/CD, Docker, реестр моделей",
    "ml_system_design": "дизайн ML-системы, архитектура сервиса, онлайн и офлайн метрики, масштабирование",
    "python_sql": "Python, pandas, SQL, джойны, оконные функции, агрегации",
}


def topic_title(topic: str) -> str:
    return TOPIC_TITLES.get(topic, topic)
