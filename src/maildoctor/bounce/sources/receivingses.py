"""Bounces that arrived through Amazon SES receiving (``X-SES-Outgoing`` header).

Reports generated elsewhere and delivered by SES (an SES receipt rule forwarding
mail) keep SES's ``X-SES-Outgoing`` header; SES's own reports are read by
``amazonses`` first. The report itself is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "receivingses"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if "x-ses-outgoing" not in mail.headers:
        return None
    return finish(rfc3464.drafts(mail), NAME)
