"""Bank checks beyond the schema: ids, references between questions, lengths, coverage."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from app.bank.loader import LoadResult
from app.bank.schema import TOPICS

MIN_REFERENCE_WORDS = 80
MAX_REFERENCE_WORDS = 250


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
    present = {q.topic for q in questions}
    report.warnings += [f"тема {t} без вопросов" for t in TOPICS if t not in present]
    return report


def stats(loaded: LoadResult) -> dict[str, object]:
    questions = loaded.questions
    return {
        "questions": len(questions),
        "by_topic": {t: n for t in TOPICS if (n := sum(q.topic == t for q in questions))},
        "by_level": dict(sorted(Counter(q.level.value for q in questions).items())),
        "by_role": dict(sorted(Counter(r for q in questions for r in q.roles).items())),
    }
