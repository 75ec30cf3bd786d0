"""fml mailing list manager (https://www.fml.org): list errors sent to the poster.

::

    You are not a member of this mailing list <neko-meeting@example.org>.

"Duplicated Message-ID" comes with the subject "Loop Alert:": fml refused the post as a
mail loop, so it is a system error, not a malformed message.
"""

from __future__ import annotations

from .._scan import finish
from .._text import between, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "fml"

#: fml's own error subjects (checked when the body says nothing definite).
_TITLES = {
    "rejected": (" are not member", "NOT MEMBER article from ", "reject mail ",
                 "Spam mail from a spammer is rejected"),
    "systemerror": ("fml system error message", "Loop Alert: ", "Loop Back Warning: ",
                    "WARNING: UNIX FROM Loop"),
    "securityerror": ("Security Alert",),
}  # fmt: skip
_TEXTS = {
    "rejected": (" header may cause mail loop", "NOT MEMBER article from ", "reject mail from ",
                 "reject spammers:", "You are not a member of this mailing list"),
    "securityerror": ("Security alert:",),
    "systemerror": (" has detected a loop condition so that", "Loop Back Warning:"),
}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an fml error notice; None for anything else."""
    if not mail.header("x-mlserver") or mail.sender.find("-admin@") < 1:
        return None
    if mail.header("message-id").find(".FML") < 2:
        return None
    report, _ = split_at(mail.flat, ("Original mail as follows:",))
    drafts: list[Draft] = []
    current = Draft()
    for line in report.split("\n"):
        if not line:
            continue
        address = between(line, "<", ">")
        if address:
            current = Draft(recipient=address, diagnosis=line)
            drafts.append(current)
        else:
            current.diagnosis += line
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reason = _first(_TEXTS, draft.diagnosis) or _first(_TITLES, mail.subject)
    return finish(drafts, NAME)


def _first(table: dict[str, tuple[str, ...]], text: str) -> str:
    return next((r for r, words in table.items() if any(w in text for w in words)), "")
