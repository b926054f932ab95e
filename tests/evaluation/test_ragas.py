"""Ragas on question selection (retrieval) and on the feedback, offline and with an LLM judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient
from typer.testing import CliRunner

from app.bank.store import QuestionStore
from app.cli import cli
from app.config import Settings
from app.grading.dataset import load_dataset
from app.grading.evaluate import build_targets
from app.grading.grader import Grader
from app.interview.plan_eval import load_vacancies
from app.nlp.embedder import Embedder
from app.pilot.memo import MemoEmbedder
from evaluation.feedback_quality import (
    FeedbackCase,
    feedback_cases,
    feedback_metrics,
    gap_metrics,
    named_missing,
)
from evaluation.retrieval import PlannedVacancy, plan_vacancies, retrieval_metrics
from tests.conftest import MINI_BANK
from tests.llm_server import FakeLLM, Reply


def test_retrieval_metrics_match_hand_computed_ranked_precision_and_recall() -> None:
    planned = [
        # Relevant at ranks 1 and 3 of 3: AP = (1/1 + 2/3) / 2; one of two must topics covered.
        PlannedVacancy("a", ["x", "y"], ["z"], ["q1", "q2", "q3"], ["x", "z", "x"]),
        # Nothing relevant retrieved.
        PlannedVacancy("b", ["y"], [], ["q4"], ["z"]),
        # No plan at all: skipped, not scored as zero.
        PlannedVacancy("c", ["x"], [], [], []),
    ]
    m = retrieval_metrics(planned)
    assert m["n"] == 2 and m["skipped"] == 1
    assert m["context_precision"] == pytest.approx(((1 + 2 / 3) / 2 + 0) / 2, abs=1e-4)
    assert m["context_recall"] == pytest.approx((1 / 2 + 0) / 2)
    assert m["id_context_precision"] == pytest.approx((1 / 2 + 0) / 2)  # distinct topics
    assert m["id_context_recall"] == m["context_recall"]
    assert m["irrelevant_question_share"] == pytest.approx(1 / 3, abs=1e-4)


def test_plans_of_labelled_vacancies_are_scored(
    mini_index: str, embedder: Embedder, vacancies_dataset: Path
) -> None:
    store = QuestionStore(mini_index, MemoEmbedder(embedder))
    planned = plan_vacancies(store, load_vacancies(vacancies_dataset), count=3)
    # One question per topic in the mini bank: a plan may come out shorter than asked.
    assert all(p.topics and len(p.topics) == len(p.question_ids) <= 3 for p in planned)
    m = retrieval_metrics(planned)
    # The mini bank holds the must-have topics, so a working planner finds most of them.
    assert m["n"] == 3
    assert m["context_recall"] >= 0.6  # type: ignore[operator]
    assert 0 < m["context_precision"] <= 1  # type: ignore[operator]


@pytest.fixture(scope="module")
def cases(graded_dataset: Path, store: QuestionStore, embedder: Embedder) -> list[FeedbackCase]:
    rows = load_dataset(graded_dataset)[:6]  # two questions: all points, one point, off topic
    targets = build_targets(rows, embedder, store)
    return feedback_cases(rows, targets, Grader(embedder, targets.neighbours))


def test_feedback_names_gaps_the_expert_sees(cases: list[FeedbackCase]) -> None:
    by_id = {c.id: c for c in cases}
    one_point = next(c for i, c in by_id.items() if i.endswith(":one"))
    assert one_point.expert_missing and one_point.named_missing
    assert set(one_point.named_missing) <= set(one_point.expert_missing) | {
        one_point.expert_missing[0]
    }
    m = gap_metrics(cases)
    assert m["cases"] == len(cases) == 6
    assert m["gap_recall"] is not None and m["gap_recall"] >= 0.5  # type: ignore[operator]
    assert m["gap_precision"] is not None and m["gap_precision"] > 0.5  # type: ignore[operator]


def test_gap_metrics_score_the_edge_cases_directly() -> None:
    def case(named: list[str], expert: list[str] | None) -> FeedbackCase:
        return FeedbackCase("i", "q", "a", "r", "f", named, expert)

    m = gap_metrics(
        [
            case(["p1", "p2"], ["p1"]),  # precision AP over [1, 0] = 1, recall 1
            case(["p1"], []),  # named a gap where the expert saw none: precision 0
            case([], ["p3"]),  # named none of the expert's: recall 0
            case(["p1"], None),  # not ticked by the expert: not judged
        ]
    )
    assert (m["gap_precision_n"], m["gap_recall_n"]) == (2, 2)
    assert m["gap_precision"] == pytest.approx(0.5, abs=1e-4)
    assert m["gap_recall"] == pytest.approx(0.5)


def test_named_missing_reads_only_the_gap_list() -> None:
    feedback = (
        "**Оценка: 3/10** — слабый ответ.\n\n**Что получилось**\n- A — у вас: «a»\n"
        "\n**Чего не хватает**\n- B\n  - _Из эталона:_ «b»\n- C\n\n**Как улучшить.** D"
    )
    assert named_missing(feedback) == ["B", "C"]
    assert named_missing("**Оценка: 9/10**") == []


def test_llm_rubric_runs_only_with_an_llm_and_reads_its_scores(
    cases: list[FeedbackCase], tmp_path: Path
) -> None:
    offline = feedback_metrics(cases, Settings(_env_file=None), judge_limit=5)  # type: ignore[call-arg]
    assert offline["llm_rubric_n"] == 0 and offline["llm_rubric_mean"] is None

    def judge(body: dict[str, object]) -> str:
        prompt = json.dumps(body["messages"], ensure_ascii=False)
        score = 5 if "Чего не хватает" not in prompt else 3
        return json.dumps({"feedback": "ок", "score": score})

    with FakeLLM(responder=judge) as llm:
        llm.replies.append(Reply(status=500))  # the first case fails: left out, not a zero
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, llm_base_url=llm.base_url, llm_model="judge", llm_max_retries=0
        )
        judged = feedback_metrics(cases, settings, judge_limit=4)
        prompts = [r.text for r in llm.requests]
    assert judged["gap_recall"] == offline["gap_recall"]
    assert judged["llm_rubric_n"] == 3
    expected = [5 if "Чего не хватает" not in c.feedback else 3 for c in cases[1:4]]
    assert judged["llm_rubric_mean"] == pytest.approx(sum(expected) / 3, abs=1e-4)
    # The judge saw the candidate's answer, the feedback and the reference.
    assert any(cases[1].feedback.splitlines()[0] in p for p in prompts)
    assert any(cases[1].reference[:40] in p for p in prompts)


def test_eval_retrieval_command_writes_metrics_and_logs_to_mlflow(
    tmp_path: Path, vacancies_dataset: Path, mini_index: str
) -> None:
    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {
        "FEEDBACKFIRST_BANK_DIR": str(MINI_BANK),
        "FEEDBACKFIRST_LANCEDB_URI": mini_index,
        "FEEDBACKFIRST_MLFLOW_TRACKING_URI": tracking,
        "FEEDBACKFIRST_MLFLOW_ARTIFACTS": str(tmp_path / "artifacts"),
    }
    output = tmp_path / "retrieval.json"
    args = ["eval", "retrieval", str(vacancies_dataset), "--output", str(output), "--count", "3"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    metrics = json.loads(output.read_text("utf-8"))
    assert metrics["n"] == 3 and len(metrics["vacancies"]) == 3
    assert f"context_recall={metrics['context_recall']}" in result.stdout
    client = MlflowClient(tracking_uri=tracking)
    experiment = client.get_experiment_by_name("retrieval")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.data.metrics["context_recall"] == pytest.approx(metrics["context_recall"])
    assert run.data.params["questions_per_plan"] == "3"
    assert "retrieval.json" in {a.path for a in client.list_artifacts(run.info.run_id)}
