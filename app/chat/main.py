"""Chainlit handlers: a state machine over the interview service, all text in Russian."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import chainlit as cl

from app.bootstrap import Services, shared_services
from app.chat import render
from app.chat.state import ChatState
from app.errors import FeedbackFirstError
from app.grading.grader import Grade
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


def services() -> Services:
    """Built once per server process, on the first chat or API call, not at import."""
    return shared_services()


def _state() -> ChatState:
    state = cl.user_session.get("state")
    assert isinstance(state, ChatState)  # noqa: S101 - set in on_chat_start
    return state


async def _say(content: str, actions: list[cl.Action] | None = None) -> None:
    """Send a message; the buttons of the previous one go away so nothing is clicked twice."""
    state = _state()
    for action in state.actions:
        await action.remove()
    state.actions = actions or []
    await cl.Message(content=content, actions=state.actions).send()


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
        candidate_id = await cl.make_async(svc.interview.new_candidate)()
    except Exception:
        log.exception("chat start failed")
        await cl.Message(content=render.START_FAILED).send()
        return
    cl.user_session.set("state", ChatState(candidate_id=candidate_id))
    await _say(
        render.WELCOME,
        [_button("level", title, level=level) for level, title in render.LEVEL_TITLES.items()],
    )


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
        await _start(MIXED_TOPICS, None)


@cl.action_callback("topic")
async def on_topic(action: cl.Action) -> None:
    state = _state()
    topic = action.payload.get("topic", "")
    if state.stage != "topic" or topic not in TOPIC_TITLES:
        return
    await _start([topic], None)


async def _start(topics: list[str], vacancy_text: str | None) -> None:
    state = _state()
    svc = services()
    count = svc.settings.questions_per_session
    state.session_id = await cl.make_async(svc.interview.start)(
        state.candidate_id,
        level=state.level,
        topics=topics,
        vacancy_text=vacancy_text,
        planned_questions=count,
    )
    await _say(render.plan_text(state.level, topics, count))
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
    total = svc.settings.questions_per_session
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
    state = _state()
    if state.session_id is None:
        return
    svc = services()
    summary = await cl.make_async(svc.interview.finish)(state.session_id, state.candidate_id)
    state.stage = "finished"
    state.question_id = None
    confidence = [_button("confidence", str(v), value=str(v)) for v in range(1, 6)]
    await _say(render.summary_text(summary) + render.ASK_CONFIDENCE, confidence)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    state = cl.user_session.get("state")
    if not isinstance(state, ChatState):
        await cl.Message(content=render.START_FAILED).send()
        return
    if state.stage == "vacancy":
        await _plan_from_text(message.content)
    elif state.stage in {"question", "feedback"}:
        if state.follow_up_of is not None:
            # The reply to a follow-up completes the earlier answer; grade them together.
            text, state.follow_up_of = f"{state.follow_up_of}\n\n{message.content}", None
            await _answer(text)
        else:
            await _answer(message.content)
    elif state.stage == "finished":
        await cl.Message(content=render.FINISHED).send()
    else:
        await cl.Message(content=render.NOT_STARTED).send()


async def _plan_from_text(text: str) -> None:
    text = text.strip()[:20_000]
    if len(text) < 3:
        await cl.Message(content=render.ASK_VACANCY).send()
        return
    topics = await cl.make_async(services().interview.plan_topics)(text)
    await _start(topics or MIXED_TOPICS, text)


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
    """Pilot signal: self-rated confidence at the end of the session."""
    state = _state()
    value = action.payload.get("value", "")
    if state.stage != "finished" or state.session_id is None or value not in set("12345"):
        return
    await cl.make_async(services().interview.record_confidence)(
        state.session_id, state.candidate_id, "end", int(value)
    )
    await _say(render.THANKS_FOR_RATING)


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
