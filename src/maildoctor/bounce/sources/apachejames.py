"""Apache James (https://james.apache.org/) bounces (``AbstractNotify.java``).

::

    Error message below:
    550 - Requested action not taken: no such user here

    Message details:
      Subject: Nyaaan
      RCPT TO: kijitora@example.org
"""

from __future__ import annotations

from .._scan import finish
from .._text import sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "apachejames"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Apache James bounce; None for anything else."""
    if not (mail.subject == "[BOUNCE]" or ".JavaMail." in mail.header("message-id")
            or any("JAMES SMTP Server" in r
                   for r in mail.headers.get("received", []))):  # fmt: skip
        return None
    drafts: list[Draft] = []
    lead = ""
    started = False
    for line in mail.report.split("\n"):
        if not started:
            if line.startswith("Message details:"):
                started = True
            elif line:
                lead += line + " "
            continue
        if line.startswith("  RCPT TO: "):
            drafts.append(Draft(recipient=line[12:].strip(), diagnosis=lead))
        elif line.startswith("  Sent date: ") and drafts:
            drafts[-1].date = line[13:]
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)
