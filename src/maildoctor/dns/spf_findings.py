"""SPF findings: pure functions from a lint tree or an evaluation to :class:`Finding` objects.

Check ids (layer ``dns``):

=============================  ==========================================  =====================
check                          when                                        status
=============================  ==========================================  =====================
``dns.spf.record``             the domain's record: found / missing /      pass / warn|fail /
                               lookup failed                               error
``dns.spf.multiple``           more than one ``v=spf1`` record at a name   fail
``dns.spf.syntax``             a term the grammar rejects (with position)  fail
``dns.spf.include_missing``    include target: NXDOMAIN or no SPF record   fail
``dns.spf.redirect_missing``   redirect target: NXDOMAIN or no SPF record  fail
``dns.spf.include_loop``       an include/redirect leads back up the path  fail
``dns.spf.mx_limit``           an ``mx`` target with more than 10 MX       fail
``dns.spf.lookup_limit``       DNS-querying terms of the whole tree        fail >10, warn >=8
``dns.spf.void_lookups``       NXDOMAIN/NODATA answers of the tree         fail/warn >2
``dns.spf.all``                the policy for unlisted hosts               pass / warn
``dns.spf.ptr``                the deprecated ``ptr`` mechanism            warn
``dns.spf.redirect_ignored``   ``redirect=`` beside ``all``                warn
``dns.spf.macro_target``       a target that needs the client to expand    info
``dns.spf.tree_bound``         the tree was cut at its depth/size bound    warn
``dns.spf.record_size``        a record over 450 octets (UDP answer size)  warn
``dns.spf.dns_error``          a lookup failed (timeout, SERVFAIL...)      error
``dns.spf.ip_verdict``         check_host() for one client IP              by result
=============================  ==========================================  =====================

Causes are catalogue ids: ``dns.spf.permerror``, ``dns.spf.lookup_limit``,
``dns.spf.missing``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Evidence, Finding, Layer, Status
from .spf_eval import MAX_LOOKUPS, MAX_VOID_LOOKUPS, SpfResult, SpfStep, SpfVerdict
from .spf_lint import Issue, IssueKind, SpfNode, record_octets, static_issues
from .spf_parse import parse_record

__all__ = [
    "LOOKUP_WARN",
    "format_path",
    "record_findings",
    "shown_record",
    "tree_findings",
    "verdict_finding",
]

#: At or above this many lookups the record is one include away from permerror.
LOOKUP_WARN = 8
#: Syntax findings reported per record at most (garbage records have many).
MAX_SYNTAX_FINDINGS = 20
#: Characters of a record shown on one line; a record can be tens of kilobytes.
SHOWN_RECORD_CHARS = 200

REF_RECORD = "RFC 7208 section 4.5 (selecting records)"
REF_SYNTAX = "RFC 7208 sections 4.6.1, 5, 6 and 7.1 (term syntax; ABNF in section 12)"
REF_INCLUDE = "RFC 7208 section 5.2 (include: none is a permerror)"
REF_REDIRECT = "RFC 7208 section 6.1 (redirect: none is a permerror)"
REF_LIMITS = "RFC 7208 section 4.6.4 (DNS lookup limits: 10 terms, 2 void lookups)"
REF_ALL = "RFC 7208 sections 4.7 and 5.1 (default result, the all mechanism)"
REF_PTR = "RFC 7208 section 5.5 (ptr: do not use)"
REF_MACRO = "RFC 7208 section 7 (macros)"
REF_DNS = "RFC 7208 sections 4.4 and 5 (DNS errors give temperror)"
REF_RESULTS = "RFC 7208 section 2.6 (results) and section 4 (check_host)"
REF_IDENTITY = "RFC 7208 section 2.4 (the MAIL FROM identity is checked)"
REF_SIZE = "RFC 7208 section 3.4 (record size); RFC 1035 section 2.3.4 (512-octet UDP messages)"


@dataclass(frozen=True, slots=True)
class _Kind:
    check: str
    status: Status
    cause: str
    reference: str
    fix: str


_PERM = "dns.spf.permerror"
#: How each lint issue becomes a finding.
KINDS: dict[IssueKind, _Kind] = {
    IssueKind.SYNTAX: _Kind(
        "dns.spf.syntax",
        Status.FAIL,
        _PERM,
        REF_SYNTAX,
        "Correct the term at the position shown; receivers return permerror for the whole "
        "record while any term is invalid.",
    ),
    IssueKind.MULTIPLE: _Kind(
        "dns.spf.multiple",
        Status.FAIL,
        _PERM,
        REF_RECORD,
        "Merge the records into one v=spf1 TXT record listing every sender, and delete the others.",
    ),
    IssueKind.INCLUDE_MISSING: _Kind(
        "dns.spf.include_missing",
        Status.FAIL,
        _PERM,
        REF_INCLUDE,
        "Remove the include, or correct its domain to the one the sending service documents.",
    ),
    IssueKind.REDIRECT_MISSING: _Kind(
        "dns.spf.redirect_missing",
        Status.FAIL,
        _PERM,
        REF_REDIRECT,
        "Point redirect= at a domain that publishes an SPF record, or replace it by the "
        "mechanisms themselves.",
    ),
    IssueKind.LOOP: _Kind(
        "dns.spf.include_loop",
        Status.FAIL,
        _PERM,
        REF_LIMITS,
        "Break the loop: a record must not include or redirect to a record above it.",
    ),
    IssueKind.MX_LIMIT: _Kind(
        "dns.spf.mx_limit",
        Status.FAIL,
        _PERM,
        REF_LIMITS,
        "Replace the mx mechanism by ip4:/ip6: ranges of the hosts that send mail.",
    ),
    IssueKind.DNS_ERROR: _Kind(
        "dns.spf.dns_error",
        Status.ERROR,
        "",
        REF_DNS,
        "Check the domain's nameservers answer (and retry); receivers get temperror and "
        "defer or reject the mail meanwhile.",
    ),
    IssueKind.PTR: _Kind(
        "dns.spf.ptr",
        Status.WARN,
        "",
        REF_PTR,
        "Replace ptr by ip4:/ip6: ranges (or a:) of the sending hosts.",
    ),
    IssueKind.REDIRECT_IGNORED: _Kind(
        "dns.spf.redirect_ignored",
        Status.WARN,
        "",
        REF_REDIRECT,
        "Remove the all mechanism if the redirect is meant to apply, else remove redirect=.",
    ),
    IssueKind.MACRO_TARGET: _Kind(
        "dns.spf.macro_target",
        Status.INFO,
        "",
        REF_MACRO,
        "Check it for a real client: maildoctor spf --ip IP --sender ADDRESS.",
    ),
    IssueKind.RECORD_SIZE: _Kind(
        "dns.spf.record_size",
        Status.WARN,
        "",
        REF_SIZE,
        "Shorten the record to 450 octets or fewer: remove includes of services that no longer "
        "send, merge ip4:/ip6: entries into wider ranges, or move groups of mechanisms into "
        "an include: of a subdomain you control (each name has its own answer).",
    ),
    IssueKind.BOUND: _Kind(
        "dns.spf.tree_bound",
        Status.WARN,
        "",
        REF_LIMITS,
        "Flatten the include tree; a receiver stops at 10 lookups in any case.",
    ),
}


# -- lint tree -> findings -------------------------------------------------------


def tree_findings(root: SpfNode, *, required: bool = False) -> tuple[Finding, ...]:
    """All findings of one domain's SPF tree.

    Args:
        root: The tree from :func:`~maildoctor.dns.spf_lint.build_tree`.
        required: Report a missing record as ``fail`` instead of ``warn``.

    Returns:
        The record finding, one finding per problem in the tree, and - when the
        root has one record - the ``all``, lookup-count and void-count findings.
    """
    findings = [_record_finding(root, required=required)]
    issues = [f for node in root.walk() for f in _issue_findings(node)]
    findings.extend(_grouped(issues))
    findings.extend(_duplicate_includes(root))
    if root.record is not None:
        findings.extend(_all_findings(root))
        findings.append(_lookup_finding(root))
        findings.append(_void_finding(root))
    return tuple(findings)


def record_findings(domain: str, text: str) -> tuple[Finding, ...]:
    """Lint one record text without DNS: syntax, ptr, all and redirect problems."""
    record = parse_record(text)
    node = SpfNode(
        domain=domain, records=(text,), record=record, issues=tuple(static_issues(domain, record))
    )
    return (*_issue_findings(node), *_all_findings(node))


def _finding(check: str, status: Status, subject: str, summary: str, **extra: Any) -> Finding:
    return Finding(
        check=check, layer=Layer.DNS, status=status, subject=subject, summary=summary, **extra
    )


def _record_finding(root: SpfNode, *, required: bool) -> Finding:
    domain, answer = root.domain, root.answer
    extra: dict[str, Any] = {
        "evidence": (answer.evidence(),) if answer is not None else (),
        "reference": REF_RECORD,
    }
    if answer is not None and not answer.ok:
        summary = f"could not read the SPF record of {domain}: {answer.describe()}"
        fix = "Retry, or check the domain's nameservers."
        return _finding("dns.spf.record", Status.ERROR, domain, summary, fix=fix, **extra)
    if not root.records:
        status = Status.FAIL if required else Status.WARN
        fix = (
            f'Publish one TXT record at {domain}: "v=spf1 <the services that send as {domain}> '
            '-all" (for SES: include:amazonses.com).'
        )
        detail = "Receivers get SPF result none: they cannot tell your servers from forgers."
        summary = f"{domain} publishes no SPF record"
        return _finding(
            "dns.spf.record",
            status,
            domain,
            summary,
            fix=fix,
            detail=detail,
            cause="dns.spf.missing",
            **extra,
        )
    if len(root.records) > 1:
        summary = (
            f"{domain} publishes {len(root.records)} SPF records; receivers return permerror "
            "(RFC 7208 4.5)"
        )
        return _finding(
            "dns.spf.multiple",
            Status.FAIL,
            domain,
            summary,
            cause=_PERM,
            fix=KINDS[IssueKind.MULTIPLE].fix,
            data={"records": list(root.records)},
            **extra,
        )
    summary = f"SPF record: {shown_record(root.records[0])}"
    return _finding(
        "dns.spf.record", Status.PASS, domain, summary, data={"record": root.records[0]}, **extra
    )


def shown_record(text: str) -> str:
    """A record for one line of output: whole when short, else its start and its size."""
    if len(text) <= SHOWN_RECORD_CHARS:
        return text
    return f"{text[:SHOWN_RECORD_CHARS]}... ({record_octets(text)} octets)"


def _grouped(findings: list[Finding]) -> list[Finding]:
    """One finding per repeated warning: the same check on the same term, however many
    records of the tree carry it, lists where it was seen instead of saying it again."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        term = str(f.data.get("term", "")) if f.status == Status.WARN else ""
        key = (f.check, term) if term else (f.check, f"{id(f)}")
        groups.setdefault(key, []).append(f)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            out.append(first)
            continue
        where = [str(f.data.get("domain") or f.subject) for f in same]
        out.append(
            dataclasses.replace(
                first,
                summary=f"{first.summary} (and {len(same) - 1} more: {', '.join(where[1:])})",
                evidence=tuple(e for f in same for e in f.evidence),
                data={**first.data, "seen_at": where, "count": len(same)},
            )
        )
    return out


