"""An unidentified MTA ("X1" in Sisimai's corpus): ``address [error]`` lines.

::

    The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)
    from shironeko@example.jp

    ---The following addresses had delivery errors---

    kijitora@example.co.jp [User unknown]
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, is_email
from ..model import DeliveryStatus, Draft
from ..parse import RFC822, Mail, split_at

NAME = "x1"

_START = "The original message was received at "


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an X1 bounce; None for anything else."""
    subject = mail.subject
    if not (subject.startswith(("Returned Mail: ", "Mail Delivery Failure"))
            or aligned(mail.sender, ('"Mail Deliver', 'System" '))):  # fmt: skip
        return None
    report, _ = split_at(mail.flat, (RFC822, "Received: from "))
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        started = started or line.startswith(_START)
        if not started or not line:
            continue
        if aligned(line, ("@", " [", "]")):
            address = line.split(" ", 1)[0]
            if not is_email(address):
                continue
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = address
            current.diagnosis += " " + line
            continue
        if line.startswith("---") and line.endswith("---"):
            line = line.strip("-") + ":"
            current.diagnosis += "."
        current.diagnosis += " " + line
    for draft in drafts:
        draft.date = between(draft.diagnosis, " at ", "from").strip()
    return finish(drafts, NAME)
