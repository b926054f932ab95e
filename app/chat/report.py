"""The end of an interview: the report, study items marked done, my data (export, delete)."""

from __future__ import annotations

import json

import chainlit as cl
from chainlit.data import get_data_layer

from app.chat import auth, render, ui
from app.chat.charts import progress_chart
from app.chat.state import ChatState
from app.errors import NotFound


async def finish() -> None:
    """The report: results, the progress chart, the study plan to mark done, end confidence."""
    state = ui.chat_state()
    if state.session_id is None:
        return
    svc = ui.services()
    summary = await cl.make_async(svc.interview.finish)(state.session_id, state.candidate_id)
    state.stage = "finished"
    state.question_id = None
    for action in state.actions:
        await action.remove()
    state.actions = []
    figure = progress_chart(summary.progress)
    elements = [cl.Plotly(name="progress", figure=figure, display="inline")] if figure else []
    done = [
        ui.button("done", f"Сделано {number}", id=str(item.id))
        for number, item in enumerate(summary.study, 1)
        if item.id is not None and not item.done
    ]
    await cl.Message(
        content=render.summary_text(summary),
        elements=elements,
        actions=done,
    ).send()
    await ui.say(render.ASK_CONFIDENCE.strip(), ui.confidence_buttons())


@cl.action_callback("done")
async def on_done(action: cl.Action) -> None:
    """Pilot signal: a recommendation of the report is studied; its button goes away."""
    state = ui.chat_state()
    value = action.payload.get("id", "")
    if not value.isdigit():
        return
    try:
        await cl.make_async(ui.services().interview.mark_done)(state.candidate_id, int(value))
    except NotFound:
        return
    await action.remove()
    await cl.Message(content=f"Отмечено: {action.label.replace('Сделано', 'пункт')} ✅").send()


@cl.action_callback("restart")
async def on_restart(_action: cl.Action) -> None:
    state = ui.chat_state()
    if state.stage != "finished":
        return
    fresh = ChatState(candidate_id=state.candidate_id, actions=state.actions)
    cl.user_session.set("state", fresh)
    await ui.welcome()


@cl.action_callback("export")
async def on_export(_action: cl.Action) -> None:
    state = ui.chat_state()
    data = await cl.make_async(ui.services().accounts.export)(state.candidate_id)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    file = cl.File(name="feedbackfirst-my-data.json", content=content, display="inline")
    await cl.Message(content=render.EXPORT_READY, elements=[file]).send()


@cl.action_callback("delete")
async def on_delete(_action: cl.Action) -> None:
    await ui.say(
        render.ASK_DELETE,
        [ui.button("delete_confirm", "Да, удалить всё"), ui.button("delete_cancel", "Отмена")],
    )


@cl.action_callback("delete_cancel")
async def on_delete_cancel(_action: cl.Action) -> None:
    await ui.say(render.DELETE_CANCELLED, ui.after_report_buttons())


@cl.action_callback("delete_confirm")
async def on_delete_confirm(_action: cl.Action) -> None:
    state = ui.chat_state()
    history = get_data_layer()
    if isinstance(history, auth.ChatHistory):
        history.forget(cl.context.session.thread_id)
    await cl.make_async(ui.services().accounts.delete)(state.candidate_id)
    state.stage = "deleted"
    state.session_id = None
    await ui.say(render.DELETED)
