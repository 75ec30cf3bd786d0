"""Bounce reasons: phrase tables, the status-code table and their precedence.

The vocabulary and the tables are Sisimai's (``lib/sisimai/reason/*.rb``,
``smtp/status.rb``; BSD 2-Clause), which the reference corpus is labelled with.
Classification is data:

* :data:`PHRASES` — per reason, lower-case phrases and ordered word sequences
  (``("mailbox ", "full")`` means "mailbox " followed later by "full");
* :data:`STATUS_REASONS` — what an RFC 3463 code means on its own;
* :data:`CLASS_ORDER` — which reason wins when several match (Sisimai's
  ``ClassOrder``): the first list is tried with each reason's full probe (status
  code, command, phrases), the second with phrases only when the status code said
  nothing definite, the third for bare text (:func:`match_text`).

Older Sisimai names map onto current ones: ``mesgtoobig``/``exceedlimit`` ->
``emailtoolarge``; ``speeding``/``toomanyconn`` -> ``ratelimited``. Their
phrase lists stay separate here because they sit at different ranks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ._text import aligned, contains_any
from .codes import status_valid
from .phrase_keys import CONN, EXCEED, FAST, MESG, Pairs
from .phrases_a_n import PHRASES_A_N
from .phrases_p_z import PHRASES_P_Z

__all__ = [
    "CLASS_ORDER",
    "PHRASES",
    "REASONS",
    "STATUS_REASONS",
    "Facts",
    "find_reason",
    "included",
    "match_text",
    "status_reason",
]

#: Every reason maildoctor reports (REFERENCE.md section 5).
REASONS = frozenset(
    """authfailure badreputation blocked contenterror delivered emailtoolarge expired
    failedstarttls feedback filtered hasmoved hostunknown mailboxfull mailererror
    networkerror norelaying notaccept notcompliantrfc onhold policyviolation ratelimited
    rejected requireptr securityerror spamdetected suppressed suspend syntaxerror
    systemerror systemfull undefined userunknown vacation virusdetected""".split()
)

#: Old label names -> current names.
ALIASES = {
    "speeding": "ratelimited",
    "toomanyconn": "ratelimited",
    "mesgtoobig": "emailtoolarge",
    "exceedlimit": "emailtoolarge",
}

#: Reasons a source may have guessed that deserve a second look at the text.
RETRY = frozenset(
    ("undefined", "onhold", "systemerror", "securityerror", "expired", "networkerror",
     "hostunknown", "userunknown")
)  # fmt: skip

# Internal table keys: the two halves of "emailtoolarge" and "ratelimited" keep their
# own phrase lists because Sisimai ranks them apart (see phrase_keys.py).
_MESG, _EXCEED, _FAST, _CONN = MESG, EXCEED, FAST, CONN

#: reason -> (phrases, ordered word sequences). All lower case. The data lives in
#: phrases_a_n.py and phrases_p_z.py; order is the table's original order.
PHRASES: dict[str, tuple[tuple[str, ...], Pairs]] = {**PHRASES_A_N, **PHRASES_P_Z}

#: Rejected never matches these (they name the recipient or the client IP).
_REJECTED_NOT = (
    "5.1.0 address rejected",
    "recipient address rejected",
    "sender ip address rejected",
)

#: RFC 3463 code -> reason, when the code alone is decisive (Sisimai ``StandardCode``).
STATUS_REASONS: dict[str, str] = {
    "2.1.5": "delivered",
    "4.1.6": "hasmoved", "4.1.7": "rejected", "4.1.8": "rejected", "4.1.9": "systemerror",
    "4.2.1": "blocked", "4.2.2": "mailboxfull", "4.2.3": _EXCEED, "4.2.4": "filtered",
    "4.3.1": "systemfull", "4.3.2": "notaccept", "4.3.3": "systemerror",
    "4.3.5": "systemerror", "4.4.1": "expired", "4.4.2": "networkerror",
    "4.4.3": "systemerror", "4.4.4": "networkerror", "4.4.5": "systemfull",
    "4.4.6": "networkerror", "4.4.7": "expired", "4.4.8": "networkerror",
    "4.5.3": "systemerror", "4.5.5": "systemerror", "4.6.0": "contenterror",
    "4.6.2": "contenterror", "4.6.5": "contenterror", "4.7.1": "blocked", "4.7.2": "blocked",
    "4.7.5": "securityerror", "4.7.6": "securityerror", "4.7.7": "securityerror",
    "4.7.12": "securityerror", "4.7.15": "securityerror", "4.7.16": _MESG,
    "4.7.24": "authfailure", "4.7.25": "requireptr", "4.7.26": "authfailure",
    "5.1.0": "userunknown", "5.1.1": "userunknown", "5.1.2": "hostunknown",
    "5.1.3": "userunknown", "5.1.4": "filtered", "5.1.6": "hasmoved", "5.1.7": "rejected",
    "5.1.8": "rejected", "5.1.9": "systemerror", "5.1.10": "notaccept", "5.2.0": "filtered",
    "5.2.1": "filtered", "5.2.2": "mailboxfull", "5.2.3": _EXCEED, "5.2.4": "filtered",
    "5.3.0": "systemerror", "5.3.1": "systemfull", "5.3.2": "notaccept",
    "5.3.3": "systemerror", "5.3.4": _MESG, "5.3.5": "systemerror", "5.4.0": "networkerror",
    "5.4.3": "systemerror", "5.4.4": "hostunknown", "5.5.2": "syntaxerror",
    "5.5.3": _CONN, "5.5.4": "systemerror", "5.5.5": "systemerror", "5.5.6": "syntaxerror",
    "5.6.0": "contenterror", "5.6.1": "contenterror", "5.6.2": "contenterror",
    "5.6.3": "contenterror", "5.6.5": "contenterror", "5.6.6": "contenterror",
    "5.6.7": "contenterror", "5.6.8": "contenterror", "5.6.9": "contenterror",
    "5.7.0": "securityerror", "5.7.1": "securityerror", "5.7.2": "securityerror",
    "5.7.3": "securityerror", "5.7.4": "securityerror", "5.7.5": "securityerror",
    "5.7.6": "securityerror", "5.7.7": "securityerror", "5.7.8": "securityerror",
    "5.7.9": "securityerror", "5.7.10": "securityerror", "5.7.11": "securityerror",
    "5.7.13": "suspend", "5.7.14": "securityerror", "5.7.15": "securityerror",
    "5.7.16": _MESG, "5.7.17": "hasmoved", "5.7.18": "hasmoved", "5.7.19": "securityerror",
    "5.7.20": "authfailure", "5.7.21": "authfailure", "5.7.22": "authfailure",
    "5.7.23": "authfailure", "5.7.24": "authfailure", "5.7.25": "requireptr",
    "5.7.26": "authfailure", "5.7.27": "notaccept", "5.7.28": "spamdetected",
    "5.7.29": "authfailure", "5.7.30": "failedstarttls",
}  # fmt: skip

#: Internal table key -> reported reason.
_PUBLIC = {_MESG: "emailtoolarge", _EXCEED: "emailtoolarge", _FAST: "ratelimited",
           _CONN: "ratelimited"}  # fmt: skip


def public(name: str) -> str:
    """The reported name of an internal table key (``speeding`` -> ``ratelimited``)."""
    return _PUBLIC.get(name, ALIASES.get(name, name))


def status_reason(code: str) -> str:
    """What ``code`` means by itself (internal key), or ``""``."""
    return STATUS_REASONS.get(code, "") if status_valid(code) else ""


def included(reason: str, text: str) -> bool:
    """True when lower-cased ``text`` contains a phrase of ``reason``'s table."""
    if not text:
        return False
    phrases, pairs = PHRASES[reason]
    if reason == "rejected" and contains_any(text, _REJECTED_NOT):
        return False
    # Plain loops: this is the hottest code of bounce reading, and a loop is about a
    # third faster than any() over a generator.
    for phrase in phrases:
        if phrase in text:
            return True
    for parts in pairs:
        if parts[0] in text and aligned(text, parts):
            return True
    return False


