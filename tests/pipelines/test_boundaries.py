"""Import direction: the domain knows no orchestrator or scraper; pipelines/ knows no Dagster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(?:from|import)\s+([a-zA-Z_][\w.]*)", re.M)


def imported(folder: str) -> set[str]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        found |= {m.split(".")[0] for m in IMPORT.findall(path.read_text(encoding="utf-8"))}
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("app", {"dagster", "scrapy", "pipelines", "dagster_project", "scrapers", "dvc"}),
        ("pipelines", {"dagster", "scrapy", "dagster_project", "scrapers"}),
    ],
)
def test_layer_imports_nothing_above_it(folder: str, forbidden: set[str]) -> None:
    assert imported(folder) & forbidden == set()
