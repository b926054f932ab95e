"""A circuit breaker: after repeated failures, stop calling a provider for a while."""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """Open after `failures` failed calls in a row; let one call through after `cooldown` s."""

    def __init__(
        self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = failures
        self._cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def is_open(self) -> bool:
        if self._opened_at is None:
            return False
        return self._clock() - self._opened_at < self._cooldown

    def allow(self) -> bool:
        return not self.is_open

    def success(self) -> None:
        self._failures = 0
        self._opened_at = None

    def failure(self) -> None:
        self._failures += 1
        if self._failures >= self._limit:
            self._opened_at = self._clock()
