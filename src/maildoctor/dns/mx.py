"""MX records: where a domain receives mail, and whether those hosts resolve.

:func:`mx_hosts` gives the ordered exchanges with their addresses (the SMTP
layer connects to them); :func:`check_mx` judges them:

* null MX ``0 .`` (RFC 7505): the domain accepts no mail; mixed with other MX
  records it is an error (RFC 7505 section 3);
* an exchange that is an IP literal is not a host name (RFC 5321 section 5.1): fail;
* an exchange that is a CNAME breaks RFC 5321 section 5.1 / RFC 2181 section
  10.3, though most senders cope: warn;
* an exchange without A/AAAA cannot be reached: fail;
* no MX at all: the domain's own A/AAAA act as an implicit MX (RFC 5321
  section 5.1), which works but is fragile: warn.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .rdata import MxRecord, MxSet
from .resolver import DnsAnswer, Outcome

__all__ = [
    "MxHost",
    "MxLookup",
    "MxResult",
    "check_mx",
    "lookup_mx",
    "mx_findings",
    "mx_hosts",
]

REF_MX = "RFC 5321 §5.1"
REF_NULL = "RFC 7505 §3"
REF_CNAME = "RFC 5321 §5.1; RFC 2181 §10.3"
#: Exchanges beyond this are not resolved (a bound on fan-out, DESIGN.md "Safety").
MAX_EXCHANGES = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class MxHost:
    """One exchange and what its name resolves to.

    Attributes:
        preference: The MX preference (lower first); 0 for an implicit MX.
        exchange: The host name (or, wrongly, an IP literal).
        a: The A answer, if asked.
        aaaa: The AAAA answer, if asked.
    """

    preference: int
    exchange: str
    a: DnsAnswer | None = None
    aaaa: DnsAnswer | None = None

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(r for ans in (self.a, self.aaaa) if ans and ans.exists for r in ans.records)

    @property
    def ip_literal(self) -> bool:
        try:
            ipaddress.ip_address(self.exchange.strip("[]"))
        except ValueError:
            return False
        return True

    @property
    def cname_chain(self) -> tuple[str, ...]:
        for ans in (self.a, self.aaaa):
            if ans is not None and ans.cname_chain:
                return ans.cname_chain
        return ()

    @property
    def resolved(self) -> bool:
        """Both address lookups ended definitely."""
        return all(ans is not None and ans.ok for ans in (self.a, self.aaaa))

    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(ans.evidence() for ans in (self.a, self.aaaa) if ans is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class MxResult:
    """The MX answer for a domain and its exchanges in delivery order.

    Attributes:
        domain: The domain asked.
        answer: The MX answer.
        hosts: Exchanges sorted by preference (the implicit MX when there is no MX).
        null_mx: The domain publishes ``0 .`` (RFC 7505).
        implicit: No MX records: ``hosts`` holds the domain itself (RFC 5321 section 5.1).
        malformed: MX record texts that could not be read.
    """

    domain: str
    answer: DnsAnswer
    hosts: tuple[MxHost, ...] = ()
    null_mx: bool = False
    implicit: bool = False
    malformed: tuple[str, ...] = ()

    @property
    def deliverable(self) -> tuple[MxHost, ...]:
        """Exchanges that have an address and are not IP literals, in order."""
        return tuple(h for h in self.hosts if h.addresses and not h.ip_literal)

    def evidence(self) -> tuple[Evidence, ...]:
        return (self.answer.evidence(), *(e for h in self.hosts for e in h.evidence()))


@dataclass(frozen=True, slots=True, kw_only=True)
class MxLookup:
    """A domain's MX answer and its records, read under :mod:`maildoctor.dns.rdata`'s rule."""

    answer: DnsAnswer
    mx: MxSet

    @property
    def domain(self) -> str:
        return self.mx.domain

    @property
    def hosts(self) -> tuple[MxRecord, ...]:
        """Where mail goes, in order: none for a null MX, the domain for an implicit MX."""
        return self.mx.hosts

    @property
    def implicit(self) -> bool:
        return self.mx.implicit

    @property
    def null_mx(self) -> bool:
        return self.mx.null


async def lookup_mx(domain: str, *, ctx: Context) -> MxLookup:
    """The one MX lookup: ask, then read the records once (``DnsAnswer.mx``).

    Args:
        domain: The domain (validated).
        ctx: The run's context.

    Returns:
        The answer and its :class:`~maildoctor.dns.rdata.MxSet`; DNS failures stay in
        the answer, never raised.
    """
    answer = await ctx.resolver.query(domain, "MX")
    return MxLookup(answer=answer, mx=answer.mx())


async def mx_hosts(domain: str, *, ctx: Context) -> MxResult:
    """The domain's exchanges, ordered, with their addresses resolved concurrently.

    Args:
        domain: The domain (validated).
        ctx: The run's context.

    Returns:
        The :class:`MxResult`; when there is no MX (NODATA) the implicit MX is
        the domain itself. DNS failures are kept in the answers, never raised.
    """
    lookup = await lookup_mx(domain, ctx=ctx)
    answer, mx = lookup.answer, lookup.mx
    if mx.implicit:
        host = await _resolve(ctx, 0, domain)
        return MxResult(domain=domain, answer=answer, hosts=(host,), implicit=True)
    if not answer.exists:
        return MxResult(domain=domain, answer=answer)
    if mx.null:
        return MxResult(
            domain=domain,
            answer=answer,
            null_mx=True,
            malformed=mx.malformed,
            hosts=tuple(MxHost(preference=r.preference, exchange=r.exchange) for r in mx.records),
        )
    records = mx.records[:MAX_EXCHANGES]
    hosts = await asyncio.gather(*(_resolve(ctx, r.preference, r.exchange) for r in records))
    return MxResult(domain=domain, answer=answer, hosts=tuple(hosts), malformed=mx.malformed)


async def _resolve(ctx: Context, preference: int, exchange: str) -> MxHost:
    host = MxHost(preference=preference, exchange=exchange)
    if host.ip_literal:
        return host
    a, aaaa = await asyncio.gather(
        ctx.resolver.query(exchange, "A"), ctx.resolver.query(exchange, "AAAA")
    )
    return MxHost(preference=preference, exchange=exchange, a=a, aaaa=aaaa)


async def check_mx(domain: str, *, ctx: Context, role: str = "domain") -> tuple[Finding, ...]:
    """Check the MX records of a domain.

    Args:
        domain: The domain (validated).
        ctx: The run's context.
        role: ``domain`` (the From domain), ``mail_from`` (bounces go here) or
            ``recipient`` (mail goes there): for the last two a null MX is a failure
            rather than a warning.

    Returns:
        The ``dns.mx.*`` findings.
    """
    return mx_findings(await mx_hosts(domain, ctx=ctx), role=role)


# -- judging (pure) -----------------------------------------------------------------


_finding = FindingMaker("dns.mx", Layer.DNS, REF_MX)


def mx_findings(result: MxResult, *, role: str = "domain") -> tuple[Finding, ...]:
    """Pure: findings for an :class:`MxResult`."""
    answer = result.answer
    if not answer.ok:
        return (_lookup_error(result),)
    if answer.outcome is Outcome.NXDOMAIN:
        return (_nxdomain(result),)
    if result.implicit:
        return (_implicit(result),)
    if result.null_mx:
        return (_null_mx(result, role),)
    findings = [_records(result)]
    findings += [f for h in result.hosts if (f := host_finding(result.domain, h)) is not None]
    return tuple(findings)


def _lookup_error(result: MxResult) -> Finding:
    return _finding(
        "records",
        Status.ERROR,
        result.domain,
        f"could not look up MX for {result.domain}: {result.answer.describe()}",
        evidence=result.evidence(),
        fix="Retry, or check the domain's nameservers.",
    )


def _nxdomain(result: MxResult) -> Finding:
    return _finding(
        "records",
        Status.FAIL,
        result.domain,
        f"{result.domain} does not exist (NXDOMAIN)",
        detail="Replies and bounces to this domain cannot be delivered, and many receivers "
        "reject mail from a domain that does not exist.",
        evidence=result.evidence(),
        fix="Register or publish the domain.",
        cause="dns.mx.domain_missing",
    )


def _implicit(result: MxResult) -> Finding:
    host = result.hosts[0]
    if not host.resolved:
        return _finding(
            "records",
            Status.ERROR,
            result.domain,
            f"no MX for {result.domain}, and its A/AAAA lookup failed",
            evidence=result.evidence(),
            fix="Retry, or check the domain's nameservers.",
        )
    if host.addresses:
        return _finding(
            "records",
            Status.WARN,
            result.domain,
            f"no MX for {result.domain}: mail goes to its A/AAAA ({', '.join(host.addresses)})",
            detail="This implicit MX works, but the web server rarely runs a mail server.",
            evidence=result.evidence(),
            fix=f"Publish an MX record for {result.domain} (or a null MX, 0 ., if it takes no "
            "mail).",
            data={"implicit": True, "addresses": list(host.addresses)},
        )
    return _finding(
        "records",
        Status.FAIL,
        result.domain,
        f"{result.domain} has no MX and no A/AAAA: it cannot receive mail",
        evidence=result.evidence(),
        fix=f"Publish an MX record for {result.domain}.",
        cause="dns.mx.no_mail_host",
    )


def _null_mx(result: MxResult, role: str) -> Finding:
    others = [h.exchange for h in result.hosts if h.exchange not in (".", "")]
    if others or len(result.hosts) > 1:
        return _finding(
            "null_mx",
            Status.FAIL,
            result.domain,
            f"null MX mixed with other MX records ({', '.join(others) or 'duplicates'})",
            detail="A domain with a null MX must publish no other MX record.",
            evidence=result.evidence(),
            reference=REF_NULL,
            fix="Remove either the null MX (0 .) or the other MX records.",
            cause="dns.mx.null_mx_mixed",
        )
    # Mail *to* a recipient domain with a null MX cannot be delivered at all; a MAIL FROM
    # domain with one cannot get bounces; a From domain's only risks refusals.
    fatal = role in ("mail_from", "recipient")
    return _finding(
        "null_mx",
        Status.FAIL if fatal else Status.WARN,
        result.domain,
        f"{result.domain} publishes a null MX (0 .): it accepts no mail",
        detail="Replies and bounces cannot reach it, and receivers may refuse mail whose "
        "sender domain has a null MX (RFC 7505 §4.2, 550 5.7.27).",
        evidence=result.evidence(),
        reference="RFC 7505 §3, §4.2",
        fix="Publish a real MX if this domain sends mail or must get bounces.",
        cause="dns.mx.null_mx",
        data={"null_mx": True},
    )


def _records(result: MxResult) -> Finding:
    hosts = ", ".join(f"{h.preference} {h.exchange}" for h in result.hosts)
    detail = f"Unreadable MX data: {', '.join(result.malformed)}" if result.malformed else ""
    return _finding(
        "records",
        Status.PASS,
        result.domain,
        f"MX: {hosts}",
        detail=detail,
        evidence=(result.answer.evidence(),),
        data={
            "hosts": [
                {"preference": h.preference, "exchange": h.exchange, "addresses": list(h.addresses)}
                for h in result.hosts
            ]
        },
    )


def host_finding(domain: str, host: MxHost) -> Finding | None:
    """A finding about one exchange, or ``None`` when it is a well-formed, resolving name."""
    subject, evidence = host.exchange, host.evidence()
    if host.ip_literal:
        return _finding(
            "ip_literal",
            Status.FAIL,
            subject,
            f"MX {host.exchange} is an IP address, not a host name",
            detail="Senders look up A/AAAA of the exchange name; an IP there does not resolve.",
            reference=REF_MX,
            fix=f"Point the MX of {domain} at a host name with an A record.",
            cause="dns.mx.ip_literal",
        )
    if not host.resolved:
        failed = next(a for a in (host.a, host.aaaa) if a is not None and not a.ok)
        return _finding(
            "address",
            Status.ERROR,
            subject,
            f"could not resolve MX {host.exchange}: {failed.describe()}",
            evidence=evidence,
            fix="Retry, or check the exchange's nameservers.",
        )
    if not host.addresses:
        return _finding(
            "address",
            Status.FAIL,
            subject,
            f"MX {host.exchange} has no A or AAAA record",
            detail="Senders cannot connect to it; with no other exchange, mail bounces.",
            evidence=evidence,
            fix=f"Publish an A/AAAA record for {host.exchange}.",
            cause="dns.mx.exchange_no_address",
        )
    if host.cname_chain:
        return _finding(
            "cname",
            Status.WARN,
            subject,
            f"MX {host.exchange} is a CNAME (to {host.cname_chain[-1]})",
            detail="An MX must name a host with its own A/AAAA; most senders follow the "
            "CNAME, some refuse.",
            evidence=evidence,
            reference=REF_CNAME,
            fix=f"Point the MX directly at {host.cname_chain[-1]}.",
        )
    return None
