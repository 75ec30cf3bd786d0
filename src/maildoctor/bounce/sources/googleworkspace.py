"""Gmail / Google Workspace notices in the "** Message not delivered **" style.

Two kinds come from ``mailer-daemon@googlemail.com`` without DSN fields:

* Google Workspace's own refusals ("** Address not found **" ... "because the
  address couldn't be found");
* the **"Send mail as" failure notice** (REFERENCE.md section 5): Gmail relayed the
  message through the SMTP server configured for an alias and that relay refused.
  The notice always blames "settings"; what the relay actually said follows
  ``The response was:`` (or ``The response from the remote server was:``), e.g.
  ``535 Authentication Credentials Invalid`` (SES), ``550 Missing subject field.`` or
  ``Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH
  capability``. That quoted reply is the diagnostic; the record's ``notice`` is
  ``gmail-send-as`` so its cause is placed at the client/relay, not the recipient.
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import find_address, find_host, sweep
from ..codes import find_reply, find_status
from ..model import DeliveryStatus, Draft
from ..parse import Mail, original_header, parse_dsn_lines

NAME = "googleworkspace"

SEND_AS = "gmail-send-as"
_SEND_AS_MARKS = ("'Send mail as'", "?p=CustomFromDenied")
_RESPONSE = ("The response was:", "The response from the remote server was:")
_ADDRESS = re.compile(r"[^\s<>\"',;]+@[^\s<>\"',;]+")
#: What the relay's reply means when the reason tables cannot tell (REFERENCE.md section 5).
_RELAY_REPLIES = (
    # "Smtp server does not advertise AUTH capability": the relay offers no AUTH (after
    # STARTTLS) - the alias points at a server or port that does not accept submissions.
    ("does not advertise auth capability", "securityerror"),
    # "550 Missing subject field.": the relay refused the message itself, not the login.
    ("missing subject field", "contenterror"),
)
_USER_UNKNOWN = "because the address couldn't be found. Check for typos or unnecessary spaces"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Gmail/Workspace "** ... **" notice; None for anything else."""
    if "<mailer-daemon@googlemail.com>" not in mail.sender:
        return None
    if "Delivery Status Notification" not in mail.subject:
        return None
    report = mail.report
    if any(m in report for m in _SEND_AS_MARKS):
        return finish(_send_as(mail, report), NAME)
    if "\nDiagnostic-Code:" in report or "\nFinal-Recipient:" in report:
        return None  # a relayed remote error with a DSN part: the RFC 3464 reader's job
    return finish(_workspace(mail, report), NAME)


def _send_as(mail: Mail, report: str) -> list[Draft]:
    reply = quoted_response(report)
    drafts, _ = parse_dsn_lines(report.split("\n"))
    if not drafts:
        drafts = [Draft(recipient=a) for a in _original_recipients(mail)]
    for draft in drafts:
        draft.notice = SEND_AS
        draft.diagnosis = reply or sweep(draft.diagnosis)
        draft.reply_code = find_reply(draft.diagnosis) or draft.reply_code
        draft.status = draft.status or find_status(draft.diagnosis, draft.reply_code)
        draft.rhost = draft.rhost or find_host(draft.diagnosis)
        lowered = draft.diagnosis.lower()
        draft.reason = next((r for phrase, r in _RELAY_REPLIES if phrase in lowered), "")
        draft.command = "AUTH" if draft.reply_code in ("530", "534", "535", "538") else ""
    return drafts


def quoted_response(report: str) -> str:
    """The relay's reply quoted after "The response was:" (up to the next blank line)."""
    for marker in _RESPONSE:
        pos = report.find(marker)
        if pos < 0:
            continue
        rest = report[pos + len(marker) :].lstrip("\n ")
        return sweep(rest.split("\n\n", 1)[0].replace("\n", " "))
    return ""


def _original_recipients(mail: Mail) -> list[str]:
    found: list[str] = []
    for name in ("to", "cc"):
        for address in _ADDRESS.findall(original_header(mail.original, name)):
            address = address.strip(".")
            if address not in found:
                found.append(address)
    return found


def _workspace(mail: Mail, report: str) -> list[Draft]:
    lines = report.split("\n")
    start = next((n for n, x in enumerate(lines) if x.startswith("** ")), None)
    if start is None:
        return []
    text = " ".join(x for x in lines[start:] if x and not x.startswith("Content-Type:"))
    address = find_address(original_header(mail.original, "to"))
    if not address:
        return []
    draft = Draft(recipient=address, diagnosis=sweep(text))
    if _USER_UNKNOWN in draft.diagnosis:
        draft.reason = "userunknown"
    return [draft]
