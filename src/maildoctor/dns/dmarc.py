"""DMARC checks: discovery, every tag, reporting and the recommendation.

:func:`evaluate_dmarc` runs the RFC 9989 tree walk (with RFC 7489's PSL reading
alongside), then asks the external report destinations for their authorization
records (RFC 9990), and turns what it found into findings. :func:`check_dmarc`
adds the ``dns.dmarc.recommendation`` finding from the pure advice engine.

Finding ids: ``dns.dmarc.record``, ``.multiple``, ``.syntax``, ``.policy``,
``.subdomain_policy``, ``.testing``, ``.psd``, ``.legacy_tags``, ``.rua``,
``.fo_without_ruf``, ``.report_auth``, ``.org_domain``, ``.recommendation``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .dmarc_advice import AdviceContext, advice_finding, fo_without_ruf_text, recommend
from .dmarc_record import DmarcRecord, Problem, ProblemKind, Severity, is_dmarc_record
from .names import is_subdomain_or_same
from .orgdomain import REF_ORG, REF_PSL, REF_WALK, TreeWalk, WalkStep, tree_walk
from .resolver import DnsAnswer

__all__ = [
    "Authorization",
    "DmarcResult",
    "check_dmarc",
    "evaluate_dmarc",
    "recommendation_finding",
]

REF_TAGS = "RFC 9989 §4.7"
REF_AUTH = "RFC 9990 §4"
_STRENGTH = {"none": 0, "quarantine": 1, "reject": 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Authorization:
    """One report destination outside the Organizational Domain and its answer.

    Attributes:
        destination: The destination domain (from ``mailto:``).
        query: ``<policy-domain>._report._dmarc.<destination>``.
        uris: The ``rua``/``ruf`` URIs that point there.
        answer: The TXT answer for :attr:`query`.
    """

    destination: str
    query: str
    uris: tuple[str, ...]
    answer: DnsAnswer

    @property
    def authorized(self) -> bool:
        return any(is_dmarc_record(r) for r in self.answer.records) if self.answer.exists else False

    @property
    def refused(self) -> bool:
        """A definite answer without a ``v=DMARC1`` record (a DNS failure is not a refusal)."""
        return self.answer.ok and not self.authorized


@dataclass(frozen=True, slots=True, kw_only=True)
class DmarcResult:
    """Everything DMARC-related learnt about one domain."""

    domain: str
    walk: TreeWalk
    authorizations: tuple[Authorization, ...]
    findings: tuple[Finding, ...]

    @property
    def record(self) -> DmarcRecord | None:
        """The policy record that applies to the domain, if one was found."""
        return self.walk.policy.record if self.walk.policy is not None else None


_finding = FindingMaker("dns.dmarc", Layer.DNS)


async def evaluate_dmarc(domain: str, *, ctx: Context) -> DmarcResult:
    """Discover and evaluate the DMARC policy of a domain.

    Args:
        domain: The Author Domain (validated, lower case, A-labels).
        ctx: The run's context.

    Returns:
        The walk, the report authorizations and the findings (no recommendation).
    """
    walk = await tree_walk(domain, ctx=ctx)
    record = walk.policy.record if walk.policy is not None else None
    auths = await _authorizations(walk, record, ctx=ctx) if record is not None else ()
    findings = [*discovery_findings(walk)]
    if record is not None and walk.policy is not None:
        findings += record_findings(domain, walk.policy, record)
        findings += [authorization_finding(a, walk.policy.name) for a in auths]
    findings.append(org_domain_finding(walk))
    return DmarcResult(domain=domain, walk=walk, authorizations=auths, findings=tuple(findings))


async def check_dmarc(
    domain: str, *, ctx: Context, advice: AdviceContext | None = None
) -> tuple[Finding, ...]:
    """All DMARC findings for a domain, the recommendation last.

    Args:
        domain: The Author Domain.
        ctx: The run's context.
        advice: What the recommendation engine should know (Microsoft 365
            recipients, readiness); defaults to nothing beyond the record.

    Returns:
        The findings; DNS failures are ``error`` findings, never "no record".
    """
    result = await evaluate_dmarc(domain, ctx=ctx)
    refused = tuple(a.destination for a in result.authorizations if a.refused)
    context = advice or AdviceContext(domain=domain, unauthorized=refused)
    return (*result.findings, recommendation_finding(result, context))


def recommendation_finding(result: DmarcResult, context: AdviceContext) -> Finding:
    """The ``dns.dmarc.recommendation`` finding for an evaluated domain.

    When the record could not be read (a DNS failure) there is nothing to base
    advice on, and the finding is ``skipped`` rather than "publish a record".
    """
    if result.walk.policy is None and not result.walk.complete:
        return _finding(
            "recommendation",
            Status.SKIPPED,
            f"_dmarc.{result.domain}",
            "no recommendation: the DMARC record could not be looked up",
            evidence=result.walk.evidence(),
        )
    evidence = result.walk.policy.answer.evidence() if result.walk.policy is not None else None
    advice = recommend(result.record, context)
    return advice_finding(advice, context=context, evidence=(evidence,) if evidence else ())


# -- discovery ----------------------------------------------------------------------


def discovery_findings(walk: TreeWalk) -> list[Finding]:
    """``dns.dmarc.record`` and ``dns.dmarc.multiple`` from the tree walk."""
    findings = [_multiple_finding(s) for s in walk.steps if s.multiple]
    findings.append(_record_finding(walk))
    return findings


def _record_finding(walk: TreeWalk) -> Finding:
    domain, evidence = walk.domain, walk.evidence()
    if walk.author is None and walk.failed is not None:
        return _lookup_error(domain, walk.failed, evidence)
    if walk.policy is not None:
        return _found(walk, evidence)
    if walk.failed is not None:
        return _lookup_error(domain, walk.failed, evidence)
    return _missing(walk, evidence)


def _lookup_error(domain: str, step: WalkStep, evidence: tuple[Evidence, ...]) -> Finding:
    return _finding(
        "record",
        Status.ERROR,
        domain,
        f"could not look up _dmarc.{step.name}: {step.answer.describe()}",
        detail="The DNS did not give a definite answer, so it is unknown whether a DMARC "
        "record applies. This is not the same as having no record.",
        evidence=evidence,
        reference=REF_WALK,
        fix="Retry, or check the nameservers for the domain (they time out or fail).",
    )


def _found(walk: TreeWalk, evidence: tuple[Evidence, ...]) -> Finding:
    policy = walk.policy
    assert policy is not None
    own = policy.name == walk.domain
    where = "" if own else f" (inherited from the Organizational Domain {policy.name})"
    return _finding(
        "record",
        Status.PASS,
        walk.domain,
        f"DMARC record at _dmarc.{policy.name}{where}: {_short(policy.records[0])}",
        evidence=evidence,
        reference=REF_WALK,
        data={"policy_domain": policy.name, "record": policy.records[0], "reading": "RFC 9989"},
    )


def _missing(walk: TreeWalk, evidence: tuple[Evidence, ...]) -> Finding:
    asked = ", ".join(f"_dmarc.{s.name}" for s in walk.steps)
    detail = [f"The RFC 9989 tree walk asked {asked} and found no single v=DMARC1 record."]
    detail += _near_misses(walk)
    return _finding(
        "record",
        Status.FAIL,
        walk.domain,
        f"no DMARC record for {walk.domain}",
        detail="\n".join(detail),
        evidence=evidence,
        reference=REF_WALK,
        fix=f'Publish TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@{walk.domain}" at '
        f"_dmarc.{walk.domain} (see dns.dmarc.recommendation).",
        cause="dns.dmarc.missing",
    )


def _near_misses(walk: TreeWalk) -> list[str]:
    """TXT strings at ``_dmarc`` names that look like failed attempts at a record."""
    lines = []
    for step in walk.steps:
        for text in step.answer.records:
            if not is_dmarc_record(text) and "dmarc" in text.lower():
                lines.append(
                    f"_dmarc.{step.name} holds {_short(text)!r}, which does not start with "
                    "v=DMARC1 (exact case, first), so receivers ignore it."
                )
    return lines


def _multiple_finding(step: WalkStep) -> Finding:
    return _finding(
        "multiple",
        Status.FAIL,
        f"_dmarc.{step.name}",
        f"{len(step.records)} DMARC records at _dmarc.{step.name}: receivers discard all of them",
        evidence=(step.answer.evidence(),),
        reference="RFC 9989 §4.10 (step 2); RFC 7489 §6.6.3",
        fix="Keep exactly one TXT record starting with v=DMARC1 at this name.",
        cause="dns.dmarc.multiple_records",
        data={"records": list(step.records)},
    )


def _short(text: str, size: int = 200) -> str:
    return text if len(text) <= size else f"{text[:size]}... ({len(text)} characters)"


# -- the record ---------------------------------------------------------------------


def record_findings(domain: str, step: WalkStep, record: DmarcRecord) -> list[Finding]:
    """Findings about the policy record's content."""
    evidence = (step.answer.evidence(),)
    findings = [
        _syntax_finding(step, record, evidence),
        _policy_finding(domain, step, record, evidence),
        _rua_finding(step, record, evidence),
    ]
    optional = (
        _subdomain_finding(step, record, evidence),
        _testing_finding(step, record, evidence),
        _psd_finding(domain, step, record, evidence),
        _legacy_finding(step, record, evidence),
        _fo_finding(step, record, evidence),
    )
    return findings + [f for f in optional if f is not None]


