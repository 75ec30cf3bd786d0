"""Microsoft Exchange Server 2003 and older (Internet Mail Service) NDRs.

::

    Your message
     To:      shironeko@example.jp
     Subject: ...
     Sent:    Thu, 29 Apr 2010 18:14:35 +0000
    did not reach the following recipient(s):

    kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500
        The recipient name is not recognized
        MSEXCH:IMS:KIJITORA CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, sweep
from ..codes import pseudo_status
from ..model import DeliveryStatus, Draft
from ..parse import Mail

NAME = "exchange2003"

_MAILERS = ("Internet Mail Service (", "Microsoft Exchange Server Internet Mail Connector")
#: Exchange 5.5/2000/2003 MSEXCH error codes.
_CODES = {
    "000C05A6": "userunknown",  # Unknown Recipient
    "000C0595": "filtered",  # Ambiguous Recipient
    "00010256": "systemerror",  # Too many recipients.
    "000D06B5": "systemerror",  # No proxy for recipient (non-smtp mail?)
    "00120270": "networkerror",  # Too Many Hops
    "00050311": "contenterror",  # Conversion to Internet format failed
    "000502CC": "contenterror",  # Conversion to Internet format failed
    "000B0981": "securityerror",  # 502 Server does not support AUTH
    "000B099C": "onhold",  # Host Unknown, Message exceeds size limit, ...
    "000B09AA": "onhold",  # Unable to relay for, Message exceeds size limit,...
    "000B09B6": "onhold",  # Error messages by remote MTA
}
_HEADERS = (
    ("  To:  ", "      To: "),
    ("      Subject: ", "  Subject: "),
    ("  Sent: ", "      Sent: "),
)


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Exchange 2003 NDR; None for anything else."""
    if not _claims(mail):
        return None
    drafts, others = _read(mail.report)
    for draft, other in zip(drafts, others, strict=True):
        _decide(draft, other)
    return finish(drafts, NAME)


def _claims(mail: Mail) -> bool:
    if mail.header("x-ms-embedded-report"):
        return True
    if mail.header("x-mailer").startswith(_MAILERS):
        return True
    if mail.header("x-mimeole").startswith("Produced By Microsoft Exchange"):
        return True
    return any(" with Internet Mail Service (" in r for r in mail.headers.get("received", []))


def _read(report: str) -> tuple[list[Draft], list[str]]:
    drafts: list[Draft] = []
    others: list[str] = []
    started = False
    seen = [False, False, False]
    done: list[bool] = []
    for line in report.split("\n"):
        if not started:
            started = line.startswith("Your message")
            continue
        if not all(seen):
            for n, prefixes in enumerate(_HEADERS):
                if line.startswith(prefixes):
                    seen[n] = True
            continue
        if aligned(line, ("@", " on ")):
            address = between(line.lower(), ":smtp=", "; on ") or line.split(" on ", 1)[0].strip()
            drafts.append(Draft(recipient=address))
            others.append("")
            done.append(False)
        elif not drafts:
            continue
        elif line.startswith(" ") and "MSEXCH:" in line:
            drafts[-1].diagnosis += line.lstrip()
        elif not done[-1]:
            if drafts[-1].diagnosis.startswith("MSEXCH:"):
                done[-1] = True
                drafts[-1].diagnosis += " " + line
                break
            others[-1] += " " + line
    return drafts, others


def _decide(draft: Draft, other: str) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    if aligned(draft.diagnosis, ("MSEXCH:", "(", ")")):
        code = between(draft.diagnosis, "(", ")")
        draft.reason = _CODES.get(code, "")
        if draft.reason:
            draft.status = pseudo_status(draft.reason, False)
        after = draft.diagnosis.split(") ", 1)
        draft.diagnosis = after[1] if len(after) > 1 else ""
    if not draft.reason and other:
        draft.diagnosis = sweep(other + " " + draft.diagnosis)
