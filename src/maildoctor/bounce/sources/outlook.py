"""Outlook.com / Hotmail (consumer) delivery status notifications.

Two of: a "Delivery Status Notification" subject, ``X-Message-Delivery`` or
``X-Message-Info`` headers, a Received host under ``.hotmail.com`` (as Sisimai's
Outlook module recognises them). The report itself is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "outlook"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (_score(mail) >= 2):
        return None
    return finish(rfc3464.drafts(mail), NAME)


def _score(mail: Mail) -> int:
    score = int("Delivery Status Notification" in mail.subject)
    score += "x-message-delivery" in mail.headers
    score += "x-message-info" in mail.headers
    score += any(".hotmail.com" in r for r in mail.headers.get("received", ()))
    return score
