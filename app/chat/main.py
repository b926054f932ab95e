"""Chainlit entry: registers sign-in, onboarding and the report; the interview loop itself."""

from __future__ import annotations

import chainlit as cl

from app.chat import auth, onboarding, render, report, ui
from app.chat.state import ChatState
from app.config import Settings
from app.errors import FeedbackFirstError
from app.grading.grader import Grade
from app.llm import interviewer
from app.llm.client import Usage

auth.register(Settings())


@cl.action_callback("begin")
async def on_begin(_action: cl.Action) -> None:
    if ui.chat_state().stage == "confidence":
        await _ask_next()


async def _ask_next() -> None:
    state = ui.chat_state()
    assert state.session_id is not None  # noqa: S101 - a session exists past the plan stage
    svc = ui.services()
    question = await cl.make_async(svc.interview.ask_next)(state.session_id, state.candidate_id)
    if question is None:
        if state.number == 0:
            await ui.say(render.NO_QUESTIONS)
        await report.finish()
        return
    previous = state.question_id
    follow_up = previous is not None and question.id in svc.interview.question(previous).follow_ups
    state.question_id = question.id
    state.follow_up_of = None
    state.number += 1
    state.stage = "question"
    total = state.count
    actions = [ui.button("skip", "Пропустить"), ui.button("finish", "Завершить")]
    llm = svc.llm
    if llm is None:
        await ui.say(render.question_text(question, state.number, total, follow_up), actions)
        return
    session = await cl.make_async(svc.interview.session_context)(
        state.session_id, state.candidate_id
    )
    await ui.say_streamed(
        render.question_header(question, state.number, total, follow_up),
        lambda usage: interviewer.phrase_question(
            llm, question, session.level, session.vacancy_text, usage
        ),
        render.phrased_question_tail(question),
        render.question_text(question, state.number, total, follow_up),
        actions,
    )


@cl.on_message
async def on_message(message: cl.Message) -> None:
    state = cl.user_session.get("state")
    if not isinstance(state, ChatState):
        await cl.Message(content=render.START_FAILED).send()
        return
    if state.stage == "vacancy":
        await onboarding.vacancy(message)
    elif state.stage == "experience":
        await onboarding.plan_from_texts(message.content)
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


async def _answer(text: str) -> None:
    state = ui.chat_state()
    assert state.session_id is not None and state.question_id is not None  # noqa: S101
    svc = ui.services()
    try:
        result = await cl.make_async(svc.interview.submit_answer)(
            state.session_id, state.candidate_id, state.question_id, text
        )
    except FeedbackFirstError as exc:
        await cl.Message(content=exc.user_message).send()
        return
    except Exception:
        ui.log.exception("grading failed")
        await cl.Message(content=render.GRADING_FAILED).send()
        return
    if result.grade is None:
        await cl.Message(content=result.error or render.GRADING_FAILED).send()
        return
    state.stage = "feedback"
    header = f"_Попытка {result.attempt}_\n\n" if result.attempt > 1 else ""
    rate = ui.button("rate", "Оценить разбор", answer_id=str(result.answer_id))
    # Chainlit's own 👍/👎 under this message reach the pilot signals through the answer id.
    await ui.say(
        header + result.grade.feedback,
        [*ui.continue_buttons(), rate],
        metadata={"answer_id": result.answer_id},
    )
    if svc.llm is not None:
        await _interviewer_turn(text, result.grade, result.attempt)


async def _interviewer_turn(answer: str, grade: Grade, attempt: int) -> None:
    """With an LLM: one follow-up on a partial first answer, otherwise a richer explanation."""
    state = ui.chat_state()
    svc = ui.services()
    llm = svc.llm
    if llm is None or state.question_id is None:
        return
    question = svc.interview.question(state.question_id)
    if interviewer.wants_follow_up(grade, attempt):
        asked = await ui.say_streamed(
            render.FOLLOW_UP_HEADER,
            lambda usage: interviewer.ask_follow_up(llm, question, answer, grade, usage),
            render.FOLLOW_UP_HINT,
            None,
            [ui.button("next", "Следующий вопрос"), ui.button("finish", "Завершить")],
        )
        if asked:
            state.follow_up_of = answer
            return
    usage = Usage()
    try:
        reply = await interviewer.explain_grade(llm, question, answer, grade, usage)
    except Exception as exc:  # noqa: BLE001 - the embedded feedback is already shown
        ui.log.warning("LLM feedback not used, the embedded one stands: %s", exc)
    else:
        await cl.Message(content=interviewer.render_feedback(reply)).send()
    await ui.record_usage(usage)


@cl.action_callback("rate")
async def on_rate(action: cl.Action) -> None:
    """Pilot signal: a 1-5 usefulness rating of the feedback on one answer."""
    state = ui.chat_state()
    answer_id = action.payload.get("answer_id", "")
    if state.stage != "feedback" or not answer_id.isdigit():
        return
    stars = [
        ui.button("rating", str(value), answer_id=answer_id, value=str(value))
        for value in range(1, 6)
    ]
    await ui.say(render.RATE_FEEDBACK, ui.continue_buttons() + stars)


@cl.action_callback("rating")
async def on_rating(action: cl.Action) -> None:
    state = ui.chat_state()
    answer_id, value = action.payload.get("answer_id", ""), action.payload.get("value", "")
    if state.stage != "feedback" or not answer_id.isdigit() or value not in set("12345"):
        return
    await cl.make_async(ui.services().interview.rate_feedback)(
        state.candidate_id, int(answer_id), int(value), None
    )
    await ui.say(render.THANKS_FOR_RATING, ui.continue_buttons())


@cl.action_callback("confidence")
async def on_confidence(action: cl.Action) -> None:
    """Pilot signal: self-rated confidence before the first question and after the report."""
    state = ui.chat_state()
    value = action.payload.get("value", "")
    moments = {"confidence": "start", "finished": "end"}
    if state.stage not in moments or state.session_id is None or value not in set("12345"):
        return
    await cl.make_async(ui.services().interview.record_confidence)(
        state.session_id, state.candidate_id, moments[state.stage], int(value)
    )
    if state.stage == "confidence":
        await _ask_next()
    else:
        await ui.say(render.THANKS_FOR_RATING + "\n\n" + render.MY_DATA, ui.after_report_buttons())


@cl.action_callback("retry")
async def on_retry(_action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "feedback":
        return
    state.stage = "question"
    state.follow_up_of = None
    await ui.say(
        render.RETRY_HINT, [ui.button("next", "Следующий вопрос"), ui.button("finish", "Завершить")]
    )


@cl.action_callback("next")
async def on_next(_action: cl.Action) -> None:
    if ui.chat_state().stage in {"question", "feedback"}:
        await _ask_next()


@cl.action_callback("skip")
async def on_skip(_action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "question" or state.session_id is None or state.question_id is None:
        return
    await cl.make_async(ui.services().interview.skip)(
        state.session_id, state.candidate_id, state.question_id
    )
    await _ask_next()


@cl.action_callback("finish")
async def on_finish(_action: cl.Action) -> None:
    if ui.chat_state().stage in {"question", "feedback"}:
        await report.finish()
