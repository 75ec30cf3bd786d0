"""HCL Notes (formerly IBM/Lotus Notes) bounces.

::

    ------- Failure Reasons  --------

    User not listed in public Name & Address Book
    kijitora@notes.example.jp

    ------- Returned Message --------
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, is_email, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, original_header, split_at

NAME = "notes"

_MESSAGES = {
    "networkerror": ("Message has exceeded maximum hop count",),
    "userunknown": ("User not listed in public Name & Address Book",
                    "ディレクトリのリストにありません"),  # Japanese: "not in the directory list"
}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Notes bounce; None for anything else."""
    if not mail.subject.startswith("Undeliverable message"):
        return None
    report, original = split_at(mail.flat, ("------- Returned Message --------",))
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith("------- Failure Reasons ")
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
        elif not line.startswith("-"):
            current.diagnosis += " " + line
    if not drafts:
        to = clean_address(original_header(original, "to"))
        if to:
            current.recipient = to
            drafts.append(current)
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)
