"""The rows a batch writes: flat, typed, one table per kind of job.

Analysts load these files straight into pandas, DuckDB or Spark, so every row of
a kind has the same columns (:data:`DOMAIN_COLUMNS`, :data:`BOUNCE_COLUMNS`) and
every value is a string, a bool or an int. An item that could not be checked is
still a row, with ``status`` ``error`` or ``timeout`` and the reason in
``detail``: a batch never loses an item to an exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..bounce.model import DeliveryStatus
from ..model import Report
from ..reports.model import ReportItem

__all__ = [
    "BOUNCE_COLUMNS",
    "COLUMNS",
    "DOMAIN_COLUMNS",
    "REPORT_COLUMNS",
    "bounce_error_row",
    "bounce_rows",
    "domain_error_row",
    "domain_rows",
    "report_error_row",
    "report_rows",
]

Row = dict[str, Any]

#: Columns of ``audit`` rows: one per finding per domain (types: str unless noted).
DOMAIN_COLUMNS: dict[str, type] = {
    "domain": str,
    "check": str,
    "status": str,
    "layer": str,
    "cause": str,
    "subject": str,
    "summary": str,
    "detail": str,
}

#: Columns of bounce-archive rows: one per bounced recipient (``hard_bounce`` is bool).
BOUNCE_COLUMNS: dict[str, type] = {
    "origin": str,
    "status": str,
    "recipient": str,
    "recipient_domain": str,
    "action": str,
    "enhanced_status": str,
    "reply_code": str,
    "reason": str,
    "hard_bounce": bool,
    "layer": str,
    "cause": str,
    "source": str,
    "remote_mta": str,
    "day": str,
    "detail": str,
}


#: Columns of report-archive rows: one per aggregate ``<record>`` (``count`` is int,
#: ``passed`` bool); a failure or TLS report, or an unreadable input, is one row.
REPORT_COLUMNS: dict[str, type] = {
    "origin": str,
    "status": str,
    "kind": str,
    "reporter": str,
    "report_id": str,
    "day": str,
    "domain": str,
    "source_ip": str,
    "count": int,
    "disposition": str,
    "dkim": str,
    "spf": str,
    "passed": bool,
    "why": str,
    "cause": str,
    "service": str,
    "detail": str,
}

COLUMNS: dict[str, dict[str, type]] = {}  # filled below: kind -> columns


def domain_rows(report: Report) -> list[Row]:
    """One row per finding of a domain's ``dns`` report."""
    return [
        {
            "domain": report.subject,
            "check": finding.check,
            "status": str(finding.status),
            "layer": str(finding.layer),
            "cause": finding.cause,
            "subject": finding.subject,
            "summary": finding.summary,
            "detail": finding.detail,
        }
        for finding in report.findings
    ]


def domain_error_row(domain: str, status: str, detail: str) -> Row:
    """The row of a domain that could not be checked (``error`` or ``timeout``)."""
    row = dict.fromkeys(DOMAIN_COLUMNS, "")
    row.update(domain=domain, check="audit", status=status, summary=detail, detail=detail)
    return row


def bounce_rows(records: Iterable[DeliveryStatus], origin: str) -> list[Row]:
    """One row per bounced recipient; a message that is not a bounce gets one ``none`` row."""
    rows = [_bounce_row(record, origin) for record in records]
    return rows or [bounce_error_row(origin, "none", "not a bounce")]


def _bounce_row(record: DeliveryStatus, origin: str) -> Row:
    return {
        "origin": record.origin or origin,
        "status": "ok",
        "recipient": record.recipient,
        "recipient_domain": record.recipient.rpartition("@")[2].lower(),
        "action": record.action,
        "enhanced_status": record.status,
        "reply_code": record.reply_code,
        "reason": record.reason,
        "hard_bounce": bool(record.hard_bounce),
        "layer": str(record.layer),
        "cause": record.cause,
        "source": record.source,
        "remote_mta": record.remote_mta,
        "day": record.timestamp.date().isoformat() if record.timestamp else "",
        "detail": "; ".join(record.warnings),
    }


def bounce_error_row(origin: str, status: str, detail: str) -> Row:
    """The row of a message that could not be read or is not a bounce."""
    row: Row = dict.fromkeys(BOUNCE_COLUMNS, "")
    row.update(origin=origin, status=status, hard_bounce=False, detail=detail)
    return row


def report_rows(item: ReportItem) -> list[Row]:
    """The rows of one report read from an archive (see :data:`REPORT_COLUMNS`)."""
    from ..reports.analyze import explain_record
    from ..reports.model import AggregateReport

    report = item.report
    if report is None:
        return [report_error_row(item.origin, "error" if item.invalid else "none", item.error)]
    if not isinstance(report, AggregateReport):
        kind = "tls" if type(report).__name__ == "TlsReport" else "failure"
        return [{**report_error_row(item.origin, "ok", ""), "kind": kind}]
    base = {
        **report_error_row(item.origin, "ok", "; ".join(report.warnings)),
        "kind": "aggregate",
        "reporter": report.org_name,
        "report_id": report.report_id,
        "day": _day(report.begin),
        "domain": report.policy.domain,
    }
    rows = []
    for record in report.records:
        why = explain_record(record, report.policy)
        rows.append(
            {
                **base,
                "source_ip": record.source_ip,
                "count": record.count,
                "disposition": record.disposition,
                "dkim": record.dkim,
                "spf": record.spf,
                "passed": why.passed,
                "why": why.why,
                "cause": why.cause,
                "service": why.service,
            }
        )
    return rows or [base]


def _day(epoch: int | None) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).date().isoformat() if epoch is not None else ""


def report_error_row(origin: str, status: str, detail: str) -> Row:
    """The row of an input that is not a readable report (or one with no records)."""
    row: Row = dict.fromkeys(REPORT_COLUMNS, "")
    row.update(origin=origin, status=status, count=0, passed=False, detail=detail)
    return row


COLUMNS.update(domains=DOMAIN_COLUMNS, bounces=BOUNCE_COLUMNS, reports=REPORT_COLUMNS)
