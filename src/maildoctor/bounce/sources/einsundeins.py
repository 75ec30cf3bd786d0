"""1&1 / IONOS (https://www.1und1.de/) bounces.

::

    The following address failed:

    general@example.eu

    For the following reason:

    Mail size limit exceeded. For explanation visit
    http://postmaster.1and1.com/en/error-messages?ip=%1s
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, clean_address, is_email, sweep
from ..codes import find_command, find_status
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "einsundeins"

_START = "This message was created automatically by mail delivery software"
_REASON = "For the following reason:"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a 1&1 bounce; None for anything else."""
    if not mail.sender.startswith('"Mail Delivery System"'):
        return None
    if mail.subject != "Mail delivery failed: returning message to sender":
        return None
    report, _ = split_at(mail.flat, ("--- The header of the original message is following. ---",))
    drafts, spare = _read(report)
    for draft in drafts:
        _decide(draft, spare)
    return finish(drafts, NAME)


def _read(report: str) -> tuple[list[Draft], str]:
    drafts: list[Draft] = []
    current = Draft()
    spare = ""
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if aligned(line, ("@", ".")) and (line.endswith(":") or " " not in line):
            address = clean_address(line.strip(":"))
            if not is_email(address):
                continue
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = address
        elif line.startswith(_REASON):
            current.diagnosis = line
        elif current.diagnosis:
            current.diagnosis += " " + line
        else:
            spare += " " + line  # "neko@example.fr:" then "SMTP error from remote server ..."
    return drafts, spare


def _decide(draft: Draft, spare: str) -> None:
    draft.diagnosis = draft.diagnosis or spare
    draft.command = find_command(draft.diagnosis)
    if aligned(draft.diagnosis, ("host: ", " reason:")):
        # "SMTP error from remote server for TEXT command, host: smtp-in.orange.fr (...)
        #  reason: 550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]"
        draft.rhost = sweep(between(draft.diagnosis, "host: ", " "))
        draft.status = find_status(draft.diagnosis)
        if "for TEXT command" in draft.diagnosis:
            draft.command = "DATA"
        if "SMTP error" in draft.diagnosis:
            draft.spec = "SMTP"
    draft.diagnosis = sweep(draft.diagnosis)
    if "Mail size limit exceeded" in draft.diagnosis:
        draft.reason = "emailtoolarge"
