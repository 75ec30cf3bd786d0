"""SPF lint: the whole include/redirect tree of a domain, its counts and its findings.

:func:`build_tree` fetches a domain's record and, concurrently, every include and
redirect target under it - even below a record with a syntax error or a
missing include, so one report shows every problem at once. Each
:class:`SpfNode` keeps its DNS answer, its parsed record, its own DNS-lookup
and void-lookup counts and the problems found there; totals per branch are the
node's own counts plus its children's. Recursion is bounded by depth and by
the number of nodes; loops are cut where a name repeats on the path.

The counts are the worst case a receiver meets: a client IP that matches no
mechanism, so every term is evaluated (RFC 7208 section 4.6.4).

Void lookups are counted in two readings, because receivers differ:

* **strict** - per address family, as a receiver evaluating for one client
  does: an ``a``/``mx`` host with only AAAA records is void for every IPv4
  client (the A query is NODATA) and vice versa. The strict count is the worse
  of the IPv4 and IPv6 client counts.
* **dual-stack-aware** - an ``a``/``mx`` host that has addresses in either
  family is not void; only names with no address at all count.

In both readings NXDOMAIN/NODATA answers to the include/redirect TXT query, the
MX query and the ``exists`` A query count, as in :mod:`.spf_eval`; ``ptr``
depends on the client and is not counted. Targets that use macros other than
``%{d}``/``%{o}`` cannot be resolved without a client; they are reported and not
followed.

:func:`tree_findings` turns a tree into :class:`~maildoctor.model.Finding` objects
(check ids ``dns.spf.*``); :func:`record_findings` lints one record text without DNS.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ..model import Evidence
from .resolver import DnsAnswer, Outcome, Resolver
from .spf_eval import MAX_MX, is_queryable, mx_hosts
from .spf_macro import MacroPart, MacroValues, UnknownValue, expand, fit_domain
from .spf_parse import Mechanism, SpfRecord, parse_record, spf_records

__all__ = [
    "MAX_RECORD_OCTETS",
    "MAX_TREE_DEPTH",
    "MAX_TREE_NODES",
    "Issue",
    "IssueKind",
    "SpfNode",
    "VoidCount",
    "build_tree",
    "record_octets",
    "static_issues",
]

#: Include/redirect hops followed below the root. Each hop costs a lookup, so a
#: deeper tree is over the 10-lookup limit anyway.
MAX_TREE_DEPTH = 11
#: Records fetched for one tree at most.
MAX_TREE_NODES = 80
#: RFC 7208 section 3.4: with the name, records up to this size fit a 512-octet UDP answer.
MAX_RECORD_OCTETS = 450


class IssueKind(StrEnum):
    """The problems a node can carry (:data:`.spf_findings.KINDS` maps them to findings)."""

    SYNTAX = "syntax"
    MULTIPLE = "multiple"
    INCLUDE_MISSING = "include_missing"
    REDIRECT_MISSING = "redirect_missing"
    LOOP = "include_loop"
    DNS_ERROR = "dns_error"
    MX_LIMIT = "mx_limit"
    MACRO_TARGET = "macro_target"
    REDIRECT_IGNORED = "redirect_ignored"
    BOUND = "tree_bound"
    PTR = "ptr"
    RECORD_SIZE = "record_size"


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One problem at one node.

    Attributes:
        kind: An :class:`IssueKind` value.
        domain: The name whose record has the problem.
        term: The term concerned ('' for the whole record).
        message: One sentence.
        offset: 0-based character offset in the record, for syntax problems.
        evidence: The DNS answers it rests on.
    """

    kind: IssueKind
    domain: str
    term: str
    message: str
    offset: int | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class VoidCount:
    """Void lookups per reading: for IPv4 clients, IPv6 clients, and dual-stack-aware."""

    v4: int = 0
    v6: int = 0
    dual: int = 0

    @property
    def strict(self) -> int:
        """The worse single-family count (what one receiver can meet)."""
        return max(self.v4, self.v6)

    def __add__(self, other: VoidCount) -> VoidCount:
        return VoidCount(self.v4 + other.v4, self.v6 + other.v6, self.dual + other.dual)


