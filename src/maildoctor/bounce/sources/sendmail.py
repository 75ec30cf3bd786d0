"""Sendmail (V8 and Sendmail Sentrion): transcript plus an RFC 3464 part.

``savemail.c`` writes the session transcript before the DSN part; the remote
server's own words are the ``<<<`` lines, which are kept in front of the
``Diagnostic-Code`` text for a single recipient::

       ----- Transcript of session follows -----
    ... while talking to mta.example.org.:
    >>> DATA
    <<< 550 Unknown user recipient@example.jp
    554 5.0.0 Service unavailable
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._scan import finish
from .._text import aligned, between, find_address, sweep
from ..codes import find_command, find_reply, find_status, status_valid
from ..model import DeliveryStatus, Draft
from ..parse import Mail, dsn_field, parse_dsn_lines

NAME = "sendmail"

_START = "   ----- Transcript of session follows -----"  # savemail.c:1040
_TALKING = "... while talking to "


@dataclass(slots=True)
class _Transcript:
    """What the transcript says besides the DSN fields."""

    replies: list[str] = field(default_factory=list)
    command: str = ""
    recipient: str = ""
    diagnosis: str = ""
    status: str = ""
    in_session: bool = False


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Sendmail bounce; None for anything else."""
    if mail.header("x-aol-ip"):
        return None
    subject = mail.subject
    if not subject.startswith("Warning: ") and not subject.endswith("see transcript for details"):
        return None
    lines = mail.report.split("\n")
    start = next((n for n, line in enumerate(lines) if line.startswith(_START)), None)
    if start is None:
        return None
    body = lines[start + 1 :]
    drafts, _ = parse_dsn_lines(body)
    if not drafts:
        return None
    transcript = _transcript(body)
    for draft in drafts:
        _complete(draft, transcript, len(drafts))
    return finish(drafts, NAME)


def _transcript(lines: list[str]) -> _Transcript:
    t = _Transcript()
    for line in lines:
        if not line or line.startswith(" ") or dsn_field(line) is not None:
            continue
        if line.startswith(">>> "):
            t.command = t.command or find_command(line)
        elif line.startswith("<<< "):
            if line[4:] not in t.replies:
                t.replies.append(line[4:])
        elif not t.in_session:
            _other_line(line, t)
    return t


def _other_line(line: str, t: _Transcript) -> None:
    if line.startswith(_TALKING):
        t.in_session = True  # an SMTP session error: the <<< lines say it all
    elif line.startswith("<") and aligned(line, ("@", ">.", " ")):
        # <kijitora@example.co.jp>... Deferred: Name server: example.co.jp.:
        #     host name lookup failure
        t.recipient = between(line, "<", ">")
        t.diagnosis = line.split(" ", 1)[1] if " " in line else ""
    elif len(find_reply(line) + find_status(line)) > 7:
        # 554 5.3.0 unknown mailer error 255
        t.status = find_status(line)
        t.diagnosis += " " + line
    elif line.startswith(("Message: ", "Warning: ")):
        t.diagnosis += " " + line  # "Warning: message still undelivered after 4 hours"


def _complete(draft: Draft, t: _Transcript, recipients: int) -> None:
    diagnosis = draft.diagnosis
    if t.diagnosis and (not diagnosis or diagnosis.startswith(" ") or diagnosis.isdigit()):
        diagnosis = t.diagnosis
    if t.replies and recipients == 1:
        diagnosis = " ".join(t.replies) + " " + diagnosis
    draft.diagnosis = sweep(diagnosis)
    draft.command = draft.command or t.command or find_command(draft.diagnosis)
    if not draft.command and t.replies:
        draft.command = "EHLO"
    if t.status and not status_valid(draft.status):
        draft.status = t.status
    if draft.recipient.startswith("@"):
        draft.recipient = find_address(draft.diagnosis) or draft.recipient
