"""Ragas metrics run synchronously: one event loop per batch, telemetry off."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from evaluation.tracking import no_telemetry

if TYPE_CHECKING:
    from ragas.metrics import NonLLMContextPrecisionWithReference, NonLLMContextRecall


def exact_context_precision() -> NonLLMContextPrecisionWithReference:
    """Ragas' ranked non-LLM context precision, a context relevant when it equals a reference
    (ids and verbatim key points; the default string distance needs rapidfuzz and is fuzzy)."""
    from ragas.metrics import ExactMatch, NonLLMContextPrecisionWithReference

    return NonLLMContextPrecisionWithReference(distance_measure=ExactMatch(), threshold=1.0)


def exact_context_recall() -> NonLLMContextRecall:
    """Ragas' non-LLM context recall with the same exact comparison."""
    from ragas.metrics import ExactMatch, NonLLMContextRecall

    return NonLLMContextRecall(_distance_measure=ExactMatch(), threshold=0.5)


def score_all(scorer: Callable[[Any], Awaitable[float]], samples: Sequence[Any]) -> list[float]:
    """`scorer(sample)` for every sample; NaN results stay NaN for the caller to drop."""
    no_telemetry()

    async def run() -> list[float]:
        return [float(await scorer(sample)) for sample in samples]

    return asyncio.run(run())


def mean(values: Sequence[float]) -> float | None:
    kept = [v for v in values if not math.isnan(v)]
    return round(sum(kept) / len(kept), 4) if kept else None