def _syntax_finding(step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]) -> Finding:
    problems = [p for p in record.problems if p.kind is not ProblemKind.REMOVED_TAG]
    problems = [p for p in problems if p.severity is not Severity.NOTE]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    subject = f"_dmarc.{step.name}"
    more = f" (and {record.extra_problems} more)" if record.extra_problems else ""
    data = {"problems": [_problem_dict(p) for p in problems], "more": record.extra_problems}
    if not problems:
        return _finding(
            "syntax",
            Status.PASS,
            subject,
            "record syntax is valid",
            evidence=evidence,
            reference="RFC 9989 §4.8",
        )
    status = Status.FAIL if errors else Status.WARN
    return _finding(
        "syntax",
        status,
        subject,
        f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in the record{more}",
        detail="\n".join(_problem_line(p) for p in problems[:20]),
        evidence=evidence,
        reference="RFC 9989 §4.8",
        fix="Correct the listed tags; a value the grammar rejects is replaced by its default.",
        cause="dns.dmarc.syntax_error" if errors else "",
        data=data,
    )


def _problem_line(problem: Problem) -> str:
    tag = f"{problem.tag}: " if problem.tag else ""
    return f"{problem.severity}: {tag}{problem.message} ({problem.reference})"


def _problem_dict(problem: Problem) -> dict[str, str]:
    return {
        "severity": str(problem.severity),
        "kind": str(problem.kind),
        "tag": problem.tag,
        "message": problem.message,
        "reference": problem.reference,
    }


