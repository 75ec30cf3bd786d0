"""Oracle Communications Messaging Server (formerly Sun Java System) reports.

::

    Your message cannot be delivered to the following recipients:

      Recipient address: kijitora@example.jp
      Reason: Remote SMTP server has rejected address
      Diagnostic code: smtp;550 5.1.1 <kijitora@example.jp>... User Unknown
      Remote system: dns;mx.example.jp (TCP|198.51.100.67|47323|192.0.2.225|25)
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import aligned, between, is_email, sweep
from ..codes import find_reply, find_status
from ..model import DeliveryStatus, Draft
from ..parse import RFC822, Mail, dsn_field, split_at

NAME = "messagingserver"

_START = "This report relates to a message you sent with the following header fields:"
_IPV4 = re.compile(r"\A\d{1,3}(?:\.\d{1,3}){3}\Z")


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Messaging Server report; None for anything else."""
    if "Boundary_(ID_" not in mail.header("content-type") and not mail.subject.startswith(
        "Delivery Notification: "
    ):
        return None
    report, _ = split_at(mail.flat, (RFC822, "\nReturn-Path: "))
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if line:
            current = _line(line, current, drafts)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        if "Illegal host/domain name found" in draft.diagnosis:
            draft.reason = "hostunknown"
    return finish(drafts, NAME)


def _line(line: str, current: Draft, drafts: list[Draft]) -> Draft:
    if aligned(line, ("  Recipient address: ", "@", ".")) or aligned(
        line, ("  Original address: ", "@", ".")
    ):
        address = line.split(": ", 1)[1].strip()
        if not is_email(address):
            return current
        if current.recipient and address != current.recipient:
            current = Draft()
        if not drafts or drafts[-1] is not current:
            drafts.append(current)
        current.recipient = address
    elif line.startswith("  Date: "):
        current.date = line.split("Date: ", 1)[1]
    elif line.startswith("  Diagnostic code: "):
        field = dsn_field(line.strip().replace("Diagnostic code:", "Diagnostic-Code:", 1))
        if field is not None:
            current.spec = field.kind
            current.reply_code = find_reply(field.value)
            current.status = find_status(field.value, current.reply_code)
            current.diagnosis += " " + field.value
    elif line.startswith("  Remote system: "):
        _remote(line, current)
    elif line.startswith("Status: "):
        current.status = current.status or find_status(line, current.reply_code)
        current.diagnosis = current.diagnosis or between(line, "(", ")")
    elif line.startswith("Reporting-MTA: ") and "." not in current.lhost:
        field = dsn_field(line)
        current.lhost = field.value if field else current.lhost
    return current


def _remote(line: str, current: Draft) -> None:
    # Remote system: dns;mx.example.jp (TCP|198.51.100.67|47323|192.0.2.225|25)
    current.rhost = between(line, ";", " (")
    parts = between(line, " (", ")").split("|")
    if len(parts) == 5 and parts[0] == "TCP" and "." not in current.rhost:
        current.lhost = parts[1] if _IPV4.match(parts[1]) else current.lhost
        current.rhost = parts[3] if _IPV4.match(parts[3]) else current.rhost
