"""The LLM's three jobs in an interview: phrase a question, ask a follow-up, explain a grade."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from app.bank.schema import Question
from app.grading.grader import Grade
from app.interview.service import PARTIAL_SCORES
from app.llm.client import LLMClient, Messages, Usage
from app.llm.prompts import load_prompt
from app.llm.schemas import FeedbackReply

BEGIN, END = "<<<ДАННЫЕ_ПОЛЬЗОВАТЕЛЯ", "ДАННЫЕ_ПОЛЬЗОВАТЕЛЯ>>>"
MAX_DATA_CHARS = 8000
_SCORE_CLAIM = re.compile(
    r"[^.!?\n]*(\b\d{1,2}\s*/\s*10\b|\bбалл\w*|\bоценк\w*\s+\d)[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)


def delimited(text: str) -> str:
    """User text as inert data: the markers cannot be closed from inside it."""
    clean = text.replace(BEGIN, "").replace(END, "")[:MAX_DATA_CHARS]
    return f"{BEGIN}\n{clean}\n{END}"


def question_messages(question: Question, level: str, vacancy_text: str | None) -> Messages:
    """Only the question, never its reference: the candidate has not answered yet."""
    parts = [f"Уровень кандидата: {level}.", f"Вопрос из банка: {question.question}"]
    if vacancy_text:
        parts.append("Вакансия (данные пользователя):\n" + delimited(vacancy_text[:3000]))
    return [
        {"role": "system", "content": load_prompt("interviewer").text},
        {"role": "user", "content": "\n\n".join(parts)},
    ]


def wants_follow_up(grade: Grade, attempt: int) -> bool:
    """A first, on-topic, partial answer: a live interviewer would dig in once."""
    low, high = PARTIAL_SCORES
    missing = len(grade.analysis.key_points) - len(grade.covered_key_points)
    return attempt == 1 and not grade.off_topic and low <= grade.score < high and missing > 0


def follow_up_messages(question: Question, answer: str, grade: Grade) -> Messages:
    missing = [kp.text for kp in grade.analysis.key_points if not kp.covered]
    user = (
        f"Вопрос: {question.question}\n\n"
        "Пункты, которые кандидат не раскрыл (не называй их прямо):\n- "
        + "\n- ".join(missing)
        + "\n\nОтвет кандидата:\n"
        + delimited(answer)
    )
    return [
        {"role": "system", "content": load_prompt("follow_up").text},
        {"role": "user", "content": user},
    ]


def feedback_messages(question: Question, answer: str, grade: Grade) -> Messages:
    covered = [kp.text for kp in grade.analysis.key_points if kp.covered]
    missing = [kp.text for kp in grade.analysis.key_points if not kp.covered]
    mistakes = [f"«{m.sentence}» — верно: {m.correction}" for m in grade.analysis.mistakes]
    user = "\n\n".join(
        [
            f"Вопрос: {question.question}",
            f"Эталонный ответ: {question.reference_answer}",
            "Засчитанные пункты:\n- " + ("\n- ".join(covered) or "нет"),
            "Незасчитанные пункты:\n- " + ("\n- ".join(missing) or "нет"),
            "Найденные системой ошибки:\n- " + ("\n- ".join(mistakes) or "нет"),
            "Ответ кандидата:\n" + delimited(answer),
        ]
    )
    return [
        {"role": "system", "content": load_prompt("feedback").text},
        {"role": "user", "content": user},
    ]


async def phrase_question(
    llm: LLMClient, question: Question, level: str, vacancy_text: str | None, usage: Usage
) -> AsyncIterator[str]:
    async for piece in llm.stream(question_messages(question, level, vacancy_text), usage):
        yield piece


async def ask_follow_up(
    llm: LLMClient, question: Question, answer: str, grade: Grade, usage: Usage
) -> AsyncIterator[str]:
    async for piece in llm.stream(follow_up_messages(question, answer, grade), usage):
        yield piece


async def explain_grade(
    llm: LLMClient, question: Question, answer: str, grade: Grade, usage: Usage
) -> FeedbackReply:
    return await llm.structured(feedback_messages(question, answer, grade), FeedbackReply, usage)


def without_scores(text: str) -> str:
    """The score is the grader's alone: drop any sentence of the LLM that states one."""
    return _SCORE_CLAIM.sub("", text).strip()


def render_feedback(reply: FeedbackReply) -> str:
    """Markdown for the chat; every piece passes through `without_scores`."""
    lines = ["### Разбор интервьюера"]
    errors = [e for e in reply.errors if without_scores(e.statement)]
    if errors:
        lines.append("**Что неверно:**")
        lines += [
            f"- {without_scores(e.statement)} — {without_scores(e.why)} "
            f"**Верно:** {without_scores(e.correction)}"
            for e in errors
        ]
    missing = [without_scores(m) for m in reply.missing]
    if any(missing):
        lines.append("**Чего не хватило:**")
        lines += [f"- {m}" for m in missing if m]
    improved = without_scores(reply.improved_answer)
    if improved:
        lines.append("**Как мог бы звучать ваш ответ:**")
        lines += [f"> {line}" if line.strip() else ">" for line in improved.splitlines()]
    if reply.tip and without_scores(reply.tip):
        lines.append(f"**Совет:** {without_scores(reply.tip)}")
    return "\n".join(lines)
