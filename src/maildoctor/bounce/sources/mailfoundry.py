"""MailFoundry (now Barracuda) bounces.

::

    Unable to deliver message to: <kijitora@example.org>
    Delivery failed for the following reason:
    Server mx22.example.org[192.0.2.222] failed with: 550 <kijitora@example.org> No such user here
"""

from __future__ import annotations

from .._scan import finish
from .._text import between, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "mailfoundry"

_ERROR = "Delivery failed for the following reason:"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a MailFoundry bounce; None for anything else."""
    if mail.subject != "Message delivery has failed":
        return None
    if not any("(MAILFOUNDRY) id" in r for r in mail.headers.get("received", [])):
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in mail.report.split("\n"):
        started = started or line.startswith("Unable to deliver message to:")
        if not started or not line:
            continue
        if line.startswith("Unable to deliver message to: <") and "@" in line:
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = between(line, ": <", ">")
        elif line == _ERROR:
            current.diagnosis = line
        elif current.diagnosis and not line.startswith("-"):
            current.diagnosis += " " + line
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)
