"""Russian feedback built from the analysis: strengths, gaps with reference excerpts, one tip."""

from __future__ import annotations

import re

from app.grading.scoring import Scores
from app.grading.types import Analysis, GradingTarget, KeyPointEvidence
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
    """One concrete next step, chosen by what hurt this answer most."""
    s = analysis.structure
    if analysis.off_topic.flagged:
        return (
            "Перечитайте вопрос и начните ответ прямо с него: первой фразой дайте определение, "
            "затем объясните, как это работает, и приведите пример."
        )
    if analysis.mistakes:
        return (
            f"Исправьте ошибку: «{_quote(analysis.mistakes[0].correction, 200)}» — и объясните, "
            "почему это так; интервьюер почти наверняка переспросит именно здесь."
        )
    if s.term_list:
        return (
            "Вы перечислили термины, но не объяснили их. Возьмите два главных и для каждого "
            "скажите, что это, зачем нужно и как работает."
        )
    if analysis.word_count < 25:
        first = missing[0].text if missing else "главное определение"
        return (
            "Раскройте ответ полнее: определение → как это работает → пример из практики. "
            f"Начните, например, с мысли: «{first}»."
        )
    if s.filler_ratio > 0.03 or s.repeated_sentences or analysis.relevant_share < 0.6:
        return (
            "Сократите ответ до сути: уберите повторы и слова-паразиты, каждую фразу "
            "посвятите одной мысли по вопросу."
        )
    if missing:
        return (
            f"Добавьте в ответ ключевую мысль «{missing[0].text}» и поясните её своим примером — "
            "интервьюер ждёт её в первую очередь."
        )
    if not s.example:
        return "Содержание полное. Добавьте короткий пример из практики — так ответ запоминается."
    return (
        "Ответ покрывает все ключевые пункты. Чтобы звучать как senior, добавьте ограничения "
        "подхода и когда вы бы выбрали альтернативу."
    )


def _structure_notes(analysis: Analysis) -> list[str]:
    s = analysis.structure
    notes = []
    if s.term_list:
        notes.append("перечень терминов без объяснений")
    if s.repeated_sentences:
        notes.append(f"повторы ({s.repeated_sentences})")
    if s.filler_ratio > 0.03:
        notes.append("много слов-паразитов")
    if analysis.relevant_share < 0.6 and len(analysis.sentences) >= 4:
        notes.append("много фраз не по вопросу")
    if not s.definition and analysis.word_count >= 15:
        notes.append("нет определения в начале")
    if not s.example and analysis.word_count >= 15:
        notes.append("нет примера")
    return notes


def compose_feedback(
    scores: Scores, analysis: Analysis, target: GradingTarget, dont_know: bool = False
) -> str:
    """Markdown feedback in Russian, specific to this answer."""
    score = scores.overall
    lines = [f"**Оценка: {score:g}/10** — {score_word(score)}."]
    if dont_know:
        lines.append(
            "\nЧестно сказать «не знаю» лучше, чем выдумывать, но баллов за это нет. "
            "Вот что стоило бы сказать:"
        )
    else:
        lines.append(
            f"Правильность {scores.correctness:g}/10 · полнота {scores.completeness:g}/10 · "
            f"структура {scores.structure:g}/10."
        )
    if analysis.injections:
        lines.append(
            "\n⚠️ Инструкции оценщику внутри ответа не учитываются, а оценка такого ответа "
            "не выше 3/10: на собеседовании попытка повлиять на оценку говорит против кандидата."
        )
    if analysis.off_topic.flagged:
        if analysis.off_topic.closer_question:
            lines.append(
                "\n**Ответ не по вопросу.** Похоже на ответ про другое: "
                f"«{_quote(analysis.off_topic.closer_question, 160)}»."
            )
        else:
            lines.append("\n**Ответ не по вопросу:** в нём почти нет того, о чём спрашивали.")

    if analysis.mistakes:
        lines.append("\n**Ошибки**")
        for mistake in analysis.mistakes:
            lines.append(f"- У вас: «{escape_md(_quote(mistake.sentence, 160))}»")
            lines.append(f"  - _Верно:_ {_quote(mistake.correction, 220)}")
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
    notes = _structure_notes(analysis)
    if notes and not dont_know and analysis.sentences:
        lines.append(f"\n**Структура:** {', '.join(notes)}.")
    lines.append(f"\n**Как улучшить.** {_suggestion(analysis, missing)}")
    return "\n".join(lines)