def _duplicate_includes(root: SpfNode) -> Iterator[Finding]:
    """``include:`` of one domain reached more than once: each costs its lookups again."""
    seen: dict[str, list[SpfNode]] = {}
    for node in root.walk():
        for child in node.children:
            if child.via.lower().startswith("include:"):
                seen.setdefault(child.domain.lower().rstrip("."), []).append(node)
    for target, parents in seen.items():
        if len(parents) < 2:
            continue
        places = ", ".join(dict.fromkeys(p.domain for p in parents))
        yield Finding(
            check="dns.spf.duplicate_include",
            layer=Layer.DNS,
            status=Status.WARN,
            subject=root.domain,
            summary=f"include:{target} appears {len(parents)} times in the SPF tree "
            f"(in {places}): each one counts its DNS lookups again",
            reference="RFC 7208 section 4.6.4",
            fix=f"Keep one include:{target} and remove the others.",
            data={
                "include": target,
                "count": len(parents),
                "in": list(dict.fromkeys(p.domain for p in parents)),
            },  # fmt: skip
        )


def _issue_findings(node: SpfNode) -> Iterator[Finding]:
    syntax = 0
    for issue in node.issues:
        if issue.kind == IssueKind.MULTIPLE and node.depth == 0:
            continue  # reported by the record finding
        if issue.kind == IssueKind.SYNTAX:
            syntax += 1
            if syntax > MAX_SYNTAX_FINDINGS:
                continue
        yield _issue_finding(node, issue)


