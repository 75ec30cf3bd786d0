"""Sendmail version 5 (and other pre-DSN sendmails): a session transcript only.

::

       ----- Transcript of session follows -----
    While talking to smtp.example.com:
    >>> RCPT To:<kijitora@example.org>
    <<< 550 <kijitora@example.org>, User Unknown
    550 <kijitora@example.org>... User unknown
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, clean_address, find_host, is_email, sweep
from ..codes import find_command, find_reply
from ..model import DeliveryStatus, Draft
from ..parse import Mail, original_header, split_at

NAME = "v5sendmail"

_BOUNDARIES = ("   ----- Unsent message follows -----", "  ----- No message was collected -----")
_START = "----- Transcript of session follows -----"  # savemail.c:494
_TALKING = "While talking to "


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Sendmail 5 bounce; None for anything else."""
    if not mail.subject.startswith("Returned mail: "):
        return None
    report, original = split_at(mail.flat, _BOUNDARIES)
    if not original:
        return None
    drafts, others = _read(report)
    if not drafts:
        drafts = _from_other_lines(others) or _from_original(original)
    for n, draft in enumerate(drafts):
        draft.diagnosis = draft.diagnosis or others.get(n, "")
        draft.command = draft.command or find_command(draft.diagnosis)
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reply_code = find_reply(draft.diagnosis)
        if not is_email(draft.recipient):
            draft.recipient = clean_address(between(draft.diagnosis, "<:", ">"))
    return finish(drafts, NAME)


def _read(report: str) -> tuple[list[Draft], dict[int, str]]:
    drafts: list[Draft] = []
    others: dict[int, str] = {}
    current = Draft()
    started = False
    remote = command = ""
    for line in report.split("\n"):
        if not started:
            started = _START in line
            continue
        if not line:
            continue
        if line.startswith(">>> "):
            command = find_command(line[4:])
        if aligned(line, (" <", "@", ">...")) or ">>> RCPT TO:" in line.upper():
            address = clean_address(between(line, " <", ">...") or between(line, ":<", ">"))
            if not remote:
                others[len(drafts)] = others.get(len(drafts), "") + " " + line
            elif address == current.recipient or (command == "MAIL" and line.startswith("<<< ")):
                current.diagnosis += " " + line
                current.reply_code = find_reply(line)
                command = ""
            else:
                current = _new(drafts, current, address, remote, line, command)
        elif _TALKING in line:
            host = find_host(line)
            remote = host or remote
        elif line.startswith((">>> ", "<<< ")):
            current.diagnosis += " " + line
        else:
            others[len(drafts)] = others.get(len(drafts), "") + " " + line
    return drafts, others


def _new(drafts: list[Draft], current: Draft, address: str, remote: str, line: str,
         command: str) -> Draft:  # fmt: skip
    if current.recipient:
        current = Draft()
    if not drafts or drafts[-1] is not current:
        drafts.append(current)
    current.recipient, current.rhost = address, remote
    current.reply_code = find_reply(line)
    current.diagnosis += " " + line
    current.command = current.command or command
    return current


def _from_other_lines(others: dict[int, str]) -> list[Draft]:
    drafts = []
    for text in others.values():
        address = clean_address(text)
        if address:
            drafts.append(Draft(recipient=address, reply_code=find_reply(text), diagnosis=text))
    return drafts


def _from_original(original: str) -> list[Draft]:
    to = original_header(original, "to")
    return [Draft(recipient=to)] if is_email(to) else []
