"""Feedback quality with Ragas: does the feedback name the gaps the expert saw?

Offline (no LLM): the key points a feedback lists under «Чего не хватает» are the retrieved
contexts, the key points the expert did not tick are the reference; Ragas' non-LLM context
precision and recall compare them. With an LLM configured, a rubric judge (Ragas
DomainSpecificRubrics) also scores how specific, correct and actionable each feedback is, 1..5.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from app.config import Settings
from app.errors import InvalidAnswer
from app.grading.dataset import GradedAnswer
from app.grading.evaluate import EvaluationTargets
from app.grading.grader import Grader
from evaluation.ragas_metrics import (
    exact_context_precision,
    exact_context_recall,
    mean,
    score_all,
)
from evaluation.tracking import no_telemetry

log = logging.getLogger("feedbackfirst.eval")

MISSING_HEADER = "**Чего не хватает**"
RUBRIC = {
    "score1_description": "Разбор не относится к ответу кандидата или противоречит эталону.",
    "score2_description": "Разбор называет пробелы неверно: хвалит отсутствующее или требует лишнего.",
    "score3_description": "Разбор в целом верен, но общий: не указывает, чего именно не хватает.",
    "score4_description": "Разбор верно называет сильные стороны и пробелы, совет есть, но не конкретный.",
    "score5_description": "Разбор точен, конкретен (цитирует ответ и эталон) и даёт выполнимый совет.",
}


@dataclass(frozen=True)
class FeedbackCase:
    id: str
    question: str
    answer: str
    reference: str
    feedback: str
    named_missing: list[str]  # key points the feedback lists as missing
    expert_missing: list[str] | None  # None when the expert did not tick key points


def named_missing(feedback: str) -> list[str]:
    """The items of the feedback's «Чего не хватает» list (not their reference excerpts)."""
    lines = feedback.splitlines()
    if MISSING_HEADER not in lines:
        return []
    items = []
    for line in lines[lines.index(MISSING_HEADER) + 1 :]:
        if not line.strip() or line.startswith("**"):
            break
        if line.startswith("- "):
            items.append(line[2:].strip())
    return items


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def feedback_cases(
    rows: list[GradedAnswer], targets: EvaluationTargets, grader: Grader
) -> list[FeedbackCase]:
    cases = []
    for row in rows:
        target = targets.by_question[_key(row.question)]
        try:
            grade = grader.grade(target, row.answer)
        except InvalidAnswer:
            continue
        expert = None
        if row.covered_key_points is not None:
            ticked = set(row.covered_key_points)
            expert = [p for i, p in enumerate(target.key_points) if i not in ticked]
        cases.append(
            FeedbackCase(
                row.id,
                row.question,
                row.answer,
                target.reference_answer,
                grade.feedback,
                named_missing(grade.feedback),
                expert,
            )
        )
    return cases


def gap_metrics(cases: list[FeedbackCase]) -> dict[str, object]:
    """Precision: named gaps the expert agrees are gaps; recall: expert gaps the feedback names.

    A feedback naming gaps where the expert saw none scores precision 0; one naming none where
    the expert saw some scores recall 0 (Ragas needs both sides non-empty, so these are direct).
    """
    from ragas.dataset_schema import SingleTurnSample

    judged = [c for c in cases if c.expert_missing is not None]
    both = [c for c in judged if c.named_missing and c.expert_missing]
    samples = [
        SingleTurnSample(retrieved_contexts=c.named_missing, reference_contexts=c.expert_missing)
        for c in both
    ]
    precision = score_all(exact_context_precision().single_turn_ascore, samples)
    recall = score_all(exact_context_recall().single_turn_ascore, samples)
    precision += [0.0 for c in judged if c.named_missing and not c.expert_missing]
    recall += [0.0 for c in judged if c.expert_missing and not c.named_missing]
    return {
        "gap_precision": mean(precision),
        "gap_recall": mean(recall),
        "gap_precision_n": len(precision),
        "gap_recall_n": len(recall),
        "cases": len(cases),
    }


def llm_rubric_scores(cases: list[FeedbackCase], settings: Settings) -> list[float]:
    """1..5 per feedback from the configured LLM; a case the LLM fails on is left out."""
    no_telemetry()
    import openai
    from ragas.llms import llm_factory
    from ragas.metrics.collections import DomainSpecificRubrics

    assert settings.llm_base_url and settings.llm_model  # noqa: S101 - checked by the caller
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    client = openai.AsyncOpenAI(
        base_url=settings.llm_base_url,
        api_key=key,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
    )
    judge = DomainSpecificRubrics(
        llm=llm_factory(settings.llm_model, client=client), rubrics=RUBRIC, with_reference=True
    )

    async def run() -> list[float]:
        scores = []
        for case in cases:
            try:
                result = await judge.ascore(
                    user_input=f"Вопрос: {case.question}\nОтвет кандидата: {case.answer}",
                    response=case.feedback,
                    reference=case.reference,
                )
            except Exception as exc:  # noqa: BLE001 - one failed judgement is left out
                log.warning("LLM judge failed on %s: %s", case.id, exc)
                continue
            scores.append(float(result.value))
        return scores

    return asyncio.run(run())


def feedback_metrics(
    cases: list[FeedbackCase], settings: Settings, judge_limit: int = 20
) -> dict[str, object]:
    metrics = gap_metrics(cases)
    if settings.llm_configured and judge_limit > 0:
        scores = llm_rubric_scores(cases[:judge_limit], settings)
        metrics |= {"llm_rubric_mean": mean(scores), "llm_rubric_n": len(scores)}
    else:
        metrics |= {"llm_rubric_mean": None, "llm_rubric_n": 0}
    return metrics