def _policy_finding(
    domain: str, step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding:
    """``p=`` (or ``sp=`` when inherited): none warns, quarantine informs, reject passes."""
    own = step.name == domain
    policy = record.policy if own else record.subdomain_policy
    tag = "p" if own else "sp"
    data = {"policy": policy, "tag": tag, "policy_domain": step.name}
    if policy == "none":
        return _finding(
            "policy",
            Status.WARN,
            domain,
            f"{tag}=none: monitoring only, receivers take no action on mail that fails DMARC",
            detail="Spoofed mail is delivered as if DMARC did not exist; p=none is a stage "
            "for collecting reports, not a protection.",
            evidence=evidence,
            reference=REF_TAGS,
            fix="Once the aggregate reports show every legitimate source aligned, move on "
            "(see dns.dmarc.recommendation).",
            cause="dns.dmarc.policy_none",
            data=data,
        )
    if policy == "quarantine":
        return _finding(
            "policy",
            Status.INFO,
            domain,
            f"{tag}=quarantine: failing mail goes to spam or quarantine",
            detail="Microsoft 365 / Exchange Online quarantines it silently: the sender gets no "
            "bounce, so failures are invisible to them.",
            evidence=evidence,
            reference=REF_TAGS,
            data=data,
        )
    return _finding(
        "policy",
        Status.PASS,
        domain,
        f"{tag}=reject: failing mail is refused",
        evidence=evidence,
        reference=REF_TAGS,
        data=data,
    )


def _subdomain_finding(
    step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding | None:
    weaker = [
        (tag, value)
        for tag, value in (("sp", record.subdomain_policy), ("np", record.nonexistent_policy))
        if record.has(tag) and _STRENGTH[value] < _STRENGTH[record.policy]
    ]
    if not weaker:
        return None
    text = ", ".join(f"{t}={v}" for t, v in weaker)
    return _finding(
        "subdomain_policy",
        Status.WARN,
        f"_dmarc.{step.name}",
        f"{text} is weaker than p={record.policy}: subdomains are easier to spoof",
        evidence=evidence,
        reference=REF_TAGS,
        fix=f"Remove {text} or set it to p={record.policy} unless subdomains need it.",
    )


def _testing_finding(
    step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding | None:
    if record.t != "y":
        return None
    return _finding(
        "testing",
        Status.WARN,
        f"_dmarc.{step.name}",
        f"t=y: testing mode, receivers apply a policy one step weaker than p={record.policy}",
        evidence=evidence,
        reference=REF_TAGS,
        fix="Remove t=y once the policy should take full effect.",
    )


def _psd_finding(
    domain: str, step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding | None:
    if record.psd != "y" or step.name != domain:
        return None
    return _finding(
        "psd",
        Status.WARN,
        domain,
        f"psd=y declares {domain} a public suffix domain: each subdomain becomes its own "
        "organization for alignment",
        evidence=evidence,
        reference=REF_ORG,
        fix="Remove psd=y unless you operate a public suffix (a registry).",
    )


def _legacy_finding(
    step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding | None:
    legacy = [p for p in record.problems if p.kind is ProblemKind.REMOVED_TAG]
    obsolete = [p for p in record.problems if p.severity is Severity.NOTE and p not in legacy]
    if not legacy and not obsolete:
        return None
    tags = sorted({p.tag for p in legacy})
    return _finding(
        "legacy_tags",
        Status.INFO,
        f"_dmarc.{step.name}",
        f"RFC 7489 syntax that RFC 9989 removed: {', '.join(tags) or 'size limits'}",
        detail="\n".join(p.message for p in legacy + obsolete),
        evidence=evidence,
        reference="RFC 9989 §4.7; RFC 7489 §6.3",
        data={"tags": tags},
    )


def _rua_finding(step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]) -> Finding:
    subject = f"_dmarc.{step.name}"
    if record.rua:
        uris = ", ".join(u.uri for u in record.rua)
        return _finding(
            "rua",
            Status.PASS,
            subject,
            f"aggregate reports go to {uris}",
            evidence=evidence,
            reference="RFC 9990 §3",
        )
    return _finding(
        "rua",
        Status.WARN,
        subject,
        "no rua=: nobody receives aggregate reports, so failing sources stay unknown",
        evidence=evidence,
        reference="RFC 9989 §4.7; RFC 9990 §3",
        fix=f"Add rua=mailto:dmarc-reports@{step.name} (see dns.dmarc.recommendation).",
    )


def _fo_finding(
    step: WalkStep, record: DmarcRecord, evidence: tuple[Evidence, ...]
) -> Finding | None:
    if not record.has("fo") or record.ruf:
        return None
    return _finding(
        "fo_without_ruf",
        Status.WARN,
        f"_dmarc.{step.name}",
        f"fo={record.value('fo')} without ruf=: it does nothing",
        detail=fo_without_ruf_text(record),
        evidence=evidence,
        reference=REF_TAGS,
        fix="Drop fo=, or add ruf=mailto:<address> if you want failure reports.",
        cause="dns.dmarc.fo_without_ruf",
    )


# -- report authorization -----------------------------------------------------------


def external_destinations(record: DmarcRecord, org_domain: str) -> dict[str, tuple[str, ...]]:
    """``{destination domain: uris}`` for mailto: URIs outside the Organizational Domain."""
    out: dict[str, list[str]] = {}
    for uri in (*record.rua, *record.ruf):
        if uri.domain and not is_subdomain_or_same(uri.domain, org_domain):
            out.setdefault(uri.domain, []).append(uri.uri)
    return {d: tuple(dict.fromkeys(u)) for d, u in out.items()}


async def _authorizations(
    walk: TreeWalk, record: DmarcRecord, *, ctx: Context
) -> tuple[Authorization, ...]:
    """Ask ``<policy-domain>._report._dmarc.<destination>`` for every external destination.

    A wildcard ``*._report._dmarc.<destination>`` answers the same query, so one
    lookup covers both (RFC 9990 section 4).
    """
    assert walk.policy is not None
    org = walk.org_domain if walk.complete else (walk.psl_org or walk.org_domain)
    dests = external_destinations(record, org)
    names = {d: f"{walk.policy.name}._report._dmarc.{d}" for d in dests}
    answers = await asyncio.gather(*(ctx.resolver.query(n, "TXT") for n in names.values()))
    return tuple(
        Authorization(destination=d, query=names[d], uris=dests[d], answer=a)
        for d, a in zip(dests, answers, strict=True)
    )


def authorization_finding(auth: Authorization, policy_domain: str) -> Finding:
    """``dns.dmarc.report_auth``: does the external destination accept the reports?"""
    evidence = (auth.answer.evidence(),)
    uris = ", ".join(auth.uris)
    if not auth.answer.ok:
        return _finding(
            "report_auth",
            Status.ERROR,
            auth.destination,
            f"could not check that {auth.destination} accepts reports: {auth.answer.describe()}",
            evidence=evidence,
            reference=REF_AUTH,
            data={"query": auth.query},
            fix="Retry; the destination's nameservers did not answer definitely.",
        )
    if auth.authorized:
        return _finding(
            "report_auth",
            Status.PASS,
            auth.destination,
            f"{auth.destination} accepts DMARC reports for {policy_domain} ({uris})",
            evidence=evidence,
            reference=REF_AUTH,
            data={"query": auth.query},
        )
    return _finding(
        "report_auth",
        Status.FAIL,
        auth.destination,
        f"{auth.destination} has not authorized reports for {policy_domain}: receivers will "
        f"not send to {uris}",
        detail=f"{auth.query} TXT has no v=DMARC1 record ({auth.answer.describe()}).",
        evidence=evidence,
        reference=REF_AUTH,
        fix=f'Ask the operator of {auth.destination} to publish TXT "v=DMARC1" at '
        f"{auth.query}, or send reports to an address in your own domain.",
        cause="dns.dmarc.report_destination_unauthorized",
        data={"query": auth.query, "uris": list(auth.uris)},
    )


# -- organizational domain ----------------------------------------------------------


def org_domain_finding(walk: TreeWalk) -> Finding:
    """``dns.dmarc.org_domain``: both readings, and which one the verdicts use."""
    data = {
        "org_domain": walk.org_domain,
        "psl_org_domain": walk.psl_org,
        "policy_domain": walk.policy.name if walk.policy else None,
        "psl_policy_domain": walk.psl_policy.name if walk.psl_policy else None,
        "reading": "RFC 9989",
        "walk": [s.name for s in walk.steps],
    }
    if walk.failed is not None:
        return _finding(
            "org_domain",
            Status.ERROR,
            walk.domain,
            f"tree walk stopped at _dmarc.{walk.failed.name}: {walk.failed.answer.describe()}",
            detail=f"Organizational Domain uncertain; the PSL reading (RFC 7489) gives "
            f"{walk.psl_org or walk.domain}.",
            evidence=walk.evidence(),
            reference=REF_WALK,
            data=data,
            fix="Retry; a nameserver did not answer definitely.",
        )
    summary = f"Organizational Domain {walk.org_domain} (RFC 9989 tree walk)"
    if not walk.readings_differ:
        return _finding(
            "org_domain",
            Status.INFO,
            walk.domain,
            summary + "; the RFC 7489 public suffix list agrees",
            evidence=walk.evidence(),
            reference=REF_ORG,
            data=data,
        )
    return _finding(
        "org_domain",
        Status.WARN,
        walk.domain,
        summary + f"; RFC 7489 receivers (public suffix list) differ: {_psl_text(walk)}",
        detail="The verdicts here use the RFC 9989 reading. Receivers still on RFC 7489 use "
        "the public suffix list and may apply another record or align differently.",
        evidence=walk.evidence(),
        reference=f"{REF_ORG}; {REF_PSL}",
        data=data,
        fix="Publish the DMARC record at the Author Domain itself so both readings agree.",
    )


def _psl_text(walk: TreeWalk) -> str:
    org = walk.psl_org or walk.domain
    policy = f"record at _dmarc.{walk.psl_policy.name}" if walk.psl_policy else "no record"
    return f"Organizational Domain {org}, {policy}"
