"""au by KDDI (EZweb, ``ezweb.ne.jp`` / ``au.com``) mobile mail bounces.

::

    The user(s) account is disabled.

    <***@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, clean_address, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, dsn_field, split_at

NAME = "ezweb"

_BOUNDARIES = ("--------------------------------------------------", "Content-Type: message/rfc822")
_STARTS = ("The user(s) ", "Your message ", "Each of the following", "<")
_MESSAGES = {
    # "Your message was not delivered within 0 days and 1 hours."
    "expired": ("Your message was not delivered within ",),
    "mailboxfull": ("The user(s) account is temporarily over quota",),
    "onhold": ("Each of the following recipients was rejected by a remote mail server",),
    # The recipient may be an unpaid user (http://www.naruhodo-au.kddi.com/qa3429203.html)
    "suspend": ("The user(s) account is disabled.", "The user(s) account is temporarily limited."),
}


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an EZweb bounce; None for anything else."""
    if _score(mail) < 2:
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    drafts = _read(report)
    for draft in drafts:
        _decide(draft, mail)
    return finish(drafts, NAME)


def _score(mail: Mail) -> int:
    sender, mid = mail.sender, mail.header("message-id")
    score = ("Postmaster@ezweb.ne.jp" in sender) + ("Postmaster@au.com" in sender)
    score += mail.subject == "Mail System Error - Returned Mail"
    score += any("ezweb.ne.jp (EZweb Mail) with" in r or ".au.com (" in r
                 for r in mail.headers.get("received", []))  # fmt: skip
    return score + (".ezweb.ne.jp>" in mid) + (".au.com>" in mid)


def _read(report: str) -> list[Draft]:
    drafts: list[Draft] = []
    current = Draft()
    started = False
    for line in report.split("\n"):
        started = started or line.startswith(_STARTS)
        if not started or not line:
            continue
        if aligned(line, ("<", "@", ">")) and (
            line.find("Recipient: <") > 1 or line.startswith("<")
        ):
            if current.recipient:
                current = Draft()
            drafts.append(current)
            current.recipient = clean_address(between(line, "<", ">"))
            current.diagnosis += " " + line
        elif (field := dsn_field(line)) is not None:
            attr = {"remote-mta": "rhost", "reporting-mta": "lhost", "last-attempt-date": "date",
                    "arrival-date": "date",
                    "diagnostic-code": "diagnosis"}.get(field.name, "")  # fmt: skip
            if field.name in ("action", "status"):
                attr = field.name
            if attr:
                current.set_field(attr, field.value)
        elif not line.isascii():
            continue
        else:
            if " >>> " in line:
                current.command = find_command(line)
            current.diagnosis += " " + line
    return drafts


def _decide(draft: Draft, mail: Mail) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    draft.command = draft.command or find_command(draft.diagnosis)
    if mail.header("x-spasign") == "NG":
        draft.reason = "filtered"  # X-SPASIGN: NG - au's spam filter refused it
    else:
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    if draft.reason or "@ezweb.ne.jp" in draft.recipient or "@au.com" in draft.recipient:
        return
    if draft.diagnosis.startswith("<"):
        draft.reason = "userunknown"
