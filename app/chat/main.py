"""Chainlit handlers: a state machine over the interview service, all text in Russian."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.types import ThreadDict

from app.bootstrap import Services, shared_services
from app.chat import auth, render
from app.chat.charts import progress_chart
from app.chat.state import ChatState
from app.config import Settings
from app.errors import FeedbackFirstError, NotFound
from app.grading.grader import Grade
from app.interview.documents import read_document
from app.interview.topics import TOPIC_TITLES
from app.llm import interviewer
from app.llm.client import Usage

log = logging.getLogger("feedbackfirst.chat")

MIXED_TOPICS = [
    "ml_basics",
    "metrics_validation",
    "trees_ensembles",
    "deep_learning",
    "feature_engineering",
]
COUNTS = (3, 5, 8)

auth.register(Settings())


def services() -> Services:
    """Built once per server process, on the first chat or API call, not at import."""
    return shared_services()


def _state() -> ChatState:
    state = cl.user_session.get("state")
    assert isinstance(state, ChatState)  # noqa: S101 - set in on_chat_start
    return state


async def _say(
    content: str, actions: list[cl.Action] | None = None, edit: cl.Message | None = None
) -> cl.Message:
    """Send a message (or rewrite `edit` in place); the buttons of the previous one go away so
    nothing is clicked twice."""
    state = _state()
    for action in state.actions:
        await action.remove()
    state.actions = actions or []
    cl.user_session.set("chat", state.snapshot())
    if edit is not None:
        edit.content, edit.actions = content, state.actions
        await edit.update()
        return edit
    message = cl.Message(content=content, actions=state.actions)
    await message.send()
    return message


async def _say_streamed(
    head: str,
    make_pieces: Callable[[Usage], AsyncIterator[str]],
    tail: str,
    fallback: str | None,
    actions: list[cl.Action] | None = None,
) -> bool:
    """Stream the LLM's text into one message; on failure show `fallback` (or drop it).

    Returns whether the LLM text was shown. Token usage goes to the session either way.
    """
    state = _state()
    message = cl.Message(content=head)
    await message.send()
    usage = Usage()
    shown = False
    try:
        async for piece in make_pieces(usage):
            await message.stream_token(piece)
        shown = True
        message.content += tail
    except Exception as exc:  # noqa: BLE001 - whatever the LLM did, the interview goes on
        log.warning("LLM reply not used: %s", exc)
        if fallback is None:
            await message.remove()
            await _record_usage(usage)
            return False
        message.content = fallback
    # The previous message keeps its buttons until this one is really shown.
    for action in state.actions:
        await action.remove()
    state.actions = actions or []
    message.actions = state.actions
    await message.update()
    await _record_usage(usage)
    return shown


async def _record_usage(usage: Usage) -> None:
    state = _state()
    if state.session_id is None or not (usage.prompt_tokens or usage.completion_tokens):
        return
    await cl.make_async(services().interview.record_llm_usage)(
        state.session_id, state.candidate_id, usage.prompt_tokens, usage.completion_tokens
    )


def _button(name: str, label: str, **payload: str) -> cl.Action:
    return cl.Action(name=name, label=label, payload=payload)


@cl.on_chat_start
async def on_chat_start() -> None:
    try:
        svc = await cl.make_async(services)()
        candidate_id = auth.candidate_of(cl.user_session.get("user"))
        if candidate_id is None:
            candidate_id = await cl.make_async(svc.interview.new_candidate)()
        elif not await cl.make_async(svc.accounts.exists)(candidate_id):
            await cl.Message(content=render.ACCOUNT_GONE).send()
            return
    except Exception:
        log.exception("chat start failed")
        await cl.Message(content=render.START_FAILED).send()
        return
    cl.user_session.set("state", ChatState(candidate_id=candidate_id))
    await _welcome()


async def _welcome() -> None:
    await _say(
        render.WELCOME,
        [_button("level", title, level=level) for level, title in render.LEVEL_TITLES.items()],
    )


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """A signed-in candidate reopens a chat from the history: pick the interview up again."""
    candidate_id = auth.candidate_of(cl.user_session.get("user"))
    snapshot = cl.user_session.get("chat")
    svc = await cl.make_async(services)()
    if candidate_id is None or not await cl.make_async(svc.accounts.exists)(candidate_id):
        await cl.Message(content=render.ACCOUNT_GONE).send()
        return
    state = ChatState.restore(candidate_id, snapshot if isinstance(snapshot, dict) else {})
    cl.user_session.set("state", state)
    # Chainlit replaces the message list with the stored thread right after this hook returns,
    # which would wipe a message sent here; greet a moment later instead.
    task = asyncio.create_task(_greet_back(state))
    _background.add(task)
    task.add_done_callback(_background.discard)


_background: set[asyncio.Task[None]] = set()
RESUME_GREETING_DELAY = 0.5


async def _greet_back(state: ChatState) -> None:
    await asyncio.sleep(RESUME_GREETING_DELAY)
    if state.stage in {"question", "feedback"} and state.session_id:
        state.stage = "feedback"
        await _say(render.RESUMED, _continue_buttons()[1:])
    elif state.stage == "finished":
        await _say(render.RESUMED_FINISHED, _after_report_buttons())
    else:
        state.stage = "level"
        await _welcome()


@cl.action_callback("level")
async def on_level(action: cl.Action) -> None:
    state = _state()
    if state.stage != "level":
        return
    state.level = action.payload.get("level", "middle")
    if state.level not in render.LEVEL_TITLES:
        state.level = "middle"
    state.stage = "mode"
    await _say(
        render.CHOOSE_MODE,
        [
            _button("mode", "Вставить вакансию", mode="vacancy"),
            _button("mode", "Выбрать тему", mode="topic"),
            _button("mode", "Смешанное интервью", mode="mixed"),
        ],
    )


@cl.action_callback("mode")
async def on_mode(action: cl.Action) -> None:
    state = _state()
    if state.stage != "mode":
        return
    mode = action.payload.get("mode")
    if mode == "vacancy":
        state.stage = "vacancy"
        await _say(render.ASK_VACANCY)
    elif mode == "topic":
        state.stage = "topic"
        await _say(
            render.CHOOSE_TOPIC,
            [_button("topic", title, topic=topic) for topic, title in TOPIC_TITLES.items()],
        )
    else:
        share = round(1 / len(MIXED_TOPICS), 3)
        await _show_plan([(t, share) for t in MIXED_TOPICS])


@cl.action_callback("topic")
async def on_topic(action: cl.Action) -> None:
    state = _state()
    topic = action.payload.get("topic", "")
    if state.stage not in {"topic", "add_topic"} or topic not in TOPIC_TITLES:
        return
    if state.stage == "topic":
        await _show_plan([(topic, 1.0)])
    elif topic not in dict(state.plan):
        await _show_plan(_rescaled([*state.plan, (topic, 1 / (len(state.plan) + 1))]))


def _rescaled(plan: list[tuple[str, float]]) -> list[tuple[str, float]]:
    total = sum(w for _, w in plan) or 1.0
    return [(t, round(w / total, 3)) for t, w in plan]


async def _show_plan(plan: list[tuple[str, float]]) -> None:
    """The plan the candidate edits before the start: remove/add topics, number of questions."""
    state = _state()
    state.plan = plan
    if state.stage not in {"plan", "add_topic"}:
        state.count = services().settings.questions_per_session
    state.stage = "plan"
    buttons = [_button("plan_start", "Начать интервью")]
    if len(plan) > 1:
        buttons += [
            _button("plan_remove", f"Убрать: {TOPIC_TITLES.get(t, t)}", topic=t) for t, _ in plan
        ]
    if len(plan) < len(TOPIC_TITLES):
        buttons.append(_button("plan_add", "Добавить тему"))
    buttons += [
        _button("plan_count", f"Вопросов: {n}", count=str(n)) for n in COUNTS if n != state.count
    ]
    state.plan_message = await _say(
        render.plan_text(state.level, plan, state.count), buttons, edit=state.plan_message
    )


@cl.action_callback("plan_remove")
async def on_plan_remove(action: cl.Action) -> None:
    state = _state()
    topic = action.payload.get("topic", "")
    if state.stage == "plan" and len(state.plan) > 1:
        await _show_plan(_rescaled([p for p in state.plan if p[0] != topic]))


@cl.action_callback("plan_add")
async def on_plan_add(_action: cl.Action) -> None:
    state = _state()
    if state.stage != "plan":
        return
    state.stage = "add_topic"
    chosen = dict(state.plan)
    await _say(
        render.plan_text(state.level, state.plan, state.count) + "\n\n" + render.CHOOSE_EXTRA_TOPIC,
        [_button("topic", title, topic=t) for t, title in TOPIC_TITLES.items() if t not in chosen],
        edit=state.plan_message,
    )


@cl.action_callback("plan_count")
async def on_plan_count(action: cl.Action) -> None:
    state = _state()
    value = action.payload.get("count", "")
    if state.stage == "plan" and value.isdigit() and int(value) in COUNTS:
        state.count = int(value)
        await _show_plan(state.plan)


@cl.action_callback("plan_start")
async def on_plan_start(_action: cl.Action) -> None:
    state = _state()
    if state.stage != "plan" or not state.plan:
        return
    svc = services()
    state.session_id = await cl.make_async(svc.interview.start)(
        state.candidate_id,
        level=state.level,
        topics=[t for t, _ in state.plan],
        vacancy_text=state.vacancy,
        planned_questions=state.count,
        weights=dict(state.plan),
    )
    state.number = 0
    state.stage = "confidence"
    state.plan_message = None
    await _name_thread(state)
    await _say(
        render.ASK_START_CONFIDENCE, _confidence_buttons() + [_button("begin", "Пропустить")]
    )


async def _name_thread(state: ChatState) -> None:
    """The history sidebar shows each chat by its interview, not by the first button."""
    layer = get_data_layer()
    if layer is None:
        return
    titles = ", ".join(TOPIC_TITLES.get(t, t) for t, _ in state.plan[:3])
    name = f"{render.LEVEL_TITLES.get(state.level, state.level)}: {titles}"
    await layer.update_thread(cl.context.session.thread_id, name=name)


def _confidence_buttons() -> list[cl.Action]:
    return [_button("confidence", str(v), value=str(v)) for v in range(1, 6)]


@cl.action_callback("begin")
async def on_begin(_action: cl.Action) -> None:
    if _state().stage == "confidence":
        await _ask_next()


async def _ask_next() -> None:
    state = _state()
    assert state.session_id is not None  # noqa: S101 - a session exists past the plan stage
    svc = services()
    question = await cl.make_async(svc.interview.ask_next)(state.session_id, state.candidate_id)
    if question is None:
        if state.number == 0:
            await _say(render.NO_QUESTIONS)
        await _finish()
        return
    state.question_id = question.id
    state.follow_up_of = None
    state.number += 1
    state.stage = "question"
    total = state.count
    actions = [_button("skip", "Пропустить"), _button("finish", "Завершить")]
    llm = svc.llm
    if llm is None:
        await _say(render.question_text(question, state.number, total), actions)
        return
    session = await cl.make_async(svc.interview.session_context)(
        state.session_id, state.candidate_id
    )
    await _say_streamed(
        render.question_header(question, state.number, total),
        lambda usage: interviewer.phrase_question(
            llm, question, session.level, session.vacancy_text, usage
        ),
        render.phrased_question_tail(question),
        render.question_text(question, state.number, total),
        actions,
    )


async def _finish() -> None:
    """The report: results, the progress chart, the study plan to mark done, end confidence."""
    state = _state()
    if state.session_id is None:
        return
    svc = services()
    summary = await cl.make_async(svc.interview.finish)(state.session_id, state.candidate_id)
    state.stage = "finished"
    state.question_id = None
    for action in state.actions:
        await action.remove()
    state.actions = []
    figure = progress_chart(summary.progress)
    elements = [cl.Plotly(name="progress", figure=figure, display="inline")] if figure else []
    done = [
        _button("done", f"Сделано {number}", id=str(item.id))
        for number, item in enumerate(summary.study, 1)
        if item.id is not None and not item.done
    ]
    await cl.Message(
        content=render.summary_text(summary),
        elements=elements,
        actions=done,
    ).send()
    await _say(render.ASK_CONFIDENCE.strip(), _confidence_buttons())


def _after_report_buttons() -> list[cl.Action]:
    return [
        _button("restart", "Новое интервью"),
        _button("export", "Скачать мои данные"),
        _button("delete", "Удалить мои данные"),
    ]


@cl.action_callback("done")
async def on_done(action: cl.Action) -> None:
    """Pilot signal: a recommendation of the report is studied; its button goes away."""
    state = _state()
    value = action.payload.get("id", "")
    if not value.isdigit():
        return
    try:
        await cl.make_async(services().interview.mark_done)(state.candidate_id, int(value))
    except NotFound:
        return
    await action.remove()
    await cl.Message(content=f"Отмечено: {action.label.replace('Сделано', 'пункт')} ✅").send()


@cl.action_callback("restart")
async def on_restart(_action: cl.Action) -> None:
    state = _state()
    if state.stage != "finished":
        return
    fresh = ChatState(candidate_id=state.candidate_id, actions=state.actions)
    cl.user_session.set("state", fresh)
    await _welcome()


@cl.action_callback("export")
async def on_export(_action: cl.Action) -> None:
    state = _state()
    data = await cl.make_async(services().accounts.export)(state.candidate_id)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    file = cl.File(name="feedbackfirst-my-data.json", content=content, display="inline")
    await cl.Message(content=render.EXPORT_READY, elements=[file]).send()


@cl.action_callback("delete")
async def on_delete(_action: cl.Action) -> None:
    await _say(
        render.ASK_DELETE,
        [_button("delete_confirm", "Да, удалить всё"), _button("delete_cancel", "Отмена")],
    )


@cl.action_callback("delete_cancel")
async def on_delete_cancel(_action: cl.Action) -> None:
    await _say(render.DELETE_CANCELLED, _after_report_buttons())


@cl.action_callback("delete_confirm")
async def on_delete_confirm(_action: cl.Action) -> None:
    state = _state()
    history = get_data_layer()
    if isinstance(history, auth.ChatHistory):
        history.forget(cl.context.session.thread_id)
    await cl.make_async(services().accounts.delete)(state.candidate_id)
    state.stage = "deleted"
    state.session_id = None
    await _say(render.DELETED)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    state = cl.user_session.get("state")
    if not isinstance(state, ChatState):
        await cl.Message(content=render.START_FAILED).send()
        return
    if state.stage == "vacancy":
        await _vacancy(message)
    elif state.stage == "experience":
        await _plan_from_texts(message.content)
    elif state.stage in {"question", "feedback"}:
        if state.follow_up_of is not None:
            # The reply to a follow-up completes the earlier answer; grade them together.
            text, state.follow_up_of = f"{state.follow_up_of}\n\n{message.content}", None
            await _answer(text)
        else:
            await _answer(message.content)
    elif state.stage == "finished":
        await cl.Message(content=render.FINISHED).send()
    elif state.stage == "deleted":
        await cl.Message(content=render.DELETED).send()
    else:
        await cl.Message(content=render.NOT_STARTED).send()


async def _vacancy(message: cl.Message) -> None:
    """The vacancy as pasted text or an attached .txt/.pdf/.docx; then ask about experience."""
    state = _state()
    parts = [message.content.strip()]
    for element in message.elements or []:
        path = getattr(element, "path", None)
        if not path:
            continue
        try:
            parts.append(await cl.make_async(read_document)(_named(Path(path), element.name)))
        except FeedbackFirstError as exc:
            await cl.Message(content=exc.user_message).send()
            return
    text = "\n\n".join(p for p in parts if p)[:20_000]
    if len(text) < 3:
        await cl.Message(content=render.ASK_VACANCY).send()
        return
    state.vacancy = text
    state.stage = "experience"
    await _say(render.ASK_EXPERIENCE, [_button("no_experience", "Пропустить")])


def _named(path: Path, name: str) -> Path:
    """Uploads are stored without their extension; the reader picks the format by it."""
    suffix = Path(name).suffix.lower()
    if not suffix or path.suffix.lower() == suffix:
        return path
    named = path.with_name(path.name + suffix)
    if not named.exists():
        named.symlink_to(path)
    return named


@cl.action_callback("no_experience")
async def on_no_experience(_action: cl.Action) -> None:
    if _state().stage == "experience":
        await _plan_from_texts(None)


async def _plan_from_texts(experience: str | None) -> None:
    state = _state()
    experience = (experience or "").strip()[:20_000] or None
    weights = await cl.make_async(services().interview.plan_topics)(state.vacancy or "", experience)
    if not weights:
        share = round(1 / len(MIXED_TOPICS), 3)
        await _show_plan([(t, share) for t in MIXED_TOPICS])
        return
    await _show_plan([(w.topic, w.weight) for w in weights])


async def _answer(text: str) -> None:
    state = _state()
    assert state.session_id is not None and state.question_id is not None  # noqa: S101
    svc = services()
    try:
        result = await cl.make_async(svc.interview.submit_answer)(
            state.session_id, state.candidate_id, state.question_id, text
        )
    except FeedbackFirstError as exc:
        await cl.Message(content=exc.user_message).send()
        return
    except Exception:
        log.exception("grading failed")
        await cl.Message(content=render.GRADING_FAILED).send()
        return
    if result.grade is None:
        await cl.Message(content=result.error or render.GRADING_FAILED).send()
        return
    state.stage = "feedback"
    header = f"_Попытка {result.attempt}_\n\n" if result.attempt > 1 else ""
    thumbs = [
        _button("thumbs", "👍 Разбор полезен", answer_id=str(result.answer_id), up="1"),
        _button("thumbs", "👎 Не помог", answer_id=str(result.answer_id), up="0"),
    ]
    await _say(header + result.grade.feedback, _continue_buttons() + thumbs)
    if svc.llm is not None:
        await _interviewer_turn(text, result.grade, result.attempt)


async def _interviewer_turn(answer: str, grade: Grade, attempt: int) -> None:
    """With an LLM: one follow-up on a partial first answer, otherwise a richer explanation."""
    state = _state()
    svc = services()
    llm = svc.llm
    if llm is None or state.question_id is None:
        return
    question = svc.interview.question(state.question_id)
    if interviewer.wants_follow_up(grade, attempt):
        asked = await _say_streamed(
            render.FOLLOW_UP_HEADER,
            lambda usage: interviewer.ask_follow_up(llm, question, answer, grade, usage),
            render.FOLLOW_UP_HINT,
            None,
            [_button("next", "Следующий вопрос"), _button("finish", "Завершить")],
        )
        if asked:
            state.follow_up_of = answer
            return
    usage = Usage()
    try:
        reply = await interviewer.explain_grade(llm, question, answer, grade, usage)
    except Exception as exc:  # noqa: BLE001 - the embedded feedback is already shown
        log.warning("LLM feedback not used, the embedded one stands: %s", exc)
    else:
        await cl.Message(content=interviewer.render_feedback(reply)).send()
    await _record_usage(usage)


def _continue_buttons() -> list[cl.Action]:
    return [
        _button("retry", "Ответить ещё раз"),
        _button("next", "Следующий вопрос"),
        _button("finish", "Завершить"),
    ]


@cl.action_callback("thumbs")
async def on_thumbs(action: cl.Action) -> None:
    """Pilot signal: thumbs on the feedback, then an optional 1-5 usefulness rating."""
    state = _state()
    answer_id = action.payload.get("answer_id", "")
    if state.stage != "feedback" or not answer_id.isdigit():
        return
    await cl.make_async(services().interview.rate_feedback)(
        state.candidate_id, int(answer_id), None, action.payload.get("up") == "1"
    )
    stars = [
        _button("rating", str(value), answer_id=answer_id, value=str(value))
        for value in range(1, 6)
    ]
    await _say(render.RATE_FEEDBACK, _continue_buttons() + stars)


@cl.action_callback("rating")
async def on_rating(action: cl.Action) -> None:
    state = _state()
    answer_id, value = action.payload.get("answer_id", ""), action.payload.get("value", "")
    if state.stage != "feedback" or not answer_id.isdigit() or value not in set("12345"):
        return
    await cl.make_async(services().interview.rate_feedback)(
        state.candidate_id, int(answer_id), int(value), None
    )
    await _say(render.THANKS_FOR_RATING, _continue_buttons())


@cl.action_callback("confidence")
async def on_confidence(action: cl.Action) -> None:
    """Pilot signal: self-rated confidence before the first question and after the report."""
    state = _state()
    value = action.payload.get("value", "")
    moments = {"confidence": "start", "finished": "end"}
    if state.stage not in moments or state.session_id is None or value not in set("12345"):
        return
    await cl.make_async(services().interview.record_confidence)(
        state.session_id, state.candidate_id, moments[state.stage], int(value)
    )
    if state.stage == "confidence":
        await _ask_next()
    else:
        await _say(render.THANKS_FOR_RATING + "\n\n" + render.MY_DATA, _after_report_buttons())


@cl.action_callback("retry")
async def on_retry(_action: cl.Action) -> None:
    state = _state()
    if state.stage != "feedback":
        return
    state.stage = "question"
    state.follow_up_of = None
    await _say(
        render.RETRY_HINT, [_button("next", "Следующий вопрос"), _button("finish", "Завершить")]
    )


@cl.action_callback("next")
async def on_next(_action: cl.Action) -> None:
    if _state().stage in {"question", "feedback"}:
        await _ask_next()


@cl.action_callback("skip")
async def on_skip(_action: cl.Action) -> None:
    state = _state()
    if state.stage != "question" or state.session_id is None or state.question_id is None:
        return
    await cl.make_async(services().interview.skip)(
        state.session_id, state.candidate_id, state.question_id
    )
    await _ask_next()


@cl.action_callback("finish")
async def on_finish(_action: cl.Action) -> None:
    if _state().stage in {"question", "feedback"}:
        await _finish()
