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
from ..codes import find_command
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
    # Where the returned message or its headers start, in other wordings and languages.
    r"|\Aoriginal message headers:|\A-+ ?original message ?-+|copy of the (?:original )?message"
    r"|kopie der (?:original)?nachricht|copie du message|copia del mensaje"
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
_ANY_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[-.0-9A-Za-z]+\.[0-9A-Za-z]+")
_EXPANDED = re.compile(r"\((?:expanded|generated) from:? ([^@]+@[^@]+)\)")


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a free-text bounce; None when the message does not look like one."""
    if not _looks_bounced(mail):
        return None
    others = _not_recipients(mail)
    drafts = [d for d in _read(mail.report) if d.recipient not in others]
    for draft in drafts:
        # "RCPT To:<...>" in a transcript says which command the reply answered.
        draft.command = find_command(draft.diagnosis)
    return finish(drafts, NAME)


def _not_recipients(mail: Mail) -> set[str]:
    """Addresses a notice names that are never the failed recipient.

    The reporting postmaster or MAILER-DAEMON (the notice's From), the original sender
    (the notice's To, the returned message's From, Sender, Reply-To and Return-Path).
    """
    values = [mail.sender, mail.header("to"), mail.header("return-path")]
    values += [mail.original_header(n) for n in ("from", "sender", "reply-to", "return-path")]
    found = {clean_address(m.group(0)) for v in values for m in _ANY_ADDRESS.finditer(v)}
    return {a for a in found if a}


def _looks_bounced(mail: Mail) -> bool:
    if _SENDERS.search(mail.sender) or _SUBJECTS.search(mail.subject):
        return True
    path = mail.header("return-path").lower()
    return "<>" in path or "mailer-daemon" in path


def _read(report: str) -> list[Draft]:
    """Recipients and text; lines before the first address belong to the first recipient."""
    drafts: dict[str, Draft] = {}
    current: Draft | None = None
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
            # A recipient named again (a transcript after the list) gets its own lines.
            current = drafts.get(address)
            if current is None:
                current = drafts[address] = Draft(recipient=address, diagnosis=" ".join(before))
                before = []
        elif current is not None and (expanded := _EXPANDED.search(line)):
            current.alias = clean_address(expanded.group(1))
        if current is not None:
            current.diagnosis += " " + line
        else:
            before.append(line)
    for draft in drafts.values():
        draft.diagnosis = sweep(draft.diagnosis)
    return list(drafts.values())
