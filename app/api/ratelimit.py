"""Per-candidate token buckets: in-process by default, shared through Redis when configured."""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from app.config import Settings

log = logging.getLogger(__name__)

# KEYS[1] the bucket; ARGV rate (tokens/s), burst. Redis's own clock, so every API worker and
# machine agrees on time. Returns the seconds to wait, "0" when a token was taken.
_TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RateLimiter(Protocol):
    async def take(self, key: str) -> float:
        """Take one token for `key`: 0.0 when allowed, else the seconds until one is free."""
        ...


class MemoryRateLimiter:
    """Buckets in this process: right for one API worker, per worker otherwise."""

    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        # A thread lock: the critical section never awaits, and it works under any event loop.
        self._lock = threading.Lock()

    async def take(self, key: str) -> float:
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - at) * self._rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self._rate


class RedisRateLimiter:
    """Buckets in Redis, shared by all workers and machines; lets requests through if Redis is
    down, since refusing every candidate would be worse than not limiting for a while."""

    def __init__(self, url: str, per_minute: float, burst: int, prefix: str = "ff:rl:") -> None:
        import redis

        # The blocking client in a worker thread: an asyncio client is tied to the event loop it
        # first ran on, and one limiter serves the application whatever loop calls it.
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._redis.register_script(_TAKE)
        self._rate = per_minute / 60.0
        self._burst = burst
        self._prefix = prefix

    async def take(self, key: str) -> float:
        try:
            wait = await asyncio.to_thread(
                self._script, keys=[self._prefix + key], args=[self._rate, self._burst]
            )
        except Exception as exc:  # any Redis failure: fail open, say so in the log
            log.warning("rate limiter: Redis unavailable (%s); request allowed", type(exc).__name__)
            return 0.0
        return float(wait)

    def close(self) -> None:
        self._redis.close()


def build_rate_limiter(settings: Settings) -> RateLimiter | None:
    """None when limiting is off (rate_limit_per_minute <= 0)."""
    if settings.rate_limit_per_minute <= 0:
        return None
    if settings.redis_url:
        return RedisRateLimiter(
            settings.redis_url, settings.rate_limit_per_minute, settings.rate_limit_burst
        )
    return MemoryRateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)


def retry_after(wait: float) -> str:
    """Whole seconds for the Retry-After header, at least 1."""
    return str(max(1, math.ceil(wait)))