@dataclass(slots=True)
class Facts:
    """What the reason rules look at (Sisimai's ``fo`` while deciding).

    Attributes:
        reason: A reason the source already suggested, or ``""``.
        status: Enhanced status code, or ``""``.
        diagnostic: The remote text (any case; matched lower-cased).
        diagnostic_type: ``SMTP``, ``X-UNIX``... or ``""``.
        command: Last SMTP command, or ``""``.
        reply_code: SMTP reply code, or ``""``.
        action: RFC 3464 action.
    """

    reason: str = ""
    status: str = ""
    diagnostic: str = ""
    diagnostic_type: str = ""
    command: str = ""
    reply_code: str = ""
    action: str = ""
    lowered: str = ""
    coded: str = ""
    _matches: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lowered = self.diagnostic.lower()
        self.coded = status_reason(self.status)

    def says(self, reason: str) -> bool:
        """True when the text holds a phrase of ``reason``'s table (memoised)."""
        found = self._matches.get(reason)
        if found is None:
            found = self._matches[reason] = included(reason, self.lowered)
        return found


_BEFORE_DATA = ("CONN", "EHLO", "HELO", "MAIL", "RCPT")


def _by_code_or_text(name: str) -> Callable[[Facts], bool]:
    def probe(f: Facts) -> bool:
        return f.reason == name or f.coded == name or f.says(name)

    return probe


def _by_text(name: str) -> Callable[[Facts], bool]:
    def probe(f: Facts) -> bool:
        return f.reason == name or f.says(name)

    return probe


