"""Bank checks beyond the schema: ids, references between questions, lengths, coverage."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from app.bank.loader import LoadResult
from app.bank.schema import TOPICS, Level, Question

MIN_REFERENCE_WORDS = 80
MAX_REFERENCE_WORDS = 250
MAX_KEY_POINT_WORDS = 16


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def validate_bank(loaded: LoadResult) -> Report:
    """Every problem found, as readable lines; errors fail the build, warnings do not."""
    report = Report(errors=[f"{e.location}: {e.message}" for e in loaded.errors])
    questions = loaded.questions
    counts = Counter(q.id for q in questions)
    report.errors += [f"{qid}: id встречается {n} раз(а)" for qid, n in counts.items() if n > 1]
    known = set(counts)
    for q in questions:
        words = word_count(q.reference_answer)
        if not MIN_REFERENCE_WORDS <= words <= MAX_REFERENCE_WORDS:
            report.errors.append(
                f"{q.id}: эталонный ответ {words} слов, нужно {MIN_REFERENCE_WORDS}-{MAX_REFERENCE_WORDS}"
            )
        for follow_up in q.follow_ups:
            if follow_up not in known:
                report.errors.append(f"{q.id}: follow-up {follow_up!r} нет в банке")
            elif follow_up == q.id:
                report.errors.append(f"{q.id}: follow-up ссылается на сам вопрос")
        if len(set(q.key_points)) != len(q.key_points):
            report.errors.append(f"{q.id}: ключевые пункты повторяются")
        report.errors += [
            f"{q.id}: ключевой пункт длиннее {MAX_KEY_POINT_WORDS} слов, он не атомарен: «{p}»"
            for p in q.key_points
            if word_count(p) > MAX_KEY_POINT_WORDS
        ]
        report.errors += _resource_errors(q)
    for topic in TOPICS:
        levels = {q.level for q in questions if q.topic == topic}
        if not levels:
            report.warnings.append(f"тема {topic} без вопросов")
        elif missing := [lv.value for lv in Level if lv not in levels]:
            report.warnings.append(f"тема {topic}: нет уровней {', '.join(missing)}")
    return report


def _resource_errors(q: Question) -> list[str]:
    if not q.resources:
        return [f"{q.id}: нужен хотя бы один материал для изучения"]
    errors = []
    urls = [str(r.url) for r in q.resources]
    if len(set(urls)) != len(urls):
        errors.append(f"{q.id}: материалы повторяются")
    for resource in q.resources:
        if resource.url.scheme != "https":
            errors.append(f"{q.id}: ссылка не https: {resource.url}")
        if not resource.url.host or "." not in resource.url.host:
            errors.append(f"{q.id}: у ссылки нет домена: {resource.url}")
        if resource.title.strip().startswith("http"):
            errors.append(f"{q.id}: у материала нет названия: {resource.url}")
    return errors


def stats(loaded: LoadResult) -> dict[str, object]:
    questions = loaded.questions
    return {
        "questions": len(questions),
        "by_topic": {t: n for t in TOPICS if (n := sum(q.topic == t for q in questions))},
        "by_level": dict(sorted(Counter(q.level.value for q in questions).items())),
        "by_role": dict(sorted(Counter(r for q in questions for r in q.roles).items())),
    }
