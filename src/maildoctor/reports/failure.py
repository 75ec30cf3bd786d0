"""DMARC failure reports: ARF ``auth-failure`` reports (RFC 6591, RFC 7489 section 7.3).

The report is a ``multipart/report; report-type=feedback-report`` message whose
``message/feedback-report`` part holds ``name: value`` fields, followed by the failing
message or its headers (``message/rfc822`` or ``text/rfc822-headers``).
"""

from __future__ import annotations

import re

from ..bounce.mime import Part, decode_body, split_headers
from .aggregate import MAX_TEXT
from .model import FailureReport

__all__ = ["feedback_part", "parse_failure"]

_ADDRESS = re.compile(r"[^\s<>\"@]+@([^\s<>\"@;,]+)")
_ORIGINAL = ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")


def feedback_part(root: Part) -> Part | None:
    """The ``message/feedback-report`` part of an auth-failure report, if ``root`` is one."""
    for part in _walk(root):
        if part.ctype == "message/feedback-report":
            fields = _fields(part)
            if fields.get("feedback-type", "").lower() == "auth-failure":
                return part
    return None


def parse_failure(root: Part, feedback: Part) -> FailureReport:
    """Read an ARF auth-failure report.

    Args:
        root: The whole report message.
        feedback: Its ``message/feedback-report`` part (from :func:`feedback_part`).

    Returns:
        The report; fields the reporter left out are empty.
    """
    fields = _fields(feedback)
    warnings = []
    incidents = fields.get("incidents", "1")
    if not incidents.isdigit():
        warnings.append(f"Incidents is not a number: {incidents[:40]!r}")
    return FailureReport(
        reporter=_domain_or_text(root.get("from")),
        auth_failure=fields.get("auth-failure", "").lower(),
        source_ip=fields.get("source-ip", ""),
        reported_domain=fields.get("reported-domain", "").lower().rstrip("."),
        header_from=_original_from(root),
        original_mail_from=fields.get("original-mail-from", ""),
        original_rcpt_to=fields.get("original-rcpt-to", ""),
        dkim_domain=fields.get("dkim-domain", "").lower(),
        dkim_selector=fields.get("dkim-selector", ""),
        spf_dns=fields.get("spf-dns", ""),
        delivery_result=fields.get("delivery-result", "").lower(),
        identity_alignment=fields.get("identity-alignment", "").lower(),
        authentication_results=fields.get("authentication-results", ""),
        arrival_date=fields.get("arrival-date", ""),
        incidents=int(incidents) if incidents.isdigit() else 1,
        warnings=tuple(warnings),
    )


def _walk(part: Part) -> list[Part]:
    found = [part]
    for child in part.children or ():
        found.extend(_walk(child))
    return found


def _fields(part: Part) -> dict[str, str]:
    """The report's fields; the first of each name wins (RFC 5965 lists are rare here)."""
    text = decode_body(part).decode("utf-8", "replace")
    headers, _ = split_headers(text.replace("\r\n", "\n").lstrip("\n") + "\n\n")
    fields: dict[str, str] = {}
    for name, value in headers:
        fields.setdefault(name.strip().lower(), " ".join(value.split())[:MAX_TEXT])
    return fields


def _original_from(root: Part) -> str:
    for part in _walk(root):
        if part.ctype in _ORIGINAL:
            text = decode_body(part).decode("utf-8", "replace").replace("\r\n", "\n")
            headers, _ = split_headers(text.lstrip("\n"))
            for name, value in headers:
                if name.lower() == "from":
                    return _domain_or_text(value)
    return ""


def _domain_or_text(value: str) -> str:
    match = _ADDRESS.search(value)
    return match[1].lower().rstrip(".") if match else " ".join(value.split())[:200]
