"""Russian sentences for request bodies the API refuses before any service sees them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

BODY_NOT_PARSED = "Тело запроса не прочитать: нужен JSON в кодировке UTF-8 без двоичных данных."
_FIELDS = {
    "text": "текст ответа",
    "username": "логин",
    "password": "пароль",
    "vacancy": "текст вакансии",
    "question_id": "question_id",
    "topics": "темы (topics)",
}


def _field(loc: Sequence[Any]) -> str:
    names = [str(part) for part in loc if part != "body" and not isinstance(part, int)]
    name = names[-1] if names else "тело запроса"
    return _FIELDS.get(name, name)


def _sentence(error: Mapping[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    field = _field(error.get("loc", ()))
    if kind == "json_invalid":
        return "Тело запроса — не корректный JSON."
    if kind == "missing":
        return f"Не хватает поля «{field}»."
    if kind == "string_too_long":
        return f"Поле «{field}» слишком длинное: не больше {ctx.get('max_length')} символов."
    if kind == "string_too_short":
        return f"Поле «{field}» слишком короткое: не меньше {ctx.get('min_length')} символов."
    if kind == "too_long":
        return f"В поле «{field}» слишком много элементов: не больше {ctx.get('max_length')}."
    if kind == "value_error":
        # Our own validators raise ValueError with a Russian sentence.
        return f"Поле «{field}»: {ctx.get('error')}"
    if kind in {"greater_than_equal", "less_than_equal", "literal_error", "enum"}:
        return f"Недопустимое значение поля «{field}»."
    return f"Поле «{field}» заполнено неверно."


def russian_validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """The first few problems of a refused body, one Russian sentence each."""
    sentences = list(dict.fromkeys(_sentence(e) for e in errors))
    return " ".join(sentences[:3]) or "Запрос заполнен неверно."
