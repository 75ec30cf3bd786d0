"""SES's SMTP endpoints by name: the one parser every layer uses (no boto3 here).

SES SMTP endpoints are ``email-smtp.<region>.amazonaws.com`` and, for FIPS,
``email-smtp-fips.<region>.amazonaws.com`` (SES Developer Guide, "Connecting to an SES
SMTP endpoint"); GovCloud regions look like ``us-gov-west-1``. A custom MAIL FROM domain's
one MX is the region's feedback endpoint ``feedback-smtp.<region>.amazonses.com``.
"""

from __future__ import annotations

import re

__all__ = [
    "feedback_endpoint_region",
    "is_smtp_endpoint",
    "mentions_smtp_endpoint",
    "smtp_endpoint_region",
]

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"
_HOST = re.compile(rf"^email-smtp(?:-fips)?\.(?P<region>{_REGION})\.amazonaws\.com$")
_IN_TEXT = re.compile(rf"\bemail-smtp(?:-fips)?\.{_REGION}\.amazonaws\.com\b", re.IGNORECASE)
_PORT = re.compile(r":\d+$")
_FEEDBACK = re.compile(rf"^feedback-smtp\.(?P<region>{_REGION})\.amazonses\.com$")


def smtp_endpoint_region(host: str | None) -> str | None:
    """The region of an SES SMTP endpoint, or ``None`` when the host is not one.

    ``email-smtp.us-east-1.amazonaws.com[:587]`` (any case, trailing dot allowed)
    -> ``us-east-1``.

    Args:
        host: A host name, optionally with ``:port``.

    Returns:
        The region, or ``None``.
    """
    if not host:
        return None
    bare = _PORT.sub("", host.strip().lower().rstrip(".")).rstrip(".")
    match = _HOST.match(bare)
    return match.group("region") if match else None


def is_smtp_endpoint(host: str | None) -> bool:
    """True when ``host`` is an SES SMTP endpoint (see :func:`smtp_endpoint_region`)."""
    return smtp_endpoint_region(host) is not None


def mentions_smtp_endpoint(text: str) -> bool:
    """True when free text (a log line, a bounce) names an SES SMTP endpoint."""
    return bool(_IN_TEXT.search(text))


def feedback_endpoint_region(exchange: str | None) -> str | None:
    """MX exchange ``feedback-smtp.us-east-1.amazonses.com`` -> ``us-east-1``, else ``None``."""
    if not exchange:
        return None
    match = _FEEDBACK.match(exchange.strip().lower().rstrip("."))
    return match.group("region") if match else None
