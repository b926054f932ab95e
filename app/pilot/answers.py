"""Synthetic answers of a chosen quality, built from a bank question's own material."""

from __future__ import annotations

import random

from app.bank.schema import Question
from app.nlp.text import sentences

VAGUE = (
    "Честно говоря, точно не помню. Кажется, это как-то связано с моделью и данными.",
    "Не знаю.",
    "Это когда модель что-то делает с данными, подробнее сказать не могу.",
)
OPENINGS = ("", "Насколько я знаю, ", "Если коротко, ", "Я бы сказал так: ")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def synthetic_answer(question: Question, quality: float, rng: random.Random) -> str:
    """An answer covering about `quality` (0..1) of the key points; the best ones quote the
    reference, weak ones may state a misconception, the weakest say nothing of substance."""
    if quality < 0.15:
        return rng.choice(VAGUE)
    if quality > 0.9:
        reference = sentences(question.reference_answer) or [question.reference_answer]
        keep = max(3, round(len(reference) * rng.uniform(0.7, 1.0)))
        return " ".join(reference[:keep])
    points = question.key_points
    count = min(len(points), max(1, round(quality * len(points))))
    chosen = sorted(rng.sample(range(len(points)), count))
    parts = [_sentence(points[i]) for i in chosen]
    if quality < 0.6 and question.misconceptions and rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts) + 1), _sentence(question.misconceptions[0].wrong))
    return rng.choice(OPENINGS) + " ".join(parts)
