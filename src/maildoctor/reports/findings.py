"""From a :class:`Digest` to findings that correlation can weigh like a bounce's.

A source that fails DMARC becomes a finding whose ``cause`` is the catalogued defect that
explains it (``dns.dkim.not_aligned`` for SES signing as ``amazonses.com``), so in
``diagnose`` it merges with the same cause found by the SES, DNS or bounce layers and raises
its confidence. Failures the receiver itself excused (forwarding, mailing lists) are shown
as info and never become causes.
"""

from __future__ import annotations

from collections import Counter

from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .analyze import (
    DKIM_FAILING,
    DKIM_NOT_ALIGNED,
    SPF_NOT_PERMITTED,
    UNKNOWN_SOURCE,
    UNSIGNED,
    Digest,
    SourceTally,
)
from .model import FailureReport
from .providers import SES
from .tlsrpt import RESULT_TYPES

__all__ = ["MAX_SOURCES", "digest_findings"]

#: Failing sources reported one by one; the rest are summed up in one finding.
MAX_SOURCES = 25
#: Unreadable inputs named in the finding about them.
MAX_NAMED = 5

_REF = "RFC 7489 section 7.2 and appendix C; RFC 9990 (DMARC aggregate reports)"
_TLS_REF = "RFC 8460 (SMTP TLS reporting)"
_FAIL_REF = "RFC 6591 (authentication failure reports); RFC 7489 section 7.3"

REPORT = FindingMaker("recipient.report", Layer.RECIPIENT, _REF)
TLS = FindingMaker("transport.tls_report", Layer.TRANSPORT, _TLS_REF)


def digest_findings(digest: Digest) -> tuple[Finding, ...]:
    """Findings for everything a digest holds.

    Args:
        digest: Reports read so far.

    Returns:
        A summary, one finding per failing source (up to :data:`MAX_SOURCES`), the TLS
        report findings, the failure reports', and one error finding for unreadable input.
    """
    findings = [_summary(digest)]
    failing = digest.failing_sources()
    findings += [_source(n, t, digest.domain) for n, t in enumerate(failing[:MAX_SOURCES], 1)]
    if len(failing) > MAX_SOURCES:
        findings.append(_more(failing[MAX_SOURCES:]))
    findings += [_passing(t) for t in digest.passing_services()[:MAX_SOURCES]]
    findings += _tls(digest)
    findings += _failure_reports(digest)
    if digest.unreadable or digest.invalid:
        findings.append(_unreadable(digest))
    return tuple(findings)


def _summary(digest: Digest) -> Finding:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(digest.reports.items())) or "none"
    passing = digest.messages - digest.failing
    subject = digest.domain or ", ".join(sorted({d for d, _ in digest.policies})) or "reports"
    policies = ", ".join(f"{d} p={p or '?'}" for (d, p) in sorted(digest.policies))
    return REPORT(
        "summary",
        Status.INFO,
        subject,
        f"reports read: {kinds}; {digest.messages} message(s) in aggregate records, "
        f"{passing} passed DMARC and {digest.failing} failed",
        detail=f"policies seen: {policies}" if policies else "",
        data={
            "reports": dict(digest.reports),
            "messages": digest.messages,
            "dmarc_pass": passing,
            "dmarc_fail": digest.failing,
            "other_domains": digest.other_domains,
            "unreadable": digest.invalid,
            "not_reports": digest.not_reports,
        },
    )


def _source_name(tally: SourceTally) -> str:
    why = tally.explanation
    return f"{tally.source_ip} ({why.service_domain})" if why.service else tally.source_ip


def _source(number: int, tally: SourceTally, domain: str) -> Finding:
    why = tally.explanation
    reporters = ", ".join(f"{r} {n}" for r, n in tally.reporters.most_common(5))
    dispositions = ", ".join(f"{d} {n}" for d, n in tally.dispositions.most_common())
    status = _status(why.cause, why.expected)
    summary = f"{_source_name(tally)}: {why.why}"
    if why.expected:
        summary += f" (the receiver expected it: {', '.join(why.expected)})"
    return REPORT(
        "source_failing",
        status,
        tally.source_ip,
        summary,
        detail=(
            f"{tally.messages} message(s) failed DMARC in {tally.records} record(s); "
            f"reporters: {reporters}; dispositions: {dispositions}"
            + (f"; service: {why.service}" if why.service else "")
        ),
        evidence=(
            Evidence(
                id=f"report:{number}:{tally.source_ip}",
                source="report",
                query=f"DMARC aggregate records for {tally.source_ip}",
                server=reporters,
                outcome="dmarc=fail",
                raw=(why.why, f"messages={tally.messages}", f"dispositions: {dispositions}"),
            ),
        ),
        fix=_fix(why.cause, why.service, domain or _top(tally.from_domains)),
        cause=why.cause,
        data={
            "messages": tally.messages,
            "records": tally.records,
            "service": why.service,
            "service_domain": why.service_domain,
            "reporters": dict(tally.reporters),
            "dispositions": dict(tally.dispositions),
            "from_domains": dict(tally.from_domains),
        },
    )


def _passing(tally: SourceTally) -> Finding:
    """A sending service's mail passing DMARC: evidence against an alignment cause."""
    why = tally.explanation
    reporters = ", ".join(r for r, _ in tally.reporters.most_common(5))
    return REPORT(
        "source_passing",
        Status.PASS,
        tally.source_ip,
        f"{_source_name(tally)} ({why.service}) passes DMARC: {why.why}",
        detail=f"{tally.messages} message(s) in {tally.records} record(s); reporters: {reporters}",
        data={"messages": tally.messages, "service": why.service},
    )


