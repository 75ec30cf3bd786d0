"""A ceiling on DNS questions per second, for resolvers shared with others.

An audit of many domains can send thousands of questions a second; a site
resolver or a provider's authoritative servers may treat that as an attack.
:class:`RateLimitedResolver` wraps any :class:`~maildoctor.dns.resolver.Resolver`
and spaces the questions it lets through so at most ``qps`` leave per second
(a token bucket with a burst of one second's worth). Every question counts,
even one the wrapped resolver answers from its cache, so the ceiling errs on
the side of the servers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .resolver import DnsAnswer, Resolver

__all__ = ["RateLimitedResolver", "TokenBucket"]


@dataclass(slots=True)
class TokenBucket:
    """Hands out at most ``rate`` tokens per second, ``burst`` at once.

    One bucket belongs to one event loop (a worker's partition run).
    """

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(init=False)
    _stamp: float = field(init=False)
    _lock: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._stamp = self.clock()

    async def take(self) -> None:
        """Wait until a token is free, then take it (first come, first served)."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now


@dataclass(slots=True)
class RateLimitedResolver:
    """A resolver that lets at most the bucket's rate of questions through."""

    inner: Resolver
    bucket: TokenBucket

    @staticmethod
    def limiter(qps: float) -> TokenBucket | None:
        """A bucket for ``qps`` questions per second, or None when ``qps`` is 0 (no limit)."""
        return TokenBucket(rate=qps, burst=max(1.0, qps)) if qps > 0 else None

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        """Wait for a token, then ask the wrapped resolver."""
        await self.bucket.take()
        return await self.inner.query(name, rdtype)
