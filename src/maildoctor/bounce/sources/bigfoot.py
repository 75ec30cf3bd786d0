"""Bigfoot (bigfoot.com forwarding) bounce reports.

Recognised by a sender ``@bigfoot.com>`` or a Received host under ``.bigfoot.com``;
the report is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "bigfoot"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (
        "@bigfoot.com>" in mail.sender
        or any(".bigfoot.com " in r for r in mail.headers.get("received", ()))
    ):
        return None
    return finish(rfc3464.drafts(mail), NAME)
