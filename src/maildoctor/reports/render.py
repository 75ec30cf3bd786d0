"""Reports as JSON-ready dicts and as text lines (for ``maildoctor reports``).

The text is not yet safe for a terminal: the CLI passes it through
:func:`maildoctor.report.printable`, which shows control characters as ``\\xNN``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from .analyze import Digest, explain_record
from .model import AggregateReport, FailureReport, ReportItem, TlsReport

__all__ = ["digest_text", "item_text", "report_dict"]

#: Version of the JSON lines ``maildoctor reports --format json`` writes.
JSON_VERSION = "1.0"


def _one_line(text: str) -> str:
    """A line with any line break inside an outside value turned into a space.

    Control characters are left to the caller (the CLI shows them with
    :func:`maildoctor.report.printable`): a layer does not import the renderers."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def report_dict(item: ReportItem) -> dict[str, Any]:
    """One item as a JSON-ready dict: ``type`` (aggregate, tls, failure or error), ``origin``.

    Aggregate records carry the explanation (``dmarc``, ``why``, ``cause``, ``service``).
    """
    if item.report is None:
        kind = "error" if item.invalid else "not_report"
        return {"type": kind, "origin": item.origin, "error": item.error}
    body = dataclasses.asdict(item.report)
    if isinstance(item.report, AggregateReport):
        policy = item.report.policy
        for record, data in zip(item.report.records, body["records"], strict=True):
            why = explain_record(record, policy)
            data.update(
                dmarc="pass" if why.passed else "fail",
                why=why.why,
                cause=why.cause,
                service=why.service,
            )
        body["messages"] = item.report.messages
    return {"type": item.report.kind, "origin": item.origin, **body}


def _date(epoch: int | None) -> str:
    if epoch is None:
        return "?"
    try:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return str(epoch)


def item_text(item: ReportItem, *, records: bool = True) -> str:
    """One item in words: a head line, and for aggregate reports one line per record."""
    report = item.report
    if report is None:
        return _one_line(f"{item.origin}: {item.error}") + "\n"
    if isinstance(report, AggregateReport):
        lines = _aggregate_lines(item.origin, report, records)
    elif isinstance(report, TlsReport):
        lines = _tls_lines(item.origin, report)
    else:
        lines = _failure_lines(item.origin, report)
    return "\n".join(_one_line(line) for line in lines) + "\n"


def _aggregate_lines(origin: str, report: AggregateReport, records: bool) -> list[str]:
    policy = report.policy
    head = (
        f"{origin}: DMARC aggregate report from {report.org_name or '?'} "
        f"(id {report.report_id or '?'}) for {policy.domain or '?'} p={policy.p or '?'}, "
        f"{_date(report.begin)} to {_date(report.end)} UTC: {len(report.records)} record(s), "
        f"{report.messages} message(s), {report.failing} failed DMARC"
    )
    lines = [head] + [f"    warning: {w}" for w in report.warnings]
    lines += [f"    reporter's error: {e}" for e in report.errors]
    if records:
        for record in report.records:
            why = explain_record(record, policy)
            service = f" [{why.service}]" if why.service else ""
            reasons = ",".join(r.type for r in record.reasons)
            lines.append(
                f"    {record.source_ip or '?':<39} {record.count:>7}  "
                f"{record.disposition or 'none':<10} dmarc={'pass' if why.passed else 'fail'} "
                f"(dkim={record.dkim or '-'} spf={record.spf or '-'})"
                f"{' override=' + reasons if reasons else ''}  {why.why}{service}"
            )
    return lines


def _tls_lines(origin: str, report: TlsReport) -> list[str]:
    lines = [
        f"{origin}: SMTP TLS report from {report.organization or '?'} "
        f"(id {report.report_id or '?'}), {report.start or '?'} to {report.end or '?'}"
    ]
    for policy in report.policies:
        lines.append(
            f"    {policy.policy_domain or '?'} policy {policy.policy_type or '?'}: "
            f"{policy.successful} successful, {policy.failed} failed session(s)"
        )
        for failure in policy.failures:
            lines.append(
                f"        {failure.result_type} x{failure.failed_session_count} "
                f"mx={failure.receiving_mx_hostname or '?'} "
                f"from={failure.sending_mta_ip or '?'} {failure.additional_information}"
            )
    lines += [f"    warning: {w}" for w in report.warnings]
    return lines


def _failure_lines(origin: str, report: FailureReport) -> list[str]:
    return [
        f"{origin}: DMARC failure report from {report.reporter or '?'}: "
        f"{report.auth_failure or '?'} failure for mail from {report.source_ip or '?'} "
        f"as {report.header_from or report.reported_domain or '?'}"
        + (f", DKIM d={report.dkim_domain} s={report.dkim_selector}" if report.dkim_domain else "")
        + (f", delivery {report.delivery_result}" if report.delivery_result else "")
    ]


def digest_text(digest: Digest) -> str:
    """The closing summary: failing sources, then per source IP and reporter."""
    lines = [
        "",
        f"reports: {dict(sorted(digest.reports.items())) or 'none'}; "
        f"messages: {digest.messages}, failed DMARC: {digest.failing}; "
        f"unreadable: {digest.invalid}; not reports: {digest.not_reports}; "
        f"duplicates: {digest.duplicates}",
    ]
    failing = digest.failing_sources()
    lines.append("")
    lines.append("Sources failing DMARC:" if failing else "Sources failing DMARC: none")
    for tally in failing:
        why = tally.explanation
        name = f"{tally.source_ip} ({why.service_domain})" if why.service else tally.source_ip
        note = f" (expected: {', '.join(why.expected)})" if why.expected else ""
        lines.append(
            f"  {name}: {why.why}{note} - {tally.messages} message(s), "
            f"{len(tally.reporters)} reporter(s) -> {why.cause or '-'}"
        )
    lines += ["", "Per source IP and reporter:"]
    lines.append(
        f"  {'source ip':<39} {'reporter':<24} {'msgs':>7} {'dmarc':>7} {'dkim':>7} "
        f"{'spf':>7}  dispositions / overrides"
    )
    for (ip, reporter), row in sorted(digest.rows.items(), key=lambda kv: -kv[1].messages):
        disp = ",".join(f"{d}:{n}" for d, n in row.dispositions.most_common())
        reasons = ",".join(f"{r}:{n}" for r, n in row.reasons.most_common())
        lines.append(
            f"  {ip or '?':<39} {reporter[:24]:<24} {row.messages:>7} {row.dmarc_pass:>7} "
            f"{row.dkim_aligned:>7} {row.spf_aligned:>7}  {disp}"
            + (f" / {reasons}" if reasons else "")
        )
    for (domain, kind), count in sorted(digest.tls.items()):
        lines.append(f"  TLS {domain}: {kind or 'successful'} {count}")
    return "\n".join(_one_line(line) for line in lines) + "\n"
