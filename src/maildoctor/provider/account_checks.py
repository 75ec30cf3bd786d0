"""The account checks every sending service shares, over :class:`SenderAccount`.

:func:`check_account` asks the three questions concurrently - does the service send from
the sender, is the sender's domain's DKIM (and return path) set up there, is any
recipient suppressed - and :func:`evaluate` (pure) turns the answers into findings whose
causes are the service's own (``account.causes``): SendGrid's unverified Sender
Identity, Postmark's unconfirmed sender signature, SES's unverified identity.
A call that could not be answered is an ``error`` finding saying why, never a pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from ..model import Finding, FindingMaker, Layer, Status
from .base import DomainAuth, Fetched, SenderAccount, SenderStatus, Suppression, Verification

__all__ = ["check_account", "evaluate"]


async def check_account(
    account: SenderAccount, *, sender: str, recipients: Sequence[str] = ()
) -> tuple[Finding, ...]:
    """Ask ``account`` about the sender, its domain and the recipients.

    Args:
        account: The sending service.
        sender: The From address.
        recipients: Addresses to look up on the suppression lists.

    Returns:
        Findings under ``provider.<service>.*``; never raises for the service's trouble.
    """
    domain = sender.rpartition("@")[2].lower()
    answers = await asyncio.gather(
        account.sender(sender),
        account.domain(domain),
        *(account.suppressed(r) for r in recipients),
    )
    sender_status, domain_auth = answers[0], answers[1]
    suppressions = dict(zip(recipients, answers[2:], strict=True))
    return evaluate(
        account.name,
        account.causes,
        sender=sender_status,  # type: ignore[arg-type]
        domain=domain_auth,  # type: ignore[arg-type]
        suppressions=suppressions,  # type: ignore[arg-type]
    )


def evaluate(
    service: str,
    causes: Mapping[str, str],
    *,
    sender: Fetched[SenderStatus],
    domain: Fetched[DomainAuth],
    suppressions: Mapping[str, Fetched[Suppression]],
) -> tuple[Finding, ...]:
    """Findings from a service's answers (pure).

    Args:
        service: The service's name (``sendgrid``), first part of the check ids.
        causes: The service's catalogue ids for ``sender``, ``dkim`` and ``suppressed``.
        sender: What the service said about the From address.
        domain: What it said about the From domain.
        suppressions: Per recipient, what it said about its suppression.

    Returns:
        One finding per question (and per recipient).
    """
    make = FindingMaker(f"provider.{service}", Layer.PROVIDER)
    found = [_sender(make, causes, sender), _domain(make, causes, domain)]
    found += [_suppression(make, causes, r, f) for r, f in suppressions.items()]
    return tuple(found)


def _failed(make: FindingMaker, check: str, subject: str, fetched: Fetched[object]) -> Finding:
    assert fetched.failure is not None
    return make(
        check,
        Status.ERROR,
        subject,
        f"could not ask: {fetched.failure.describe()}",
        evidence=(fetched.evidence,),
        data={"failure": str(fetched.failure.kind)},
    )


def _sender(
    make: FindingMaker, causes: Mapping[str, str], fetched: Fetched[SenderStatus]
) -> Finding:
    if fetched.failure is not None or fetched.value is None:
        return _failed(make, "sender", "sender", fetched)  # type: ignore[arg-type]
    status = fetched.value
    data = {"covered_by": status.covered_by, "state": str(status.state)}
    if status.verified:
        return make(
            "sender",
            Status.PASS,
            status.address,
            f"the service sends from {status.address} (verified: {status.covered_by})",
            evidence=(fetched.evidence,),
            data=data,
        )
    why = f"{status.covered_by} is {status.state}" if status.covered_by else "no identity covers it"
    return make(
        "sender",
        Status.FAIL,
        status.address,
        f"the service will not send from {status.address}: {why}",
        evidence=(fetched.evidence,),
        cause=causes["sender"],
        fix="Verify the address, or authenticate its domain, in the sending service.",
        data=data,
    )


def _domain(make: FindingMaker, causes: Mapping[str, str], fetched: Fetched[DomainAuth]) -> Finding:
    if fetched.failure is not None or fetched.value is None:
        return _failed(make, "domain", "domain", fetched)  # type: ignore[arg-type]
    auth = fetched.value
    data = {
        "known": auth.known,
        "dkim": str(auth.dkim),
        "return_path": str(auth.return_path),
        "return_path_domain": auth.return_path_domain,
    }
    if auth.dkim is Verification.SUCCESS:
        rp = (
            f"; return path {auth.return_path_domain} {auth.return_path}"
            if auth.return_path_domain
            else ""
        )
        return make(
            "domain",
            Status.PASS,
            auth.domain,
            f"DKIM for {auth.domain} is verified by the service{rp}",
            evidence=(fetched.evidence,),
            data=data,
        )
    what = "is not set up in the service" if not auth.known else f"DKIM is {auth.dkim}"
    return make(
        "domain",
        Status.FAIL if auth.known else Status.WARN,
        auth.domain,
        f"{auth.domain}: {what}; the service signs for its own domain, which DMARC cannot align",
        evidence=(fetched.evidence,),
        cause=causes["dkim"] if auth.known else "",
        fix="Publish the DKIM (and return-path) records the service gives for the domain.",
        data=data,
    )


def _suppression(
    make: FindingMaker,
    causes: Mapping[str, str],
    recipient: str,
    fetched: Fetched[Suppression],
) -> Finding:
    if fetched.failure is not None:
        return _failed(make, "suppression", recipient, fetched)  # type: ignore[arg-type]
    entry = fetched.value
    if entry is None:
        return make(
            "suppression",
            Status.PASS,
            recipient,
            f"{recipient} is not suppressed",
            evidence=(fetched.evidence,),
        )
    since = f" since {entry.since:%Y-%m-%d}" if entry.since else ""
    return make(
        "suppression",
        Status.FAIL,
        recipient,
        f"{recipient} is suppressed ({entry.reason}){since}: the service will not send to it",
        evidence=(fetched.evidence,),
        cause=causes["suppressed"],
        fix="Find out why it was suppressed; remove it only if the address works again.",
        data={"reason": str(entry.reason)},
    )
