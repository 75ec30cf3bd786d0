"""QUALITIA Active!hunter bounces (``X-AHMailID`` header).

::

      ----- The following addresses had permanent fatal errors -----

    >>> kijitora@example.org <kijitora@example.org>

      ----- Transcript of session follows -----
    550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "activehunter"

_START = "  ----- The following addresses had permanent fatal errors -----"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Active!hunter bounce; None for anything else."""
    if not mail.header("x-ahmailid"):
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in mail.report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if not line:
            continue
        if line.startswith(">>> ") and line.find("@") > 0:
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = clean_address(line[5:])
        elif "0" <= line[0] <= "z" and not current.diagnosis:
            current.diagnosis = line
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)
