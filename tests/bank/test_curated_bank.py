"""The curated bank under version control: valid, every topic, every level."""

from app.bank.loader import load_bank
from app.bank.schema import TOPICS
from app.bank.validate import stats, validate_bank
from app.config import PROJECT_ROOT

BANK = PROJECT_ROOT / "bank"


def test_curated_bank_validates() -> None:
    loaded = load_bank(BANK)
    report = validate_bank(loaded)
    assert report.errors == []
    assert report.warnings == []


def test_curated_bank_covers_every_topic_and_level() -> None:
    data = stats(load_bank(BANK))
    assert data["questions"] >= 60
    assert set(data["by_topic"]) == set(TOPICS)
    assert set(data["by_level"]) == {"junior", "middle", "senior"}
