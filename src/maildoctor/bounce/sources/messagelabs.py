"""Symantec Email Security.cloud (formerly MessageLabs).

Its reports come from ``MAILER-DAEMON@messagelabs.com`` with an ``X-Msg-Ref``
header and the subject "Mail Delivery Failure", as RFC 3464 reports. Two of its
texts say more than their codes: "542 <address> Rejected" and "No such user" are
refused recipients; "Please turn on SMTP Authentication in your mail client" is a
client that did not log in (after Sisimai 4's MessageLabs module).
"""

from __future__ import annotations

import re

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "messagelabs"

_FAILURES = (
    ("userunknown", re.compile(r"542 .+ Rejected|No such user")),
    ("securityerror", re.compile(r"Please turn on SMTP Authentication in your mail client")),
)


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a MessageLabs report; None for other messages."""
    if (
        "x-msg-ref" not in mail.headers
        or "mailer-daemon@messagelabs.com" not in mail.sender.lower()
    ):
        return None
    if not mail.subject.startswith("Mail Delivery Failure"):
        return None
    drafts = rfc3464.drafts(mail)
    for draft in drafts:
        draft.reason = next((r for r, p in _FAILURES if p.search(draft.diagnosis)), "")
    return finish(drafts, NAME)
