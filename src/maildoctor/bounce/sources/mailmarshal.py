"""Trustwave Secure Email Gateway (MailMarshal) "Undeliverable Mail" notices.

::

    Your message:
       From:    originalsender@example.com

    Could not be delivered because of

    550 5.1.1 User unknown

    The following recipients were affected:
        neko@example.com
"""

from __future__ import annotations

from .._scan import finish
from .._text import between, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "mailmarshal"

_ERROR = "Could not be delivered because of"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a MailMarshal notice; None for anything else."""
    if not mail.subject.startswith('Undeliverable Mail: "'):
        return None
    report, _ = split_at(mail.flat, ("+" * 71,))
    drafts: list[Draft] = []
    current = Draft()
    started = error_done = False
    for line in report.split("\n"):
        started = started or line.startswith("Your message:")
        if not started:
            continue
        if line.startswith("    ") and "@" in line:
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = line[4:].strip()
        elif line == _ERROR:
            current.diagnosis = line
        elif current.diagnosis and not error_done:
            if line.startswith("The following recipients were affected:"):
                error_done = True
            else:
                current.diagnosis += " " + line
        elif line.startswith("Sender-MTA: "):
            current.lhost = between(line, "<", ">")
        elif line.startswith("Reporting-MTA: "):
            current.rhost = between(line, "<", ">")
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)
