"""An unidentified MTA ("X2" in Sisimai's corpus): ``Unable to deliver message to``.

::

    Unable to deliver message to the following address(es).

    <kijitora@example.com>:
    This user doesn't have a example.com account (kijitora@example.com) [0]

Newer releases write ``Delivery failed: kijitora@example.co.jp`` followed by the
remote host's reply (``Remote host said[Response Message]: 554 5.4.14 ...``).
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, clean_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "x2"

_TITLES = ("Delivery failure", "failure delivery", "failed delivery")
_STARTS = (
    "Unable to deliver message to the following address",
    "Your delivery to the following address has been failed.",  # newer releases
)
_FAILED = "Delivery failed: "


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an X2 bounce; None for anything else."""
    if "MAILER-DAEMON@" not in mail.sender and not mail.subject.startswith(_TITLES):
        return None
    report, _ = split_at(mail.flat, ("--- Original message follows.",))
    drafts: list[Draft] = []
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_STARTS)
            continue
        if not line or line.startswith("-----"):
            continue
        if line.startswith("<") and aligned(line, ("<", "@", ">:")):
            drafts.append(Draft(recipient=between(line, "<", ">")))
        elif line.startswith(_FAILED) and "@" in line:
            drafts.append(Draft(recipient=clean_address(line[len(_FAILED) :])))
        elif drafts:
            drafts[-1].diagnosis += " " + line
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
    return finish(drafts, NAME)
