"""Zoho Mail (https://www.zoho.com/mail/) bounces, recognised by ``X-ZohoMail``.

::

    kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <...>
    [Status: Error, Address: <kijitora@example.co.jp>, ResponseCode 421, , Host not reachable.]
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, clean_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "zoho"

_START = "This message was created automatically by mail delivery"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Zoho bounce; None for anything else."""
    if not mail.header("x-zohomail"):
        return None
    report = mail.flat.split("\n\nReceived:", 1)[0]
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if aligned(line, ("@", " ", "ERROR_CODE :")) or line.startswith("[Status: "):
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = clean_address(line)
            current.diagnosis += " " + line
        elif not line.startswith("-----"):
            current.diagnosis += " " + line
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        if "Host not reachable" in draft.diagnosis:
            draft.reason = "expired"
    return finish(drafts, NAME)