def _probe_size(f: Facts) -> bool:
    # Status 5.3.4 or 5.2.3, or "message too big" / "message header size exceeds limit"
    return (
        f.reason in ("emailtoolarge", _MESG, _EXCEED)
        or f.coded in (_MESG, _EXCEED)
        or f.says(_MESG)
        or f.says(_EXCEED)
    )


def _probe_rate(f: Facts) -> bool:
    return (
        f.reason in ("ratelimited", _FAST, _CONN)
        or f.says(_FAST)
        or f.coded == _CONN
        or f.says(_CONN)
    )


def _probe_suspend(f: Facts) -> bool:
    return f.reason == "suspend" or f.reply_code == "525" or f.says("suspend")


def _probe_norelaying(f: Facts) -> bool:
    if f.reason == "norelaying":
        return True
    if f.reason in ("securityerror", "systemerror", "undefined"):
        return False
    return f.command not in ("CONN", "EHLO", "HELO") and f.says("norelaying")


def _probe_userunknown(f: Facts) -> bool:
    if f.reason == "userunknown":
        return True
    coded = f.coded
    if coded == "suspend":
        return False
    if coded == "userunknown":
        # 5.1.1 unless the text says relaying, blocking, a full box, a move, the sender
        others = ("norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept")
        return not any(f.says(o) for o in others)
    return f.command == "RCPT" and f.says("userunknown")


def _probe_filtered(f: Facts) -> bool:
    if f.reason == "filtered":
        return True
    coded = f.coded
    if coded == "suspend":
        return False
    if coded != "filtered" and f.command in _BEFORE_DATA:
        # Content filters read the message after DATA; earlier refusals are not "filtered".
        return False
    return f.says("filtered") or f.says("userunknown")


def _probe_contenterror(f: Facts) -> bool:
    if f.reason == "contenterror":
        return True
    if _probe_spam(f):
        return False
    return f.coded == "contenterror" or f.says("contenterror")


def _probe_rejected(f: Facts) -> bool:
    if f.reason == "rejected":
        return True
    coded = f.coded or "undefined"
    if coded == "rejected":
        return True
    if f.command == "MAIL":
        return f.says("rejected")
    if f.command == "DATA":
        return coded != "userunknown" and f.says("rejected")
    if coded in ("onhold", "undefined", "securityerror", "systemerror"):
        return f.says("rejected")
    return False


def _probe_hostunknown(f: Facts) -> bool:
    if f.reason == "hostunknown":
        return True
    if f.coded == "hostunknown":
        # A DNS failure is not an unknown host.
        return not f.says("networkerror")
    return f.says("hostunknown")


def _probe_spam(f: Facts) -> bool:
    if not f.status:
        return False
    if f.reason == "spamdetected" or f.coded == "spamdetected":
        return True
    return f.command not in _BEFORE_DATA and f.says("spamdetected")


#: ClassOrder[0]: reason -> probe, in precedence order.
PROBES: tuple[tuple[str, Callable[[Facts], bool]], ...] = (
    ("mailboxfull", _by_code_or_text("mailboxfull")),
    ("emailtoolarge", _probe_size),
    ("suspend", _probe_suspend),
    ("hasmoved", _by_text("hasmoved")),
    ("norelaying", _probe_norelaying),
    ("authfailure", _by_code_or_text("authfailure")),
    ("userunknown", _probe_userunknown),
    ("filtered", _probe_filtered),
    ("requireptr", _by_code_or_text("requireptr")),
    ("notcompliantrfc", _by_text("notcompliantrfc")),
    ("badreputation", _by_text("badreputation")),
    ("contenterror", _probe_contenterror),
    ("rejected", _probe_rejected),
    ("hostunknown", _probe_hostunknown),
    ("spamdetected", _probe_spam),
    ("ratelimited", _probe_rate),
    ("blocked", _by_code_or_text("blocked")),
)

#: The three precedence lists (Sisimai ``ClassOrder``), by internal table key.
CLASS_ORDER: tuple[tuple[str, ...], ...] = (
    tuple(name for name, _ in PROBES),
    (
        "mailboxfull", "authfailure", "badreputation", _FAST, "spamdetected", "virusdetected",
        "policyviolation", "norelaying", "systemerror", "networkerror", "suspend",
        "contenterror", "systemfull", "notaccept", "expired", "failedstarttls",
        "securityerror", "suppressed", "mailererror",
    ),
    (
        "mailboxfull", _MESG, _EXCEED, "suspend", "userunknown", "filtered", "rejected",
        "hostunknown", "spamdetected", _FAST, _CONN, "blocked", "authfailure",
        "failedstarttls", "securityerror", "systemerror", "networkerror", "expired",
        "contenterror", "hasmoved", "systemfull", "notaccept", "mailererror", "norelaying",
        "suppressed",
    ),
)  # fmt: skip


