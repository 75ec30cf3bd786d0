"""Exim (https://www.exim.org/) and Exim-based services (McAfee SaaS / MXLogic).

Exim writes its own text (``exim/src/deliver.c``): an address indented by two
blanks, then the error indented by four, optionally followed by a DSN part::

    A message that you sent could not be delivered to one or more of its
    recipients. This is a permanent error. The following address(es) failed:

      kijitora@example.jp
        SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:
        host mx.example.jp [192.0.2.222]: 550 5.1.1 <kijitora@example.jp>... User Unknown
"""

from __future__ import annotations

from .._scan import finish
from .._text import clean_address, find_host, is_email, sweep
from ..codes import find_command, find_reply, find_status, prefer_status, pseudo_status
from ..model import DeliveryStatus, Draft
from ..parse import DELIVERY_STATUS, Mail, dsn_field, split_at

NAME = "exim"

_TITLES = ("Delivery Status Notification", "Mail delivery failed", "Mail failure",
           "Message frozen", "Warning: message ",
           "error(s) in forwarding or filtering")  # fmt: skip
_BOUNDARIES = (
    # deliver.c: "------ This is a copy of the message, including all the headers. ------"
    "------ This is a copy of the message, including all the headers. ------",
    "Content-Type: message/rfc822",
    "Included is a copy of the message header:\n-----------------------------------------",
)
_STARTS = (
    "This message was created automatically by mail delivery software.",
    "A message that you sent was rejected by the local scannning code",
    "A message that you sent contained one or more recipient addresses ",
    "A message that you sent could not be delivered to all of its recipients",
    " has been frozen", " was frozen on arrival", " router encountered the following error(s):",
)  # fmt: skip
_FROZEN = (" has been frozen", " was frozen on arrival")
_UNDISCLOSED = " an undisclosed address"
#: Exim's own error strings (exim/src: route.c, transports/smtp.c, appendfile.c...).
_MESSAGES = {
    "userunknown": ("user not found",),
    "hostunknown": ("all host address lookups failed permanently",
                    "all relevant MX records point to non-existent hosts", "Unrouteable address"),
    "mailboxfull": ("mailbox is full", "error: quota exceed"),
    "notaccept": ("an MX or SRV record indicated no SMTP service",
                  "no host found for existing SMTP connection"),
    "syntaxerror": ("angle-brackets nested too deep", 'expected word or "<"',
                    "domain missing in source-routed address", "malformed address:"),
    "systemerror": ("delivery to file forbidden", "delivery to pipe forbidden",
                    "local delivery failed", "LMTP error after "),
    "contenterror": ('Too many "Received" headers',),
}  # fmt: skip
#: retry.c, deliver.c, smtp.c: the message is still queued or gave up after retries.
_DELAYED = (
    "retry timeout exceeded", "No action is required on your part",
    "retry time not reached for any host after a long failure period",
    "all hosts have been failing for a long time and were last tried", "Delay reason: ",
    "has been frozen", "was frozen on arrival by ",
)  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Exim bounce; None when the message is not one."""
    third_party = _is_mxlogic(mail)
    if not third_party and _score(mail) < 2:
        return None
    flat = mail.flat.replace("\n----- This ", "\n------ This ", 1)
    report, _ = split_at(flat, _BOUNDARIES)
    multipart = "boundary=" in mail.header("content-type").lower()
    drafts, notes, first = _read(report, multipart, third_party)
    if not drafts:
        drafts = _failed_header(mail, first)
    for n, draft in enumerate(drafts):
        _complete(draft, notes[n] if n < len(notes) else "", drafts[0], notes[0] if notes else "")
    return finish(drafts, NAME)


def _score(mail: Mail) -> int:
    score = int("Mail Delivery System" in mail.sender)
    score += any(t in mail.subject for t in _TITLES)
    mid = mail.header("message-id")
    # Exim message ids: <1P1YNN-0003AD-Ga@example.org> style, "-" at 8 and "@" at 18.
    score += len(mid) > 18 and mid[0] == "<" and mid.find("-") == 8 and mid.find("@") == 18
    return score


def _is_mxlogic(mail: Mail) -> bool:
    if any(mail.header(h) for h in ("x-mx-bounce", "x-mxl-hash", "x-mxl-notehash")):
        return True
    return "<mxl~" in mail.header("message-id")


def _read(report: str, multipart: bool, third_party: bool) -> tuple[list[Draft], list[str], Draft]:
    drafts: list[Draft] = []
    notes: list[str] = [""]
    current = first = Draft()
    started = False
    in_dsn = False
    lines_seen = 0
    for line in report.split("\n"):
        if not started:
            if any(s in line for s in _STARTS):
                started = True
            else:
                continue
        if not line:
            continue
        address = _recipient_line(line, third_party)
        if address is not None:
            if not address:
                continue
            if current.recipient and address != current.recipient:
                current = Draft()
                notes.append("")
            if not drafts or drafts[-1] is not current:
                drafts.append(current)
            current.recipient = address
            lines_seen += 1
            if "<" in line and ">:" in line:
                current.diagnosis = sweep(line.split(">:", 1)[1])
            continue
        if " (generated from " in line or " generated by " in line:
            current.alias = next((clean_address(w) for w in line.split() if "@" in w), "")
        elif any(f in line for f in _FROZEN):
            notes[-1] = line + " "
        elif multipart:
            in_dsn = _dsn_line(line, current, notes, in_dsn)
        elif drafts and len(drafts) == lines_seen or line.startswith("  "):
            current.diagnosis += " " + line
    return drafts, notes, first


def _recipient_line(line: str, third_party: bool) -> str | None:
    """The address on an Exim recipient line, ``""`` for a bad one, None if not one."""
    if _UNDISCLOSED in line:
        return line[2:]
    if not line.startswith("  ") or line.find("@") < 2 or line.find(".") < 2:
        return None
    if "pipe to |" in line or line[2:3] == " " or (not third_party and line[2:3] == "<"):
        return None
    if "<" in line and ">:" in line:
        candidate = clean_address(line[line.find("<") + 1 : line.find(">:")])
    else:
        end = line.rfind(": ")
        candidate = clean_address(line[2 : end if end >= 0 else len(line)])
    return candidate if is_email(candidate) else ""


def _dsn_line(line: str, current: Draft, notes: list[str], in_dsn: bool) -> bool:
    parsed = dsn_field(line)
    if parsed is not None:
        if parsed.name == "final-recipient":
            if not current.spec:
                current.spec = "SMTP" if "@" in parsed.value else "X-UNIX"
        elif parsed.name == "diagnostic-code":
            current.spec = parsed.kind or "SMTP"
            current.diagnosis = parsed.value
        elif parsed.name in (
            "action",
            "status",
            "remote-mta",
            "reporting-mta",
            "last-attempt-date",
        ):
            attr = {"remote-mta": "rhost", "reporting-mta": "lhost",
                    "last-attempt-date": "date"}.get(parsed.name, parsed.name)  # fmt: skip
            current.set_field(attr, parsed.value)
        return in_dsn
    if in_dsn:
        return True
    if line.startswith(DELIVERY_STATUS):
        return True
    if line.startswith(" "):
        notes[-1] += line + " "
    return False


def _failed_header(mail: Mail, first: Draft) -> list[Draft]:
    """Fallback: ``X-Failed-Recipients: kijitora@example.jp`` (the first row keeps the text)."""
    listed = mail.header("x-failed-recipients").split(",")
    addresses = [a for a in (clean_address(v) for v in listed) if a]
    drafts = [first] + [Draft() for _ in addresses[1:]] if addresses else []
    for draft, address in zip(drafts, addresses, strict=False):
        draft.recipient = address
    return drafts


def _complete(draft: Draft, note: str, first: Draft, first_note: str) -> None:
    if not draft.diagnosis and first is not draft:
        draft.diagnosis, draft.spec = first.diagnosis, draft.spec or first.spec
        note = note or first_note
    if note:
        draft.diagnosis = _better(draft.diagnosis, note)
    draft.diagnosis = sweep(draft.diagnosis)
    if "__" in draft.diagnosis:
        draft.diagnosis = draft.diagnosis.split("__", 1)[0]
    draft.rhost = draft.rhost or find_host(draft.diagnosis)
    if not draft.command:
        _command_and_reason(draft)
    reply = find_reply(draft.diagnosis, draft.status)
    in_text = find_status(draft.diagnosis, reply)
    temporary = reply.startswith("4") or draft.reason in ("expired", "mailboxfull")
    placeholder = pseudo_status(draft.reason, temporary)
    draft.reply_code = draft.reply_code or reply
    draft.status = draft.status or prefer_status(in_text, placeholder, reply)


def _better(diagnosis: str, note: str) -> str:
    if not diagnosis or diagnosis.startswith("-") or diagnosis.endswith("__"):
        return note
    squeezed = sweep(note)
    if len(diagnosis) < len(note) and diagnosis.lower() in squeezed.lower():
        return squeezed
    return diagnosis


def _command_and_reason(draft: Draft) -> None:
    text = draft.diagnosis
    if "SMTP error from remote " in text or "LMTP error after " in text:
        draft.command = find_command(text)
    if draft.command in ("EHLO", "HELO"):
        draft.reason = "blocked"  # "Connected to 192.0.2.135 but my name was rejected."
    elif draft.command == "MAIL":
        draft.reason = "onhold"  # "Connected to 192.0.2.135 but sender was rejected."
    else:
        found = next((r for r, words in _MESSAGES.items() if any(w in text for w in words)), "")
        if not found and any(w in text for w in _DELAYED):
            found = "expired"
        elif not found and "pipe to |" in text:
            found = "mailererror"
        draft.reason = found
