"""Host names to addresses (MX hosts: :func:`maildoctor.dns.mx.lookup_mx`).

Names found *in DNS* (MX exchanges, ``mta-sts.<domain>``) are checks: they go through
``ctx.resolver``, so a diagnosis shows which server said what. Names the *user typed* (the
relay host of ``maildoctor smtp HOST``) resolve as the user's other tools resolve them
(:func:`resolve_user_host`): the hosts file first, then the system resolver
(``getaddrinfo``) when the run uses the system's nameservers, or the given nameservers when
``--nameserver`` chose them (tests and the demo serve every name from loopback).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from ..context import Context
from ..dns.resolver import DnsAnswer
from ..model import Evidence

__all__ = [
    "HostAddresses",
    "hosts_file",
    "hosts_file_addresses",
    "resolve_host",
    "resolve_user_host",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class HostAddresses:
    """The addresses of one host (IPv4 first), with the answers they came from."""

    host: str
    addresses: tuple[str, ...]
    answers: tuple[DnsAnswer, ...] = ()
    #: Where the addresses came from: "dns", "literal", "hosts file" or "system resolver".
    via: str = "dns"
    #: The system resolver's error when it found nothing (``via == "system resolver"``).
    error: str = ""
    #: For the system resolver: whether "no address" is a definite answer (EAI_NONAME).
    no_such_name: bool = False

    @property
    def literal(self) -> bool:
        return self.via == "literal"

    @property
    def definite(self) -> bool:
        """True when every lookup gave a definite answer (so "no address" is a fact)."""
        if self.via == "system resolver":
            return bool(self.addresses) or self.no_such_name
        return all(a.ok for a in self.answers)

    def describe(self) -> str:
        if self.literal:
            return f"{self.host} is an address literal"
        if self.via == "dns" and not self.addresses:
            return "; ".join(f"{a.rdtype}: {a.describe()}" for a in self.answers)
        how = "" if self.via == "dns" else f" ({self.via})"
        if self.addresses:
            return f"{self.host} -> {', '.join(self.addresses)}{how}"
        return f"{self.error or 'no address'}{how}"

    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(a.evidence() for a in self.answers)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def resolve_host(host: str, *, ctx: Context) -> HostAddresses:
    """A and AAAA of ``host`` from ``ctx.resolver`` (asked at once); an IP literal as is.

    Args:
        host: A host name found in DNS (an MX exchange), or an address literal.
        ctx: The run's context.

    Returns:
        The addresses (IPv4 first) with the DNS answers they came from.
    """
    literal = _literal(host)
    if literal is not None:
        return HostAddresses(host=host, addresses=(literal,), via="literal")
    a, aaaa = await asyncio.gather(ctx.resolver.query(host, "A"), ctx.resolver.query(host, "AAAA"))
    addresses = tuple(r for ans in (a, aaaa) if ans.exists for r in ans.records)
    return HostAddresses(host=host, addresses=addresses, answers=(a, aaaa))


def hosts_file() -> Path:
    """The system's hosts file (``/etc/hosts``; on Windows under ``%SystemRoot%``)."""
    if sys.platform == "win32":
        root = os.environ.get("SystemRoot", r"C:\Windows")
        return Path(root) / "System32" / "drivers" / "etc" / "hosts"
    return Path("/etc/hosts")


def hosts_file_addresses(host: str, path: Path | None = None) -> tuple[str, ...]:
    """The addresses the hosts file gives ``host`` (IPv4 first); empty when none or unreadable.

    Args:
        host: The name, matched case-insensitively against every name on a line.
        path: The file to read (default :func:`hosts_file`).

    Returns:
        The addresses in file order, IPv4 before IPv6, each once.
    """
    try:
        text = (path or hosts_file()).read_text("utf-8", "replace")
    except OSError:
        return ()
    wanted = host.rstrip(".").lower()
    found: list[str] = []
    for line in text.splitlines():
        fields = line.partition("#")[0].split()
        if len(fields) >= 2 and wanted in (f.lower() for f in fields[1:]):
            address = None if "%" in fields[0] else _literal(fields[0])  # no zoned link-local
            if address is not None and address not in found:
                found.append(address)
    return tuple(sorted(found, key=lambda a: ":" in a))


async def _system(host: str, timeout: float) -> HostAddresses:
    """``getaddrinfo`` (hosts file, then DNS, as configured on this machine), bounded."""
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), timeout
        )
    except TimeoutError:
        return HostAddresses(
            host=host, addresses=(), via="system resolver", error=f"no answer in {timeout:g} s"
        )
    except (socket.gaierror, UnicodeError, OSError) as exc:
        code = getattr(exc, "errno", None)
        definite = code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
        return HostAddresses(
            host=host,
            addresses=(),
            via="system resolver",
            error=f"cannot resolve {host}: {exc.args[-1] if exc.args else exc}",
            no_such_name=definite,
        )
    addresses: list[str] = []
    for family, *_, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6) and sockaddr[0] not in addresses:
            addresses.append(str(sockaddr[0]))
    ordered = tuple(sorted(addresses, key=lambda a: ":" in a))
    return HostAddresses(host=host, addresses=ordered, via="system resolver")


async def resolve_user_host(host: str, *, ctx: Context) -> HostAddresses:
    """A host name the user typed, resolved as their other tools would resolve it.

    Order: an address literal as is; the hosts file; then the system resolver
    (``getaddrinfo``) when ``ctx.system_hosts`` (the run uses the system's nameservers),
    else ``ctx.resolver`` (``--nameserver`` chose the servers to ask).

    Args:
        host: The name or address literal the user gave.
        ctx: The run's context.

    Returns:
        The addresses, saying where they came from (``via``).
    """
    literal = _literal(host)
    if literal is not None:
        return HostAddresses(host=host, addresses=(literal,), via="literal")
    listed = hosts_file_addresses(host)
    if listed:
        return HostAddresses(host=host, addresses=listed, via="hosts file")
    if ctx.system_hosts:
        return await _system(host, ctx.timeout)
    return await resolve_host(host, ctx=ctx)
