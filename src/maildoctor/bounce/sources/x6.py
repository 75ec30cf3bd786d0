"""An unidentified MTA ("X6" in Sisimai's corpus): "There was an error sending your mail".

::

    SMTP Server <mta2.example.jp> rejected recipient <kijitora@example.jp>
      (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, find_host, is_email, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "x6"

_PERMANENT = "The following recipients returned permanent errors: "
_SERVER = "SMTP Server <"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an X6 bounce; None for anything else."""
    if not mail.subject.startswith("There was an error sending your mail"):
        return None
    report, _ = split_at(mail.flat, ("The attachment contains the original mail headers",))
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        started = started or line.startswith("We had trouble delivering your message.")
        if not started or not line:
            continue
        if line.startswith((_PERMANENT, _SERVER)):
            cut = line.find(": ") if line.startswith(_PERMANENT) else line.rfind(" <")
            address = clean_address(line[cut:])
            if not is_email(address):
                continue
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = address
            current.diagnosis += " " + line
        elif line.startswith("Date: "):
            current.date = line[6:].strip("'")
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.command = find_command(draft.diagnosis)
        draft.rhost = find_host(draft.diagnosis)
    return finish(drafts, NAME)
