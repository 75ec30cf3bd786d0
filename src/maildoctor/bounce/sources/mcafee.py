"""McAfee Email Gateway / Email and Web Security appliance "Delivery Status" reports.

::

       --- The following addresses had delivery problems ---

    <kijitora@example.co.jp>   (Unknown user kijitora@example.co.jp)

The DSN part names the recipient only in ``Original-Recipient``; the report is read
as RFC 3464, the explanation line above it kept in front of the diagnostic.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "mcafee"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a McAfee report; None for anything else."""
    if not mail.header("x-nai-header").startswith("Modified by McAfee "):
        return None
    if mail.subject != "Delivery Status":
        return None
    return finish(rfc3464.drafts(mail), NAME)
