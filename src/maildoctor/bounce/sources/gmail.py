"""Gmail's own delivery status notifications (legacy text format).

::

    Delivery to the following recipient failed permanently:

         userunknown@example.jp

    Technical details of permanent failure:
    Google tried to deliver your message, but it was rejected by the server for
    the recipient domain example.jp by mx.example.jp. [192.0.2.59].

    The error that the other server returned was:
    550 5.1.1 <userunknown@example.jp>... User Unknown
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import clean_address, find_host, is_email, sweep
from ..codes import find_status
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at
from ..reasons import public, status_reason

NAME = "gmail"

_BOUNDARIES = ("----- Original message -----", "----- Message header follows -----")
_START = "Delivery to the following recipient"
_MESSAGES = {
    "expired": ("DNS Error: Could not contact DNS servers",
                "Delivery to the following recipient has been delayed",
                "The recipient server did not accept our requests to connect"),
    "hostunknown": ("DNS Error: Domain name not found",
                    "DNS Error: DNS server returned answer with no data"),
}  # fmt: skip
#: Gmail's "(state N)" suffix: the SMTP state the remote refused in, and what it means.
_STATES = {
    "6": ("MAIL", "failedstarttls"),  # 500 Remote server does not support TLS (state 6).
    "8": ("AUTH", "systemerror"),  # 535 SMTP AUTH failed with the remote server. (state 8).
    "9": ("AUTH", "failedstarttls"),  # 454 TLS missing certificate ... (state 9).
    "12": ("AUTH", "norelaying"),  # Remote server does not support SMTP Authenticated Relay
    "13": ("EHLO", "blocked"),  # 550 550 5.7.1 <****@gmail.com>... Access denied (state 13).
    "14": ("RCPT", "userunknown"),  # 550 550 5.1.1 <...>... User Unknown (state 14).
    "15": ("DATA", "filtered"),  # 554 554 Error: no valid recipients (state 15).
    "17": ("DATA", "filtered"),  # 550 550 <****@***.**> No such user here (state 17).
    "18": ("DATA", "filtered"),  # 550 550 Unknown user *****@***.**.*** (state 18).
}
_STATE = re.compile(r" \(state (\d+)\)")


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a legacy Gmail DSN; None for anything else."""
    if "<mailer-daemon@googlemail.com>" not in mail.sender:
        return None
    if "Delivery Status Notification" not in mail.subject:
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    drafts = _read(report)
    for draft in drafts:
        _decide(draft)
    return finish(drafts, NAME)


def _read(report: str) -> list[Draft]:
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        started = started or line.startswith(_START)
        if not started or not line:
            continue
        if line.startswith(" ") and line.find("@") > 0:
            if current.recipient:
                current = Draft()
            address = clean_address(line.strip())
            if is_email(address):
                current.recipient = address
                drafts.append(current)
        else:
            current.diagnosis += line + " "
    return drafts


def _decide(draft: Draft) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    draft.rhost = find_host(draft.diagnosis)
    state = _STATE.search(draft.diagnosis)
    if state and state.group(1) in _STATES:
        draft.command, draft.reason = _STATES[state.group(1)]
    if not draft.reason:
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    if not draft.reason:
        return
    draft.status = find_status(draft.diagnosis, draft.reply_code)
    if draft.status and ".0" not in draft.status:
        draft.reason = public(status_reason(draft.status))
