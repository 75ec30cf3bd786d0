"""Shapes of the reply classifier: one rule of the table, one verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Layer

__all__ = ["CONTEXTS", "ReplyVerdict", "Rule"]

#: Where a reply was read: a bounce, a log line, an SMTP probe (the relay), an MX probe,
#: or text pasted into ``explain``.
CONTEXTS = frozenset(("bounce", "log", "smtp", "mx", "explain"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One row of the reply table: conditions, then what a matching reply means.

    Conditions (all that are set must hold):
        provider: The provider whose servers must have said it (``ses``, ``microsoft``,
            ``google``, ``yahoo`` ...); ``""`` for any server. A provider's rules are
            just more rows with this field set.
        code: Reply code or its leading digits ("5" matches every 5xx).
        status: Regex over the enhanced status code (full match).
        phrases: Lower-case phrases; one must appear in the text.
        steps: SMTP steps (``AUTH``, ``RCPT``, ``DATA`` ...) the reply must answer.
        reasons: Reasons the reply must already have (refinement rows).
        notice: The kind of notice (``gmail-send-as``).
        contexts: Where the reply must have been read (empty: anywhere).
        side: ``inbound`` (our server answering a client) or ``outbound``; "" for either.

    Meaning:
        reason: The Sisimai reason it asserts ("" keeps the reason already decided).
        layer, cause: Where the root cause lies and its catalogue id ("" for none).
        meaning: One line for people.
        fix: What to do (the catalogue entry has the steps).
        who: Who can fix it.
        source: RFC section or the provider's document URL.
        examples: Real reply texts this rule is written for (tested one by one).
        note: A catalogue note to show beside it.
    """

    id: str
    provider: str = ""
    code: str = ""
    status: str = ""
    phrases: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    reasons: frozenset[str] = frozenset()
    notice: str = ""
    contexts: frozenset[str] = frozenset()
    side: str = ""
    reason: str = ""
    layer: Layer = Layer.RECIPIENT
    cause: str = ""
    meaning: str = ""
    fix: str = ""
    who: str = ""
    source: str
    examples: tuple[str, ...]
    note: str = ""
    _status: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.status:
            object.__setattr__(self, "_status", re.compile(self.status))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyVerdict:
    """What one reply means.

    Attributes:
        reason: Sisimai's reason word (REFERENCE.md section 5).
        layer: The layer the cause belongs to.
        cause: Catalogue id of the root cause, or "".
        hard: True for a hard bounce (Sisimai: userunknown, hostunknown, hasmoved, a
            permanent notaccept): the address itself is bad; do not retry.
        temporary: True when the server asked to try again later (4xx).
        provider: The provider whose server said it, or "".
        rule: The rule of the table that decided the cause, if one did.
        blocklist: The public blocklist named in the text ("zen.spamhaus.org"), if any.
        note: A catalogue note to read beside the cause, or "".
    """

    reason: str
    layer: Layer
    cause: str
    hard: bool
    temporary: bool
    provider: str = ""
    rule: Rule | None = None
    blocklist: str = ""
    note: str = ""

    @property
    def meaning(self) -> str:
        """One line for people."""
        if self.rule and self.rule.meaning:
            return self.rule.meaning
        return _GENERIC.get(self.reason, "the server refused")

    @property
    def fix(self) -> str:
        """What to do, in one line ("" when the catalogue entry is the whole answer)."""
        return self.rule.fix if self.rule else ""

    @property
    def source(self) -> str:
        """The RFC or document the verdict rests on."""
        return self.rule.source if self.rule else _RFC3463

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (``explain --format json``)."""
        return {
            "reason": self.reason,
            "layer": str(self.layer),
            "cause": self.cause,
            "hard": self.hard,
            "temporary": self.temporary,
            "provider": self.provider,
            "rule": self.rule.id if self.rule else "",
            "meaning": self.meaning,
            "fix": self.fix,
            "who": self.rule.who if self.rule and self.rule.who else "",
            "source": self.source,
            "blocklist": self.blocklist,
            "note": self.note,
        }


_RFC3463 = "RFC 3463 (enhanced status codes); RFC 5321 section 4.2.1 (reply codes)"

#: One line per reason when no rule of the table matched (Sisimai's reason documentation).
_GENERIC = {
    "authfailure": "the message failed SPF, DKIM or DMARC at the receiver",
    "badreputation": "the receiver distrusts the sending IP or domain (reputation)",
    "blocked": "the receiver refused the sending IP address or host",
    "contenterror": "the receiver refused the message's content or format",
    "delivered": "accepted",
    "emailtoolarge": "the message is too large for the receiver",
    "expired": "delivery was given up after retrying for too long",
    "failedstarttls": "STARTTLS or a required TLS connection failed",
    "feedback": "a complaint (feedback report) about a message",
    "filtered": "the recipient's filters refused the message",
    "hasmoved": "the recipient's address has moved",
    "hostunknown": "the recipient's domain does not exist or has no mail server",
    "mailboxfull": "the recipient's mailbox is full",
    "mailererror": "the receiving mail program failed",
    "networkerror": "a network or DNS problem stopped delivery",
    "norelaying": "the server does not relay for that domain",
    "notaccept": "the domain accepts no mail (null MX)",
    "notcompliantrfc": "the message does not follow RFC 5322",
    "onhold": "the reason could not be decided from the text",
    "policyviolation": "the receiver's policy refused the message",
    "ratelimited": "too many messages or connections: the receiver slows the sender down",
    "rejected": "the receiver refused the sender (envelope MAIL FROM)",
    "requireptr": "the sending IP has no (matching) reverse DNS",
    "securityerror": "authentication or a security check failed",
    "spamdetected": "the receiver judged the message to be spam",
    "suppressed": "the provider did not send: the address is on a suppression list",
    "suspend": "the recipient's mailbox is suspended or disabled",
    "syntaxerror": "an SMTP command or its arguments were malformed",
    "systemerror": "the receiver had an internal error",
    "systemfull": "the receiver's disk is full",
    "undefined": "no reason could be read",
    "userunknown": "the recipient address does not exist",
    "vacation": "an automatic reply, not a failure",
    "virusdetected": "the receiver found a virus in the message",
}
