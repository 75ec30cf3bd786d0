"""Barracuda Spam Firewall reports ("... our bulk email filter" in the subject).

The report is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "barracuda"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (mail.subject.find("our bulk email filter") > 0):
        return None
    return finish(rfc3464.drafts(mail), NAME)
