"""Digital Arts m-FILTER (https://www.daj.jp/bs/mf/) bounces.

::

    kijitora@example.jp

    -------server message
    550 5.1.1 unknown user <kijitora@example.jp>

    -------SMTP command
    DATA
"""

from __future__ import annotations

from .._scan import finish
from .._text import is_email, sweep
from ..codes import command_known
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "mfilter"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an m-FILTER bounce; None for anything else."""
    if mail.subject != "failure notice":
        return None
    if mail.header("x-mailer") != "m-FILTER" and not _has_sections(mail.flat):
        return None
    report, _ = split_at(mail.flat, ("-------original message", "-------original mail info"))
    drafts: list[Draft] = []
    current = Draft()
    in_error = in_command = False
    for line in report.split("\n"):
        if not drafts and not (line.find("@") > 1 and " " not in line and is_email(line)):
            continue
        if not line:
            continue
        if line.find("@") > 0 and " " not in line:
            if not is_email(line):
                continue
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = line
        elif line == "-------server message":
            in_error = True
        elif line == "-------SMTP command":
            in_error, in_command = False, True
        elif in_error and not current.diagnosis:
            current.diagnosis, in_error = line, False
        elif in_command and command_known(line):
            current.command, in_command = line, False
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)


def _has_sections(text: str) -> bool:
    """m-FILTER's section markers, also written when it relays for another mailhub."""
    return "\n-------server message\n" in text and "\n-------SMTP command\n" in text
