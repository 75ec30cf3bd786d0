"""amavis (amavisd-new) content-filter reports: ``From: "Content-filter at ..."``.

The report is RFC 3464; the remote text says which check refused the message
(banned file, virus, spam).
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "amavis"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (mail.sender.startswith('"Content-filter at ')):
        return None
    return finish(rfc3464.drafts(mail), NAME)
