"""``maildoctor explain`` for replies: a reply line or a whole NDR -> what it means.

:func:`explain_reply` reads one reply line; :func:`explain_notice` reads a pasted
non-delivery report (each bounced recipient's reply). Both go through the same
classifier as ``bounce``, ``logs`` and the probes, and attach the catalogue entry of
the cause (its fix and what the fix does not fix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import catalogue
from ..model import Layer
from .classify import classify
from .model import ReplyVerdict

__all__ = [
    "EXPLAIN_SCHEMA",
    "Explained",
    "explain_notice",
    "explain_reply",
    "looks_like_reply",
    "redact",
]

#: Who can act, by the layer of the cause, when the rule names no one.
WHO = {
    Layer.CLIENT: "the sender: the sending program's or relay account's settings",
    Layer.PROVIDER: "the owner of the sending-service account (for SES, the AWS account)",
    Layer.DNS: "the sender's DNS administrator",
    Layer.TRANSPORT: "the operators of the sending and receiving servers",
    Layer.RECIPIENT: "the recipient's mail administrator, or the sender where the reply "
    "names something the sender controls",
    Layer.MESSAGE: "the sender: the message itself",
}

_REPLY_LINE = re.compile(r"^\s*[245]\d\d(?:[\s-]|$)|^\s*[245]\.\d{1,3}\.\d{1,3}\b")
#: A pasted transcript may hold a login: the argument of AUTH, and the client's answers
#: to ``334`` challenges, are never echoed.
_AUTH_ARGUMENT = re.compile(r"(?i)\b(AUTH\s+[A-Z0-9-]+)\s+\S+")
_CHALLENGE_ANSWER = re.compile(r"(?m)^(\s*334[ -][^\n]*\n)[^\n]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Explained:
    """One reply and what it means."""

    text: str
    verdict: ReplyVerdict
    recipient: str = ""
    host: str = ""

    @property
    def who(self) -> str:
        """Who can fix it."""
        rule = self.verdict.rule
        return rule.who if rule and rule.who else WHO[self.verdict.layer]

    @property
    def entry(self) -> catalogue.Entry | None:
        """The catalogue entry of the cause, if there is one."""
        cause = self.verdict.cause or self.verdict.note
        return catalogue.get(cause) if cause else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (``explain --format json``; see :data:`EXPLAIN_SCHEMA`)."""
        entry = self.entry
        return {
            "text": self.text,
            "recipient": self.recipient,
            "host": self.host,
            **self.verdict.to_dict(),
            "who": self.who,
            "fix_steps": list(entry.fix) if entry else [],
            "does_not_fix": list(entry.does_not_fix) if entry else [],
            "references": list(entry.references) if entry else [],
            "title": entry.title if entry else "",
        }


def looks_like_reply(text: str) -> bool:
    """True for text that reads as an SMTP reply rather than a catalogue id."""
    text = text.strip()
    return bool(_REPLY_LINE.match(text)) or " " in text


def explain_reply(text: str, *, host: str = "") -> Explained:
    """What one reply line means (``explain "550 5.7.515 Access denied, ..."``).

    Args:
        text: The reply, code first (``550 5.7.515 ...``) or just its text.
        host: The server that said it, if known.
    """
    text = " ".join(redact(text).split())[:4000]
    return Explained(text=text, verdict=classify(text, host=host, context="explain"), host=host)


def redact(text: str) -> str:
    """``text`` without SMTP AUTH arguments or the answers to ``334`` challenges."""
    text = _CHALLENGE_ANSWER.sub(r"\1[redacted]", text)
    return _AUTH_ARGUMENT.sub(r"\1 [redacted]", text)


def explain_notice(raw: bytes) -> tuple[Explained, ...]:
    """Each bounced recipient's reply in a whole NDR (``explain -``).

    A notice the bounce reader does not recognise is read as reply lines instead: every
    line that starts with a reply code. Empty when there is neither.
    """
    from ..bounce import classify_bytes

    records = [r for r in classify_bytes(raw) if r.reason not in ("delivered", "vacation")]
    if records:
        return tuple(
            Explained(
                text=r.diagnostic or " ".join(x for x in (r.reply_code, r.status) if x),
                verdict=classify(
                    r.diagnostic,
                    code=r.reply_code,
                    status=r.status,
                    host=r.remote_mta,
                    reporting_host=r.reporting_mta,
                    recipient_domain=r.domain,
                    step=r.command,
                    notice=r.notice,
                    reason=r.reason,
                    context="bounce",
                ),
                recipient=r.recipient,
                host=r.remote_mta,
            )  # fmt: skip
            for r in records
        )
    text = redact(raw.decode("utf-8", "replace"))
    lines = [ln for ln in text.splitlines() if _REPLY_LINE.match(ln)][:50]
    return tuple(explain_reply(ln) for ln in lines)


_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}

#: JSON schema of ``maildoctor explain --format json`` for replies and notices.
EXPLAIN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://maildoctor.invalid/explain.schema.json",
    "title": "maildoctor explain (replies)",
    "type": "object",
    "required": ["input", "replies"],
    "additionalProperties": False,
    "properties": {
        "input": {"enum": ["reply", "notice"]},
        "replies": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "reason", "layer", "cause", "hard", "temporary", "who",
                             "meaning", "fix_steps", "does_not_fix", "source"],
                "properties": {
                    "text": _STR, "recipient": _STR, "host": _STR, "reason": _STR,
                    "layer": {"enum": [str(x) for x in Layer]}, "cause": _STR,
                    "hard": {"type": "boolean"}, "temporary": {"type": "boolean"},
                    "provider": _STR, "rule": _STR, "meaning": _STR, "fix": _STR,
                    "who": _STR, "source": _STR, "blocklist": _STR, "note": _STR,
                    "title": _STR, "fix_steps": _STRS, "does_not_fix": _STRS,
                    "references": _STRS,
                },
            },
        },
    },
}  # fmt: skip
