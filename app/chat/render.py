"""Markdown the chat shows; pure functions so they are tested without a browser."""

from __future__ import annotations

from app.bank.schema import Question
from app.grading.feedback import escape_md
from app.interview.progress import StudyItem, TopicProgress
from app.interview.service import Summary
from app.interview.topics import topic_title

LEVEL_TITLES = {"junior": "Junior", "middle": "Middle", "senior": "Senior"}

WELCOME = (
    "## Добро пожаловать в FeedbackFirst!\n"
    "Это тренажёр собеседований по машинному обучению. Я задам несколько вопросов, "
    "разберу каждый ответ: что сказано верно, чего не хватает и как ответить сильнее. "
    "Ответ можно переписать и получить новую оценку.\n\n"
    "**Для какого уровня позиции готовимся?**"
)

CHOOSE_MODE = "**Как выберем темы?** Можно вставить текст вакансии, выбрать одну тему или пройти смешанное интервью."
ASK_VACANCY = (
    "Вставьте текст вакансии, прикрепите файл (.txt, .pdf или .docx — скрепка у поля ввода) "
    "или перечислите, что хотите потренировать (например: «градиентный бустинг, метрики "
    "классификации, SQL»)."
)
ASK_EXPERIENCE = (
    "Коротко расскажите о своём опыте: чем занимались, с какими моделями и данными работали. "
    "Я учту это в плане. Можно пропустить."
)
ASK_START_CONFIDENCE = (
    "**Перед началом: насколько уверенно вы себя чувствуете в этих темах?** "
    "1 — совсем неуверенно, 5 — уверенно."
)
CHOOSE_EXTRA_TOPIC = "**Какую тему добавить?**"
CHOOSE_TOPIC = "**Выберите тему:**"
ANSWER_HINT = "_Напишите ответ одним сообщением — так, как сказали бы на собеседовании._"
RETRY_HINT = "Напишите улучшенный ответ на тот же вопрос — я оценю его заново."
NOT_STARTED = "Сначала выберите параметры интервью кнопками выше."
FINISHED = "Интервью завершено. Чтобы начать новое, нажмите «Новое интервью»."
RESUMED = "С возвращением! Продолжаем интервью с того места, где остановились."
RESUMED_FINISHED = "С возвращением! Это интервью завершено — можно начать новое."
MY_DATA = (
    "Ваши данные: можно скачать всё, что мы храним о вас (JSON), или удалить это безвозвратно."
)
EXPORT_READY = "Файл с вашими данными готов:"
ASK_DELETE = (
    "**Удалить все ваши данные?** Ответы, оценки, история интервью и аккаунт будут удалены "
    "безвозвратно."
)
DELETED = "Ваши данные удалены. Чтобы начать заново, выйдите и войдите снова."
DELETE_CANCELLED = "Удаление отменено, данные на месте."
ACCOUNT_GONE = "Данные этого аккаунта удалены. Выйдите и войдите снова, чтобы начать заново."
NO_QUESTIONS = "Подходящих вопросов больше нет — подводим итоги."
GRADING_FAILED = (
    "Не удалось проанализировать ответ, но он сохранён. Попробуйте отправить его ещё раз "
    "или перейдите к следующему вопросу."
)
RATE_FEEDBACK = "Спасибо! Насколько полезен был разбор — от 1 (бесполезен) до 5 (очень полезен)?"
THANKS_FOR_RATING = "Спасибо, оценка сохранена — она помогает сделать разборы лучше."
ASK_CONFIDENCE = (
    "\n\n**Насколько уверенно вы теперь чувствуете себя в этих темах?** "
    "1 — совсем неуверенно, 5 — уверенно."
)
START_FAILED = "Не удалось подготовить интервью. Обновите страницу и попробуйте ещё раз."


def questions(count: int) -> str:
    """«3 вопроса», «5 вопросов», «21 вопрос»."""
    if count % 10 == 1 and count % 100 != 11:
        return f"{count} вопрос"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return f"{count} вопроса"
    return f"{count} вопросов"


