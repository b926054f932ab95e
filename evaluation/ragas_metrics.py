"""Ragas metrics run synchronously: one event loop per batch, telemetry off."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from evaluation.tracking import no_telemetry


def score_all(scorer: Callable[[Any], Awaitable[float]], samples: Sequence[Any]) -> list[float]:
    """`scorer(sample)` for every sample; NaN results stay NaN for the caller to drop."""
    no_telemetry()

    async def run() -> list[float]:
        return [float(await scorer(sample)) for sample in samples]

    return asyncio.run(run())


def mean(values: Sequence[float]) -> float | None:
    kept = [v for v in values if not math.isnan(v)]
    return round(sum(kept) / len(kept), 4) if kept else None
