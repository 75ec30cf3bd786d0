"""What the reports say about a sender: which sources fail DMARC, and why.

:func:`explain_record` reads one aggregate record the way a person would: which DKIM
signatures and SPF result the receiver saw, whether each is aligned with the From domain
(RFC 7489 section 3.1, using the mode the policy published), which service the
authenticated domains belong to, and which catalogued cause explains a failure.
:class:`Digest` accumulates any number of reports in memory bounded by the number of
distinct sources (never by the number of reports), for the CLI and for ``diagnose``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .model import (
    AggregateReport,
    DkimResult,
    FailureReport,
    PolicyPublished,
    Reason,
    Record,
    ReportItem,
    SpfResult,
    TlsReport,
)
from .providers import provider_of

__all__ = [
    "FORWARDING_REASONS",
    "Digest",
    "Explanation",
    "SourceTally",
    "aligned",
    "explain_record",
]

#: Override reasons that say the receiver expected the failure (RFC 7489 section 6.6.2 and
#: appendix C; RFC 9990 adds ``policy_test_mode``).
FORWARDING_REASONS = frozenset({"forwarded", "mailing_list", "trusted_forwarder"})

#: Causes a failing record can point to (catalogue ids).
DKIM_NOT_ALIGNED = "dns.dkim.not_aligned"
UNSIGNED = "dns.dkim.unsigned"
SPF_NOT_PERMITTED = "dns.spf.ip_not_permitted"
DKIM_FAILING = "recipient.report.dkim_failing"
UNKNOWN_SOURCE = "recipient.report.unknown_source"


@lru_cache(maxsize=4096)
def _org(domain: str) -> str:
    from ..message.alignment import org_domain

    return org_domain(domain)


def aligned(domain: str, from_domain: str, mode: str = "r") -> bool:
    """Whether an authenticated domain aligns with the From domain (RFC 7489 section 3.1).

    Args:
        domain: The DKIM ``d=`` or SPF MAIL FROM domain.
        from_domain: The RFC 5322 From domain.
        mode: ``s`` (strict: equal) or ``r`` (relaxed: same organizational domain).
    """
    a, b = domain.rstrip(".").lower(), from_domain.rstrip(".").lower()
    if not a or not b:
        return False
    if a == b:
        return True
    if mode == "s" or _last_two(a) != _last_two(b):
        # An organizational domain is a suffix of the name of at least two labels (or the
        # name itself, when it is a public suffix): names whose last two labels differ
        # cannot share one, and the public suffix list need not even be loaded.
        return False
    return _org(a) == _org(b)


def _last_two(name: str) -> str:
    dot = name.rfind(".")
    return name if dot < 0 else name[name.rfind(".", 0, dot) + 1 :]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why one record passed or failed DMARC.

    Attributes:
        passed: DMARC passed (an aligned DKIM or SPF pass, as the receiver evaluated).
        why: In words: ``DKIM pass for amazonses.com, not aligned; SPF pass for ...``.
        cause: The catalogue id that explains a failure, ``""`` when it passed or the
            failure was expected (forwarding, mailing list).
        service: The sending service the authenticated domains belong to, if known.
        service_domain: The domain that gave the service away.
        expected: The receiver's override reasons that excuse the failure.
    """

    passed: bool
    why: str
    cause: str = ""
    service: str = ""
    service_domain: str = ""
    expected: tuple[str, ...] = ()


def explain_record(record: Record, policy: PolicyPublished) -> Explanation:
    """Explain one aggregate record.

    Args:
        record: The record.
        policy: The report's published policy (for the alignment modes and the domain).

    Returns:
        The explanation.
    """
    # The explanation depends on everything but the IP, the count and the disposition;
    # records of one sender repeat a handful of shapes, so it is computed once per shape.
    return _explain(
        record.dkim,
        record.spf,
        record.header_from or policy.domain,
        record.envelope_from,
        record.dkim_results,
        record.spf_results,
        record.reasons,
        policy.adkim or "r",
        policy.aspf or "r",
    )


