"""Async DNS client that keeps every answer's outcome.

A lookup never raises for a DNS-level failure: it returns a :class:`DnsAnswer`
whose ``outcome`` says how it ended - an answer, NXDOMAIN, NODATA, SERVFAIL,
REFUSED, a timeout, an invalid name or another error - together with the
server that said so. Callers must treat anything but ``answer``/``nxdomain``/
``nodata`` as "could not tell", never as "no record" (DESIGN.md).

:class:`DnsResolver` talks to configured nameservers (host and optional port)
with dnspython's low-level async query functions, falls back to TCP when an
answer is truncated, retries on timeout, and keeps a per-run cache in which
identical in-flight queries are coalesced into one network exchange.

:class:`StaticResolver` answers from a mapping, for pure tests and replays.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import dns._features
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from .nameserver import Nameserver, parse_nameserver, system_nameservers
from .rdata import MxSet, mx_set
from .udpmux import UdpPool

if TYPE_CHECKING:
    from ..model import Evidence
    from .early import EarlyQuery

# maildoctor speaks plain DNS (UDP with TCP fallback) only. Without this, importing
# dns.query (on TCP fallback) pulls in an HTTP client for DNS-over-HTTPS.
dns._features.force("doh", False)

__all__ = [
    "DnsAnswer",
    "DnsResolver",
    "Nameserver",
    "Outcome",
    "Resolver",
    "StaticResolver",
    "parse_nameserver",
]

#: Hard bound on CNAME chains followed inside one answer (DESIGN.md "Safety").
MAX_CNAME_CHAIN = 16


class Outcome(StrEnum):
    ANSWER = "answer"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    SERVFAIL = "servfail"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    INVALID = "invalid"  # the name itself cannot be asked (label > 63 octets, empty label)
    ERROR = "error"  # anything else: malformed reply, network error, CNAME loop


#: Outcomes that are a definite statement about the name.
DEFINITE = frozenset({Outcome.ANSWER, Outcome.NXDOMAIN, Outcome.NODATA})


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsAnswer:
    """The outcome of one question.

    Attributes:
        name: The name asked, as given (lower-cased, no trailing dot).
        rdtype: The record type asked (``TXT``, ``MX``...).
        outcome: How it ended.
        records: Record data as text. TXT: the character-strings joined; MX:
            ``"PREF EXCHANGE"``; names without the trailing dot.
        server: The nameserver that gave this outcome, if any answered.
        cname_chain: Names the answer went through before the records (CNAME targets).
        error: Human text for non-definite outcomes.
        elapsed_ms: Time to the outcome, including retries.
        tcp: Whether the answer came over TCP (after truncation).
    """

    name: str
    rdtype: str
    outcome: Outcome
    records: tuple[str, ...] = ()
    server: str | None = None
    cname_chain: tuple[str, ...] = ()
    error: str = ""
    elapsed_ms: float = 0.0
    tcp: bool = False

    @property
    def ok(self) -> bool:
        """True when the outcome is a definite statement (answer, NXDOMAIN or NODATA)."""
        return self.outcome in DEFINITE

    @property
    def exists(self) -> bool:
        return self.outcome is Outcome.ANSWER

    @property
    def void(self) -> bool:
        """NXDOMAIN or NODATA: a definite "nothing here" (RFC 7208 4.6.4 void lookup)."""
        return self.outcome in (Outcome.NXDOMAIN, Outcome.NODATA)

    @property
    def target(self) -> str:
        """The name the records were found at (after any CNAMEs)."""
        return self.cname_chain[-1] if self.cname_chain else self.name

    def mx(self) -> MxSet:
        """This answer's MX records, read once (:mod:`maildoctor.dns.rdata`'s rule).

        NODATA gives the implicit MX (RFC 5321 section 5.1); NXDOMAIN or a failed lookup
        gives no records. Meaningful for an ``MX`` question only.
        """
        texts = self.records if self.exists else ()
        return mx_set(self.name, texts, nodata=self.outcome is Outcome.NODATA)

    def describe(self) -> str:
        if self.outcome is Outcome.ANSWER:
            return f"{len(self.records)} record(s)"
        if self.outcome is Outcome.NXDOMAIN:
            return "the name does not exist (NXDOMAIN)"
        if self.outcome is Outcome.NODATA:
            return f"the name exists but has no {self.rdtype} record"
        return f"lookup failed: {self.outcome}{': ' + self.error if self.error else ''}"

    def evidence(self) -> Evidence:
        from ..model import Evidence

        raw = self.records if self.exists else ()
        chain = " -> ".join((self.name, *self.cname_chain)) if self.cname_chain else self.name
        return Evidence(
            id=f"dns:{self.rdtype}:{self.name}",
            source="dns",
            query=f"{chain} {self.rdtype}",
            server=self.server,
            outcome=str(self.outcome) + (f" ({self.error})" if self.error else ""),
            raw=raw,
            elapsed_ms=self.elapsed_ms,
        )


class Resolver(Protocol):
    """What every check needs from DNS."""

    async def query(self, name: str, rdtype: str) -> DnsAnswer: ...


def normalise(name: str) -> str:
    return name.strip().rstrip(".").lower()


@dataclass
class DnsResolver:
    """Stub resolver with per-run cache and in-flight coalescing.

    Args:
        nameservers: Servers to ask, in order. ``None`` reads the system's
            configuration (``/etc/resolv.conf``).
        timeout: Seconds to wait for each server's reply.
        retries: Extra rounds over all servers after a timeout or failure.
        udp: The sockets to ask through; resolvers of one batch share a pool.
    """

    nameservers: Sequence[Nameserver] | None = None
    timeout: float = 3.0
    retries: int = 1
    queries_sent: int = 0
    _cache: dict[tuple[str, str], asyncio.Future[DnsAnswer]] = field(default_factory=dict)
    udp: UdpPool = field(default_factory=UdpPool)
    _early: dict[tuple[str, str, Nameserver], EarlyQuery] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.nameservers is None:
            self.nameservers = system_nameservers()
        self.nameservers = list(self.nameservers)

    def answers(self) -> list[DnsAnswer]:
        """Every answer this run received (for ``--dns-record``)."""
        return [f.result() for f in self._cache.values() if f.done() and not f.cancelled()]

    @property
    def servers(self) -> list[Nameserver]:
        return list(self.nameservers or [])

    def adopt(self, early: Iterable[EarlyQuery]) -> None:
        """Take over questions already on the wire (:mod:`.early`): the first time this
        resolver asks one of them of that server, it waits for that reply instead of
        sending again, and checks it against the question as it would its own."""
        for q in early:
            self._early[(normalise(q.name), q.rdtype, q.server)] = q
            self.queries_sent += 1

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        """Ask once per run; concurrent identical questions share one exchange."""
        key = (normalise(name), rdtype.upper())
        fut = self._cache.get(key)
        if fut is None:
            fut = asyncio.ensure_future(self._resolve(*key))
            self._cache[key] = fut
        return await asyncio.shield(fut)

    async def _resolve(self, name: str, rdtype: str) -> DnsAnswer:
        start = time.perf_counter()
        try:
            qname = dns.name.from_text(name) if name else dns.name.root
            qtype = dns.rdatatype.from_text(rdtype)
        except (dns.exception.DNSException, ValueError) as exc:
            return DnsAnswer(name=name, rdtype=rdtype, outcome=Outcome.INVALID, error=str(exc))
        if not self.servers:
            return DnsAnswer(
                name=name, rdtype=rdtype, outcome=Outcome.ERROR, error="no nameservers configured"
            )
        last: DnsAnswer | None = None
        for _round in range(self.retries + 1):
            for ns in self.servers:
                answer = await self._ask(ns, qname, qtype, name, rdtype)
                answer = _with_elapsed(answer, start)
                if answer.ok:
                    return answer
                last = answer
        assert last is not None
        return last

    async def _ask(
        self,
        ns: Nameserver,
        qname: dns.name.Name,
        qtype: dns.rdatatype.RdataType,
        name: str,
        rdtype: str,
    ) -> DnsAnswer:
        query = dns.message.make_query(qname, qtype, use_edns=0, payload=1232)
        early = self._early.pop((name, rdtype, ns), None)
        if early is None:
            query.id = self.udp.new_id(ns.host, ns.port)
            self.queries_sent += 1
        else:
            query.id = early.qid
        base = DnsAnswer(name=name, rdtype=rdtype, outcome=Outcome.ERROR, server=str(ns))
        try:
            response, tcp = await self._exchange(query, ns, early.reply if early else None)
        except (TimeoutError, dns.exception.Timeout):
            return replace(base, outcome=Outcome.TIMEOUT, error=f"no reply in {self.timeout:g}s")
        except (dns.exception.DNSException, OSError, ValueError, EOFError) as exc:
            return replace(base, outcome=Outcome.ERROR, error=_short(exc))
        return _interpret(response, qname, qtype, replace(base, tcp=tcp))

    async def _exchange(
        self,
        query: dns.message.Message,
        ns: Nameserver,
        sent: asyncio.Future[bytes] | None = None,
    ) -> tuple[dns.message.Message, bool]:
        """UDP first; TCP when the reply is truncated (RFC 7766 section 5).

        ``sent`` is the reply of the same question already on the wire, if any.
        """
        if sent is None:
            wire = await self.udp.exchange(query.to_wire(), ns.host, ns.port, self.timeout)
        else:
            wire = await sent
        response = dns.message.from_wire(wire, ignore_trailing=True)
        if not query.is_response(response):
            raise dns.exception.FormError("reply does not match the question")
        if not response.flags & dns.flags.TC:
            return response, False
        from dns.asyncquery import tcp  # only on truncation: a fifth of the CLI's start-up

        response = await tcp(query, ns.host, timeout=self.timeout, port=ns.port)
        return response, True


def _with_elapsed(answer: DnsAnswer, start: float) -> DnsAnswer:
    return replace(answer, elapsed_ms=(time.perf_counter() - start) * 1000)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _interpret(
    response: dns.message.Message,
    qname: dns.name.Name,
    qtype: dns.rdatatype.RdataType,
    base: DnsAnswer,
) -> DnsAnswer:
    rcode = response.rcode()
    if rcode == dns.rcode.SERVFAIL:
        return replace(base, outcome=Outcome.SERVFAIL, error="server failure")
    if rcode == dns.rcode.REFUSED:
        return replace(base, outcome=Outcome.REFUSED, error="query refused")
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return replace(base, outcome=Outcome.ERROR, error=f"rcode {dns.rcode.to_text(rcode)}")
    chain: list[str] = []
    current = qname
    seen = {qname}
    rdclass = dns.rdataclass.IN
    while qtype != dns.rdatatype.CNAME:
        cname = response.get_rrset(response.answer, current, rdclass, dns.rdatatype.CNAME)
        if cname is None:
            break
        current = cname[0].target
        if current in seen or len(chain) >= MAX_CNAME_CHAIN:
            return replace(
                base, outcome=Outcome.ERROR, error="CNAME loop", cname_chain=tuple(chain)
            )
        seen.add(current)
        chain.append(current.to_text(omit_final_dot=True).lower())
    if rcode == dns.rcode.NXDOMAIN:
        return replace(base, outcome=Outcome.NXDOMAIN, cname_chain=tuple(chain))
    rrset = response.get_rrset(response.answer, current, rdclass, qtype)
    if rrset is None or len(rrset) == 0:
        return replace(base, outcome=Outcome.NODATA, cname_chain=tuple(chain))
    records = tuple(rdata_text(rd) for rd in rrset)
    return replace(base, outcome=Outcome.ANSWER, records=records, cname_chain=tuple(chain))


def rdata_text(rd: object) -> str:
    """One record's text: TXT strings joined, MX ``PREF EXCHANGE``, names without final dot."""
    strings = getattr(rd, "strings", None)
    if strings is not None:  # TXT / SPF: join the character-strings (RFC 7208 3.3)
        return b"".join(strings).decode("utf-8", "replace")
    if hasattr(rd, "exchange"):
        return f"{rd.preference} {rd.exchange.to_text(omit_final_dot=True)}"  # type: ignore[attr-defined]
    target = getattr(rd, "target", None)
    if target is not None and hasattr(target, "to_text") and not hasattr(rd, "priority"):
        return str(target.to_text(omit_final_dot=True))
    return str(rd.to_text())  # type: ignore[attr-defined]