def _issue_finding(node: SpfNode, issue: Issue) -> Finding:
    kind = KINDS[issue.kind]
    evidence = issue.evidence
    if not evidence and node.answer is not None:
        evidence = (node.answer.evidence(),)
    data: dict[str, Any] = {
        "domain": issue.domain,
        "term": issue.term,
        "via": node.via,
        "depth": node.depth,
    }
    if issue.offset is not None:
        data.update(
            offset=issue.offset,
            column=issue.offset + 1,
            record=node.records[0] if node.records else "",
        )
    where = "" if node.depth == 0 or issue.term == node.via else f" (reached through {node.via})"
    return Finding(
        check=kind.check,
        layer=Layer.DNS,
        status=kind.status,
        subject=issue.domain,
        summary=issue.message + where,
        evidence=evidence,
        reference=kind.reference,
        fix=kind.fix,
        cause=kind.cause,
        data=data,
    )


def _all_findings(root: SpfNode) -> Iterator[Finding]:
    chain = list(_policy_chain(root))
    last = chain[-1]
    if last.record is not None and last.record.effective_redirect is None:
        yield _policy_finding(root, last)
    on_chain = {id(n) for n in chain}
    for node in root.walk():
        mech = node.record.all if node.record is not None else None
        if id(node) not in on_chain and mech is not None and mech.qualifier == "+":
            yield Finding(
                check="dns.spf.all",
                layer=Layer.DNS,
                status=Status.WARN,
                subject=node.domain,
                summary=f"{node.via} ends in {mech.text}: every host on the Internet passes "
                f"through this include",
                reference=REF_ALL,
                fix=f"Remove the include of {node.domain} or ask its owner to end it in ~all/-all.",
                evidence=(node.answer.evidence(),) if node.answer else (),
            )


