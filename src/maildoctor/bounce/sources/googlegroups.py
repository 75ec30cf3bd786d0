"""Google Groups: "the group you tried to contact may not exist" notices.

Recipients come from ``X-Failed-Recipients``; four "*" bullet lines (spelling,
removed group, membership, not open to posting) mean the group refused the sender.
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import clean_address, is_email, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "googlegroups"

_BOUNDARIES = ("----- Original message -----", "Content-Type: message/rfc822")
_BY = re.compile(r"\bby\s+([A-Za-z0-9._-]+)", re.I)


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Google Groups bounce; None for anything else."""
    if "Google Groups" not in mail.flat or not mail.header("x-failed-recipients"):
        return None
    if not mail.header("x-google-smtp-source"):
        return None
    if "<mailer-daemon@googlemail.com>" not in mail.sender:
        return None
    if "Delivery Status Notification" not in mail.subject:
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    chunks = report.split("\n\n", 4)
    chunks[-1] = ""
    diagnosis = sweep(" ".join(chunks).replace("\n", " "))
    # "* You might have spelled or formatted the group name incorrectly." and three more
    bullets = max(report.count("\n *"), report.count("\n*"))
    reason = "rejected" if bullets == 4 else "onhold"
    received = mail.headers.get("received", [""])
    match = _BY.search(received[0]) if received else None
    drafts = []
    for value in mail.header("x-failed-recipients").split(","):
        address = clean_address(value)
        if is_email(address):
            drafts.append(Draft(recipient=address, reason=reason, diagnosis=diagnosis,
                                rhost=match.group(1) if match else ""))  # fmt: skip
    return finish(drafts, NAME)
