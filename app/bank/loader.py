"""Read the curated bank from its YAML files, one file per topic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.bank.schema import Question


@dataclass(frozen=True)
class LoadError:
    """One problem found while reading the bank: where and what."""

    location: str
    message: str


@dataclass(frozen=True)
class LoadResult:
    questions: list[Question]
    errors: list[LoadError]


def bank_files(bank_dir: Path) -> list[Path]:
    """The YAML files of a bank folder, in a stable order."""
    return sorted(p for p in bank_dir.glob("*.yaml") if p.is_file())


def load_bank(bank_dir: Path) -> LoadResult:
    """Parse every YAML file under bank_dir; collect schema errors instead of stopping at the first."""
    if not bank_dir.is_dir():
        return LoadResult([], [LoadError(str(bank_dir), "папка банка вопросов не найдена")])
    questions: list[Question] = []
    errors: list[LoadError] = []
    for path in bank_files(bank_dir):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            errors.append(LoadError(path.name, f"не удалось прочитать YAML: {exc}"))
            continue
        items = raw or []
        if not isinstance(items, list):
            errors.append(LoadError(path.name, "файл должен содержать список вопросов"))
            continue
        for index, item in enumerate(items):
            location = f"{path.name}[{index}]"
            if isinstance(item, dict) and "id" in item:
                location = f"{path.name}:{item['id']}"
            try:
                questions.append(Question.model_validate(item))
            except ValidationError as exc:
                errors.append(LoadError(location, _short(exc)))
    return LoadResult(questions, errors)


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'вопрос'}: {err['msg']}" for err in exc.errors()
    )
