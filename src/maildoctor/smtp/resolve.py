"""Host names to addresses, and domains to MX hosts, through ``ctx.resolver``.

Never the system resolver: tests and the demo serve every name from a loopback
DNS server, and a diagnosis must show which server said what.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass

from ..context import Context
from ..dns.resolver import DnsAnswer, Outcome
from ..model import Evidence

__all__ = ["HostAddresses", "MxHost", "MxLookup", "lookup_mx", "resolve_host"]


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


@dataclass(frozen=True, slots=True, kw_only=True)
class MxHost:
    preference: int
    host: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MxLookup:
    """The MX answer for a domain, interpreted (RFC 5321 5.1, RFC 7505).

    Attributes:
        hosts: MX hosts by preference; the domain itself when there is no MX
            (implicit MX).
        implicit: True when no MX exists and the domain is its own mail host.
        null_mx: True for a null MX (``0 .``): the domain accepts no mail.
        answer: The MX answer.
    """

    domain: str
    hosts: tuple[MxHost, ...]
    implicit: bool
    null_mx: bool
    answer: DnsAnswer


def _parse_mx(records: tuple[str, ...]) -> list[MxHost]:
    hosts = []
    for record in records:
        pref, _, name = record.partition(" ")
        if pref.isdigit():
            hosts.append(MxHost(preference=int(pref), host=name.strip().rstrip(".").lower()))
    return sorted(hosts, key=lambda h: (h.preference, h.host))


async def lookup_mx(domain: str, *, ctx: Context) -> MxLookup:
    """The domain's MX hosts (a tiny helper; the DNS layer has its own checks)."""
    answer = await ctx.resolver.query(domain, "MX")
    hosts = _parse_mx(answer.records) if answer.exists else []
    null_mx = any(h.host in ("", ".") for h in hosts)
    implicit = answer.outcome is Outcome.NODATA
    if implicit:
        hosts = [MxHost(preference=0, host=domain.rstrip(".").lower())]
    if null_mx:
        hosts = []
    return MxLookup(
        domain=domain, hosts=tuple(hosts), implicit=implicit, null_mx=null_mx, answer=answer
    )
