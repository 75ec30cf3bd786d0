"""Verizon Wireless (``vtext.com``, ``vzwpix.com``) SMS/MMS gateway bounces.

The recipient is only named in the returned message or in "Message details"
(``RCPT TO: may-be-straycat-nyaaaaaan@vtext.com``).
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, clean_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, original_header, split_at

NAME = "verizon"

_MESSAGES = {"userunknown": ("550 - Requested action not taken: no such user here",
                             "No valid recipients")}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Verizon gateway bounce; None for anything else."""
    sender = mail.sender
    if "post_master@vtext.com" not in sender and not aligned(sender, ("sysadmin@", ".vzwpix.com")):
        return None
    flat = mail.flat
    details = "Message details:" in flat
    if details:
        flat = flat.replace("Sent date: ", "Date: ", 1).replace("MAIL FROM: ", "Return-Path: ", 1)
        flat = flat.replace("RCPT TO: ", "To: ", 1)
    report, original = split_at(flat, ("Original Message:", "Message details:"))
    if details:
        original = original.replace("\n  ", "\n")
    recipient = clean_address(original_header("\n" + original, "to"))
    if not recipient:
        return None
    draft = Draft(recipient=recipient)
    started = False
    for line in report.split("\n"):
        started = started or line.startswith("Error: ")
        if started and line:
            draft.diagnosis += line
    draft.diagnosis = sweep(draft.diagnosis)
    draft.reason = next(
        (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
    )
    return finish([draft], NAME)