def plan_text(level: str, plan: list[tuple[str, float]], count: int) -> str:
    """The plan before the start: topics with their share, editable with the buttons."""
    lines = [
        f"**План интервью:** уровень {LEVEL_TITLES.get(level, level)}, {questions(count)}.",
        "",
        "| Тема | Вес |",
        "|---|---|",
    ]
    lines += [f"| {topic_title(topic)} | {round(weight * 100)}% |" for topic, weight in plan]
    lines.append(
        "\nМожно убрать или добавить тему и выбрать число вопросов; затем «Начать интервью»."
    )
    return "\n".join(lines)


def question_header(question: Question, number: int, total: int) -> str:
    level = LEVEL_TITLES.get(question.level.value, question.level.value)
    return f"**Вопрос {number} из {total}** · {topic_title(question.topic)} · {level}\n\n"


def question_text(question: Question, number: int, total: int) -> str:
    return f"{question_header(question, number, total)}### {question.question}\n\n{ANSWER_HINT}"


def phrased_question_tail(question: Question) -> str:
    """Under the interviewer's wording, the bank question it stands for."""
    return f"\n\n> _Вопрос из банка: {escape_md(question.question)}_\n\n{ANSWER_HINT}"


FOLLOW_UP_HEADER = "**Уточняющий вопрос интервьюера:** "
FOLLOW_UP_HINT = (
    "\n\n_Ответьте одним сообщением — я оценю ответ вместе с предыдущим. "
    "Или перейдите к следующему вопросу._"
)


def summary_text(summary: Summary) -> str:
    lines = ["## Итоги интервью"]
    if summary.average is not None:
        lines.append(f"Средняя оценка: **{summary.average:g}/10**.")
    lines.append("")
    lines.append("| # | Тема | Вопрос | Лучшая оценка | Попыток |")
    lines.append("|---|---|---|---|---|")
    for i, r in enumerate(summary.results, 1):
        score = "пропущен" if r.skipped else ("—" if r.best_score is None else f"{r.best_score:g}")
        lines.append(
            f"| {i} | {topic_title(r.topic)} | {escape_md(r.question)} | {score} | {r.attempts} |"
        )
    if summary.weak_topics:
        lines.append(
            "\n**Что подтянуть:** " + ", ".join(topic_title(t) for t in summary.weak_topics) + "."
        )
    elif summary.results:
        lines.append("\nВсе вопросы отвечены уверенно — попробуйте уровень выше.")
    lines.extend(progress_lines(summary.progress))
    lines.extend(study_lines(summary.study))
    return "\n".join(lines)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def progress_lines(progress: list[TopicProgress]) -> list[str]:
    """Per-topic mean score now vs earlier sessions (the chart shows the same)."""
    if not any(p.before is not None for p in progress):
        return []
    lines = ["\n### Прогресс по темам", "| Тема | Раньше | Сейчас |", "|---|---|---|"]
    lines += [
        f"| {topic_title(p.topic)} | {_score(p.before)} | {_score(p.now)} |"
        for p in progress
        if p.now is not None
    ]
    return lines


KIND_TITLES = {"resource": "Изучить", "topic": "Повторить", "practice": "Потренировать вопрос"}


def study_lines(study: list[StudyItem]) -> list[str]:
    """Numbered recommendations; the numbers match the «Сделано» buttons."""
    if not study:
        return []
    lines = ["\n### Рекомендации", "Отметьте кнопкой «Сделано N», когда разберёте пункт."]
    for number, item in enumerate(study, 1):
        title = escape_md(item.title)
        text = f"[{title}]({item.url})" if item.url else title
        mark = " ✅" if item.done else ""
        lines.append(
            f"{number}. {KIND_TITLES.get(item.kind, '')} ({topic_title(item.topic)}): {text}{mark}"
        )
    return lines
