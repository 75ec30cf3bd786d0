"""SMTP TLS reports (RFC 8460): JSON bytes to :class:`TlsReport`.

A TLS report tells the owner of a *receiving* domain how sending servers fared when they
tried to deliver to its MX hosts over TLS: per policy (``sts`` for MTA-STS, ``tlsa`` for
DANE, ``no-policy-found``) the successful and failed session counts, and for failures the
result type (RFC 8460 section 4.3) with the MX and IPs involved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .aggregate import MAX_TEXT, ReportError
from .model import TlsFailure, TlsPolicy, TlsReport

__all__ = ["RESULT_TYPES", "parse_tls_report"]

#: RFC 8460 section 4.3 result types, in words.
RESULT_TYPES: Mapping[str, str] = {
    "starttls-not-supported": "the MX does not offer STARTTLS",
    "certificate-host-mismatch": "the MX's certificate does not name the MX host",
    "certificate-expired": "the MX's certificate has expired",
    "certificate-not-trusted": "the MX's certificate is not signed by a trusted CA",
    "validation-failure": "a general failure to validate the MX's TLS",
    "tlsa-invalid": "the TLSA records are invalid (DANE)",
    "dnssec-invalid": "no valid DNSSEC records for the TLSA lookup (DANE)",
    "dane-required": "DANE was required but the MX has no usable TLSA records",
    "sts-policy-fetch-error": "the MTA-STS policy could not be fetched over HTTPS",
    "sts-policy-invalid": "the MTA-STS policy is invalid",
    "sts-webpki-invalid": "the MTA-STS policy host's certificate is not valid",
}


def parse_tls_report(data: bytes) -> TlsReport:
    """Read one SMTP TLS report.

    Args:
        data: The JSON document (already decompressed).

    Returns:
        The report.

    Raises:
        ReportError: When the input is not JSON or not a TLS report.
    """
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ReportError(f"not JSON: {reason[:200]}") from None
    if not isinstance(value, dict) or not isinstance(value.get("policies"), list):
        raise ReportError('not an SMTP TLS report: no "policies" list (RFC 8460 section 4)')
    warnings: list[str] = []
    dates = _object(value.get("date-range"))
    return TlsReport(
        organization=_str(value.get("organization-name")),
        contact=_str(value.get("contact-info")),
        report_id=_str(value.get("report-id")),
        start=_str(dates.get("start-datetime")),
        end=_str(dates.get("end-datetime")),
        policies=tuple(_policy(p, n, warnings) for n, p in enumerate(value["policies"], 1)),
        warnings=tuple(warnings),
    )


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _count(value: object, where: str) -> int:
    """A session count; anything but a non-negative integer is an invalid report."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReportError(f"{where} is not a non-negative integer: {str(value)[:40]!r}")
    return value


def _policy(entry: object, number: int, warnings: list[str]) -> TlsPolicy:
    if not isinstance(entry, dict):
        raise ReportError(f"policy {number} is not an object")
    policy = _object(entry.get("policy"))
    summary = _object(entry.get("summary"))
    if not summary:
        warnings.append(f"policy {number}: no summary; counts taken as 0")
    details = entry.get("failure-details") or []
    if not isinstance(details, list):
        raise ReportError(f"policy {number}: failure-details is not a list")
    where = f"policy {number}"
    return TlsPolicy(
        policy_type=_str(policy.get("policy-type")).lower(),
        policy_domain=_str(policy.get("policy-domain")).lower(),
        policy_strings=_strings(policy.get("policy-string")),
        mx_hosts=_strings(policy.get("mx-host")),
        successful=_count(summary.get("total-successful-session-count", 0), f"{where} successes"),
        failed=_count(summary.get("total-failure-session-count", 0), f"{where} failures"),
        failures=tuple(_failure(d, f"{where} failure {n}") for n, d in enumerate(details, 1)),
    )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_str(value),)
    if isinstance(value, list):
        return tuple(_str(v) for v in value if isinstance(v, str))
    return ()


def _failure(entry: Any, where: str) -> TlsFailure:
    if not isinstance(entry, dict):
        raise ReportError(f"{where} is not an object")
    return TlsFailure(
        result_type=_str(entry.get("result-type")).lower(),
        failed_session_count=_count(entry.get("failed-session-count", 0), f"{where} count"),
        sending_mta_ip=_str(entry.get("sending-mta-ip")),
        receiving_mx_hostname=_str(entry.get("receiving-mx-hostname")).lower(),
        receiving_mx_helo=_str(entry.get("receiving-mx-helo")),
        receiving_ip=_str(entry.get("receiving-ip")),
        additional_information=_str(entry.get("additional-information")),
        failure_reason_code=_str(entry.get("failure-reason-code")),
    )
