"""SMTP reply codes (RFC 5321 4.2), enhanced status codes (RFC 3463) and commands.

Finding codes inside free text follows Sisimai's ``smtp/status``, ``smtp/reply``
and ``smtp/command`` (BSD 2-Clause): which code in a diagnostic counts, and which
of two competing codes is preferred, is part of the classification rules.
"""

from __future__ import annotations

import re

__all__ = [
    "find_command",
    "find_reply",
    "find_status",
    "is_hard_bounce",
    "is_permanent",
    "is_real_status",
    "is_temporary",
    "prefer_status",
    "status_valid",
    "reply_valid",
]

_IPV4 = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
#: A character that may not precede or follow a code: ``.``, ``/`` or a digit.
_NUMERIC = frozenset("./0123456789")

#: Reply codes searched in a text, in priority order (RFC 5321 4.2.3, RFC 4954, RFC 7504).
REPLY_CODES: dict[str, tuple[str, ...]] = {
    "2": ("211", "214", "220", "221", "235", "250", "251", "252", "253", "334", "354"),
    "4": ("421", "450", "451", "452", "422", "430", "432", "453", "454", "455", "458", "459"),
    "5": (
        "550", "552", "553", "551", "521", "525", "523", "524", "530", "533", "534", "535",
        "538", "555", "556", "554", "500", "501", "502", "503", "504",
    ),
}  # fmt: skip
_ALL_REPLIES = REPLY_CODES["5"] + REPLY_CODES["4"] + REPLY_CODES["2"]

#: SMTP commands recognised in a diagnostic, weakest first: the last one found wins
#: (a DATA failure mentions RCPT and MAIL earlier in the transcript).
_COMMANDS = (
    "HELO", "EHLO", "STARTTLS", "AUTH PLAIN", "AUTH LOGIN", "AUTH CRAM-", "AUTH DIGEST-",
    "MAIL F", "RCPT", "RCPT T", "DATA", "QUIT", "XFORWARD",
)  # fmt: skip
_KNOWN_COMMANDS = frozenset(
    ("HELO", "EHLO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "NOOP", "VRFY", "ETRN", "EXPN",
     "HELP", "AUTH", "STARTTLS", "XFORWARD", "CONN")
)  # fmt: skip


def status_valid(code: str) -> bool:
    """True for a syntactically valid RFC 3463 code (class 2/4/5, subject 0-7)."""
    parts = code.split(".")
    if not 5 <= len(code) <= 7 or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    return parts[0] in ("2", "4", "5") and int(parts[1]) <= 7


def is_real_status(code: str) -> bool:
    """True for a valid code that is not a Sisimai placeholder (``X.0.9NN``, ``X.9.NNN``)."""
    if not status_valid(code):
        return False
    return not (code[1:4] == ".0." and len(code) == 7 and code[4] == "9")


def reply_valid(code: str) -> bool:
    """True for a reply code that exists (RFC 5321 4.2.3, RFC 4954, RFC 7504)."""
    if len(code) != 3 or not code.isdigit():
        return False
    value = int(code)
    if value < 211 or value > 556 or value % 100 > 59:
        return False
    if value // 100 == 2:
        return value == 235 or value <= 221 or 250 <= value <= 253
    return value // 100 != 3 or value in (334, 354)


def find_status(text: str, hint: str = "") -> str:
    """The most telling enhanced status code in ``text``, or ``""``.

    Args:
        text: A diagnostic or any free text.
        hint: A reply code or class digit restricting the class searched.

    Returns:
        One code; ``X.0.0`` and ``4.4.7`` only when nothing better is present.
    """
    if len(text) < 7:
        return ""
    classes = (hint[0] + ".",) if hint[:1] in ("2", "4", "5") else ("5.", "4.", "2.")
    padded = _IPV4.sub("***.***.***.***", " " + text + "   ")
    found: list[str] = []
    fallback = ""
    for pos in _class_positions(padded, classes):
        code = _status_at(padded, pos)
        if not code:
            continue
        if code[1:] == ".0.0" or code == "4.4.7":
            fallback = code
        else:
            found.append(code)
    if fallback:
        found.append(fallback)
    best = ""
    for code in found:
        best = code if not best else prefer_status(best, code)
    return best


def _class_positions(text: str, classes: tuple[str, ...]) -> list[int]:
    positions: list[int] = []
    for prefix in classes:
        start = 0
        while (pos := text.find(prefix, start)) >= 0:
            positions.append(pos)
            start = pos + 5
    return sorted(positions)


def _status_at(text: str, pos: int) -> str:
    """The code starting at ``pos`` (class digit), or ``""`` when it is not one."""
    size = len(text)
    if pos < 1 or pos + 4 >= size:
        return ""
    if text[pos - 1] in _NUMERIC or text[pos - 1] in "Vv":  # a version number, an IP
        return ""
    if text[pos + 2] not in "01234567" or text[pos + 3] != "." or not text[pos + 4].isdigit():
        return ""
    code = text[pos : pos + 5]
    if code[1:] == ".0.0" or code == "4.4.7":
        return code
    for offset in (5, 6):
        if pos + offset >= size or not text[pos + offset].isdigit():
            return code
        code += text[pos + offset]
    if pos + 7 < size and text[pos + 7].isdigit():
        return ""
    return code