def find_reason(facts: Facts) -> str:
    """Decide the reason from status, command and text (Sisimai ``Reason.find``).

    Args:
        facts: What the message says about one recipient.

    Returns:
        A reason name; ``onhold`` when there is text but nothing matched, and
        ``undefined`` when there is nothing to go on.
    """
    if facts.reason and facts.reason not in RETRY:
        return public(facts.reason)
    if facts.status.startswith("2."):
        return "delivered"
    found = ""
    if facts.diagnostic_type in ("SMTP", ""):
        found = next((name for name, probe in PROBES if probe(facts)), "")
    if found:
        return found
    found = _another(facts)
    if not found and facts.action in ("delayed", "expired"):
        return "expired"
    if found:
        return public(found)
    if facts.says("vacation"):
        return "vacation"
    return "onhold" if facts.diagnostic else "undefined"


def _another(facts: Facts) -> str:
    """The fallback when no probe matched (Sisimai ``Reason.anotherone``)."""
    if facts.reason and facts.reason not in ("undefined", "onhold"):
        return facts.reason
    coded = facts.coded
    if coded and coded not in RETRY and facts.diagnostic_type == "SMTP":
        return coded
    for name in CLASS_ORDER[1]:
        if facts.says(name):
            return name
    if coded:
        return coded
    return _by_shape(facts)


def _by_shape(facts: Facts) -> str:
    """Last resort: the status subject, the diagnostic type, the reply, the action."""
    subject = facts.status[:3]
    if subject in ("5.6", "4.6"):
        return "contenterror"
    if subject in ("5.7", "4.7"):
        return "securityerror"
    if facts.diagnostic_type.startswith("X-UNIX"):
        return "mailererror"
    if facts.reply_code.isdigit():
        reply = int(facts.reply_code)
        if 400 < reply < 408 or 500 < reply < 508:
            return "syntaxerror"
    if facts.action in ("delayed", "expired"):
        return "expired"
    if facts.command in ("EHLO", "HELO"):
        return "blocked"
    return ""


def match_text(text: str) -> str:
    """The reason a bare error message points at (Sisimai ``Reason.match``)."""
    lowered = text.lower()
    for name in CLASS_ORDER[2]:
        if included(name, lowered):
            return public(name)
    if "x-unix; " in lowered:
        return "mailererror"
    from .codes import find_status

    return public(status_reason(find_status(text))) or "undefined"


#: Local delivery agents: agent -> (markers, reason -> phrases) (Sisimai ``lda``).
LOCAL_AGENTS: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    # dovecot/src/deliver/deliver.c: "Your message to <%t> was automatically rejected:%n%r"
    "dovecot": (
        ("your message to <", "> was automatically rejected:"),
        {"mailboxfull": ("not enough disk space", "quota exceeded",
                         "quota exceeded (mailbox for user is full)"),
         "userunknown": ("mailbox doesn't exist: ",)},
    ),
    "mail.local": (
        ("mail.local: ",),
        {"mailboxfull": ("disc quota exceeded", "mailbox full or quota exceeded"),
         "systemerror": ("temporary file write error",),
         "userunknown": (": invalid mailbox path", ": unknown user:",
                         ": user missing home directory", ": user unknown")},
    ),
    "procmail": (
        ("procmail: ", "/procmail "),
        {"mailboxfull": ("quota exceeded while writing", "user over quota"),
         "systemerror": ("service unavailable",),
         "systemfull": ("no space left to finish writing",)},
    ),
    "maildrop": (
        ("maildrop: ",),
        {"mailboxfull": ("maildir over quota.",),
         "userunknown": ("cannot find system user", "invalid user specified.")},
    ),
    "vpopmail": (
        ("vdelivermail: ",),
        {"filtered": ("user does not exist, but will deliver to ",),
         "mailboxfull": ("domain is over quota", "user is over quota"),
         "suspend": ("account is locked email bounced",),
         "userunknown": ("sorry, no mailbox here by that name.",)},
    ),
    "vmailmgr": (
        ("vdeliver: ",),
        {"mailboxfull": ("delivery failed due to system quota violation",),
         "userunknown": ("invalid or unknown base user or domain",
                         "invalid or unknown virtual user",
                         "user name does not refer to a virtual user")},
    ),
}  # fmt: skip


def local_agent_reason(diagnostic: str, command: str) -> str:
    """The reason a local delivery agent's message gives (``mailererror`` if unknown)."""
    if not diagnostic or command not in ("", "DATA"):
        return ""
    lowered = diagnostic.lower()
    for markers, table in LOCAL_AGENTS.values():
        if not any(m in lowered for m in markers):
            continue
        return next((r for r, words in table.items() if any(w in lowered for w in words)),
                    "mailererror")  # fmt: skip
    return ""
