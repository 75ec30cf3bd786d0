"""Last resort: a bounce in free text that no other source recognised.

Tried after every other source, and only on messages that look like a bounce by
their envelope (from ``postmaster``, ``mailer-daemon`` or ``root``, a null
``Return-Path``, or a "returned mail"-like subject). The body is read line by line
until the returned message starts; a line naming an address after a known lead-in
("mailbox is full: ", "did not reach the following recipient: ", ...) names a
recipient, and the whole text is the diagnostic. This follows the fallback body
parser of Sisimai 4's RFC 3464 module.
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import clean_address, is_email, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "fallback"

_SENDERS = re.compile(r"\b(?:postmaster|mailer-daemon|root)@", re.I)
_SUBJECTS = re.compile(
    r"delivery (?:failed|failure|report)|failure notice|mail (?:delivery|error)|non-delivery"
    r"|returned mail|undeliverable mail|warning: ",
    re.I,
)
_SKIP = re.compile(
    r"\A-+=|\A\s+\Z|\A\s*--|\A\s+=\d+|\Ahi !|content-(?:description|disposition|"
    r"transfer-encoding|type): |(?:name|charset)=|--\Z|: --------"
)
_STOP = re.compile(
    r"\A\*\*\* .+ .+ \*\*\*|\Acontent-type: message/delivery-status"
    r"|\Ahere is a copy of the first part of the message"
    r"|\Athe non-delivered message is attached to this message\."
    r"|\A(?:received|received-from-mta|reporting-mta|return-path):"
    r"|\Aa copy of the original message below this line:|attachment is a copy of the message"
    r"|below is a copy of the original message:|below this line is a copy of the message"
    r"|message contains .+ file attachments|message text follows: |original message follows"
    r"|the attachment contains the original mail headers|the first \d+ lines "
    r"|unsent message below|your message reads \(in part\):"
)
#: A lead-in, then the address (Sisimai 4 RFC3464 ``re_addr``).
_ADDRESS = re.compile(
    r"(?:\A\s*|\A\".+\"\s*|\A[ \t]*recipient:[ \t]*|\A *address: |addressed to "
    r"|could not be delivered to: |delivered to +|delivery failed: "
    r"|did not reach the following recipient: |error-for: +|failed recipient: "
    r"|failed to deliver to |intended recipient: |mailbox is full: |rcpt to:"
    r"|smtp server <.+> rejected recipient |the following recipients returned permanent errors: "
    r"|the following message to |unknown user: |undeliverable to |undeliverable address: *"
    r"|you sent mail to |your message to )"
    r"['\"]?<?([^\s@=<>]+@[-.0-9a-z]+\.[0-9a-z]+)>?['\"]?"
)
_EXPANDED = re.compile(r"\((?:expanded|generated) from:? ([^@]+@[^@]+)\)")


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a free-text bounce; None when the message does not look like one."""
    if not _looks_bounced(mail):
        return None
    return finish(_read(mail.report), NAME)


def _looks_bounced(mail: Mail) -> bool:
    if _SENDERS.search(mail.sender) or _SUBJECTS.search(mail.subject):
        return True
    path = mail.header("return-path").lower()
    return "<>" in path or "mailer-daemon" in path


def _read(report: str) -> list[Draft]:
    """Recipients and text; lines before the first address belong to the first recipient."""
    drafts: list[Draft] = []
    before: list[str] = []
    for line in report.split("\n"):
        lowered = line.lower()
        if _STOP.search(lowered):
            break
        if not line or _SKIP.search(lowered) or line.startswith("*"):
            continue
        match = _ADDRESS.search(lowered)
        address = clean_address(match.group(1)) if match else ""
        if is_email(address):
            if not drafts or drafts[-1].recipient != address:
                drafts.append(Draft(recipient=address, diagnosis=" ".join(before)))
                before = []
        elif drafts and (expanded := _EXPANDED.search(line)):
            drafts[-1].alias = clean_address(expanded.group(1))
        if drafts:
            drafts[-1].diagnosis += " " + line
        else:
            before.append(line)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return drafts