def prefer_status(field: str, in_text: str, reply: str = "") -> str:
    """Choose between the ``Status:`` field and a code found in the diagnostic text.

    Args:
        field: The value of the ``Status:`` field.
        in_text: The code found in the diagnostic.
        reply: The SMTP reply code, used to break a class disagreement.
    """
    if not field or len(in_text) < 5:
        return field or in_text
    if len(field) < 5:
        return in_text
    if reply and field[0] != in_text[0]:
        if reply[0] == field[0]:
            return field
        if reply[0] == in_text[0]:
            return in_text
    if field == in_text:
        return field
    return _prefer_specific(field, in_text)


def _prefer_specific(field: str, in_text: str) -> str:
    """The more specific of two codes (``X.0.0`` and vague subjects lose)."""
    if ".0.0" in field:
        return field if ".0.0" in in_text else in_text
    if ".0" in field and ".0" not in in_text:
        return in_text
    if ".0.0" in in_text:
        return field
    if field in ("4.4.7", "4.7.0") or field.startswith("5.3."):
        return in_text
    if field[1:5] in (".5.1", ".5.2", ".5.4", ".5.5"):
        return in_text
    if field == "5.1.1":
        return field if (".0" in in_text or in_text.startswith("5.5.")) else in_text
    if field == "5.1.3" and in_text.startswith("5.7."):
        return in_text
    return field


def find_reply(text: str, status: str = "") -> str:
    """The SMTP reply code in ``text`` (class limited by ``status``), or ``""``."""
    if len(text) < 3 or "X-UNIX" in text.upper():
        return ""
    codes = REPLY_CODES.get(status[:1], _ALL_REPLIES)
    padded = " " + text + " "
    for code in codes:
        start = 0
        while (pos := padded.find(code, start)) >= 0:
            start = pos + 3
            if padded[pos - 1] in _NUMERIC or padded[pos + 3] in _NUMERIC:
                continue
            return code
    return ""


def command_known(text: str) -> bool:
    """True when ``text`` names an SMTP command Sisimai knows (incl. pseudo ``CONN``)."""
    return len(text) >= 4 and any(c in text for c in _KNOWN_COMMANDS)


def find_command(text: str) -> str:
    """The SMTP command a diagnostic refers to (``RCPT``, ``DATA``...), or ``""``."""
    if not command_known(text):
        return ""
    found: list[str] = []
    padded = " " + text + " "
    for word in _COMMANDS:
        pos = text.find(word)
        if pos < 0:
            continue
        if " " not in word and not _standalone(padded, pos, len(word)):
            continue
        name = word[:4]
        if any(f.startswith(name) for f in found):
            continue
        found.append({"STAR": "STARTTLS", "XFOR": "XFORWARD"}.get(name, name))
    return found[-1] if found else ""


def _standalone(padded: str, pos: int, size: int) -> bool:
    """A command word not glued to letters or digits (DATABASE@, EMAIL.EXAMPLE)."""
    before, after = padded[pos], padded[pos + size + 1]
    return not (before.isalnum() or before == "@" or after.isalnum() or after == "@")


def is_permanent(text: str) -> bool:
    """True when ``text`` reads as a permanent (5xx) failure."""
    if not text:
        return False
    code = find_status(text) or find_reply(text)
    return code.startswith("5") or " permanent " in text.lower()


def is_temporary(text: str) -> bool:
    """True when ``text`` reads as a transient (4xx) failure."""
    if not text:
        return False
    code = find_status(text) or find_reply(text)
    lowered = text.lower()
    return code.startswith("4") or " temporar" in lowered or " persistent" in lowered


def is_hard_bounce(reason: str, text: str) -> bool:
    """Sisimai's ``hardbounce``: unknown user or host, moved, or a permanent notaccept.

    Args:
        reason: The decided reason.
        text: Status code and diagnostic, used only for ``notaccept``.
    """
    if reason in ("userunknown", "hostunknown", "hasmoved"):
        return True
    if reason != "notaccept":
        return False
    if not text:
        return True
    code = find_status(text) or find_reply(text)
    return code.startswith("5") or not is_temporary(text)


#: Sisimai's placeholder codes (``X.0.9NN``): used internally only, never reported.
_PSEUDO = {
    "authfailure": "926", "badreputation": "975", "blocked": "971", "contenterror": "960",
    "exceedlimit": "923", "emailtoolarge": "934", "expired": "947", "failedstarttls": "976",
    "filtered": "910", "hasmoved": "916", "hostunknown": "912", "mailboxfull": "922",
    "mailererror": "939", "mesgtoobig": "934", "networkerror": "944", "norelaying": "909",
    "notaccept": "932", "notcompliantrfc": "974", "onhold": "901", "policyviolation": "972",
    "rejected": "918", "requireptr": "973", "securityerror": "970", "spamdetected": "980",
    "speeding": "946", "ratelimited": "946", "suppressed": "903", "suspend": "921",
    "systemerror": "930", "systemfull": "931", "syntaxerror": "902", "toomanyconn": "945",
    "userunknown": "911", "undefined": "900", "virusdetected": "981",
}  # fmt: skip


def pseudo_status(reason: str, temporary: bool) -> str:
    """Sisimai's placeholder ``X.0.9NN`` for ``reason`` (``""`` when it has none)."""
    number = _PSEUDO.get(reason, "")
    if not number or (temporary and reason in ("hasmoved", "hostunknown", "userunknown")):
        return ""
    if temporary and reason == "filtered":
        number = "924"
    return ("4.0." if temporary else "5.0.") + number
