"""Amazon WorkMail: RFC 3464 reports sent with ``X-Mailer: Amazon WorkMail``.

WorkMail sends through SES (``MAILER-DAEMON@<region>.amazonses.com``) but writes
its own reports; the RFC 3464 reader reads them, this module names the source.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "amazonworkmail"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a WorkMail report; None for other messages."""
    if "amazon workmail" not in mail.header("x-mailer").lower():
        return None
    return finish(rfc3464.drafts(mail), NAME)
