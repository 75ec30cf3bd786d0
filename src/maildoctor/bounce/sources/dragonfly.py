"""DragonFly Mail Agent (dma, https://www.dragonflybsd.org/handbook/mta/).

dma writes (``net.c``)::

    There was an error delivering your mail to <kijitora@example.com>.

    email.example.jp [192.0.2.25] did not like our RCPT TO:
    552 5.2.2 <kijitora@example.com>: Recipient address rejected: Mailbox full
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "dragonfly"

_BOUNDARIES = ("Original message follows.", "Message headers follow")
_START = "This is the DragonFly Mail Agent "
_RECIPIENT = "There was an error delivering your mail to <"
#: dma's own messages: dma.c "Could not deliver for the last %d seconds. Giving up.",
#: net.c "DNS lookup failure: host %s not found".
_MESSAGES = {"expired": ("Could not deliver for the last ",),
             "hostunknown": ("DNS lookup failure: host ",)}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a dma bounce; None for anything else."""
    if "Mail delivery failed" not in mail.subject:
        return None
    if not any(" (DragonFly Mail Agent" in r for r in mail.headers.get("received", [])):
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    drafts = _read(report)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)


def _read(report: str) -> list[Draft]:
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if line.startswith(_RECIPIENT):
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = clean_address(line[line.find("<") :])
            continue
        current.diagnosis += " " + line
        if " did not like our " in line and not current.rhost:
            # net.c: "%s [%s] did not like our %s:\n%s"
            words = line.split(" ", 2)
            current.rhost = words[0] if words[0].find(".") > 1 else words[1]
            current.command = find_command(line)
    return drafts