ALL_VOID = VoidCount(1, 1, 1)
#: What counting one term's lookups yields: the voids, the answers, the problems.
Counted = tuple[VoidCount, list[Evidence], list[Issue]]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfNode:
    """One record in the tree.

    Attributes:
        domain: The name the record was looked up at.
        via: The term that led here (``include:...``, ``redirect=...``; '' at the root).
        depth: Hops below the root.
        answer: The TXT answer (None when the node was not fetched: loop or bound).
        records: The ``v=spf1`` strings found (more than one is a permerror).
        record: The parsed record when there is exactly one.
        children: Nodes of the includes and the redirect, in record order.
        own_lookups: DNS-querying terms of this record (section 4.6.4).
        own_voids: Void lookups made by this record's terms and its own TXT query.
        issues: Problems found at this node.
        evidence: DNS answers consulted for this node's terms.
    """

    domain: str
    via: str = ""
    depth: int = 0
    answer: DnsAnswer | None = None
    records: tuple[str, ...] = ()
    record: SpfRecord | None = None
    children: tuple[SpfNode, ...] = ()
    own_lookups: int = 0
    own_voids: VoidCount = field(default_factory=VoidCount)
    issues: tuple[Issue, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def lookups(self) -> int:
        """DNS-querying terms of this branch (this record and everything under it)."""
        return self.own_lookups + sum(c.lookups for c in self.children)

    @property
    def voids(self) -> VoidCount:
        total = self.own_voids
        for child in self.children:
            total = total + child.voids
        return total

    def walk(self) -> Iterator[SpfNode]:
        """This node and every node below it, depth first, in record order."""
        yield self
        for child in self.children:
            yield from child.walk()


async def build_tree(
    domain: str,
    *,
    resolver: Resolver,
    max_depth: int = MAX_TREE_DEPTH,
    max_nodes: int = MAX_TREE_NODES,
) -> SpfNode:
    """Fetch the SPF tree of ``domain``; never raises for DNS problems.

    Args:
        domain: The domain whose policy is linted (also the ``%{o}`` value).
        resolver: Answers the DNS questions.
        max_depth: Include/redirect hops followed below the root.
        max_nodes: Records fetched at most.

    Returns:
        The root :class:`SpfNode`.
    """
    walker = _Walker(
        resolver=resolver, root=domain.lower().rstrip("."), max_depth=max_depth, max_nodes=max_nodes
    )
    return await walker.node(walker.root, via="", depth=0, ancestors=())


@dataclass
class _Walker:
    resolver: Resolver
    root: str
    max_depth: int
    max_nodes: int
    fetched: int = 0

    async def node(
        self, domain: str, *, via: str, depth: int, ancestors: tuple[str, ...]
    ) -> SpfNode:
        if depth > self.max_depth or self.fetched >= self.max_nodes:
            issue = Issue(
                kind=IssueKind.BOUND,
                domain=domain,
                term=via,
                message=f"not followed: the tree is deeper than {self.max_depth} or "
                f"larger than {self.max_nodes} records",
            )
            return SpfNode(domain=domain, via=via, depth=depth, issues=(issue,))
        self.fetched += 1
        answer = await _ask(self.resolver, domain, "TXT")
        records = spf_records(answer.records) if answer.exists else ()
        issues = list(_record_issues(domain, via, answer, records))
        record = parse_record(records[0]) if len(records) == 1 else None
        base = SpfNode(
            domain=domain,
            via=via,
            depth=depth,
            answer=answer,
            records=records,
            own_voids=ALL_VOID if answer.void else VoidCount(),
        )
        if record is None:
            return replace(base, issues=tuple(issues))
        return await self.expand(base, record, issues, (*ancestors, domain))

    async def expand(
        self, base: SpfNode, record: SpfRecord, issues: list[Issue], path: tuple[str, ...]
    ) -> SpfNode:
        """Follow includes/redirect and count this record's lookups, concurrently."""
        domain = base.domain
        issues.extend(static_issues(domain, record))
        branches = [(m.text, m.parts) for m in record.mechanisms if m.name == "include"]
        redirect = record.effective_redirect
        if redirect is not None:
            branches.append((redirect.text, redirect.parts))
        counted = [m for m in record.mechanisms if m.name in ("a", "mx", "exists")]
        followed, counts = await asyncio.gather(
            asyncio.gather(*(self.child(domain, t, p, base.depth, path) for t, p in branches)),
            asyncio.gather(*(self.count_voids(m, domain) for m in counted)),
        )
        children = tuple(c for c in followed if isinstance(c, SpfNode))
        issues.extend(c for c in followed if isinstance(c, Issue))
        voids, evidence = base.own_voids, [base.answer.evidence()] if base.answer else []
        for count, found, more in counts:
            voids = voids + count
            evidence.extend(found)
            issues.extend(more)
        lookups = sum(1 for m in record.mechanisms if m.is_lookup) + (redirect is not None)
        return replace(
            base,
            record=record,
            children=children,
            own_lookups=lookups,
            own_voids=voids,
            issues=tuple(issues),
            evidence=tuple(evidence),
        )

    async def child(
        self,
        domain: str,
        term: str,
        parts: tuple[MacroPart, ...],
        depth: int,
        path: tuple[str, ...],
    ) -> SpfNode | Issue:
        """The node of an include/redirect target, or the reason it is not followed."""
        target = self.static_target(parts, domain)
        if target is None:
            return Issue(
                kind=IssueKind.MACRO_TARGET,
                domain=domain,
                term=term,
                message=f"{term}: the target depends on the client (macros); not followed",
            )
        if target in path:
            loop = " -> ".join((*path[path.index(target) :], target))
            return Issue(
                kind=IssueKind.LOOP,
                domain=domain,
                term=term,
                message=f"{term} loops back: {loop}; evaluation ends in permerror "
                "at the lookup limit (RFC 7208 4.6.4)",
            )
        return await self.node(target, via=term, depth=depth + 1, ancestors=path)

    def static_target(self, parts: tuple[MacroPart, ...], domain: str) -> str | None:
        """Expand a domain-spec with what is known without a client: ``%{d}``, ``%{o}``."""
        if not parts:
            return domain
        try:
            return fit_domain(expand(parts, MacroValues(d=domain, o=self.root))).lower()
        except UnknownValue:
            return None

    async def count_voids(self, mech: Mechanism, domain: str) -> Counted:
        """Void lookups and DNS errors of one a/mx/exists term, for both readings."""
        target = self.static_target(mech.parts, domain)
        if target is None:
            return VoidCount(), [], []
        if mech.name == "exists":
            answer = await _ask(self.resolver, target, "A")
            return (
                (ALL_VOID if answer.void else VoidCount()),
                [answer.evidence()],
                _dns_issues(domain, mech.text, answer),
            )
        if mech.name == "a":
            return await self.address_voids(domain, mech.text, target)
        return await self.mx_voids(domain, mech, target)

    async def address_voids(self, domain: str, term: str, name: str) -> Counted:
        a, aaaa = await asyncio.gather(
            _ask(self.resolver, name, "A"), _ask(self.resolver, name, "AAAA")
        )
        count = VoidCount(int(a.void), int(aaaa.void), int(a.void and aaaa.void))
        issues = _dns_issues(domain, term, a) + _dns_issues(domain, term, aaaa)
        return count, [a.evidence(), aaaa.evidence()], issues

    async def mx_voids(self, domain: str, mech: Mechanism, name: str) -> Counted:
        answer = await _ask(self.resolver, name, "MX")
        issues = _dns_issues(domain, mech.text, answer)
        if answer.void:
            return ALL_VOID, [answer.evidence()], issues
        if len(answer.records) > MAX_MX:
            issues.append(
                Issue(
                    kind=IssueKind.MX_LIMIT,
                    domain=domain,
                    term=mech.text,
                    message=f"{mech.text}: {name} has {len(answer.records)} MX records; more than "
                    f"{MAX_MX} is a permerror (RFC 7208 4.6.4)",
                    evidence=(answer.evidence(),),
                )
            )
        hosts = mx_hosts(answer)[:MAX_MX]
        parts = await asyncio.gather(*(self.address_voids(domain, mech.text, h) for h in hosts))
        count, evidence = VoidCount(), [answer.evidence()]
        for host_count, found, more in parts:
            count, issues = count + host_count, issues + more
            evidence.extend(found)
        return count, evidence, issues


async def _ask(resolver: Resolver, name: str, rdtype: str) -> DnsAnswer:
    if not is_queryable(name):
        return DnsAnswer(
            name=name, rdtype=rdtype, outcome=Outcome.INVALID, error="not a valid DNS name"
        )
    return await resolver.query(name, rdtype)


def _dns_issues(domain: str, term: str, answer: DnsAnswer) -> list[Issue]:
    if answer.ok or answer.outcome is Outcome.INVALID:
        return []
    return [
        Issue(
            kind=IssueKind.DNS_ERROR,
            domain=domain,
            term=term,
            message=f"{term}: {answer.rdtype} {answer.name}: {answer.describe()}; "
            "receivers get temperror",
            evidence=(answer.evidence(),),
        )
    ]


def _record_issues(
    domain: str, via: str, answer: DnsAnswer, records: tuple[str, ...]
) -> Iterator[Issue]:
    """Problems with the TXT answer itself: errors, nothing there, several records."""
    evidence = (answer.evidence(),)
    if not answer.ok and answer.outcome is not Outcome.INVALID:
        if via:  # at the root, the record finding reports it
            yield Issue(
                kind=IssueKind.DNS_ERROR,
                domain=domain,
                term=via,
                message=f"{via}: TXT {domain}: {answer.describe()}; receivers get temperror",
                evidence=evidence,
            )
    elif not records and via:
        kind = (
            IssueKind.REDIRECT_MISSING
            if via.lower().startswith("redirect")
            else IssueKind.INCLUDE_MISSING
        )
        why = answer.describe() if not answer.exists else "no v=spf1 record among its TXT"
        yield Issue(
            kind=kind,
            domain=domain,
            term=via,
            message=f"{via}: {domain} has no SPF record ({why}); evaluation ends in "
            "permerror (RFC 7208 5.2, 6.1)",
            evidence=evidence,
        )
    if len(records) > 1:
        yield Issue(
            kind=IssueKind.MULTIPLE,
            domain=domain,
            term="",
            message=f"{domain} publishes {len(records)} SPF records; receivers return "
            "permerror (RFC 7208 4.5)",
            evidence=evidence,
        )


def record_octets(text: str) -> int:
    """The size of a record as published: its strings' octets, joined (RFC 7208 3.3)."""
    return len(text.encode("utf-8", "replace"))


def static_issues(domain: str, record: SpfRecord) -> list[Issue]:
    """What the record text alone shows: syntax, ptr, an ignored redirect, its size."""
    issues = [
        Issue(
            kind=IssueKind.SYNTAX, domain=domain, term=p.term, offset=p.offset, message=p.describe()
        )
        for p in record.errors
    ]
    issues += [
        Issue(
            kind=IssueKind.PTR,
            domain=domain,
            term=m.text,
            message=f"{m.text}: the ptr mechanism is slow, unreliable and deprecated "
            "(RFC 7208 5.5)",
        )
        for m in record.mechanisms
        if m.name == "ptr"
    ]
    if record.redirect is not None and record.all is not None:
        issues.append(
            Issue(
                kind=IssueKind.REDIRECT_IGNORED,
                domain=domain,
                term=record.redirect.text,
                message=f"{record.redirect.text} is ignored because the record has "
                f"{record.all.text} (RFC 7208 6.1)",
            )
        )
    return issues + _size_issues(domain, record)


def _size_issues(domain: str, record: SpfRecord) -> list[Issue]:
    """Section 3.4: a long record risks the 512-octet UDP answer (over 255 octets only needs
    several strings, section 3.3, which is fine)."""
    size = record_octets(record.text)
    if size <= MAX_RECORD_OCTETS:
        return []
    message = (
        f"the SPF record of {domain} is {size} octets, over the {MAX_RECORD_OCTETS} that keep "
        "its answer within 512 octets of UDP (RFC 7208 3.4): receivers that cannot retry over "
        "TCP or use EDNS0 may get temperror"
    )
    return [Issue(kind=IssueKind.RECORD_SIZE, domain=domain, term="", message=message)]
