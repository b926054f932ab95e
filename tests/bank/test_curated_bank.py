"""The curated bank under version control: every check passes, and it is big and broad enough."""

import pytest

from app.bank.build import check_bank
from app.bank.loader import LoadResult, load_bank
from app.bank.schema import ROLES, TOPICS
from app.bank.validate import stats
from app.bootstrap import bank_embedder
from app.config import PROJECT_ROOT, Settings
from app.nlp.embedder import Embedder

BANK = PROJECT_ROOT / "bank"
# The topics ML interviews ask most get more questions than the floor of 15.
MAJOR_TOPICS = (
    "ml_basics",
    "metrics_validation",
    "trees_ensembles",
    "deep_learning",
    "nlp",
    "llm",
    "ml_system_design",
)


@pytest.fixture(scope="module")
def curated() -> LoadResult:
    return load_bank(BANK)


# Embeds every question, reference sentence and key point (about 6,000 texts): minutes on a cold
# cache; the project's cache of bank texts makes reruns and `make run` after it fast.
@pytest.mark.timeout(1500)
def test_curated_bank_passes_every_check(curated: LoadResult, embedder: Embedder) -> None:
    cached = bank_embedder(Settings(), embedder)
    try:
        report = check_bank(curated, cached)
    finally:
        cached.close()
    assert report.errors == []
    assert report.warnings == []


def test_curated_bank_size_and_breadth(curated: LoadResult) -> None:
    data = stats(curated)
    by_topic = data["by_topic"]
    assert isinstance(by_topic, dict)
    assert data["questions"] >= 400
    assert set(by_topic) == set(TOPICS)
    assert min(by_topic.values()) >= 15
    floor = max(by_topic[t] for t in TOPICS if t not in MAJOR_TOPICS)
    assert all(by_topic[t] >= max(20, floor) for t in MAJOR_TOPICS)
    by_role = data["by_role"]
    assert isinstance(by_role, dict)
    assert set(by_role) == set(ROLES)


def test_every_topic_mixes_levels(curated: LoadResult) -> None:
    for topic in TOPICS:
        levels = [q.level.value for q in curated.questions if q.topic == topic]
        counts = {lv: levels.count(lv) for lv in ("junior", "middle", "senior")}
        assert min(counts.values()) >= 2, (topic, counts)
