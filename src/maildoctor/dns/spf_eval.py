"""SPF evaluation: ``check_host()`` of RFC 7208 over the :class:`Resolver` protocol.

The evaluation never raises for DNS problems: a timeout or server failure is a
``temperror`` result, a broken record a ``permerror``, each with the decision
path, the DNS evidence and a sentence saying what happened.

Internally, errors travel as :class:`_Abort` (never seen outside this module)::

    _Abort(verdict=permerror | temperror, problem=..., path=[...])

Choices where the RFC leaves room (all agree with the RFC 7208 test suite and
with pyspf, the reference implementation):

* a target name that cannot be asked (empty label, label over 63 octets after
  macro expansion) does not exist: the mechanism does not match and the lookup
  is not void (sections 4.3, 4.8);
* void lookups (section 4.6.4) are the NXDOMAIN/NODATA answers to every query
  a term makes: the include/redirect TXT query, the a/exists address query, the
  MX query and each MX host's address query, the PTR query and each PTR name's
  address query. The ``exp=`` and ``%{p}`` queries are not counted;
* all MX host (and PTR name) addresses are fetched, concurrently, then checked
  in order, so the first failing answer decides as in a sequential reading;
* ``redirect=`` counts against the 10-lookup limit when it is used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import InputError
from ..model import Evidence
from .resolver import DnsAnswer, Outcome, Resolver
from .spf_macro import (
    MacroError,
    MacroPart,
    MacroValues,
    expand,
    fit_domain,
    ip_macro_value,
    parse_macro_string,
)
from .spf_parse import Mechanism, Modifier, SpfRecord, parse_record, spf_records

__all__ = [
    "DEFAULT_EXPLANATION",
    "MAX_LOOKUPS",
    "MAX_MX",
    "MAX_PTR",
    "MAX_VOID_LOOKUPS",
    "SpfResult",
    "SpfStep",
    "SpfVerdict",
    "check_host",
    "is_queryable",
    "is_valid_domain",
    "mx_hosts",
]

log = logging.getLogger(__name__)

#: Section 4.6.4 limits.
MAX_LOOKUPS = 10
MAX_VOID_LOOKUPS = 2
MAX_MX = 10
MAX_PTR = 10
#: Safety net only: every include/redirect costs a lookup, so depth stays under 11.
MAX_DEPTH = 12
#: Section 4.6.4: "such a limit SHOULD allow at least 20 seconds".
DEFAULT_TIMEOUT = 20.0
#: Used when a fail has no usable exp= (section 6.2); an explain-string.
DEFAULT_EXPLANATION = "%{o} does not designate %{c} as permitted sender"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class SpfVerdict(StrEnum):
    """The results of section 2.6."""

    PASS = "pass"
    FAIL = "fail"
    SOFTFAIL = "softfail"
    NEUTRAL = "neutral"
    NONE = "none"
    PERMERROR = "permerror"
    TEMPERROR = "temperror"


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfStep:
    """One step of the decision path: at ``domain``, ``record`` gave ``term`` -> ``result``.

    ``term`` is empty when the record ended without a match (default neutral)
    or when there was no record to read.
    """

    domain: str
    record: str
    term: str
    result: str

    def to_dict(self) -> dict[str, str]:
        return {
            "domain": self.domain,
            "record": self.record,
            "term": self.term,
            "result": self.result,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfResult:
    """The outcome of one check_host() evaluation.

    Attributes:
        result: pass / fail / softfail / neutral / none / permerror / temperror.
        ip: The client IP evaluated (IPv4-mapped addresses as IPv4).
        sender: The MAIL FROM identity used (``postmaster@helo`` for ``<>``).
        domain: The domain whose policy was evaluated.
        explanation: The ``exp=`` text (or the default) for ``fail``; else empty.
        record: The SPF record of ``domain`` ('' if none was read).
        mechanism: The term that decided in the last record of the redirect chain.
        path: The decision path through includes and redirects.
        lookups: DNS-querying terms evaluated (limit 10, section 4.6.4).
        void_lookups: NXDOMAIN/NODATA answers (limit 2, section 4.6.4).
        problems: Sentences on what went wrong or was ignored.
        evidence: The DNS answers consulted.
    """

    result: SpfVerdict
    ip: str
    sender: str
    domain: str
    explanation: str = ""
    record: str = ""
    mechanism: str = ""
    path: tuple[SpfStep, ...] = ()
    lookups: int = 0
    void_lookups: int = 0
    problems: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": str(self.result),
            "ip": self.ip,
            "sender": self.sender,
            "domain": self.domain,
            "explanation": self.explanation,
            "record": self.record,
            "mechanism": self.mechanism,
            "path": [s.to_dict() for s in self.path],
            "lookups": self.lookups,
            "void_lookups": self.void_lookups,
            "problems": list(self.problems),
        }


class _Abort(Exception):
    """permerror/temperror travelling up through includes and redirects."""

    def __init__(
        self, verdict: SpfVerdict, problem: str, path: list[SpfStep] | None = None
    ) -> None:
        super().__init__(problem)
        self.verdict = verdict
        self.problem = problem
        self.path: list[SpfStep] = path or []


@dataclass(slots=True)
class _Outcome:
    verdict: SpfVerdict
    path: list[SpfStep]
    mechanism: str = ""
    explanation: str = ""


async def check_host(
    ip: str | IPAddress,
    sender: str,
    helo: str | None = None,
    *,
    resolver: Resolver,
    receiver: str = "unknown",
    default_explanation: str = DEFAULT_EXPLANATION,
    timeout: float | None = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.time,
) -> SpfResult:
    """Evaluate the sender's SPF policy for a client IP (RFC 7208 sections 4-7).

    Args:
        ip: The SMTP client's address; IPv4-mapped IPv6 counts as IPv4 (section 5).
        sender: The MAIL FROM address; empty for the null sender, in which case
            ``postmaster@<helo>`` is checked (section 2.4).
        helo: The HELO/EHLO name (the ``%{h}`` macro); ``unknown`` when None.
        resolver: Answers the DNS questions.
        receiver: The receiving host's name (the ``%{r}`` macro).
        default_explanation: Explain-string used for ``fail`` without a usable
            ``exp=`` (section 6.2); macros are expanded.
        timeout: Seconds for the whole evaluation; past it the result is
            ``temperror`` (section 4.6.4). None for no limit.
        clock: Source of the ``%{t}`` timestamp.

    Returns:
        The :class:`SpfResult`; DNS and policy problems are results, not exceptions.

    Raises:
        InputError: if ``ip`` is not an IP address.
    """
    session = _start(ip, sender, helo, resolver, receiver, default_explanation, clock)
    domain = session.domain
    if not is_valid_domain(domain):
        problem = f"{domain!r} is not a valid multi-label domain name (RFC 7208 4.3)"
        return session.result(SpfVerdict.NONE, [], problem=problem)
    try:
        async with asyncio.timeout(timeout):
            outcome = await session.check(domain, depth=0, explain=True)
    except _Abort as abort:
        return session.result(abort.verdict, abort.path, problem=abort.problem)
    except TimeoutError:
        problem = f"evaluation took longer than {timeout:g} s (RFC 7208 4.6.4)"
        return session.result(SpfVerdict.TEMPERROR, [], problem=problem)
    return session.result(
        outcome.verdict,
        outcome.path,
        mechanism=outcome.mechanism,
        explanation=outcome.explanation,
    )


def _start(
    ip: str | IPAddress,
    sender: str,
    helo: str | None,
    resolver: Resolver,
    receiver: str,
    default_explanation: str,
    clock: Callable[[], float],
) -> _Session:
    """The session of one check_host() call, with the macro values of section 7.2."""
    address = _parse_ip(ip)
    local, domain, full = _split_sender(sender, helo)
    values = MacroValues(
        s=full,
        l=local,
        o=domain,
        i=ip_macro_value(address),
        c=str(address),
        v="in-addr" if address.version == 4 else "ip6",
        h=helo or "unknown",
        r=receiver,
        t=str(int(clock())),
    )
    return _Session(
        resolver=resolver,
        ip=address,
        sender=full,
        domain=domain,
        values=values,
        default_explanation=default_explanation,
    )


def _parse_ip(ip: str | IPAddress) -> IPAddress:
    try:
        address = ipaddress.ip_address(ip.strip() if isinstance(ip, str) else ip)
    except ValueError:
        raise InputError(f"{ip!r} is not an IP address") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # section 5: IPv4-mapped IPv6 is IPv4
    return address


def _split_sender(sender: str, helo: str | None) -> tuple[str, str, str]:
    """Section 4.1: (local-part, domain, sender); ``<>`` becomes postmaster@helo."""
    sender = (sender or "").strip()
    if sender.startswith("<") and sender.endswith(">"):
        sender = sender[1:-1].strip()  # the SMTP path's brackets
    if not sender:
        sender = f"postmaster@{helo or ''}"
    local, at, domain = sender.rpartition("@")
    if not at:
        local, domain = "", sender
    local = local or "postmaster"  # section 4.3: no local-part means "postmaster"
    domain = domain[:-1] if domain.endswith(".") else domain
    return local, domain.lower(), f"{local}@{domain}"


def is_valid_domain(domain: str) -> bool:
    """Section 4.3: a multi-label name with no empty or over-long label."""
    if not domain or domain.startswith("[") or len(domain) > 253:
        return False
    labels = domain.split(".")
    return len(labels) > 1 and _labels_ok(labels)


def _labels_ok(labels: list[str]) -> bool:
    return all(0 < len(label.encode("utf-8", "replace")) <= 63 for label in labels)


def is_queryable(name: str) -> bool:
    """Can a DNS question be formed for this name (RFC 1035 2.3.4)?"""
    return bool(name) and len(name) <= 253 and _labels_ok(name.split("."))


@dataclass
class _Session:
    """One check_host() run: the inputs, the counters and what was observed."""

    resolver: Resolver
    ip: IPAddress
    sender: str
    domain: str
    values: MacroValues
    default_explanation: str
    lookups: int = 0
    voids: int = 0
    evidence: dict[str, Evidence] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    validated: tuple[str, ...] | None = None

    # -- the recursion (section 4.6) -------------------------------------------

    async def check(self, domain: str, *, depth: int, explain: bool) -> _Outcome:
        """Evaluate the record of ``domain``; errors raise :class:`_Abort`."""
        if depth > MAX_DEPTH:
            raise _Abort(SpfVerdict.PERMERROR, f"includes/redirects nested over {MAX_DEPTH}")
        try:
            text = await self.fetch_record(domain)
        except _Abort as abort:
            if not abort.path:
                abort.path.append(SpfStep(domain=domain, record="", term="", result=abort.verdict))
            raise
        if text is None:
            return _Outcome(
                SpfVerdict.NONE, [SpfStep(domain=domain, record="", term="", result="none")]
            )
        record = parse_record(text)
        if record.errors:
            first = record.errors[0]
            step = SpfStep(domain=domain, record=text, term=first.term, result="permerror")
            problem = f"syntax error in the record of {domain}: {first.describe()}"
            raise _Abort(SpfVerdict.PERMERROR, problem, [step])
        return await self.evaluate(record, domain, depth=depth, explain=explain)

    async def evaluate(
        self, record: SpfRecord, domain: str, *, depth: int, explain: bool
    ) -> _Outcome:
        """Section 4.6.2: mechanisms left to right; then redirect; else neutral."""
        for mech in record.mechanisms:
            try:
                inner = await self.match(mech, domain, depth)
            except _Abort as abort:
                abort.path.insert(0, _step(domain, record, mech.text, abort.verdict))
                raise
            if inner is not None:
                verdict = SpfVerdict(mech.result)
                path = [_step(domain, record, mech.text, verdict), *inner]
                text = (
                    await self.explain(record, domain)
                    if explain and verdict is SpfVerdict.FAIL
                    else ""
                )
                return _Outcome(verdict, path, mech.text, text)
        if record.redirect is not None:
            return await self.redirect(record, record.redirect, domain, depth, explain)
        return _Outcome(SpfVerdict.NEUTRAL, [_step(domain, record, "", SpfVerdict.NEUTRAL)])

    async def redirect(
        self, record: SpfRecord, mod: Modifier, domain: str, depth: int, explain: bool
    ) -> _Outcome:
        """Section 6.1: the target's result is the result; none becomes permerror."""
        step = _step(domain, record, mod.text, SpfVerdict.PERMERROR)
        try:
            self.count_lookup(mod.text)
            target = await self.target(mod.parts, domain)
            inner = await self.check(target, depth=depth + 1, explain=explain)
        except _Abort as abort:
            abort.path.insert(0, step)
            raise
        if inner.verdict is SpfVerdict.NONE:
            problem = f"{mod.text}: {target} has no SPF record (RFC 7208 6.1)"
            raise _Abort(SpfVerdict.PERMERROR, problem, [step, *inner.path])
        step = _step(domain, record, mod.text, inner.verdict)
        return _Outcome(inner.verdict, [step, *inner.path], inner.mechanism, inner.explanation)

    # -- mechanisms (section 5) --------------------------------------------------

    async def match(self, mech: Mechanism, domain: str, depth: int) -> list[SpfStep] | None:
        """None when the mechanism does not match, else the path inside it."""
        if mech.name == "all":
            return []
        if mech.name in ("ip4", "ip6"):
            return [] if _in_network(self.ip, mech.network) else None
        self.count_lookup(mech.text)
        target = await self.target(mech.parts, domain)
        if mech.name == "include":
            return await self.include(mech, target, depth)
        matchers = {
            "a": self.match_a,
            "mx": self.match_mx,
            "ptr": self.match_ptr,
            "exists": self.match_exists,
        }
        return [] if await matchers[mech.name](mech, target) else None

    async def include(self, mech: Mechanism, target: str, depth: int) -> list[SpfStep] | None:
        """Section 5.2: pass matches; fail/softfail/neutral do not; none is a permerror."""
        inner = await self.check(target, depth=depth + 1, explain=False)
        if inner.verdict is SpfVerdict.PASS:
            return inner.path
        if inner.verdict is SpfVerdict.NONE:
            problem = f"{mech.text}: {target} has no SPF record (RFC 7208 5.2)"
            raise _Abort(SpfVerdict.PERMERROR, problem, list(inner.path))
        return None

    async def match_a(self, mech: Mechanism, target: str) -> bool:
        """Section 5.3: any address of the target (in the client's family) in the CIDR."""
        answer = self.require(self.account(await self.ask(target, self.address_type)))
        return self.in_any(answer.records, mech)

    async def match_mx(self, mech: Mechanism, target: str) -> bool:
        """Section 5.4: the addresses of up to 10 MX hosts; more than 10 is a permerror."""
        answer = self.require(self.account(await self.ask(target, "MX")))
        if len(answer.records) > MAX_MX:
            raise _Abort(
                SpfVerdict.PERMERROR,
                f"{mech.text}: {target} has {len(answer.records)} MX records, "
                f"over the limit of {MAX_MX} (RFC 7208 4.6.4)",
            )
        hosts = mx_hosts(answer)
        answers = await asyncio.gather(*(self.ask(h, self.address_type) for h in hosts))
        found = False
        for host_answer in answers:
            host_answer = self.require(self.account(host_answer))
            found = found or self.in_any(host_answer.records, mech)
        return found

    async def match_ptr(self, mech: Mechanism, target: str) -> bool:
        """Section 5.5: a validated PTR name equal to or under the target."""
        names = await self.validated_names(count=True)
        target = target.lower()
        return any(n == target or n.endswith("." + target) for n in names)

    async def match_exists(self, mech: Mechanism, target: str) -> bool:
        """Section 5.7: an A query (always A, whatever the client's family)."""
        return self.require(self.account(await self.ask(target, "A"))).exists

    def in_any(self, records: tuple[str, ...], mech: Mechanism) -> bool:
        """Is the client in ``address/cidr`` for any address (sections 5.3, 5.6)?"""
        length = mech.cidr4 if self.ip.version == 4 else mech.cidr6
        prefix = self.ip.max_prefixlen if length is None else length
        for text in records:
            try:
                net = ipaddress.ip_network(f"{text}/{prefix}", strict=False)
            except ValueError:
                continue
            if _in_network(self.ip, net):
                return True
        return False

    async def validated_names(self, *, count: bool) -> tuple[str, ...]:
        """Section 5.5: PTR names (first 10) whose forward lookup gives the client IP back.

        DNS errors make the mechanism not match / skip the name (5.5 paragraphs 6-7).
        """
        answer = await self.ask(self.ip.reverse_pointer, "PTR")
        if count:
            self.account(answer)
        if not answer.exists:
            if not answer.ok:
                self.notes.append(f"PTR lookup for {self.ip} failed: {answer.describe()}")
            return ()
        names = [n.rstrip(".").lower() for n in answer.records[:MAX_PTR]]
        answers = await asyncio.gather(*(self.ask(n, self.address_type) for n in names))
        valid = []
        for name, addr in zip(names, answers, strict=True):
            if count:
                self.account(addr)
            if addr.exists and any(_same_ip(self.ip, a) for a in addr.records):
                valid.append(name)
            elif not addr.ok:
                self.notes.append(f"PTR name {name}: {addr.describe()}; skipped (RFC 7208 5.5)")
        return tuple(valid)

    # -- DNS and the limits (section 4.6.4) --------------------------------------

    @property
    def address_type(self) -> str:
        return "A" if self.ip.version == 4 else "AAAA"

    async def ask(self, name: str, rdtype: str) -> DnsAnswer:
        """One question, recorded as evidence; unaskable names are INVALID without asking."""
        if not is_queryable(name):
            answer = DnsAnswer(
                name=name, rdtype=rdtype, outcome=Outcome.INVALID, error="not a valid DNS name"
            )
        else:
            answer = await self.resolver.query(name, rdtype)
        self.evidence.setdefault(f"dns:{rdtype}:{answer.name}", answer.evidence())
        return answer

    def account(self, answer: DnsAnswer) -> DnsAnswer:
        """Count a void answer; the third one is a permerror."""
        if answer.void:
            self.voids += 1
            if self.voids > MAX_VOID_LOOKUPS:
                raise _Abort(
                    SpfVerdict.PERMERROR,
                    f"more than {MAX_VOID_LOOKUPS} void lookups: {answer.rdtype} "
                    f"{answer.name} {answer.describe()} (RFC 7208 4.6.4)",
                )
        return answer

    def require(self, answer: DnsAnswer) -> DnsAnswer:
        """A DNS failure (not NXDOMAIN/NODATA, not an unaskable name) is a temperror."""
        if not answer.ok and answer.outcome is not Outcome.INVALID:
            raise _Abort(
                SpfVerdict.TEMPERROR,
                f"DNS {answer.rdtype} lookup of {answer.name}: {answer.describe()}",
            )
        return answer

    def count_lookup(self, term: str) -> None:
        self.lookups += 1
        if self.lookups > MAX_LOOKUPS:
            raise _Abort(
                SpfVerdict.PERMERROR,
                f"{term}: more than {MAX_LOOKUPS} DNS-querying terms (RFC 7208 4.6.4)",
            )

    async def fetch_record(self, domain: str) -> str | None:
        """Sections 4.4, 4.5: the one SPF record of ``domain``, or None."""
        answer = self.account(await self.ask(domain, "TXT"))
        if answer.outcome is Outcome.INVALID or answer.void:
            return None
        self.require(answer)
        records = spf_records(answer.records)
        if len(records) > 1:
            step = SpfStep(domain=domain, record=" | ".join(records), term="", result="permerror")
            problem = f"{domain} has {len(records)} SPF records (RFC 7208 4.5)"
            raise _Abort(SpfVerdict.PERMERROR, problem, [step])
        return records[0] if records else None

    # -- macros and explanations (sections 6.2, 7) --------------------------------

    async def target(self, parts: tuple[MacroPart, ...], domain: str) -> str:
        """The expanded target name (the current domain when there is no domain-spec)."""
        if not parts:
            return domain
        return fit_domain(await self.expand(parts, domain)).lower()

    async def expand(self, parts: tuple[MacroPart, ...], domain: str) -> str:
        values = self.values
        if any(p.letter.lower() == "p" for p in parts):
            values = _replace(values, p=await self.p_value(domain))
        return expand(parts, _replace(values, d=domain))

    async def p_value(self, domain: str) -> str:
        """Section 7.3 ``%{p}``: prefer the domain itself, then a name under it."""
        if self.validated is None:
            self.validated = await self.validated_names(count=False)
        names = self.validated
        if domain in names:
            return domain
        under = [n for n in names if n.endswith("." + domain)]
        return (under or list(names) or ["unknown"])[0]

    async def explain(self, record: SpfRecord, domain: str) -> str:
        """Section 6.2: the exp= TXT, expanded; the default on any problem."""
        exp = record.exp
        if exp is not None:
            text = await self.exp_text(exp, domain)
            if text is not None:
                return text
        return await self.expand_default(domain)

    async def exp_text(self, exp: Modifier, domain: str) -> str | None:
        name = await self.target(exp.parts, domain)
        answer = await self.ask(name, "TXT")  # not counted: section 4.6.4, 6.2
        if not answer.exists or len(answer.records) != 1:
            self.notes.append(f"{exp.text}: {answer.describe()}; explanation ignored (6.2)")
            return None
        try:
            parts = parse_macro_string(answer.records[0], explanation=True)
        except MacroError as exc:
            self.notes.append(f"{exp.text}: bad explanation text ({exc}); ignored (6.2)")
            return None
        return await self.expand(parts, domain)

    async def expand_default(self, domain: str) -> str:
        try:
            parts = parse_macro_string(self.default_explanation, explanation=True)
        except MacroError:
            return self.default_explanation
        return await self.expand(parts, domain)

    def result(
        self,
        verdict: SpfVerdict,
        path: list[SpfStep],
        *,
        problem: str = "",
        mechanism: str = "",
        explanation: str = "",
    ) -> SpfResult:
        """The public result, with the counters and the evidence gathered so far."""
        problems = ([problem] if problem else []) + self.notes
        record = path[0].record if path and path[0].domain == self.domain else ""
        return SpfResult(
            result=verdict,
            ip=str(self.ip),
            sender=self.sender,
            domain=self.domain,
            explanation=explanation,
            record=record,
            mechanism=mechanism,
            path=tuple(path),
            lookups=self.lookups,
            void_lookups=self.voids,
            problems=tuple(problems),
            evidence=tuple(self.evidence.values()),
        )


def _step(domain: str, record: SpfRecord, term: str, result: str) -> SpfStep:
    return SpfStep(domain=domain, record=record.text, term=term, result=str(result))


def _replace(values: MacroValues, **changes: str) -> MacroValues:
    fields = {name: getattr(values, name) for name in "slodipvhcrt"}
    fields.update(changes)
    return MacroValues(**fields)


def _in_network(
    ip: IPAddress, network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
) -> bool:
    return network is not None and ip.version == network.version and ip in network


def _same_ip(ip: IPAddress, text: str) -> bool:
    try:
        return ipaddress.ip_address(text) == ip
    except ValueError:
        return False


def mx_hosts(answer: DnsAnswer) -> list[str]:
    """MX exchanges by preference (:meth:`DnsAnswer.mx`); the null MX (RFC 7505) has no host.

    No implicit MX here: with no MX records the ``mx`` mechanism matches nothing
    (RFC 7208 section 5.4).
    """
    return [r.exchange for r in answer.mx().records if not r.is_null]
