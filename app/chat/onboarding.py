"""Onboarding: sign-in start and resume, level, vacancy or topic, experience, the editable plan."""

from __future__ import annotations

import asyncio
from pathlib import Path

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.types import ThreadDict

from app.chat import auth, render, ui
from app.chat.state import ChatState
from app.errors import FeedbackFirstError
from app.interview.documents import read_document
from app.interview.topics import TOPIC_TITLES

MIXED_TOPICS = [
    "ml_basics",
    "metrics_validation",
    "trees_ensembles",
    "deep_learning",
    "feature_engineering",
]


COUNTS = (3, 5, 8)


@cl.on_chat_start
async def on_chat_start() -> None:
    try:
        svc = await cl.make_async(ui.services)()
        candidate_id = auth.candidate_of(cl.user_session.get("user"))
        if candidate_id is None:
            candidate_id = await cl.make_async(svc.interview.new_candidate)()
        elif not await cl.make_async(svc.accounts.exists)(candidate_id):
            await cl.Message(content=render.ACCOUNT_GONE).send()
            return
    except Exception:
        ui.log.exception("chat start failed")
        await cl.Message(content=render.START_FAILED).send()
        return
    cl.user_session.set("state", ChatState(candidate_id=candidate_id))
    await ui.welcome()


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """A signed-in candidate reopens a chat from the history: pick the interview up again."""
    candidate_id = auth.candidate_of(cl.user_session.get("user"))
    snapshot = cl.user_session.get("chat")
    svc = await cl.make_async(ui.services)()
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
        await ui.say(render.RESUMED, ui.continue_buttons()[1:])
    elif state.stage == "finished":
        await ui.say(render.RESUMED_FINISHED, ui.after_report_buttons())
    else:
        state.stage = "level"
        await ui.welcome()


@cl.action_callback("level")
async def on_level(action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "level":
        return
    state.level = action.payload.get("level", "middle")
    if state.level not in render.LEVEL_TITLES:
        state.level = "middle"
    state.stage = "mode"
    await ui.say(
        render.CHOOSE_MODE,
        [
            ui.button("mode", "Вставить вакансию", mode="vacancy"),
            ui.button("mode", "Выбрать тему", mode="topic"),
            ui.button("mode", "Смешанное интервью", mode="mixed"),
        ],
    )


@cl.action_callback("mode")
async def on_mode(action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "mode":
        return
    mode = action.payload.get("mode")
    if mode == "vacancy":
        state.stage = "vacancy"
        await ui.say(render.ASK_VACANCY)
    elif mode == "topic":
        state.stage = "topic"
        await ui.say(
            render.CHOOSE_TOPIC,
            [ui.button("topic", title, topic=topic) for topic, title in TOPIC_TITLES.items()],
        )
    else:
        await _show_plan(_rescaled([(t, 1.0) for t in MIXED_TOPICS]))


@cl.action_callback("topic")
async def on_topic(action: cl.Action) -> None:
    state = ui.chat_state()
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
    state = ui.chat_state()
    state.plan = plan
    if state.stage not in {"plan", "add_topic"}:
        state.count = ui.services().settings.questions_per_session
    state.stage = "plan"
    buttons = [ui.button("plan_start", "Начать интервью")]
    if len(plan) > 1:
        buttons += [
            ui.button("plan_remove", f"Убрать: {TOPIC_TITLES.get(t, t)}", topic=t) for t, _ in plan
        ]
    if len(plan) < len(TOPIC_TITLES):
        buttons.append(ui.button("plan_add", "Добавить тему"))
    buttons += [
        ui.button("plan_count", f"Вопросов: {n}", count=str(n)) for n in COUNTS if n != state.count
    ]
    state.plan_message = await ui.say(
        render.plan_text(state.level, plan, state.count), buttons, edit=state.plan_message
    )


@cl.action_callback("plan_remove")
async def on_plan_remove(action: cl.Action) -> None:
    state = ui.chat_state()
    topic = action.payload.get("topic", "")
    if state.stage == "plan" and len(state.plan) > 1:
        await _show_plan(_rescaled([p for p in state.plan if p[0] != topic]))


@cl.action_callback("plan_add")
async def on_plan_add(_action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "plan":
        return
    state.stage = "add_topic"
    chosen = dict(state.plan)
    await ui.say(
        render.plan_text(state.level, state.plan, state.count) + "\n\n" + render.CHOOSE_EXTRA_TOPIC,
        [
            ui.button("topic", title, topic=t)
            for t, title in TOPIC_TITLES.items()
            if t not in chosen
        ],
        edit=state.plan_message,
    )


@cl.action_callback("plan_count")
async def on_plan_count(action: cl.Action) -> None:
    state = ui.chat_state()
    value = action.payload.get("count", "")
    if state.stage == "plan" and value.isdigit() and int(value) in COUNTS:
        state.count = int(value)
        await _show_plan(state.plan)


@cl.action_callback("plan_start")
async def on_plan_start(_action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "plan" or not state.plan:
        return
    svc = ui.services()
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
    await ui.say(
        render.ASK_START_CONFIDENCE, ui.confidence_buttons() + [ui.button("begin", "Пропустить")]
    )


async def _name_thread(state: ChatState) -> None:
    """The history sidebar shows each chat by its interview, not by the first button."""
    layer = get_data_layer()
    if layer is None:
        return
    titles = ", ".join(TOPIC_TITLES.get(t, t) for t, _ in state.plan[:3])
    name = f"{render.LEVEL_TITLES.get(state.level, state.level)}: {titles}"
    await layer.update_thread(cl.context.session.thread_id, name=name)


async def vacancy(message: cl.Message) -> None:
    """The vacancy as pasted text or an attached .txt/.pdf/.docx; then ask about experience."""
    state = ui.chat_state()
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
    await ui.say(render.ASK_EXPERIENCE, [ui.button("no_experience", "Пропустить")])


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
    if ui.chat_state().stage == "experience":
        await plan_from_texts(None)


async def plan_from_texts(experience: str | None) -> None:
    state = ui.chat_state()
    experience = (experience or "").strip()[:20_000] or None
    weights = await cl.make_async(ui.services().interview.plan_topics)(
        state.vacancy or "", experience
    )
    if not weights:
        await _show_plan(_rescaled([(t, 1.0) for t in MIXED_TOPICS]))
        return
    await _show_plan([(w.topic, w.weight) for w in weights])
