"""Postfix (https://www.postfix.org/): ``bounce(5)`` notices and SMTP error transcripts.

The human-readable part names the remote server's reply per recipient, the DSN
part the codes::

                       The mail system

    <userunknown@example.co.jp>: host mx.example.co.jp[192.0.2.153] said: 550
        5.1.1 <userunknown@example.co.jp>... User Unknown (in reply to RCPT TO command)

``Subject: ... SMTP server: errors from ...`` notices (``smtpd_chat.c``) carry an
``In:``/``Out:`` transcript of a session Postfix itself refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .._scan import finish
from .._text import aligned, between, clean_address, sweep
from ..codes import find_command, find_reply, find_status
from ..model import DeliveryStatus, Draft
from ..parse import DELIVERY_STATUS, Mail, original_header, parse_dsn_lines

NAME = "postfix"

_STARTS = (("The ", "Postfix "), ("The ", "mail system"), ("The ", "program"),
           ("This is the", "Postfix"), ("This is the", "mail system"))  # fmt: skip
_TRANSCRIPT = re.compile(r"^(In|Out):\s+(.*)$")


@dataclass(slots=True)
class _Other:
    """The recipient and error read from the human-readable part."""

    recipient: str = ""
    alias: str = ""
    diagnosis: str = ""
    commands: list[str] = field(default_factory=list)
    unavailable: bool = False


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Postfix bounce; None for anything else."""
    if mail.header("x-aol-ip"):
        return None
    if mail.subject.find("SMTP server: errors from ") > 0:
        return finish(_transcript(mail), NAME)
    if mail.subject != "Undelivered Mail Returned to Sender":
        return None
    lines = mail.report.split("\n")
    start = next((n for n, x in enumerate(lines) if any(aligned(x, s) for s in _STARTS)), None)
    if start is None:
        return None
    body = lines[start + 1 :]
    drafts, _ = parse_dsn_lines(body)
    dsn_at = next((n for n, x in enumerate(body) if x.startswith(DELIVERY_STATUS)), len(body))
    other = _human(body[:dsn_at])
    if not drafts:
        drafts = _fallback(other, mail)
    for draft in drafts:
        _complete(draft, other)
    return finish(drafts, NAME)


def _human(lines: list[str]) -> _Other:
    other = _Other()
    for line in lines:
        if "(in reply to " in line or "command)" in line:
            if command := find_command(line):
                other.commands.append(command)
            if other.diagnosis:
                other.diagnosis += " " + line
        elif aligned(line, ("<", "@", ">", "(expanded from <", "):")):
            # <r@example.ne.jp> (expanded from <kijitora@example.org>): user ...
            other.recipient = clean_address(between(line, "<", ">"))
            other.alias = clean_address(between(line, "(expanded from ", "):"))
            other.diagnosis = line.split(">): ", 1)[1] if ">): " in line else ""
        elif line.startswith("<") and aligned(line, ("<", "@", ">:")):
            other.recipient = clean_address(line[: line.find(">") + 1])
            other.diagnosis = line.split(">:", 1)[1]
        elif "--- Delivery report unavailable ---" in line:
            other.unavailable = True  # bounce_notify_util.c: no per-recipient log
        elif other.diagnosis and line.startswith("    "):
            other.diagnosis += " " + line.strip()
    other.diagnosis = sweep(other.diagnosis)
    return other


def _fallback(other: _Other, mail: Mail) -> list[Draft]:
    if other.recipient:
        return [Draft(recipient=other.recipient, alias=other.alias)]
    if other.unavailable:
        address = clean_address(original_header(mail.original, "to"))
        return [Draft(recipient=address)] if address else []
    return []


def _complete(draft: Draft, other: _Other) -> None:
    if other.diagnosis:
        _merge(draft, other.diagnosis)
    draft.diagnosis = sweep(draft.diagnosis)
    if other.commands:
        draft.command = other.commands[0]
    else:
        draft.command = find_command(draft.diagnosis)
        if not draft.command and "refused to talk to me:" in draft.diagnosis:
            draft.command = "HELO"
    if not draft.spec and aligned(draft.diagnosis, ("host ", " said:")):
        draft.spec = "SMTP"


def _merge(draft: Draft, text: str) -> None:
    """Prefer the longer human-readable text when it holds codes the DSN lacks."""
    if not draft.diagnosis or draft.diagnosis.isdigit():
        draft.diagnosis = text
        return
    in_text = reply = ""
    if not draft.status or draft.status.endswith(".0.0"):
        in_text = find_status(text)
        if in_text and not in_text.endswith(".0.0"):
            draft.status = in_text
    if not draft.reply_code or draft.reply_code.endswith("00"):
        reply = find_reply(text)
        if reply and not reply.endswith("00"):
            draft.reply_code = reply
    if (in_text or reply) and len(text) >= len(draft.diagnosis) and draft.diagnosis in text:
        draft.diagnosis = text


def _transcript(mail: Mail) -> list[Draft]:
    """``In:``/``Out:`` lines of a session Postfix's smtpd refused."""
    drafts: list[Draft] = []
    current = Draft()
    command = argument = ""
    for line in mail.report.split("\n"):
        match = _TRANSCRIPT.match(line)
        if not match:
            continue
        if match.group(1) == "Out":
            command, _, argument = match.group(2).partition(" ")
            command = command.upper()
            if command == "RCPT":
                if current.recipient:
                    current = Draft()
                drafts.append(current)
                current.recipient = clean_address(argument)
            elif command in ("EHLO", "HELO"):
                current.lhost = argument.strip()
            continue
        reply = find_reply(match.group(2))
        if reply[:1] in ("4", "5"):
            current.command = current.command or command
            current.diagnosis = current.diagnosis or match.group(2)
            current.reply_code = current.reply_code or reply
            current.status = current.status or find_status(match.group(2), reply)
    return drafts
