"""Courier MTA (https://www.courier-mta.org/) delivery status notifications.

::

                              UNDELIVERABLE MAIL

    Your message to the following recipients cannot be delivered:

    <kijitora@example.co.jp>:
       mx.example.co.jp [192.0.2.95]:
    >>> RCPT TO:<kijitora@example.co.jp>
    <<< 550 5.1.1 <kijitora@example.co.jp>... User Unknown
"""

from __future__ import annotations

from .._scan import finish
from .._text import sweep
from ..codes import find_command
from ..model import DeliveryStatus
from ..parse import Mail, parse_dsn_lines

NAME = "courier"

_STARTS = ("DELAYS IN DELIVERING YOUR MESSAGE", "UNDELIVERABLE MAIL")
#: courier/module.esmtp/esmtpclient.c errors.
_MESSAGES = {
    "hostunknown": ("No such domain.",),
    "systemerror": ("This domain's DNS violates RFC 1035.",),
    "networkerror": ("DNS lookup failed.",),
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Courier DSN; None for anything else."""
    if not (
        "Courier mail server at " in mail.sender
        or "NOTICE: mail delivery status." in mail.subject
        or "WARNING: delayed mail." in mail.subject
        or mail.header("message-id").startswith("<courier.")
    ):
        return None
    lines = mail.report.split("\n")
    start = next((n for n, line in enumerate(lines) if any(s in line for s in _STARTS)), None)
    if start is None:
        return None
    body = lines[start + 1 :]
    command = next((find_command(x) for x in body if x.startswith(">>> ")), "")
    drafts, _ = parse_dsn_lines(body)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.command = command
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)
