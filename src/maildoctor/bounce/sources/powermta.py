"""PowerMTA (Bird, formerly SparkPost/Port25) DSNs: RFC 3464 plus ``X-PowerMTA-*`` fields.

``X-PowerMTA-BounceCategory`` is PowerMTA's own classification of the remote reply.
"""

from __future__ import annotations

from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "powermta"

#: X-PowerMTA-BounceCategory -> reason (PowerMTA User's Guide, "bounce categories").
CATEGORIES = {
    "bad-domain": "hostunknown",
    "bad-mailbox": "userunknown",
    "inactive-mailbox": "suspend",
    "message-expired": "expired",
    "no-answer-from-host": "networkerror",
    "policy-related": "policyviolation",
    "quota-issues": "mailboxfull",
    "routing-errors": "systemerror",
    "spam-related": "spamdetected",
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a PowerMTA DSN; None when it has no ``X-PowerMTA-`` fields."""
    report = mail.report
    if "\nX-PowerMTA-" not in report:
        return None
    category = _field(report, "X-PowerMTA-BounceCategory")
    virtual = _field(report, "X-PowerMTA-VirtualMTA")
    drafts = rfc3464.drafts(mail)
    for draft in drafts:
        draft.reason = draft.reason or CATEGORIES.get(category, "")
        draft.lhost = draft.lhost or virtual
    rows = [d.freeze(NAME) for d in drafts if d.recipient]
    return rows or None


def _field(report: str, name: str) -> str:
    for line in report.split("\n"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip().lower()
    return ""
