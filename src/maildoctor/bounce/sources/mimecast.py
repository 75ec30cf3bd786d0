"""Mimecast (https://www.mimecast.com/) "[Postmaster] Email Delivery Failure" alerts.

::

    An email that you attempted to send to the following address could not be delivered:
    -- sabineko@neko.ef.example.org

    The problem appears to be :
    -- Recipient email address is possibly incorrect

    Additional information follows :
    -- 5.4.1 Recipient address rejected: Access denied.
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, dsn_field

NAME = "mimecast"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Mimecast alert; None for anything else."""
    if "Email Delivery Failure" not in mail.subject and not mail.header("message-id").endswith(
        ".mimecast.lan>"
    ):
        return None
    drafts: list[Draft] = []
    current = Draft()
    rest: list[str] = []
    started = False
    for line in mail.report.split("\n"):
        started = started or line.startswith("-- ")
        if not started or not line:
            continue
        if line.startswith("-- "):
            value = line[3:]
            if " " not in value.strip():
                if current.recipient:
                    current = Draft()
                drafts.append(current)
                current.recipient = clean_address(value)
            else:
                current.diagnosis += value + " "  # "-- 5.4.1 Recipient address rejected: ..."
        else:
            rest.append(line)
    if drafts:
        _apply_fields(rest, drafts[-1])
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)


def _apply_fields(lines: list[str], draft: Draft) -> None:
    """DSN fields (written ``Name : value``) complete the last recipient."""
    for line in lines:
        field = dsn_field(line)
        if field is None or field.name.endswith("recipient"):
            continue
        if field.name == "diagnostic-code":
            draft.diagnosis, draft.spec = field.value, field.kind or "SMTP"
        elif field.name in ("action", "status"):
            draft.set_field(field.name, field.value)
        elif field.name == "reporting-mta":
            draft.lhost = field.value
