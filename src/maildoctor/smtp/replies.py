"""What SMTP replies mean, for the probes: a thin view of :mod:`maildoctor.replies`.

The table itself lives in :data:`maildoctor.replies.RULES` (one classifier for bounces,
logs, probes and ``explain``). :func:`interpret` reads one reply a probe received from
``host`` through it; :func:`vendor_for_host` names the vendor of a host for the probe's
plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Layer
from ..replies import ReplyVerdict, classify, provider_for_host
from .client import SmtpReply

__all__ = ["Interpretation", "ReplyView", "interpret", "vendor_for_host"]

_VENDORS = {"ses": "ses", "microsoft": "microsoft", "google": "gmail"}


def vendor_for_host(host: str) -> str:
    """``ses``, ``microsoft``, ``gmail`` or ``any`` for a server's host name."""
    return _VENDORS.get(provider_for_host(host), "any")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyView:
    """The part of a verdict a probe's finding shows."""

    reason: str
    layer: Layer
    cause: str
    meaning: str
    fix: str
    reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Interpretation:
    """A reply read through the classifier (``verdict`` is None for positive replies)."""

    reply: SmtpReply
    verdict: ReplyVerdict | None

    @property
    def rule(self) -> ReplyView | None:
        """What the finding shows, or None for a positive reply."""
        v = self.verdict
        if v is None:
            return None
        return ReplyView(reason=v.reason, layer=v.layer, cause=v.cause, meaning=v.meaning,
                         fix=v.fix, reference=v.source)  # fmt: skip

    @property
    def cause(self) -> str:
        return self.verdict.cause if self.verdict else ""

    @property
    def meaning(self) -> str:
        return self.verdict.meaning if self.verdict else "accepted"


def interpret(
    reply: SmtpReply, *, host: str, step: str = "", context: str = "smtp"
) -> Interpretation:
    """Read a non-positive reply from ``host`` (positive replies are simply accepted).

    Args:
        reply: The reply.
        host: The server that sent it.
        step: The SMTP command it answers (``AUTH``, ``RCPT`` ...), if known.
        context: ``smtp`` (a relay probe) or ``mx`` (an MX probe).
    """
    if reply.ok:
        return Interpretation(reply=reply, verdict=None)
    verdict = classify(
        reply.text,
        code=str(reply.code),
        status=reply.enhanced_status,
        host=host,
        step=step,
        context=context,
    )
    return Interpretation(reply=reply, verdict=verdict)