class StaticResolver:
    """Answers from a mapping ``{name: {RDTYPE: [records]}}``; for tests and replays.

    A name that is absent is NXDOMAIN; a present name without the type is NODATA.
    ``failures`` maps ``(name, RDTYPE)`` or ``name`` to a failing :class:`Outcome`.
    Every question is appended to :attr:`log`.
    """

    def __init__(
        self,
        records: Mapping[str, Mapping[str, Iterable[str]]],
        failures: Mapping[object, Outcome] | None = None,
    ) -> None:
        self.records = {
            normalise(n): {t.upper(): tuple(v) for t, v in types.items()}
            for n, types in records.items()
        }
        self.failures = dict(failures or {})
        self.log: list[tuple[str, str]] = []

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        name, rdtype = normalise(name), rdtype.upper()
        self.log.append((name, rdtype))
        base = DnsAnswer(name=name, rdtype=rdtype, outcome=Outcome.ERROR, server="static")
        fail = self.failures.get((name, rdtype)) or self.failures.get(name)
        if fail is not None:
            return replace(base, outcome=fail, error="injected")
        if any(len(label) > 63 for label in name.split(".")) or ".." in name:
            return replace(base, outcome=Outcome.INVALID, error="bad label")
        types = self.records.get(name)
        if types is None:
            return replace(base, outcome=Outcome.NXDOMAIN)
        values = types.get(rdtype)
        if not values:
            return replace(base, outcome=Outcome.NODATA)
        return replace(base, outcome=Outcome.ANSWER, records=values)
