"""Progress iMail Server (``X-Mailer: <SMTP32 v8.22>``) bounces.

::

    Body of message generated response:
    Unknown user: kijitora@example.com
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, find_address, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "imailserver"

_MESSAGES = {
    "hostunknown": ("Unknown host",),
    "userunknown": ("Unknown user", "Invalid final delivery userid"),
    "mailboxfull": ("User mailbox exceeds allowed size",),
    "virusdetected": ("Requested action not taken: virus detected",),
    "spamdetected": ("Blacklisted URL in message",),
    "expired": ("Delivery failed ",),
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an iMail bounce; None for anything else."""
    if not (mail.subject.startswith("Undeliverable Mail ")
            or mail.header("x-mailer").startswith("<SMTP32 v")):  # fmt: skip
        return None
    report, _ = split_at(mail.flat, ("Original message follows.",))
    drafts: list[Draft] = []
    response = ""
    for line in report.split("\n"):
        if (line.find(": ") > 8 and aligned(line, (": ", "@"))) or line.startswith(
            "undeliverable "
        ):
            # "Unknown user: kijitora@example.com", "undeliverable to kijitora@example.com"
            drafts.append(Draft(recipient=find_address(line), diagnosis=line))
        elif "Body of message generated response:" in line:
            response += line
        elif response:
            response += " " + line
    for draft in drafts:
        draft.diagnosis = sweep((response + " " + draft.diagnosis).replace("\n", " "))
        draft.command = find_command(draft.diagnosis)
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)
