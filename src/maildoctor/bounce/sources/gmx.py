"""GMX (https://gmx.net/) and web.de bounces, recognised by ``X-GMX-Antispam``.

::

    "shironeko@example.jp":
    SMTP error from remote server after RCPT command:
    host: mx.example.jp
    5.1.1 <shironeko@example.jp>... User Unknown
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "gmx"

_START = "This message was created automatically by mail delivery software"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a GMX bounce; None for anything else."""
    if not mail.header("x-gmx-antispam"):
        return None
    report, _ = split_at(mail.flat, ("--- The header of the original message is following. ---",))
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if line.find("@") > 1 and line.startswith(('"', "<")):
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = clean_address(line.strip(":"))
        elif line.startswith("SMTP error "):
            current.command = find_command(line)
        elif line.startswith("host: "):
            current.rhost = line[6:]
        else:
            current.diagnosis += line + " "
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        if "delivery retry timeout exceeded" in draft.diagnosis:
            draft.reason = "expired"
    return finish(drafts, NAME)
