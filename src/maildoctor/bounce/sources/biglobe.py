"""BIGLOBE (https://www.biglobe.ne.jp) and partner ISPs (inacatv, tmtv, ttv).

::

       ----- The following addresses had delivery problems -----
    ********@***.biglobe.ne.jp

       ----- Non-delivered information -----
    The number of messages in recipient's mailbox exceeded the local limit.
"""

from __future__ import annotations

from .._scan import finish
from .._text import is_email, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "biglobe"

_PROVIDERS = ("biglobe", "inacatv", "tmtv", "ttv")
_MESSAGES = {
    "filtered": ("Mail Delivery Failed... User unknown",),
    "mailboxfull": ("The number of messages in recipient's mailbox exceeded the local limit.",),
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a BIGLOBE bounce; None for anything else."""
    sender = mail.sender
    if "postmaster@" not in sender or not mail.subject.startswith("Returned mail:"):
        return None
    if not any(f"@{p}.ne.jp" in sender for p in _PROVIDERS):
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in mail.report.split("\n"):
        if not started:
            started = line.startswith(
                "   ----- The following addresses had delivery problems -----"
            )
            continue
        if not line:
            continue
        if line.find("@") > 1 and " " not in line:
            if not is_email(line):
                continue
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = line
        elif "--" not in line:
            current.diagnosis += line + " "
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)
