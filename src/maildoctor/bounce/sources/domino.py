"""HCL Domino (formerly Lotus Domino) delivery failure reports.

::

    Your message

      Subject: Test Bounce

    was not delivered to:

      kijitora@example.net

    because:

      User some.name (kijitora@example.net) not listed in Domino Directory
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, clean_address, sweep
from ..codes import pseudo_status
from ..model import DeliveryStatus, Draft
from ..parse import Mail, parse_dsn_lines

NAME = "domino"

_MESSAGES = {
    "filtered": ("Cannot route mail to user",),
    "systemerror": ("Several matches found in Domino Directory",),
    "userunknown": ("not listed in Domino Directory", "not listed in public Name & Address Book",
                    "no se encuentra en el Directorio de Domino",
                    "non répertorié dans l'annuaire Domino",
                    "Domino ディレクトリには見つかりません"),
}  # fmt: skip
#: The same messages when the charset could not be decoded (ISO-8859-1, ISO-2022-JP bytes).
_UNDECODED = (("non r", "pertori", "dans l'annuaire Domino"),
              ("%f!<%6!<", "%G%#%l%/%H%j$K$O8+$D$+$j$^$;$s!#"))  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a Domino report; None for anything else."""
    subject = mail.subject
    if not subject.startswith("DELIVERY FAILURE:") and "DELIVERY_FAILURE" not in subject:
        return None
    drafts: list[Draft] = []
    current = Draft()
    started = False
    fields: list[str] = []
    for line in mail.report.split("\n"):
        if not started:
            started = line.startswith("Your message")
            continue
        if not line:
            continue
        if line == "was not delivered to:":
            current = Draft() if current.recipient else current
            drafts.append(current)
            current.recipient = line
        elif line.startswith("  ") and line.find("@") > 0 and " " not in line[3:]:
            current.recipient = clean_address(line[2:])
        elif line == "because:":
            current.diagnosis = line
        elif current.diagnosis == "because:":
            current.diagnosis = line
        else:
            fields.append(line)
    _merge_fields(drafts, fields)
    for draft in drafts:
        _decide(draft)
    return finish(drafts, NAME)


def _merge_fields(drafts: list[Draft], lines: list[str]) -> None:
    found, per_message = parse_dsn_lines(lines)
    if not drafts:
        return
    for attr, value in per_message.items():
        for draft in drafts:
            if not draft.get_field(attr):
                draft.set_field(attr, value)
    if not found:
        return
    last = drafts[-1]
    if not last.diagnosis:
        last.diagnosis, last.spec = found[-1].diagnosis, found[-1].spec
    for attr in ("status", "action", "spec"):
        last.set_field(attr, last.get_field(attr) or found[-1].get_field(attr))


def _decide(draft: Draft) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    draft.recipient = clean_address(draft.recipient)
    for reason, words in _MESSAGES.items():
        if any(w in draft.diagnosis for w in words):
            draft.status = draft.status or pseudo_status(reason, False)
            draft.reason = reason
            return
    if any(aligned(draft.diagnosis, words) for words in _UNDECODED):
        draft.reason = "userunknown"
