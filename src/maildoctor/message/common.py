"""Helpers the message checks build their findings with (layer ``message``)."""

from __future__ import annotations

from typing import Any

from ..model import Evidence, Finding, Layer, Status

__all__ = [
    "RFC_AR",
    "RFC_ARC",
    "RFC_DKIM",
    "RFC_DMARC",
    "RFC_RECEIVED",
    "RFC_SPF",
    "SLOW_HOP_S",
    "header_evidence",
    "message_finding",
]

#: A hop that held the message longer than this is called out (seconds).
SLOW_HOP_S = 600.0

RFC_RECEIVED = "RFC 5321 section 4.4; RFC 5322 section 3.6.7"
RFC_AR = "RFC 8601 section 2.2"
RFC_DKIM = "RFC 6376 section 6"
RFC_ARC = "RFC 8617 section 5.2"
RFC_SPF = "RFC 7208 section 4"
RFC_DMARC = "RFC 7489 section 3.1 and 6.6; RFC 9989"


def message_finding(
    check: str, status: Status, subject: str, summary: str, **extra: Any
) -> Finding:
    """A ``message`` layer finding."""
    return Finding(
        check=check, layer=Layer.MESSAGE, status=status, subject=subject, summary=summary, **extra
    )


def header_evidence(name: str, value: str, index: int = 0) -> Evidence:
    """Evidence quoting one header field (at most 2,000 characters of it)."""
    return Evidence(
        id=f"header:{name.lower()}:{index}",
        source="message",
        query=f"{name} field",
        outcome="present",
        raw=(value[:2000],),
    )
