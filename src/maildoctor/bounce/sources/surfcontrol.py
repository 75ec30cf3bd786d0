"""SurfControl E-mail Filter reports (``X-SEF-Processed`` and its ``X-Mailer``).

The report is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "surfcontrol"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (
        "x-sef-processed" in mail.headers and mail.header("x-mailer") == "SurfControl E-mail Filter"
    ):
        return None
    return finish(rfc3464.drafts(mail), NAME)
