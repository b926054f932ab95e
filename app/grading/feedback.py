"""Russian feedback built from the analysis: strengths, gaps with reference excerpts, one tip."""

from __future__ import annotations

import re

from app.grading.analysis import Analysis, GradingTarget, KeyPointEvidence
from app.nlp.text import content_lemmas, sentences

MAX_EXCERPT_CHARS = 260
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape_md(text: str) -> str:
    """Text of the candidate's shown inside our markdown stays plain text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _quote(text: str, limit: int = MAX_EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def reference_excerpt(reference: str, key_point: str) -> str:
    """The sentence of the reference answer that states a key point best (by shared lemmas)."""
    point = set(content_lemmas(key_point))
    candidates = sentences(reference) or [reference]
    best = max(candidates, key=lambda s: len(point & set(content_lemmas(s))))
    return _quote(best)


def score_word(score: float) -> str:
    if score >= 8.5:
        return "отличный ответ"
    if score >= 6.5:
        return "хороший ответ"
    if score >= 4.0:
        return "частичный ответ"
    if score > 0:
        return "слабый ответ"
    return "ответа нет"


def _suggestion(analysis: Analysis, missing: list[KeyPointEvidence]) -> str:
    if analysis.off_topic.flagged:
        return (
            "Перечитайте вопрос и начните ответ прямо с него: первой фразой дайте определение, "
            "затем объясните, как это работает, и приведите пример."
        )
    if analysis.word_count < 25:
        return (
            "Раскройте ответ полнее: определение → как это работает → пример из практики. "
            f"Начните, например, с мысли: «{missing[0].text if missing else 'главное определение'}»."
        )
    if missing:
        return (
            f"Добавьте в ответ ключевую мысль «{missing[0].text}» и поясните её своим примером — "
            "интервьюер ждёт её в первую очередь."
        )
    return (
        "Ответ покрывает все ключевые пункты. Чтобы звучать как senior, добавьте ограничения "
        "подхода и пример, когда вы применяли его на практике."
    )


def compose_feedback(
    score: float, analysis: Analysis, target: GradingTarget, dont_know: bool = False
) -> str:
    """Markdown feedback in Russian, specific to this answer."""
    lines = [f"**Оценка: {score:g}/10** — {score_word(score)}."]
    if dont_know:
        lines.append(
            "\nЧестно сказать «не знаю» лучше, чем выдумывать, но баллов за это нет. "
            "Вот что стоило бы сказать:"
        )
    if analysis.injections:
        lines.append("\n⚠️ Инструкции оценщику внутри ответа не учитываются и баллов не добавляют.")
    if analysis.off_topic.flagged:
        if analysis.off_topic.closer_question:
            lines.append(
                "\n**Ответ не по вопросу.** Похоже на ответ про другое: "
                f"«{_quote(analysis.off_topic.closer_question, 160)}»."
            )
        else:
            lines.append("\n**Ответ не по вопросу:** в нём почти нет того, о чём спрашивали.")

    covered = [kp for kp in analysis.key_points if kp.covered]
    missing = [kp for kp in analysis.key_points if not kp.covered]
    if covered and not dont_know:
        lines.append("\n**Что получилось**")
        for kp in covered:
            said = f" — у вас: «{escape_md(_quote(kp.sentence, 160))}»" if kp.sentence else ""
            lines.append(f"- {kp.text}{said}")
    if missing:
        lines.append("\n**Чего не хватает**")
        shown: set[str] = set()
        for kp in missing:
            lines.append(f"- {kp.text}")
            excerpt = reference_excerpt(target.reference_answer, kp.text)
            if excerpt not in shown:  # one reference sentence often states two points
                shown.add(excerpt)
                lines.append(f"  - _Из эталона:_ «{excerpt}»")
    lines.append(f"\n**Как улучшить.** {_suggestion(analysis, missing)}")
    return "\n".join(lines)
