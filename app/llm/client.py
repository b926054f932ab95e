"""One client for any OpenAI-compatible Chat Completions server: retries, breaker, usage."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TypeVar

import openai
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, ValidationError

from app.config import Settings
from app.llm.breaker import CircuitBreaker

log = logging.getLogger("feedbackfirst.llm")

T = TypeVar("T", bound=BaseModel)
Messages = list[ChatCompletionMessageParam]
# Longest wait between retries, whatever a Retry-After header asks for.
MAX_BACKOFF = 8.0


class LLMUnavailable(Exception):
    """The LLM could not give a usable reply; callers fall back to the embedded result."""


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, prompt: int, completion: int) -> None:
        self.prompt_tokens += prompt
        self.completion_tokens += completion


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)  # timeouts included


def _retry_after(exc: Exception) -> float | None:
    if isinstance(exc, openai.APIStatusError):
        value = exc.response.headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None
    return None


class LLMClient:
    """Chat completions with timeouts, retries with backoff on 429/5xx, and a circuit breaker."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 20.0,
        max_retries: int = 2,
        breaker: CircuitBreaker | None = None,
        backoff: float = 0.5,
        on_call: Callable[[str], None] | None = None,
    ) -> None:
        # Local servers (vLLM, Ollama, llama.cpp) accept any key; the SDK insists on one.
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0
        )
        self.model = model
        self._retries = max_retries
        self._backoff = backoff
        self.breaker = breaker or CircuitBreaker(3, 60.0)
        # Told each attempt's outcome (ok, error, circuit_open): the metrics' seam.
        self._on_call = on_call or (lambda _outcome: None)

    async def complete(self, messages: Messages, usage: Usage | None = None) -> str:
        """The whole reply text."""
        for attempt in range(self._retries + 1):
            self._check_breaker()
            try:
                reply = await self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=0.3,
                )
                text = reply.choices[0].message.content if reply.choices else None
                if text is None:
                    raise LLMUnavailable("empty reply")
            except (openai.APIError, LLMUnavailable, json.JSONDecodeError) as exc:
                await self._failed(exc, attempt)
                continue
            self._succeeded()
            if usage is not None and reply.usage is not None:
                usage.add(reply.usage.prompt_tokens, reply.usage.completion_tokens)
            return text
        raise LLMUnavailable("no reply after retries")

    async def stream(self, messages: Messages, usage: Usage | None = None) -> AsyncIterator[str]:
        """Reply pieces as they come; retried only while nothing has been yielded yet."""
        for attempt in range(self._retries + 1):
            self._check_breaker()
            started = False
            try:
                chunks = await self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=0.3,
                    stream=True,
                    stream_options={"include_usage": True},
                )
                async for chunk in chunks:
                    if chunk.usage is not None and usage is not None:
                        usage.add(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                    if chunk.choices and chunk.choices[0].delta.content:
                        started = True
                        yield chunk.choices[0].delta.content
            except (openai.APIError, json.JSONDecodeError) as exc:
                if started:
                    self.breaker.failure()
                    self._on_call("error")
                    raise LLMUnavailable(f"stream broke: {type(exc).__name__}") from exc
                await self._failed(exc, attempt)
                continue
            if not started:
                await self._failed(LLMUnavailable("empty stream"), attempt)
                continue
            self._succeeded()
            return
        raise LLMUnavailable("no reply after retries")

    async def structured(
        self, messages: Messages, schema: type[T], usage: Usage | None = None
    ) -> T:
        """A reply parsed into `schema`; a malformed one is asked again once, then given up."""
        for attempt in range(2):
            text = await self.complete(messages, usage)
            try:
                return schema.model_validate_json(_json_part(text))
            except ValidationError as exc:
                # Where and why only: the reply's text may quote the candidate's answer.
                problems = [(e["loc"], e["type"]) for e in exc.errors()[:3]]
                log.warning("LLM reply off schema (attempt %d): %s", attempt + 1, problems)
                messages = [
                    *messages,
                    {"role": "assistant", "content": text[:4000]},
                    {
                        "role": "user",
                        "content": "Ответ не соответствует схеме. Верни только JSON по схеме, "
                        "без пояснений и без markdown.",
                    },
                ]
        raise LLMUnavailable("reply off schema twice")

    def _check_breaker(self) -> None:
        if not self.breaker.allow():
            self._on_call("circuit_open")
            raise LLMUnavailable("circuit open")

    def _succeeded(self) -> None:
        self.breaker.success()
        self._on_call("ok")

    async def _failed(self, exc: Exception, attempt: int) -> None:
        self.breaker.failure()
        self._on_call("error")
        log.warning("LLM call failed (attempt %d): %s", attempt + 1, type(exc).__name__)
        if not _retryable(exc) and not isinstance(exc, (LLMUnavailable, json.JSONDecodeError)):
            raise LLMUnavailable(type(exc).__name__) from exc
        if attempt < self._retries:
            wait = _retry_after(exc)
            if wait is None:
                wait = self._backoff * 2**attempt * (1 + random.random() / 2)  # noqa: S311
            await asyncio.sleep(min(wait, MAX_BACKOFF))

    async def close(self) -> None:
        await self._client.close()


def _json_part(text: str) -> str:
    """Models often wrap JSON in ```json fences or add a sentence; keep the outer object."""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


def build_llm(settings: Settings, on_call: Callable[[str], None] | None = None) -> LLMClient | None:
    """The configured LLM, or None: everything works with the embedded defaults alone."""
    if not settings.llm_configured:
        return None
    assert settings.llm_base_url and settings.llm_model  # noqa: S101 - llm_configured
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return LLMClient(
        settings.llm_base_url,
        settings.llm_model,
        key,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        breaker=CircuitBreaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown),
        on_call=on_call,
    )