def _policy_chain(root: SpfNode) -> Iterator[SpfNode]:
    """The root and the redirect targets that decide unlisted hosts' result."""
    node: SpfNode | None = root
    while node is not None:
        yield node
        redirect = node.record.effective_redirect if node.record is not None else None
        if redirect is None:
            return
        node = next((c for c in node.children if c.via == redirect.text), None)


_POLICIES = {
    "-": (Status.PASS, "SPF policy of {domain}: hosts not listed fail ({term})"),
    "~": (Status.PASS, "SPF policy of {domain}: hosts not listed softfail ({term})"),
    "?": (
        Status.WARN,
        "SPF policy of {domain} ends in {term}: hosts not listed get neutral, "
        "the same as no policy",
    ),
    "+": (Status.WARN, "{term}: every host on the Internet passes SPF for {domain}"),
}


def _policy_finding(root: SpfNode, last: SpfNode) -> Finding:
    mech = last.record.all if last.record is not None else None
    base: dict[str, Any] = {
        "check": "dns.spf.all",
        "layer": Layer.DNS,
        "subject": root.domain,
        "reference": REF_ALL,
        "data": {"decided_at": last.domain},
        "evidence": (last.answer.evidence(),) if last.answer is not None else (),
    }
    if mech is None:
        return Finding(
            status=Status.WARN,
            summary=f"the SPF policy of {root.domain} has no "
            "all mechanism and no redirect: hosts not listed get neutral",
            fix="End the record with -all (or ~all while you check your senders).",
            **base,
        )
    status, text = _POLICIES[mech.qualifier]
    fix = "" if status is Status.PASS else "End the record with -all (or ~all)."
    return Finding(
        status=status, summary=text.format(term=mech.text, domain=root.domain), fix=fix, **base
    )


