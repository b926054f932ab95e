from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from app.bank.loader import load_bank
from app.bank.schema import TOPICS, Question
from app.bank.validate import stats, validate_bank
from tests.conftest import MINI_BANK


def _raw() -> dict:
    return yaml.safe_load((MINI_BANK / "mini.yaml").read_text(encoding="utf-8"))[0]


def test_load_mini_bank_parses_every_question() -> None:
    result = load_bank(MINI_BANK)
    assert result.errors == []
    assert len(result.questions) == 5
    assert {q.topic for q in result.questions} <= set(TOPICS)


def test_schema_rejects_unknown_topic_and_role() -> None:
    raw = _raw() | {"topic": "astrology"}
    with pytest.raises(ValidationError, match="unknown topic"):
        Question.model_validate(raw)
    raw = _raw() | {"roles": ["wizard"]}
    with pytest.raises(ValidationError, match="unknown roles"):
        Question.model_validate(raw)


def test_schema_rejects_too_few_key_points_and_extra_keys() -> None:
    with pytest.raises(ValidationError):
        Question.model_validate(_raw() | {"key_points": ["один пункт ответа"]})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Question.model_validate(_raw() | {"score": 10})


def test_schema_requires_id_prefixed_by_topic() -> None:
    with pytest.raises(ValidationError, match="must start with its topic"):
        Question.model_validate(_raw() | {"id": "nlp.overfitting"})


def test_loader_reports_broken_yaml_without_stopping(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- id: [unclosed", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump([_raw()], allow_unicode=True), encoding="utf-8")
    result = load_bank(tmp_path)
    assert len(result.questions) == 1
    assert [e.location for e in result.errors] == ["a.yaml"]


def test_validate_finds_duplicates_and_dangling_follow_ups(tmp_path: Path) -> None:
    first = _raw()
    second = _raw() | {"follow_ups": ["ml_basics.does_not_exist"]}
    (tmp_path / "x.yaml").write_text(
        yaml.safe_dump([first, second], allow_unicode=True), encoding="utf-8"
    )
    report = validate_bank(load_bank(tmp_path))
    assert not report.ok
    assert any("встречается 2" in e for e in report.errors)
    assert any("does_not_exist" in e for e in report.errors)


def test_validate_rejects_short_reference(tmp_path: Path) -> None:
    short = _raw() | {"reference_answer": "Переобучение — это плохо. " * 9}
    (tmp_path / "x.yaml").write_text(yaml.safe_dump([short], allow_unicode=True), encoding="utf-8")
    report = validate_bank(load_bank(tmp_path))
    assert any("слов" in e for e in report.errors)


def test_stats_count_by_topic_level_role() -> None:
    data = stats(load_bank(MINI_BANK))
    assert data["questions"] == 5
    assert data["by_topic"] == {
        "ml_basics": 1,
        "trees_ensembles": 2,
        "metrics_validation": 1,
        "deep_learning": 1,
    }
    assert data["by_level"] == {"junior": 2, "middle": 3}


def test_validate_checks_resources_and_atomic_key_points(tmp_path: Path) -> None:
    raw = _raw() | {
        "resources": [
            {"title": "Заметка", "url": "http://example.org/notes"},
            {"title": "https://example.org/a", "url": "https://example.org/a"},
        ],
        "key_points": [*_raw()["key_points"][:4], " ".join(["слово"] * 20)],
    }
    bare = _raw() | {"id": "ml_basics.no_resources", "resources": []}
    (tmp_path / "x.yaml").write_text(yaml.safe_dump([raw, bare], allow_unicode=True), "utf-8")
    errors = validate_bank(load_bank(tmp_path)).errors
    assert any("не https" in e for e in errors)
    assert any("нет названия" in e for e in errors)
    assert any("не атомарен" in e for e in errors)
    assert "ml_basics.no_resources: нужен хотя бы один материал для изучения" in errors


def test_validate_warns_about_topics_without_a_level() -> None:
    warnings = validate_bank(load_bank(MINI_BANK)).warnings
    assert "тема ml_basics: нет уровней middle, senior" in warnings
    assert "тема nlp без вопросов" in warnings
