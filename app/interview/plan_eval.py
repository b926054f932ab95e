"""How well topic weights match vacancies labelled by hand: must-have topics in the top k, irrelevant ones out."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from app.bank.schema import TOPICS


class LabelledVacancy(BaseModel):
    id: str
    vacancy: str = Field(min_length=1)
    experience: str = ""
    must: list[str]
    irrelevant: list[str] = Field(default_factory=list)


def load_vacancies(path: Path) -> list[LabelledVacancy]:
    rows = [
        LabelledVacancy.model_validate(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for row in rows:
        unknown = set(row.must + row.irrelevant) - set(TOPICS)
        if unknown:
            raise ValueError(f"{row.id}: unknown topics {sorted(unknown)}")
    return rows


def judge_plans(
    rows: list[LabelledVacancy], ranked: list[list[str]], top: int = 5
) -> dict[str, object]:
    """Share of must-have topics in the top `top`, share of irrelevant ones there, and misses."""
    must = hit = irrelevant = wrong = 0
    misses = []
    for row, topics in zip(rows, ranked, strict=True):
        head = set(topics[:top])
        must += len(row.must)
        hit += len(set(row.must) & head)
        irrelevant += len(row.irrelevant)
        wrong += len(set(row.irrelevant) & head)
        missing, intruding = set(row.must) - head, set(row.irrelevant) & head
        if missing or intruding:
            misses.append(
                {"id": row.id, "missing": sorted(missing), "irrelevant_in_top": sorted(intruding)}
            )
    return {
        "n": len(rows),
        "top": top,
        "must_in_top": round(hit / must, 4) if must else None,
        "irrelevant_in_top": round(wrong / irrelevant, 4) if irrelevant else None,
        "misses": misses,
    }
