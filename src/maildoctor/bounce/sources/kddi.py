"""au by KDDI (``auone-net.jp``, ``dion.ne.jp``) bounces.

::

    Your mail sent on: Thu, 29 Apr 2010 11:04:47 +0900
        Could not be delivered to: <******@**.***.**>
        As their mailbox is full.
"""

from __future__ import annotations

from .._scan import finish
from .._text import between, is_email, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "kddi"

_MESSAGES = {
    "mailboxfull": ("As their mailbox is full",),
    "norelaying": ("Due to the following SMTP relay error",),
    "hostunknown": ("As the remote domain doesnt exist",),
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a KDDI bounce; None for anything else."""
    if not _claims(mail):
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in mail.report.split("\n"):
        started = started or line.startswith("Your mail sent on:")
        if not started or not line:
            continue
        if " Could not be delivered to: <" in line:
            if current.recipient:
                current = Draft()
            address = between(line, ": <", ">")
            if is_email(address):
                current.recipient = address
                drafts.append(current)
        elif "Your mail sent on: " in line:
            current.date = line.split("Your mail sent on: ", 1)[1]
        elif line.startswith(" "):
            current.diagnosis += line + " "
    for draft in drafts:
        _decide(draft, mail)
    return finish(drafts, NAME)


def _claims(mail: Mail) -> bool:
    if any(s in mail.sender for s in ("no-reply@.", ".dion.ne.jp")):
        return True
    if "no-reply@app.auone-net.jp" in mail.header("reply-to"):
        return True
    return any("ezweb.ne.jp (" in r or ".au.com (" in r for r in mail.headers.get("received", []))


def _decide(draft: Draft, mail: Mail) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    draft.command = find_command(draft.diagnosis)
    if mail.header("x-spasign") == "NG":
        draft.reason = "filtered"  # X-SPASIGN: NG - au's spam filter refused it
    elif draft.command == "RCPT":
        draft.reason = "userunknown"
    else:
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
