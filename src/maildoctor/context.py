"""One Context per run: the resolver, timeouts and clock every check is given.

Checks never build their own clients: they take what the Context holds, so tests
and the demo can point everything at loopback servers (MODELS.md section 2).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .dns.resolver import DnsResolver, Nameserver, Resolver

__all__ = ["Context"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What a run needs from the outside world.

    Attributes:
        resolver: Answers DNS questions (cached and coalesced for the run).
        timeout: Seconds allowed for each network step.
        clock: Wall clock, injectable for certificate-expiry and report times.
    """

    resolver: Resolver
    timeout: float = 5.0
    clock: Callable[[], float] = field(default=time.time)

    @classmethod
    def create(
        cls,
        *,
        nameservers: Sequence[Nameserver] | None = None,
        timeout: float = 5.0,
        retries: int = 1,
    ) -> Context:
        resolver = DnsResolver(nameservers, timeout=timeout, retries=retries)
        return cls(resolver=resolver, timeout=timeout)
