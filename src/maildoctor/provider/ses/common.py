"""Small helpers every SES topic module builds its findings with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...dns.resolver import DnsAnswer
from ...model import Evidence, Finding, Layer, Status
from ..base import FailureKind, Fetched
from .causes import REF_PERMISSIONS

__all__ = ["date_text", "evidence", "failed", "finding", "pct"]


def finding(check: str, status: Status, subject: str, summary: str, **extra: Any) -> Finding:
    """A ``provider`` layer finding."""
    return Finding(
        check=check, layer=Layer.PROVIDER, status=status, subject=subject, summary=summary, **extra
    )


def evidence(*items: Fetched[Any] | DnsAnswer | None) -> tuple[Evidence, ...]:
    """The evidence of each item given (``None``: nothing asked, left out)."""
    out: list[Evidence] = []
    for item in items:
        if isinstance(item, DnsAnswer):
            out.append(item.evidence())
        elif item is not None:
            out.append(item.evidence)
    return tuple(out)


def failed(
    check: str, subject: str, fetched: Fetched[Any], what: str, *, optional: bool = False
) -> Finding:
    """A check that could not run: say which call failed and, if denied, which permission."""
    failure = fetched.failure
    assert failure is not None
    status = Status.SKIPPED if optional else Status.ERROR
    data = {"failure": str(failure.kind), "operation": failure.operation, "code": failure.code}
    if failure.kind is FailureKind.ACCESS_DENIED:
        return finding(
            check,
            status,
            subject,
            f"could not check {what}: missing IAM permission {failure.permission}",
            detail=failure.message,
            evidence=evidence(fetched),
            fix=f"allow {failure.permission} for the caller, or use a profile that has it",
            reference=REF_PERMISSIONS,
            data={**data, "iam_action": failure.permission},
        )
    return finding(
        check,
        status,
        subject,
        f"could not check {what}: {failure.describe()}",
        detail=failure.message,
        evidence=evidence(fetched),
        data=data,
    )


def date_text(value: datetime | None) -> str:
    """A UTC time to the minute, or ``never``."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def pct(value: float) -> str:
    """A fraction as a percentage with two decimals."""
    return f"{value * 100:.2f} %"
