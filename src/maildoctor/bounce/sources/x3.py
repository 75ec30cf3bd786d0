"""An unidentified MTA ("X3" in Sisimai's corpus): bulleted recipients, ``SMTP:`` details.

::

         This is an automatically generated Delivery Status Notification.

    Delivery to the following recipients failed permanently:

      * kijitora@example.com

                                 Technical details:

    SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user here
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import DsnField, Mail, dsn_field

NAME = "x3"

_START = "      This is an automatically generated Delivery Status Notification."


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an X3 bounce; None for anything else."""
    if not mail.sender.startswith("Mail Delivery System"):
        return None
    if not mail.subject.startswith("Delivery status notification"):
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in mail.report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if aligned(line, ("  * ", "@", ".")):
            current = _next(drafts, current, line.split("  * ", 1)[1].strip())
        elif line.startswith("SMTP:"):
            current.command, current.spec = find_command(line[4:10]), "SMTP"
            current.diagnosis += " " + line
        elif line.startswith("Routing: "):
            current.diagnosis += " " + line  # "Routing: Could not find a gateway for ..."
        elif (field := dsn_field(line)) is not None:
            current = _field(drafts, current, field)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)


def _next(drafts: list[Draft], current: Draft, address: str) -> Draft:
    if current.recipient:
        current = Draft()
    drafts.append(current)
    current.recipient = address
    return current


def _field(drafts: list[Draft], current: Draft, field: DsnField) -> Draft:
    if field.name == "final-recipient":
        return current if current.recipient == field.value else _next(drafts, current, field.value)
    if field.name in ("original-recipient", "x-actual-recipient"):
        current.alias = field.value
    elif field.name == "diagnostic-code":
        current.spec = field.kind
        current.diagnosis += " " + field.value
    elif field.name in ("action", "status"):
        current.set_field(field.name, field.value)
    elif field.name == "remote-mta":
        current.rhost = field.value
    return current
