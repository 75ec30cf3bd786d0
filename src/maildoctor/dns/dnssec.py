"""DNSSEC: is the sender's zone signed, does its chain hold, does the resolver vouch for it?

Three questions (RFC 4033-4035):

* **Signed?** The zone (the domain, else its organizational domain) publishes a DNSKEY
  RRset with an RRSIG over it.
* **Chain.** Each key-signing step is checked with :func:`dns.dnssec.validate`: a DS at the
  parent (or a trust anchor the caller supplies) must match a DNSKEY; that DNSKEY must sign
  the DNSKEY RRset; the DNSKEYs must sign the domain's MX and TXT RRsets. A step that fails
  (a DS matching no key, an expired or broken signature, an unsigned RRset in a signed zone)
  makes the zone **bogus** (RFC 4035 section 4.3): validating resolvers answer SERVFAIL, so
  SPF, DKIM, DMARC and MX lookups of the domain fail for every receiver that validates. A
  signed zone without a DS at the parent is an island: validators treat it as unsigned.
* **AD.** The configured resolver is asked with DO and AD set (RFC 6840 section 5.7): a
  validating resolver sets AD on an authenticated answer, and answers SERVFAIL for a bogus
  one - which, when the same question with CD (checking disabled) succeeds, is a bogus chain
  as that resolver sees it. No AD on a signed zone only means this resolver did not vouch.

A timeout or failed exchange is "could not check", never "unsigned".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .orgdomain import psl_org_domain

__all__ = ["ChainResult", "Fetched", "ask", "check_dnssec", "validate_chain"]

REFERENCE = "RFC 4035 sections 3.2.3 (AD), 4.3 (secure, insecure, bogus) and 5"
_MAKE = FindingMaker("dns.dnssec", Layer.DNS, REFERENCE)
#: RRsets of the domain whose signatures are checked (besides the DNSKEY RRset).
DATA_TYPES = ("MX", "TXT")


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """One DO-bit exchange: the RRset, its signatures, flags, and how it ended."""

    name: str
    rdtype: str
    rcode: str = "NOERROR"
    rrset: dns.rrset.RRset | None = None
    rrsigs: dns.rrset.RRset | None = None
    ad: bool = False
    error: str = ""
    server: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.rcode in ("NOERROR", "NXDOMAIN")

    def evidence(self, flags: str = "DO") -> Evidence:
        raw = tuple(r.to_text() for r in self.rrset) if self.rrset else ()
        raw += tuple(r.to_text()[:120] for r in self.rrsigs) if self.rrsigs else ()
        outcome = self.error or self.rcode + (" AD" if self.ad else "")
        return Evidence(
            id=f"dnssec:{self.rdtype}:{self.name}:{flags}",
            source="dns",
            query=f"{self.name} {self.rdtype} ({flags})",
            server=self.server or None,
            outcome=outcome,
            raw=raw[:12],
        )


async def ask(
    ctx: Context, name: str, rdtype: str, *, ad: bool = True, cd: bool = False
) -> Fetched:
    """Ask the run's first nameserver with DO set; never raises.

    The chain's RRsets are fetched with CD (checking disabled, RFC 4035 section 3.2.2), so
    that a validating resolver hands over even a bogus zone's data for checking here.
    """
    servers = getattr(ctx.resolver, "servers", None)
    pool = getattr(ctx.resolver, "udp", None)
    if not servers or pool is None:
        return Fetched(name=name, rdtype=rdtype, error="no nameserver to ask with DO set")
    ns = servers[0]
    query = dns.message.make_query(name, rdtype, want_dnssec=True, payload=4096)
    query.flags |= (dns.flags.AD if ad else 0) | (dns.flags.CD if cd else 0)
    query.id = pool.new_id(ns.host, ns.port)
    try:
        wire = await pool.exchange(query.to_wire(), ns.host, ns.port, ctx.timeout)
        response = dns.message.from_wire(wire, ignore_trailing=True)
        if response.flags & dns.flags.TC:
            from dns.asyncquery import tcp  # large DNSKEY/RRSIG answers

            response = await tcp(query, ns.host, timeout=ctx.timeout, port=ns.port)
    except (TimeoutError, dns.exception.DNSException, OSError, ValueError, EOFError) as exc:
        text = f"no reply in {ctx.timeout:g}s" if isinstance(exc, TimeoutError) else repr(exc)
        return Fetched(name=name, rdtype=rdtype, error=text[:200], server=str(ns))
    return _parse(response, name, rdtype, str(ns))


def _parse(response: dns.message.Message, name: str, rdtype: str, server: str) -> Fetched:
    qname = dns.name.from_text(name)
    qtype = dns.rdatatype.from_text(rdtype)
    rrset = response.get_rrset(response.answer, qname, dns.rdataclass.IN, qtype)
    sigs = response.get_rrset(response.answer, qname, dns.rdataclass.IN, dns.rdatatype.RRSIG, qtype)
    return Fetched(
        name=name,
        rdtype=rdtype,
        rcode=dns.rcode.to_text(response.rcode()),
        rrset=rrset,
        rrsigs=sigs,
        ad=bool(response.flags & dns.flags.AD),
        server=server,
    )


# -- the chain (pure, over fetched RRsets) -----------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainResult:
    """What validating the zone's chain found.

    Attributes:
        state: ``secure``, ``insecure`` (no DS: an island), or ``bogus``.
        problems: Why it is bogus, one line each.
        checked: What validated, one line each.
    """

    state: str
    problems: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()


@dataclass(slots=True)
class _Chain:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def validate_chain(
    zone: str,
    dnskey: Fetched,
    anchors: Sequence[Any],
    data: Sequence[Fetched],
    *,
    now: float | None = None,
) -> ChainResult:
    """Validate DS/anchor -> DNSKEY -> data RRsets with :func:`dns.dnssec.validate`.

    Args:
        zone: The zone apex.
        dnskey: The DNSKEY RRset and its RRSIGs.
        anchors: DS rdatas from the parent, or DNSKEY/DS rdatas given as a trust anchor.
        data: RRsets of the domain (with their RRSIGs) to check.
        now: The validation time (default: the wall clock).
    """
    chain = _Chain()
    apex = dns.name.from_text(zone)
    if dnskey.rrset is None:
        return ChainResult(state="bogus", problems=("the zone publishes no DNSKEY",))
    keys = {apex: dnskey.rrset}
    _check_anchor(apex, dnskey.rrset, anchors, chain)
    _check_sigs(dnskey, keys, chain, now)
    for fetched in data:
        if fetched.rrset is not None:
            _check_sigs(fetched, keys, chain, now)
    if chain.problems:
        return ChainResult(
            state="bogus", problems=tuple(chain.problems), checked=tuple(chain.checked)
        )
    state = "secure" if anchors else "insecure"
    return ChainResult(state=state, checked=tuple(chain.checked))


def _check_anchor(
    apex: dns.name.Name, keys: dns.rrset.RRset, anchors: Sequence[Any], chain: _Chain
) -> None:
    if not anchors:
        return
    for anchor in anchors:
        if anchor.rdtype == dns.rdatatype.DNSKEY and anchor in keys:
            chain.checked.append("a trust-anchor DNSKEY is published")
            return
        if anchor.rdtype == dns.rdatatype.DS and _ds_matches(apex, anchor, keys):
            chain.checked.append(f"DS (key tag {anchor.key_tag}) matches a DNSKEY")
            return
    chain.problems.append("no DS record at the parent (or trust anchor) matches a DNSKEY")


def _ds_matches(apex: dns.name.Name, ds: Any, keys: dns.rrset.RRset) -> bool:
    for key in keys:
        try:
            if dns.dnssec.make_ds(apex, key, ds.digest_type) == ds:
                return True
        except (dns.dnssec.UnsupportedAlgorithm, ValueError):
            continue
    return False


def _check_sigs(
    fetched: Fetched,
    keys: Mapping[dns.name.Name, Any],
    chain: _Chain,
    now: float | None,
) -> None:
    label = f"{fetched.name} {fetched.rdtype}"
    if fetched.rrsigs is None:
        chain.problems.append(f"{label} is not signed (no RRSIG) in a signed zone")
        return
    try:
        dns.dnssec.validate(fetched.rrset, fetched.rrsigs, dict(keys), now=now or time.time())  # type: ignore[arg-type]
    except dns.dnssec.ValidationFailure as exc:
        chain.problems.append(f"{label}: {_why(fetched, now)} ({exc})")
        return
    chain.checked.append(f"{label} signature validates")


def _why(fetched: Fetched, now: float | None) -> str:
    moment = now or time.time()
    for sig in fetched.rrsigs or ():
        if sig.expiration < moment:
            return "the signature has expired"
        if sig.inception > moment:
            return "the signature is not yet valid"
    return "the signature does not validate"


# -- the check -----------------------------------------------------------------------


async def check_dnssec(
    domain: str,
    *,
    ctx: Context,
    trust_anchor: Sequence[Any] | None = None,
    now: float | None = None,
) -> tuple[Finding, ...]:
    """Is ``domain``'s zone signed, does its chain validate, does the resolver set AD?

    Args:
        domain: The sender's domain.
        ctx: The run's context (its first nameserver is asked with DO set).
        trust_anchor: DS or DNSKEY rdatas to trust for the zone instead of the parent's DS.
        now: Validation time (tests).

    Returns:
        ``dns.dnssec.signed``, ``dns.dnssec.chain`` and ``dns.dnssec.ad`` findings; a bogus
        chain is a ``fail`` with cause ``dns.dnssec.bogus``.
    """
    if not getattr(ctx.resolver, "servers", None):
        return (
            _MAKE(
                "not_checked",
                Status.SKIPPED,
                domain,
                "DNSSEC not checked: the resolver in use cannot ask with the DO bit "
                "(static or replayed answers)",
            ),
        )
    zone, dnskey = await _find_zone(domain, ctx)
    if dnskey is None or not dnskey.ok:
        why = dnskey.error or dnskey.rcode if dnskey else "no answer"
        return (_could_not(domain, f"the DNSKEY lookup failed: {why}", dnskey),)
    if dnskey.rrset is None:
        return (_unsigned(domain, zone, dnskey),)
    data = await asyncio.gather(*(ask(ctx, domain, t, cd=True) for t in DATA_TYPES))
    anchors = list(trust_anchor or ())
    ds: Fetched | None = None
    if not anchors:
        ds = await ask(ctx, zone, "DS", cd=True)
        anchors = list(ds.rrset or ()) if ds.ok else []
    chain = validate_chain(zone, dnskey, anchors, [d for d in data if d.ok], now=now)
    found = [_signed(zone, dnskey), _chain(domain, zone, chain, dnskey, ds, data)]
    found.append(await _ad(domain, ctx, chain))
    return tuple(found)


async def _find_zone(domain: str, ctx: Context) -> tuple[str, Fetched | None]:
    """The first of the domain and its organizational domain that has a DNSKEY."""
    names = list(dict.fromkeys((domain, psl_org_domain(domain) or domain)))
    last: Fetched | None = None
    for name in names:
        last = await ask(ctx, name, "DNSKEY", cd=True)
        if not last.ok or last.rrset is not None:
            return name, last
    return names[-1], last


def _could_not(domain: str, why: str, fetched: Fetched | None) -> Finding:
    return _MAKE(
        "not_checked",
        Status.ERROR,
        domain,
        f"could not check DNSSEC for {domain}: {why}",
        evidence=(fetched.evidence(),) if fetched else (),
    )


def _unsigned(domain: str, zone: str, dnskey: Fetched) -> Finding:
    return _MAKE(
        "signed",
        Status.INFO,
        domain,
        f"{zone} is not signed with DNSSEC (no DNSKEY): answers about it cannot be "
        "authenticated, but nothing fails because of it",
        evidence=(dnskey.evidence(),),
        data={"zone": zone, "signed": False},
    )


def _signed(zone: str, dnskey: Fetched) -> Finding:
    keys = list(dnskey.rrset or ())
    algorithms = sorted({dns.dnssec.algorithm_to_text(k.algorithm) for k in keys})
    return _MAKE(
        "signed",
        Status.PASS,
        zone,
        f"{zone} is signed: {len(keys)} DNSKEY(s), algorithm {', '.join(algorithms)}",
        evidence=(dnskey.evidence(),),
        data={"zone": zone, "signed": True, "algorithms": algorithms},
    )


def _chain(
    domain: str,
    zone: str,
    chain: ChainResult,
    dnskey: Fetched,
    ds: Fetched | None,
    data: Sequence[Fetched],
) -> Finding:
    evidence = (dnskey.evidence(), *(d.evidence() for d in data))
    evidence += (ds.evidence(),) if ds else ()
    if chain.state == "bogus":
        return _MAKE(
            "chain",
            Status.FAIL,
            domain,
            f"{zone}'s DNSSEC chain is bogus: {'; '.join(chain.problems)}",
            detail="Validating resolvers answer SERVFAIL for this zone, so SPF, DKIM, DMARC "
            "and MX lookups fail at every receiver that validates.",
            evidence=evidence,
            cause="dns.dnssec.bogus",
            data={"state": chain.state, "problems": list(chain.problems)},
        )
    if chain.state == "insecure":
        return _MAKE(
            "chain",
            Status.INFO,
            domain,
            f"{zone} is signed but its parent publishes no DS record: validators treat it "
            "as unsigned (an island of security)",
            evidence=evidence,
            data={"state": chain.state, "checked": list(chain.checked)},
        )
    return _MAKE(
        "chain",
        Status.PASS,
        domain,
        f"{zone}'s DNSSEC chain validates: {'; '.join(chain.checked)}",
        evidence=evidence,
        data={"state": chain.state, "checked": list(chain.checked)},
    )


async def _ad(domain: str, ctx: Context, chain: ChainResult) -> Finding:
    asked = await ask(ctx, domain, "MX")
    if asked.error:
        return _could_not(domain, f"the resolver did not answer: {asked.error}", asked)
    if asked.rcode == "SERVFAIL":
        unchecked = await ask(ctx, domain, "MX", cd=True)
        if unchecked.ok:
            return _resolver_bogus(domain, asked, unchecked)
        return _could_not(domain, "the resolver answers SERVFAIL, with or without CD", asked)
    if asked.ad:
        return _MAKE(
            "ad",
            Status.PASS,
            domain,
            f"the resolver {asked.server} authenticated the answer for {domain} (AD set)",
            evidence=(asked.evidence("DO AD"),),
            data={"ad": True},
        )
    note = " although the chain validates here" if chain.state == "secure" else ""
    return _MAKE(
        "ad",
        Status.INFO,
        domain,
        f"the resolver {asked.server} did not set AD for {domain}{note}: it does not "
        "validate, or does not trust the chain",
        evidence=(asked.evidence("DO AD"),),
        data={"ad": False},
    )


def _resolver_bogus(domain: str, asked: Fetched, unchecked: Fetched) -> Finding:
    return _MAKE(
        "ad",
        Status.FAIL,
        domain,
        f"the validating resolver {asked.server} answers SERVFAIL for {domain}, and answers "
        "with checking disabled (CD): the DNSSEC chain is bogus",
        evidence=(asked.evidence("DO AD"), unchecked.evidence("DO CD")),
        cause="dns.dnssec.bogus",
        data={"ad": False, "bogus": True},
    )
