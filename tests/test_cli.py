"""The CLI contracts later checks rely on, run as a user runs them: a real process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI_BANK
from tests.grading.test_grader import GOOD, VAGUE


def _run(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **env_extra)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli")
    return {
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": str(root / "lancedb"),
        "FEEDBACKFIRST_EMBEDDING_CACHE": str(root / "embedding-cache.sqlite"),
        "FEEDBACKFIRST_DATABASE_URL": f"sqlite:///{root / 'ff.db'}",
        "FEEDBACKFIRST_DRAFTS_DIR": str(root / "drafts"),  # not the repository's reviewed drafts
        # `eval grading` also logs an MLflow run: into the test's folder, not var/.
        "FEEDBACKFIRST_MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}",
        "FEEDBACKFIRST_MLFLOW_ARTIFACTS": str(root / "mlartifacts"),
    }


def test_bank_stats_json_contract(cli_env: dict[str, str]) -> None:
    result = _run(["bank", "stats", "--json"], cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["questions"] == 5
    assert set(data) >= {"questions", "by_topic", "by_level"}
    assert sum(data["by_topic"].values()) == 5


def test_bank_validate_and_build(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert _run(["bank", "validate"], cli_env).returncode == 0
    broken = tmp_path / "bank"
    broken.mkdir()
    (broken / "x.yaml").write_text("- id: bad\n  topic: nope\n", encoding="utf-8")
    result = _run(["bank", "validate", "--bank-dir", str(broken)], cli_env)
    assert result.returncode == 1
    assert "ОШИБКА" in result.stdout
    built = _run(["bank", "build"], cli_env)
    assert built.returncode == 0, built.stderr
    assert "5 вопросов" in built.stdout


def test_grade_by_question_id_json_contract(cli_env: dict[str, str]) -> None:
    good = _run(
        ["grade", "--question-id", "ml_basics.overfitting_test", "--answer", GOOD, "--json"],
        cli_env,
    )
    vague = _run(
        ["grade", "--question-id", "ml_basics.overfitting_test", "--answer", VAGUE, "--json"],
        cli_env,
    )
    assert good.returncode == 0, good.stderr
    good_data, vague_data = json.loads(good.stdout), json.loads(vague.stdout)
    assert set(good_data) == {"score", "off_topic", "covered_key_points", "feedback"}
    assert 0 <= vague_data["score"] < good_data["score"] - 3 <= 10
    assert good_data["off_topic"] is False
    assert "Оценка" in good_data["feedback"]


def test_grade_with_inline_reference_and_key_points(cli_env: dict[str, str]) -> None:
    args = [
        "grade",
        "--question", "Что такое медиана?",
        "--reference", "Медиана делит упорядоченную выборку пополам и устойчива к выбросам.",
        "--key-point", "Медиана делит упорядоченную выборку пополам",
        "--key-point", "Медиана устойчива к выбросам",
        "--answer", "Медиана — середина отсортированной выборки. Выбросы на неё почти не влияют.",
        "--json",
    ]  # fmt: skip
    result = _run(args, cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["covered_key_points"] == [0, 1]


def test_grade_empty_answer_is_a_clear_error(cli_env: dict[str, str]) -> None:
    result = _run(
        ["grade", "--question-id", "ml_basics.overfitting_test", "--answer", " ", "--json"], cli_env
    )
    assert result.returncode == 1
    assert "пустой" in json.loads(result.stdout)["error"]


def test_bank_validate_reports_near_duplicate_pairs(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    raw = yaml.safe_load((MINI_BANK / "mini.yaml").read_text(encoding="utf-8"))
    twin = dict(raw[0], id="ml_basics.overfitting_twin")
    twin["question"] = "Что такое переобучение модели и как с ним бороться?"
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump([*raw, twin], allow_unicode=True), "utf-8")
    result = _run(["bank", "validate", "--bank-dir", str(tmp_path)], cli_env)
    assert result.returncode == 1
    assert (
        "ОШИБКА ml_basics.overfitting_test ~ ml_basics.overfitting_twin: почти дубликаты"
        in result.stdout
    )
    fast = _run(["bank", "validate", "--fast", "--bank-dir", str(tmp_path)], cli_env)
    assert fast.returncode == 0, fast.stdout


def test_eval_grading_contract(cli_env: dict[str, str], tmp_path: Path) -> None:
    raw = yaml.safe_load((MINI_BANK / "mini.yaml").read_text(encoding="utf-8"))[0]
    bank_row = {
        "question": raw["question"],
        "reference_answer": raw["reference_answer"],
        "max_score": 10,
    }
    median = {
        "question": "What is the median of a sample?",
        "reference_answer": "The median is the middle value of the sorted sample. It is robust to outliers.",
        "max_score": 5,
    }
    rows = [
        bank_row | {"id": 1, "answer": GOOD, "score": 9, "off_topic": False, "covered_key_points": [0, 1, 2, 3, 4], "kind": "excellent"},
        bank_row | {"id": 2, "answer": VAGUE, "score": 2, "off_topic": False, "covered_key_points": [], "kind": "superficial"},
        median | {"id": "m1", "answer": "It is the middle value once the data are sorted, and outliers barely move it.", "score": 5},
        median | {"id": "m2", "answer": "The median is the sum of all values divided by their number.", "score": 1},
    ]  # fmt: skip
    dataset = tmp_path / "dev.jsonl"
    dataset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    metrics_path, preds_path = tmp_path / "metrics.json", tmp_path / "preds.jsonl"
    result = _run(
        [
            "eval",
            "grading",
            str(dataset),
            "--output",
            str(metrics_path),
            "--predictions",
            str(preds_path),
        ],
        cli_env,
    )
    assert result.returncode == 0, result.stderr
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    assert metrics["n"] == 4
    assert {
        "pearson",
        "spearman",
        "quadratic_weighted_kappa",
        "mae",
        "off_topic",
        "key_points",
        "by_kind",
    } <= set(metrics)
    assert metrics["questions"] == 2 and metrics["questions_from_bank"] == 1
    preds = {
        p["id"]: p for p in map(json.loads, preds_path.read_text(encoding="utf-8").splitlines())
    }
    assert set(preds) == {"1", "2", "m1", "m2"}
    assert set(preds["m1"]) == {"id", "score", "off_topic", "covered_key_points"}
    assert preds["1"]["score"] > preds["2"]["score"]
    assert preds["m1"]["score"] > preds["m2"]["score"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "question": "q"}\n', "utf-8")
    bad = _run(
        [
            "eval",
            "grading",
            str(broken),
            "--output",
            str(metrics_path),
            "--predictions",
            str(preds_path),
        ],
        cli_env,
    )
    assert bad.returncode == 1
    assert "broken.jsonl:1" in bad.stderr


def test_plan_contract(cli_env: dict[str, str], tmp_path: Path) -> None:
    vacancy = tmp_path / "vacancy.txt"
    vacancy.write_text(
        "Команда кредитного скоринга. Задачи: модели риска дефолта на CatBoost и LightGBM, "
        "контроль качества моделей на отложенной выборке.",
        "utf-8",
    )
    result = _run(["plan", "--vacancy", str(vacancy), "--level", "junior", "--json"], cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    weights = [t["weight"] for t in data["topics"]]
    assert set(data) == {"topics", "questions"}
    assert weights == sorted(weights, reverse=True) and len(weights) == 19
    assert "trees_ensembles" in {t["id"] for t in data["topics"][:2]}
    assert data["questions"] and all(isinstance(q, str) for q in data["questions"])
    binary = tmp_path / "vacancy.pdf"
    binary.write_bytes(b"%PDF-1.4 broken")
    bad = _run(["plan", "--vacancy", str(binary), "--json"], cli_env)
    assert bad.returncode == 1
    assert "PDF" in json.loads(bad.stdout)["error"]
