"""The first DNS questions of a run, sent before the DNS library is loaded.

A cold ``maildoctor dns`` needs tens of milliseconds to import dnspython. The
first round of questions (:func:`maildoctor.dns.prefetch.first_round`) depends on
nothing but the domain, so the CLI encodes them by hand (RFC 1035 section 4.1,
with an RFC 6891 OPT record) and sends them through the run's
:class:`~maildoctor.dns.udpmux.UdpPool`; the resolver adopts the replies once it
exists (:meth:`maildoctor.dns.resolver.DnsResolver.adopt`), checking each one
against its question as it would its own.

Only plain ASCII host names go out early (:func:`plain_domain`); anything else
waits for the full validation and the resolver.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from .nameserver import Nameserver
from .udpmux import UdpPool

__all__ = ["EarlyQuery", "encode_query", "on_the_wire", "plain_domain", "send_early"]

#: Record types the first round asks (RFC 1035 section 3.2.2, RFC 3596).
TYPE_CODES = {"A": 1, "MX": 15, "TXT": 16, "PTR": 12, "AAAA": 28, "CNAME": 5}

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class EarlyQuery:
    """One question on the wire, and the future of its raw reply."""

    name: str
    rdtype: str
    qid: int
    server: Nameserver
    reply: asyncio.Future[bytes]


def plain_domain(text: str) -> bool:
    """True for a lower-case ASCII name of two or more ordinary labels (not an IP)."""
    name = text.rstrip(".")
    if len(name) > 253 or name != name.lower():
        return False
    try:
        ipaddress.ip_address(name)
        return False
    except ValueError:
        pass
    labels = name.split(".")
    return len(labels) >= 2 and all(_LABEL.match(label) for label in labels)


def encode_query(name: str, rdtype: str, qid: int) -> bytes:
    """The wire form of a recursive query for ``name``/``rdtype`` (class IN) with EDNS.

    Raises:
        ValueError: for a type not in :data:`TYPE_CODES` or a label over 63 octets.
    """
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1)  # RD; one question, one OPT
    qname = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        if not 0 < len(raw) < 64:
            raise ValueError(f"bad label in {name!r}")
        qname += bytes([len(raw)]) + raw
    question = qname + b"\x00" + struct.pack("!HH", TYPE_CODES[rdtype], 1)
    opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)  # root, OPT, 1232-octet payload
    return header + question + opt


def send_early(
    pool: UdpPool, server: Nameserver, questions: Iterable[tuple[str, str]], timeout: float
) -> list[EarlyQuery]:
    """Start every question now (the pool sends them as soon as the loop turns)."""
    sent = []
    for name, rdtype in questions:
        if rdtype not in TYPE_CODES:
            continue
        qid = pool.new_id(server.host, server.port)
        try:
            wire = encode_query(name, rdtype, qid)
        except ValueError:
            pool.release(qid, server.host, server.port)
            continue
        reply = asyncio.ensure_future(pool.exchange(wire, server.host, server.port, timeout))
        reply.add_done_callback(_retrieved)
        sent.append(EarlyQuery(name, rdtype, qid, server, reply))
    return sent


def _retrieved(future: asyncio.Future[bytes]) -> None:
    if not future.cancelled():
        future.exception()  # a timeout here is handled by the resolver, not logged


async def on_the_wire(pool: UdpPool, sent: list[EarlyQuery], *, turns: int = 50) -> None:
    """Let the loop turn until the datagrams are out (the sockets take a few turns to open).

    The caller is about to block on imports; questions still queued would wait with it.
    """
    await pool.until_sent(pool.sent + len(sent), turns=turns)
