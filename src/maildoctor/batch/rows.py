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

__all__ = [
    "BOUNCE_COLUMNS",
    "DOMAIN_COLUMNS",
    "bounce_error_row",
    "bounce_rows",
    "domain_error_row",
    "domain_rows",
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
