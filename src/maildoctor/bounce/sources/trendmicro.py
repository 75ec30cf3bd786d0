"""Trend Micro (InterScan Messaging Security, TREND VISION ONE) bounces.

::

    Sent <<< RCPT TO:<kijitora@example.co.jp>
    Received >>> 550 5.1.1 <kijitora@example.co.jp>... user unknown
    Unable to deliver message to <kijitora@neko.example.jp>
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, find_address, is_email, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "trendmicro"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an InterScan bounce; None for anything else."""
    if not (mail.sender.startswith('"InterScan') or "InterScan" in mail.header("content-type")
            or " InterScan " in mail.flat):  # fmt: skip
        return None
    drafts: list[Draft] = []
    current = Draft()
    for line in mail.report.split("\n"):
        if not line:
            continue
        current = _maybe_recipient(line, current, drafts)
        if line.startswith("Sent <<< "):
            current.command = find_command(line)
        elif line.startswith("Received >>> "):
            current.diagnosis = line.split(" >>> ", 1)[1]
        elif " >>> " in line or " <<< " in line:
            # Messages not written in English
            if " >>> " in line:
                current.command = find_command(line)
            if " <<< " in line:
                current.diagnosis = line.split("<<<", 1)[1]
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        if "Unable to deliver" in draft.diagnosis:
            draft.reason = "userunknown"
    return finish(drafts, NAME)


def _maybe_recipient(line: str, current: Draft, drafts: list[Draft]) -> Draft:
    unable = "Unable to deliver " in line
    if line.find("@") <= 1 or line.find(" <") <= 1:
        return current
    if not (line.find(" <<< ") > 1 or line.find(" >>> ") > 1 or unable):
        return current
    address = find_address(line[line.rfind("<") : line.rfind(">") + 1])
    if not is_email(address):
        return current
    if current.recipient and current.recipient not in address:
        current = Draft()
    if not drafts or drafts[-1] is not current:
        drafts.append(current)
    if unable:
        current.diagnosis = line
    current.recipient = clean_address(address)
    return current
