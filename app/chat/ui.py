"""What every chat handler shares: the services, the chat state, sending messages, buttons."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import chainlit as cl

from app.bootstrap import Services, shared_services
from app.chat import render
from app.chat.state import ChatState
from app.llm.client import Usage

log = logging.getLogger("feedbackfirst.chat")


def services() -> Services:
    """Built once per server process, on the first chat or API call, not at import."""
    return shared_services()


def chat_state() -> ChatState:
    state = cl.user_session.get("state")
    assert isinstance(state, ChatState)  # noqa: S101 - set in on_chat_start
    return state


async def say(
    content: str,
    actions: list[cl.Action] | None = None,
    edit: cl.Message | None = None,
    metadata: dict[str, object] | None = None,
) -> cl.Message:
    """Send a message (or rewrite `edit` in place); the buttons of the previous one go away so
    nothing is clicked twice."""
    state = chat_state()
    for action in state.actions:
        await action.remove()
    state.actions = actions or []
    cl.user_session.set("chat", state.snapshot())
    if edit is not None:
        edit.content, edit.actions = content, state.actions
        await edit.update()
        return edit
    message = cl.Message(content=content, actions=state.actions, metadata=metadata)
    await message.send()
    return message


async def say_streamed(
    head: str,
    make_pieces: Callable[[Usage], AsyncIterator[str]],
    tail: str,
    fallback: str | None,
    actions: list[cl.Action] | None = None,
) -> bool:
    """Stream the LLM's text into one message; on failure show `fallback` (or drop it).

    Returns whether the LLM text was shown. Token usage goes to the session either way.
    """
    state = chat_state()
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
            await record_usage(usage)
            return False
        message.content = fallback
    # The previous message keeps its buttons until this one is really shown.
    for action in state.actions:
        await action.remove()
    state.actions = actions or []
    message.actions = state.actions
    await message.update()
    await record_usage(usage)
    return shown


async def record_usage(usage: Usage) -> None:
    state = chat_state()
    if state.session_id is None or not (usage.prompt_tokens or usage.completion_tokens):
        return
    await cl.make_async(services().interview.record_llm_usage)(
        state.session_id, state.candidate_id, usage.prompt_tokens, usage.completion_tokens
    )


def button(name: str, label: str, **payload: str) -> cl.Action:
    return cl.Action(name=name, label=label, payload=payload)


async def welcome() -> None:
    await say(
        render.WELCOME,
        [button("level", title, level=level) for level, title in render.LEVEL_TITLES.items()],
    )


def continue_buttons() -> list[cl.Action]:
    return [
        button("retry", "Ответить ещё раз"),
        button("next", "Следующий вопрос"),
        button("finish", "Завершить"),
    ]


def after_report_buttons() -> list[cl.Action]:
    return [
        button("restart", "Новое интервью"),
        button("export", "Скачать мои данные"),
        button("delete", "Удалить мои данные"),
    ]


def confidence_buttons() -> list[cl.Action]:
    return [button("confidence", str(v), value=str(v)) for v in range(1, 6)]
