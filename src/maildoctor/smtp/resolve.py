"""Host names to addresses through ``ctx.resolver`` (MX: :func:`maildoctor.dns.mx.lookup_mx`).

Never the system resolver: tests and the demo serve every name from a loopback
DNS server, and a diagnosis must show which server said what.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass

from ..context import Context
from ..dns.resolver import DnsAnswer
from ..model import Evidence

__all__ = ["HostAddresses", "resolve_host"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HostAddresses:
    """The addresses of one host (IPv4 first), with the answers they came from."""

    host: str
    addresses: tuple[str, ...]
    answers: tuple[DnsAnswer, ...] = ()

    @property
    def literal(self) -> bool:
        return not self.answers

    @property
    def definite(self) -> bool:
        """True when every lookup gave a definite answer (so "no address" is a fact)."""
        return all(a.ok for a in self.answers)

    def describe(self) -> str:
        if self.literal:
            return f"{self.host} is an address literal"
        if self.addresses:
            return f"{self.host} -> {', '.join(self.addresses)}"
        return "; ".join(f"{a.rdtype}: {a.describe()}" for a in self.answers)

    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(a.evidence() for a in self.answers)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def resolve_host(host: str, *, ctx: Context) -> HostAddresses:
    """A and AAAA of ``host`` (asked at once); an IP literal is returned as is."""
    literal = _literal(host)
    if literal is not None:
        return HostAddresses(host=host, addresses=(literal,))
    a, aaaa = await asyncio.gather(ctx.resolver.query(host, "A"), ctx.resolver.query(host, "AAAA"))
    addresses = tuple(r for ans in (a, aaaa) if ans.exists for r in ans.records)
    return HostAddresses(host=host, addresses=addresses, answers=(a, aaaa))