def _lookup_finding(root: SpfNode) -> Finding:
    total, complete = root.lookups, _complete(root)
    needs = f"the SPF tree of {root.domain} needs {'' if complete else 'at least '}{total}"
    status, cause, fix = Status.PASS, "", ""
    summary = f"{needs} of {MAX_LOOKUPS} allowed DNS lookups"
    if total > MAX_LOOKUPS:
        status, cause = Status.FAIL, "dns.spf.lookup_limit"
        summary = (
            f"{needs} DNS lookups, over the limit of {MAX_LOOKUPS}: receivers return permerror "
            "for hosts not matched early"
        )
        fix = (
            "Remove includes of services that no longer send, replace a/mx/ptr by ip4:/ip6:, "
            "or move senders to subdomains."
        )
    elif total >= LOOKUP_WARN:
        status, fix = Status.WARN, "Keep headroom: one more include may cross the limit."
    branches = [
        {
            "domain": n.domain,
            "via": n.via,
            "depth": n.depth,
            "own": n.own_lookups,
            "total": n.lookups,
        }
        for n in root.walk()
        if n.answer is not None
    ]
    data = {"total": total, "limit": MAX_LOOKUPS, "branches": branches, "complete": complete}
    return _finding(
        "dns.spf.lookup_limit",
        status,
        root.domain,
        summary,
        cause=cause,
        fix=fix,
        data=data,
        detail=_branch_lines(root),
        reference=REF_LIMITS,
        evidence=_tree_evidence(root),
    )


def _complete(root: SpfNode) -> bool:
    """False when part of the tree could not be followed (macros, loops, the bound)."""
    cut = (IssueKind.MACRO_TARGET, IssueKind.BOUND, IssueKind.LOOP)
    return not any(i.kind in cut for n in root.walk() for i in n.issues)


def _branch_lines(root: SpfNode) -> str:
    return "\n".join(
        f"{'  ' * n.depth}{n.via or n.domain}: {n.own_lookups} own, {n.lookups} in this branch"
        for n in root.walk()
        if n.answer is not None
    )


def _void_finding(root: SpfNode) -> Finding:
    voids = root.voids
    counts = (
        f"{voids.strict} strict (IPv4 clients {voids.v4}, IPv6 {voids.v6}), "
        f"{voids.dual} dual-stack-aware"
    )
    status, cause, fix = Status.PASS, "", ""
    summary = f"void lookups: {counts} (limit {MAX_VOID_LOOKUPS})"
    if voids.strict > MAX_VOID_LOOKUPS:
        fix = "Remove terms whose names do not exist or have no address records."
        summary = (
            f"the SPF tree of {root.domain} has {counts} void lookups, over the limit "
            f"of {MAX_VOID_LOOKUPS}: "
        )
    if voids.dual > MAX_VOID_LOOKUPS:
        status, cause = Status.FAIL, "dns.spf.lookup_limit"
        summary += "receivers return permerror"
    elif voids.strict > MAX_VOID_LOOKUPS:
        status = Status.WARN
        summary += "strict receivers return permerror"
        fix += " A name with addresses in one family only is void for the other family's clients."
    data = {
        "strict": voids.strict,
        "dual_stack": voids.dual,
        "ipv4_clients": voids.v4,
        "ipv6_clients": voids.v6,
        "limit": MAX_VOID_LOOKUPS,
    }
    return _finding(
        "dns.spf.void_lookups",
        status,
        root.domain,
        summary,
        cause=cause,
        fix=fix,
        data=data,
        reference=REF_LIMITS,
        evidence=_tree_evidence(root),
    )


def _tree_evidence(root: SpfNode) -> tuple[Evidence, ...]:
    seen: dict[str, Evidence] = {}
    for node in root.walk():
        for ev in node.evidence or ((node.answer.evidence(),) if node.answer else ()):
            seen.setdefault(ev.id, ev)
    return tuple(seen.values())


# -- check_host() result -> finding -----------------------------------------------