@lru_cache(maxsize=8192)
def _explain(
    dkim: str,
    spf: str,
    from_domain: str,
    envelope_from: str,
    dkim_results: tuple[DkimResult, ...],
    spf_results: tuple[SpfResult, ...],
    reasons: tuple[Reason, ...],
    adkim: str,
    aspf: str,
) -> Explanation:
    record = Record(
        source_ip="",
        count=0,
        dkim=dkim,
        spf=spf,
        header_from=from_domain,
        envelope_from=envelope_from,
        dkim_results=dkim_results,
        spf_results=spf_results,
        reasons=reasons,
    )
    policy = PolicyPublished(domain=from_domain, adkim=adkim, aspf=aspf)
    return _explain_uncached(record, policy)


def _explain_uncached(record: Record, policy: PolicyPublished) -> Explanation:
    from_domain = record.header_from or policy.domain
    dkim_words, dkim_state = _dkim(record, from_domain, policy.adkim or "r")
    spf_words, spf_state = _spf(record, from_domain, policy.aspf or "r")
    why = "; ".join((dkim_words, spf_words))
    found = provider_of(
        [d.domain for d in record.dkim_results]
        + [s.domain for s in record.spf_results]
        + [record.envelope_from]
    )
    service_domain, service = found or ("", "")
    if record.dmarc_pass:
        return Explanation(passed=True, why=why, service=service, service_domain=service_domain)
    expected = tuple(r.type for r in record.reasons if r.type in FORWARDING_REASONS)
    cause = "" if expected else _cause(dkim_state, spf_state, bool(service))
    return Explanation(
        passed=False,
        why=why,
        cause=cause,
        service=service,
        service_domain=service_domain,
        expected=expected,
    )


def _dkim(record: Record, from_domain: str, mode: str) -> tuple[str, str]:
    """Words for the DKIM results, and a state: aligned_fail, unaligned_pass, none, other."""
    if not record.dkim_results:
        return "no DKIM signature", "none"
    words, states = [], set()
    for result in record.dkim_results:
        is_aligned = aligned(result.domain, from_domain, mode)
        verdict = result.result or "no result"
        text = f"DKIM {verdict} for {result.domain or '(no domain)'}"
        if result.result == "pass" and not is_aligned:
            text += ", not aligned"
            states.add("unaligned_pass")
        elif result.result != "pass" and is_aligned:
            states.add("aligned_fail")
            if result.selector:
                text += f" (selector {result.selector})"
        elif result.result != "pass":
            states.add("other")
        words.append(text)
    for state in ("aligned_fail", "unaligned_pass"):
        if state in states:
            return ", ".join(words), state
    return ", ".join(words), "other"


def _spf(record: Record, from_domain: str, mode: str) -> tuple[str, str]:
    """Words for the SPF results, and a state: aligned_fail, unaligned_pass, none, other."""
    results = record.spf_results
    if not results:
        return "no SPF result", "none"
    words, state = [], "other"
    for result in results:
        is_aligned = aligned(result.domain, from_domain, mode)
        verdict = result.result or "no result"
        text = f"SPF {verdict} for {result.domain or '(no domain)'}"
        if result.result == "pass" and not is_aligned:
            text += ", not aligned"
            state = "unaligned_pass" if state == "other" else state
        elif result.result in ("fail", "softfail", "permerror") and is_aligned:
            state = "aligned_fail"
        words.append(text)
    return ", ".join(words), state


def _cause(dkim: str, spf: str, known_service: bool) -> str:
    if dkim == "aligned_fail":
        return DKIM_FAILING
    if not known_service and "unaligned_pass" not in (dkim, spf):
        # Nothing about this source proves it sends for the domain: a server missing from
        # SPF, or someone forging the domain (which DMARC is right to fail).
        return UNKNOWN_SOURCE
    if dkim == "unaligned_pass":
        return DKIM_NOT_ALIGNED
    if spf == "aligned_fail":
        return SPF_NOT_PERMITTED
    return UNSIGNED if dkim == "none" else DKIM_NOT_ALIGNED