def _status(cause: str, expected: tuple[str, ...]) -> Status:
    if expected or not cause:
        return Status.INFO
    return Status.WARN if cause == UNKNOWN_SOURCE else Status.FAIL


def _top(counts: Counter[str]) -> str:
    return counts.most_common(1)[0][0] if counts else "<domain>"


def _fix(cause: str, service: str, domain: str) -> str:
    if cause == DKIM_NOT_ALIGNED and service == SES:
        return (
            f"Verify {domain} as an SES domain identity with Easy DKIM (`aws sesv2 "
            f"create-email-identity --email-identity {domain}`) and publish its three CNAMEs, "
            f"so SES signs with d={domain} instead of amazonses.com."
        )
    if cause == DKIM_NOT_ALIGNED:
        name = service or "the sending service"
        return (
            f"Have {name} sign with d={domain} (its custom DKIM / domain authentication "
            "setting), publishing the DKIM records it gives you."
        )
    if cause == UNSIGNED:
        return f"Sign this source's mail with a DKIM key of {domain}, or align its MAIL FROM."
    if cause == SPF_NOT_PERMITTED:
        return f"Authorize this IP in the SPF record of the MAIL FROM domain ({domain})."
    if cause == DKIM_FAILING:
        return (
            f"Check the signing key of {domain} at the reported selector (`maildoctor dns "
            f"{domain} --selector <selector>`); if the mail was forwarded, nothing to do."
        )
    if cause == UNKNOWN_SOURCE:
        return (
            "Find out whose server this is: if it sends for you, add it to SPF and sign its "
            "mail with your DKIM key; if not, it is forging your domain and p=reject stops it."
        )
    return ""


def _more(rest: list[SourceTally]) -> Finding:
    messages = sum(t.messages for t in rest)
    return REPORT(
        "more_sources",
        Status.INFO,
        "reports",
        f"{len(rest)} more source(s) failed DMARC with {messages} message(s) in all",
        data={"sources": len(rest), "messages": messages},
    )


def _tls(digest: Digest) -> list[Finding]:
    domains = sorted({d for d, _ in digest.tls})
    return [_tls_domain(digest, d) for d in domains]


def _tls_domain(digest: Digest, domain: str) -> Finding:
    counts = {kind: n for (d, kind), n in digest.tls.items() if d == domain}
    successes = counts.pop("", 0)
    failures = sum(counts.values())
    if not failures:
        return TLS("sessions", Status.PASS, domain, f"{successes} TLS session(s), none failed")
    words = "; ".join(
        f"{kind}: {n} ({RESULT_TYPES.get(kind, 'see the report')})"
        for kind, n in sorted(counts.items(), key=lambda kv: -kv[1])
    )
    status = Status.FAIL if not successes else Status.WARN
    return TLS(
        "failures",
        status,
        domain,
        f"{failures} of {successes + failures} TLS session(s) to {domain}'s MX failed: {words}",
        fix=f"Check the MX hosts' TLS and the MTA-STS policy: `maildoctor mx {domain}`.",
        cause="transport.tls_report.failures",
        data={"successful": successes, "failed": failures, "by_result": counts},
    )


def _failure_reports(digest: Digest) -> list[Finding]:
    groups: dict[tuple[str, str, str], list[FailureReport]] = {}
    for _, report in digest.failures:
        key = (report.source_ip, report.auth_failure, report.dkim_domain)
        groups.setdefault(key, []).append(report)
    return [_failure_group(key, reports) for key, reports in groups.items()]


def _failure_group(key: tuple[str, str, str], reports: list[FailureReport]) -> Finding:
    source_ip, failure, dkim_domain = key
    first = reports[0]
    domain = first.header_from or first.reported_domain
    incidents = sum(r.incidents for r in reports)
    cause = _failure_cause(first, domain)
    what = f"auth-failure {failure or '(unspecified)'}"
    if dkim_domain:
        what += f", DKIM d={dkim_domain}"
    return REPORT(
        "failure_report",
        Status.FAIL if cause else Status.WARN,
        source_ip or domain,
        f"{len(reports)} failure report(s) ({incidents} incident(s)) for mail from "
        f"{source_ip or 'an unreported IP'} as {domain or '?'}: {what}",
        reference=_FAIL_REF,
        detail=f"reporters: {', '.join(sorted({r.reporter for r in reports}))}",
        cause=cause,
        data={"reports": len(reports), "incidents": incidents, "delivery": first.delivery_result},
    )


def _failure_cause(report: FailureReport, domain: str) -> str:
    from .analyze import aligned
    from .providers import provider_of

    if report.auth_failure in ("dkim", "bodyhash", "signature", "revoked"):
        return DKIM_FAILING
    if report.auth_failure == "spf":
        return SPF_NOT_PERMITTED
    if report.dkim_domain and domain and not aligned(report.dkim_domain, domain):
        return DKIM_NOT_ALIGNED
    if provider_of([report.dkim_domain, report.original_mail_from.rpartition("@")[2]]):
        return DKIM_NOT_ALIGNED
    return ""


def _unreadable(digest: Digest) -> Finding:
    named = "; ".join(f"{o}: {e}" for o, e in digest.unreadable[:MAX_NAMED])
    more = digest.invalid - min(len(digest.unreadable), MAX_NAMED)
    return REPORT(
        "unreadable",
        Status.ERROR,
        "reports",
        f"{digest.invalid} input(s) could not be read as reports: {named}"
        + (f"; and {more} more" if more > 0 else ""),
        data={"unreadable": [list(u) for u in digest.unreadable[:100]]},
    )