_VERDICT_STATUS = {
    SpfVerdict.PASS: Status.PASS,
    SpfVerdict.FAIL: Status.FAIL,
    SpfVerdict.SOFTFAIL: Status.FAIL,
    SpfVerdict.PERMERROR: Status.FAIL,
    SpfVerdict.TEMPERROR: Status.ERROR,
    SpfVerdict.NEUTRAL: Status.WARN,
    SpfVerdict.NONE: Status.WARN,
}


def verdict_finding(result: SpfResult) -> Finding:
    """The ``dns.spf.ip_verdict`` finding: the result, why, and the path that decided it."""
    status = _VERDICT_STATUS[result.result]
    decided = f" by {result.mechanism}" if result.mechanism else ""
    summary = f"SPF {result.result} for {result.ip} sending as {result.sender}{decided}"
    if result.problems and result.result in (
        SpfVerdict.PERMERROR,
        SpfVerdict.TEMPERROR,
        SpfVerdict.NONE,
    ):
        summary += f": {result.problems[0]}"
    lines = format_path(result.path)
    lines.append(
        f"DNS lookups: {result.lookups} of {MAX_LOOKUPS}; void lookups: "
        f"{result.void_lookups} of {MAX_VOID_LOOKUPS}"
    )
    if result.explanation:
        lines.insert(0, f"explanation: {result.explanation}")
    return Finding(
        check="dns.spf.ip_verdict",
        layer=Layer.DNS,
        status=status,
        subject=result.domain,
        summary=summary,
        detail="\n".join(lines),
        evidence=result.evidence,
        reference=REF_RESULTS if result.result is not SpfVerdict.NONE else REF_IDENTITY,
        fix=_verdict_fix(result),
        cause=_verdict_cause(result),
        data=result.to_dict(),
    )


def _verdict_cause(result: SpfResult) -> str:
    if result.result is SpfVerdict.PERMERROR:
        text = " ".join(result.problems[:1])
        return "dns.spf.lookup_limit" if "4.6.4" in text else _PERM
    if result.result is SpfVerdict.NONE:
        return "dns.spf.missing"
    if result.result in (SpfVerdict.FAIL, SpfVerdict.SOFTFAIL):
        # RFC 7208 section 2.6.4/2.6.5: the record says this IP is not (or probably not)
        # authorized - the cause receivers act on.
        return "dns.spf.ip_not_permitted"
    return ""


def _verdict_fix(result: SpfResult) -> str:
    domain, ip = result.domain, result.ip
    family = "ip4" if ":" not in ip else "ip6"
    fixes = {
        SpfVerdict.FAIL: f"If {ip} should send for {domain}, add {family}:{ip} (or the "
        "sending service's include) to its SPF record; otherwise the mail "
        "does not come from an authorized host.",
        SpfVerdict.SOFTFAIL: f"Authorize {ip} in the SPF record of {domain} ({family}:{ip} or "
        "the service's include); receivers treat softfail as suspicious.",
        SpfVerdict.PERMERROR: f"Repair the record: maildoctor dns {domain} shows every problem "
        "in its include tree.",
        SpfVerdict.TEMPERROR: f"Retry; if it persists, check the nameservers of {domain} and "
        "of its includes.",
        SpfVerdict.NONE: f'Publish one TXT record at {domain}: "v=spf1 ... -all".',
        SpfVerdict.NEUTRAL: f"End the SPF record of {domain} with -all or ~all and list "
        f"{ip} if it sends for the domain.",
    }
    return fixes.get(result.result, "")


def format_path(path: tuple[SpfStep, ...]) -> list[str]:
    """One line per step, indented through includes and redirects.

    ``example.com: "v=spf1 include:a.example -all" -> include:a.example (pass)``
    """
    lines = []
    for depth, step in enumerate(path):
        indent = "  " * depth
        if not step.record:
            # A temperror here is a DNS failure: the record may well exist (RFC 7208 4.4).
            failed = step.result == "temperror"
            what = "SPF record not read, DNS lookup failed" if failed else "no SPF record"
            lines.append(f"{indent}{step.domain}: {what} ({step.result})")
            continue
        term = step.term or "no mechanism matched, default"
        record = shown_record(step.record)
        lines.append(f'{indent}{step.domain}: "{record}" -> {term} ({step.result})')
    return lines
