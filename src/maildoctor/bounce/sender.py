"""Whose mail a bounce is about: this diagnosis's sender, or someone else's.

A bounce counts as evidence only when the bounced message came from the sender's
organizational domain (RFC 7489 section 3.2) - ``bounce.example.com`` counts for
``admin@example.com`` - or from an unknown sender, which cannot be ruled out. A bounce
about another sender's message is shown, never used as evidence of a cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Evidence, Finding, Layer, Status
from .model import DeliveryStatus

__all__ = ["other_sender_finding", "sender_test"]


def sender_test(domains: Iterable[str]) -> Callable[[str], bool]:
    """A test of a bounced message's sender: is it one of ``domains``' organizations?

    Args:
        domains: The sender's domains (From and MAIL FROM); empty ones are ignored.

    Returns:
        ``(sender address) -> bool``; an address without a domain passes.
    """
    from ..dns.orgdomain import psl_org_domain

    def org(domain: str) -> str:
        domain = domain.strip().rstrip(".").lower()
        return str(psl_org_domain(domain) or domain)

    ours = {org(d) for d in domains if d}

    def about_us(sender: str) -> bool:
        domain = sender.rpartition("@")[2]
        return not domain.strip() or org(domain) in ours

    return about_us


def other_sender_finding(record: DeliveryStatus, n: int, sender: str) -> Finding:
    """``recipient.bounce.other_sender``: a bounce about another sender's message (INFO).

    Args:
        record: The bounced recipient.
        n: The record's position (keeps evidence ids unique).
        sender: This diagnosis's sender, named in the summary.

    Returns:
        The finding.
    """
    code = " ".join(c for c in (record.reply_code, record.status) if c) or record.reason
    raw = (record.diagnostic, record.origin and f"from {record.origin}")
    return Finding(
        check="recipient.bounce.other_sender",
        layer=Layer.RECIPIENT,
        status=Status.INFO,
        subject=record.recipient,
        summary=f"bounce for {record.recipient} ({code}) is about a message from "
        f"{record.sender}, another sender than {sender}: not used as evidence",
        detail="The bounced message was sent from another organizational domain, so what the "
        "recipient's server said about it says nothing about mail from this sender.",
        evidence=(
            Evidence(
                id=f"bounce-other:{n}:{record.recipient}",
                source="bounce",
                query=f"delivery to {record.recipient}",
                server=record.remote_mta or record.reporting_mta or None,
                outcome=code,
                raw=tuple(x for x in raw if x),
            ),
        ),
        data={"sender": record.sender, "reason": record.reason, "status": record.status},
    )
