"""qmail (https://cr.yp.to/qmail.html) and its clones.

qmail-send writes::

    Hi. This is the qmail-send program at example.jp.
    I'm afraid I wasn't able to deliver your message to the following addresses.

    <kijitora@example.jp>:
    192.0.2.153 does not like recipient.
    Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
    Giving up on 192.0.2.153.
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, between, sweep
from ..codes import find_command
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "qmail"

_TITLES = ("failure notice", "Failure Notice")  # qmail-send.c: "Subject: failure notice"
_BOUNDARIES = (
    "--- Below this line is a copy of the message.",  # qmail-1.03 qmail-send.c
    "--- Below this line is a copy of the mail header.",
    "--- Below the next line is a copy of the message.",  # clones
    "--- Mensaje original adjunto.",
    "Content-Type: message/rfc822",
    "Original message follows.",
)
_STARTS = (
    "Hi. This is the qmail",  # qmail-send.c: "Hi. This is the qmail-send program at "
    "He/Her is not ",
    "unable to deliver your message to the following addresses",
    "Su mensaje no pudo ser entregado",
    "Sorry, we were unable to deliver your message to the following address",
    "This is the machine generated message from mail service",
    "This is the mail delivery agent at",
    "Unable to deliver message to the following address",
    "Unfortunately, your mail was not delivered to the following address:",
    "Your mail message to the following address",
    "Your message to the following addresses",
    "We're sorry.",
)
_REMOTE_SAID = "Remote host said:"
_RHOST_MARKS = ("Giving up on ", "Connected to ", "remote host ")
#: qmail-remote.c error strings -> the SMTP command that failed.
_COMMANDS = {
    "CONN": (" but greeting failed.",),
    "EHLO": (" but my name was rejected.",),
    "MAIL": (" but sender was rejected.",),
    "RCPT": (" does not like recipient.",),
    "DATA": (" failed on DATA command", " failed after I sent the message"),
}
_EXPIRED = "this message has been in the queue too long."  # qmail-send.c:922
_ONHOLD = (" does not like recipient.", _EXPIRED)
#: qmail-ldap-1.03-20040101.patch messages.
_LDAP = {
    "emailtoolarge": ("The message exeeded the maximum size the user accepts",),
    "suspend": ("Mailaddress is administrativly disabled",
                "Mailaddress is administrativley disabled",
                "Mailaddress is administratively disabled",
                "Mailaddress is administrativeley disabled"),
    "systemerror": ("Automatic homedir creator crashed", "Illegal value in LDAP attribute",
                    "LDAP attribute is not given but mandatory",
                    "Timeout while performing search on LDAP server",
                    "Too many results returned but needs to be unique",
                    "Permanent error while executing qmail-forward",
                    "Temporary error in automatic homedir creation",
                    "Temporary error while executing qmail-forward",
                    "Temporary failure in LDAP lookup", "Unable to contact LDAP server",
                    "Unable to login into LDAP server, bad credentials"),
    "userunknown": ("Sorry, no mailbox here by that name",),
}  # fmt: skip
#: qmail-local.c, qmail-remote.c, error_str.c messages.
_MESSAGES = {
    "hostunknown": ("Sorry, I couldn't find any host ",),
    "mailboxfull": ("disk quota exceeded",),
    "emailtoolarge": ("Message size exceeds fixed maximum message size:",),
    "networkerror": ("Sorry, I wasn't able to establish an SMTP connection",
                     "Sorry. Although I'm listed as a best-preference MX or A for that host"),
    "notaccept": ("Sorry, I couldn't find a mail exchanger or IP address",),  # notqmail null MX
    "systemerror": ("bad interpreter: No such file or directory", "system error", "Unable to"),
    "systemfull": ("Requested action not taken: mailbox unavailable (not enough free space)",),
    "userunknown": ("no mailbox here by that name",),
}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a qmail bounce; None for anything else."""
    received = mail.headers.get("received", [])
    if mail.subject not in _TITLES and not any("(qmail " in r for r in received):
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    drafts, notes = _read(report)
    for draft, note in zip(drafts, notes, strict=True):
        _decide(draft, note)
    return finish(drafts, NAME)


def _read(report: str) -> tuple[list[Draft], list[str]]:
    drafts: list[Draft] = []
    notes: list[str] = []
    started = False
    for line in report.split("\n"):
        if not started:
            started = any(s in line for s in _STARTS)
            continue
        if not line:
            continue
        if line.startswith("<") and aligned(line, ("<", "@", ">:")):
            drafts.append(Draft(recipient=between(line, "<", ">:")))
            notes.append("")
        elif drafts:
            current = drafts[-1]
            current.diagnosis += line + " "
            if line.startswith(_REMOTE_SAID):
                notes[-1] = line
            if not current.rhost:
                current.rhost = next(
                    (sweep(h) for m in _RHOST_MARKS if (h := between(line + " ", m, " "))), ""
                )
    return drafts, notes


def _decide(draft: Draft, note: str) -> None:
    draft.diagnosis = sweep(draft.diagnosis)
    text = draft.diagnosis
    draft.command = next((c for c, words in _COMMANDS.items() if any(w in text for w in words)), "")
    if not draft.command and "no SMTP connection got far enough" in text:
        draft.command = find_command(text)
    if draft.command in ("EHLO", "HELO"):
        draft.reason = "blocked"  # "Connected to 192.0.2.135 but my name was rejected."
    elif aligned(text, _ONHOLD):
        draft.reason = "onhold"
    else:
        draft.reason = _reason(note) or _reason(text)
    draft.command = draft.command or find_command(text)


def _reason(text: str) -> str:
    if not text:
        return ""
    for table in (_MESSAGES, _LDAP):
        found = next((r for r, words in table.items() if any(w in text for w in words)), "")
        if found:
            return found
    return "expired" if _EXPIRED in text else ""
