"""Question selection as retrieval: a vacancy's plan against its hand-labelled must-have topics.

The labelled set (evaluation/data/plan_vacancies_*.jsonl) names, per vacancy, the topics an
interview must cover. A planned question is relevant when its topic is one of them, so the
plan's questions are the retrieved contexts and the must-have topics the reference contexts.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.bank.store import QuestionStore
from app.interview.plan_eval import LabelledVacancy
from app.interview.planning import plan
from evaluation.ragas_metrics import (
    exact_context_precision,
    exact_context_recall,
    mean,
    score_all,
)


@dataclass(frozen=True)
class PlannedVacancy:
    id: str
    must: list[str]
    irrelevant: list[str]
    question_ids: list[str]
    topics: list[str]  # of the planned questions, in the order asked


def plan_vacancies(
    store: QuestionStore, rows: list[LabelledVacancy], count: int = 5, level: str = "middle"
) -> list[PlannedVacancy]:
    planned = []
    for row in rows:
        result = plan(store, row.vacancy, row.experience or None, level, count)
        topics = [store.get(q).topic for q in result.question_ids]
        planned.append(
            PlannedVacancy(row.id, row.must, row.irrelevant, result.question_ids, topics)
        )
    return planned


def retrieval_metrics(planned: list[PlannedVacancy]) -> dict[str, object]:
    """Ragas context precision (ranked) and recall of the planned questions' topics."""
    from ragas.dataset_schema import SingleTurnSample
    from ragas.metrics import IDBasedContextPrecision, IDBasedContextRecall

    usable = [p for p in planned if p.topics and p.must]
    texts = [
        SingleTurnSample(retrieved_contexts=p.topics, reference_contexts=p.must) for p in usable
    ]
    ids = [
        SingleTurnSample(retrieved_context_ids=p.topics, reference_context_ids=p.must)
        for p in usable
    ]
    precision, recall = exact_context_precision(), exact_context_recall()
    id_precision, id_recall = IDBasedContextPrecision(), IDBasedContextRecall()
    per_vacancy = {
        "context_precision": score_all(precision.single_turn_ascore, texts),
        "context_recall": score_all(recall.single_turn_ascore, texts),
        "id_context_precision": score_all(id_precision.single_turn_ascore, ids),
        "id_context_recall": score_all(id_recall.single_turn_ascore, ids),
    }
    irrelevant = [
        sum(t in p.irrelevant for t in p.topics) / len(p.topics) for p in usable if p.irrelevant
    ]
    metrics: dict[str, object] = {name: mean(values) for name, values in per_vacancy.items()}
    metrics |= {
        "irrelevant_question_share": mean(irrelevant),
        "n": len(usable),
        "skipped": len(planned) - len(usable),
        "vacancies": [
            {"id": p.id, "topics": p.topics, "must": p.must}
            | {name: round(values[i], 4) for name, values in per_vacancy.items()}
            for i, p in enumerate(usable)
        ],
    }
    return metrics