@dataclass(slots=True)
class SourceTally:
    """Messages from one source IP explained one way, across reports and reporters."""

    source_ip: str
    explanation: Explanation
    messages: int = 0
    records: int = 0
    reporters: Counter[str] = field(default_factory=Counter)
    dispositions: Counter[str] = field(default_factory=Counter)
    from_domains: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class RowTally:
    """Per source IP and reporter: the counts the CLI's table shows."""

    messages: int = 0
    dmarc_pass: int = 0
    dkim_aligned: int = 0
    spf_aligned: int = 0
    dispositions: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    results: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class Digest:
    """Everything the reports said, accumulated report by report.

    Attributes:
        domain: Only records whose From domain has this organizational domain are counted
            (``""``: all).
        reports: Reports read, by kind.
        messages: Messages over the aggregate records counted.
        failing: Of those, messages that failed DMARC.
        other_domains: Messages in records about other domains (not counted).
        cells: Messages and records per (source IP, reporter, explanation, disposition,
            override reasons, From domain, DKIM and SPF verdicts): one dict update per
            record while reading; :attr:`sources` and :attr:`rows` are derived from it.
        records: Aggregate records counted.
        derived: :attr:`sources` as last computed, with the record count it was computed at.
        policies: Published policies seen, by domain and ``p``.
        tls: Per (policy domain, result type): failed sessions; ``""`` counts successes.
        failures: The failure reports counted (up to :data:`MAX_KEPT`).
        unreadable: ``(origin, reason)`` of inputs that could not be read (up to MAX_KEPT).
        not_reports: Inputs that carried no report (human mail in a reports mailbox).
        duplicates: Reports seen before (same reporter and report id, RFC 9990 "Handling
            of Duplicates"): read, shown, not counted again.
        seen: Hashes of the (kind, reporter, report id, domain) of the reports counted.
    """

    domain: str = ""
    reports: Counter[str] = field(default_factory=Counter)
    messages: int = 0
    failing: int = 0
    other_domains: int = 0
    cells: dict[tuple[str, str, int, str, tuple[str, ...], str, str, str], list[int]] = field(
        default_factory=dict
    )
    explanations: dict[int, Explanation] = field(default_factory=dict)
    records: int = 0
    derived: tuple[int, dict[tuple[str, Explanation], SourceTally]] | None = None
    policies: Counter[tuple[str, str]] = field(default_factory=Counter)
    tls: Counter[tuple[str, str]] = field(default_factory=Counter)
    tls_reporters: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, FailureReport]] = field(default_factory=list)
    failure_count: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    invalid: int = 0
    not_reports: int = 0
    duplicates: int = 0
    seen: set[int] = field(default_factory=set)

    MAX_KEPT = 1000

    def add(self, item: ReportItem) -> None:
        """Count one item read from the input."""
        report = item.report
        if report is None:
            if item.invalid:
                self.invalid += 1
                if len(self.unreadable) < self.MAX_KEPT:
                    self.unreadable.append((item.origin, item.error))
            else:
                self.not_reports += 1
            return
        if self._duplicate(report):
            self.duplicates += 1
            return
        self.reports[report.kind] += 1
        if isinstance(report, AggregateReport):
            self._aggregate(report)
        elif isinstance(report, TlsReport):
            self._tls(report)
        else:
            self._failure(item.origin, report)

    def _duplicate(self, report: AggregateReport | TlsReport | FailureReport) -> bool:
        if isinstance(report, AggregateReport) and report.report_id:
            key = ("a", report.org_name, report.email, report.report_id, report.policy.domain)
        elif isinstance(report, TlsReport) and report.report_id:
            key = ("t", report.organization, report.report_id, "", "")
        else:
            return False  # failure reports: one per message, no id to compare
        digest = hash(key)
        if digest in self.seen:
            return True
        self.seen.add(digest)
        return False

    def about_domain(self, from_domain: str) -> bool:
        """Whether records about ``from_domain`` are counted."""
        if not self.domain:
            return True
        return bool(from_domain) and aligned(from_domain, self.domain, "r")

    def _aggregate(self, report: AggregateReport) -> None:
        policy = report.policy
        self.policies[(policy.domain, policy.p)] += 1
        reporter = report.org_name or report.email or "(unnamed reporter)"
        for record in report.records:
            if self.domain and not self.about_domain(record.header_from or policy.domain):
                self.other_domains += record.count
                continue
            explanation = explain_record(record, policy)
            self._count(record, explanation, reporter, policy.domain)

    def _count(self, record: Record, why: Explanation, reporter: str, domain: str) -> None:
        count = record.count
        self.records += 1
        self.messages += count
        if not why.passed:
            self.failing += count
        key_why = id(why)
        if key_why not in self.explanations:
            self.explanations[key_why] = why  # kept alive, so the id stays its own
        reasons = tuple(r.type or "(no type)" for r in record.reasons) if record.reasons else ()
        key = (
            record.source_ip,
            reporter,
            key_why,
            record.disposition or "none",
            reasons,
            record.header_from or domain,
            record.dkim,
            record.spf,
        )
        cell = self.cells.get(key)
        if cell is None:
            self.cells[key] = [count, 1]
        else:
            cell[0] += count
            cell[1] += 1

    @property
    def sources(self) -> dict[tuple[str, Explanation], SourceTally]:
        """Per (source IP, explanation): messages, records, reporters, dispositions."""
        if self.derived is None or self.derived[0] != self.records:
            self.derived = (self.records, self._sources())
        return self.derived[1]

    def _sources(self) -> dict[tuple[str, Explanation], SourceTally]:
        sources: dict[tuple[str, Explanation], SourceTally] = {}
        for (ip, reporter, why_id, disposition, _, from_domain, _, _), cell in self.cells.items():
            why = self.explanations[why_id]
            tally = sources.get((ip, why))
            if tally is None:
                tally = sources[(ip, why)] = SourceTally(source_ip=ip, explanation=why)
            tally.messages += cell[0]
            tally.records += cell[1]
            tally.reporters[reporter] += cell[0]
            tally.dispositions[disposition] += cell[0]
            tally.from_domains[from_domain] += cell[0]
        return sources

    @property
    def rows(self) -> dict[tuple[str, str], RowTally]:
        """Per (source IP, reporter): messages, passes, dispositions, override reasons."""
        rows: dict[tuple[str, str], RowTally] = {}
        for key, (messages, _) in self.cells.items():
            ip, reporter, why_id, disposition, reasons, _, dkim, spf = key
            row = rows.get((ip, reporter))
            if row is None:
                row = rows[(ip, reporter)] = RowTally()
            row.messages += messages
            row.dmarc_pass += messages if "pass" in (dkim, spf) else 0
            row.dkim_aligned += messages if dkim == "pass" else 0
            row.spf_aligned += messages if spf == "pass" else 0
            row.dispositions[disposition] += messages
            for reason in reasons:
                row.reasons[reason] += messages
            row.results[self.explanations[why_id].why] += messages
        return rows

    def _tls(self, report: TlsReport) -> None:
        self.tls_reporters[report.organization or "(unnamed reporter)"] += 1
        for policy in report.policies:
            if not self.about_domain(policy.policy_domain):
                continue
            self.tls[(policy.policy_domain, "")] += policy.successful
            for failure in policy.failures:
                self.tls[(policy.policy_domain, failure.result_type)] += (
                    failure.failed_session_count
                )
            listed = sum(f.failed_session_count for f in policy.failures)
            if policy.failed > listed:  # failures counted in the summary without details
                self.tls[(policy.policy_domain, "unspecified")] += policy.failed - listed

    def _failure(self, origin: str, report: FailureReport) -> None:
        if not self.about_domain(report.header_from or report.reported_domain):
            return
        self.failure_count += 1
        if len(self.failures) < self.MAX_KEPT:
            self.failures.append((origin, report))

    @property
    def nothing_read(self) -> str:
        """Why no report was read, in one line; ``""`` when at least one was."""
        if self.reports or self.duplicates:
            return ""
        why = "the report files hold no DMARC or TLS report"
        if self.unreadable:
            why += f" ({self.invalid} could not be read: {self.unreadable[0][1]})"
        return why

    def passing_services(self) -> list[SourceTally]:
        """Sources of a known sending service that passed DMARC, most messages first."""
        passing = [t for t in self.sources.values() if t.explanation.passed]
        known = [t for t in passing if t.explanation.service]
        return sorted(known, key=lambda t: (-t.messages, t.source_ip))

    def failing_sources(self) -> list[SourceTally]:
        """Sources that failed DMARC, most messages first."""
        failing = [t for t in self.sources.values() if not t.explanation.passed]
        return sorted(failing, key=lambda t: (-t.messages, t.source_ip))
