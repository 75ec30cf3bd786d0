"""Which SES identity covers the sender, in this region or another, and of which kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...model import Evidence, Finding, Status
from ..base import Fetched, Identity, IdentityKind, Verification
from .causes import (
    CAUSE_EMAIL_ONLY,
    CAUSE_UNVERIFIED,
    CAUSE_WRONG_REGION,
    REF_DKIM,
    REF_IDENTITIES,
    REF_REGIONS,
)
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .facts import domain_of, sender_identities, value_of

__all__ = ["Coverage", "coverage", "identity_findings"]

IdentityMap = Mapping[str, Identity]


@dataclass(frozen=True, slots=True)
class _Seen:
    """The identity answers one run holds: the checked region's and the other regions'."""

    region: str
    here: Fetched[IdentityMap] | None
    elsewhere: Mapping[str, Fetched[IdentityMap]]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How the sender is covered in the checked region."""

    verified: tuple[Identity, ...]  # most specific first
    unverified: tuple[Identity, ...]
    elsewhere: Mapping[str, tuple[str, ...]]  # region -> verified identity names
    unchecked: Mapping[str, str]  # region -> why it could not be checked


def coverage(
    sender: str,
    here_fetched: Fetched[IdentityMap] | None,
    others: Mapping[str, Fetched[IdentityMap]],
) -> Coverage:
    """How ``sender`` is covered: verified and unverified here, verified in which other regions."""
    names = sender_identities(sender)
    here = value_of(here_fetched) or {}
    present = [here[n] for n in names if n in here]
    elsewhere: dict[str, tuple[str, ...]] = {}
    unchecked: dict[str, str] = {}
    for region, fetched in sorted(others.items()):
        if fetched.failure is not None:
            unchecked[region] = fetched.failure.code or str(fetched.failure.kind)
            continue
        found = fetched.value or {}
        ok = tuple(n for n in names if n in found and found[n].verification is Verification.SUCCESS)
        if ok:
            elsewhere[region] = ok
    return Coverage(
        verified=tuple(i for i in present if i.verification is Verification.SUCCESS),
        unverified=tuple(i for i in present if i.verification is not Verification.SUCCESS),
        elsewhere=elsewhere,
        unchecked=unchecked,
    )


def identity_findings(
    *,
    sender: str | None,
    region: str,
    here: Fetched[IdentityMap] | None,
    elsewhere: Mapping[str, Fetched[IdentityMap]],
) -> tuple[Finding, ...]:
    """``provider.ses.identity`` and ``provider.ses.identity.kind`` for the sender.

    Args:
        sender: The From address or domain (``None``: not given, a skip).
        region: The region checked.
        here: The identities SES reported in ``region``.
        elsewhere: The same question asked in other regions.

    Returns:
        The identity findings.
    """
    check = "provider.ses.identity"
    if not sender:
        return (_finding(check, Status.SKIPPED, "", "no sender given (--sender)"),)
    if here is not None and here.failure is not None:
        return (_failed(check, sender, here, f"which identity covers {sender}"),)
    seen = _Seen(region=region, here=here, elsewhere=elsewhere)
    cov = coverage(sender, here, elsewhere)
    return (_identity(seen, sender, cov), *_identity_kind(seen, sender, cov))


def _kind_name(identity: Identity) -> str:
    return "domain" if identity.kind is IdentityKind.DOMAIN else "email-address"


def _identity(seen: _Seen, sender: str, cov: Coverage) -> Finding:
    check, region = "provider.ses.identity", seen.region
    # Evidence: this region, and the other regions that found something or failed.
    telling = [f for r, f in seen.elsewhere.items() if r in cov.elsewhere or not f.ok]
    ev = _ev(seen.here, *telling)
    data: dict[str, Any] = {
        "verified_elsewhere": dict(cov.elsewhere),
        "unchecked_regions": dict(cov.unchecked),
    }
    if cov.verified:
        best = cov.verified[0]
        data["identity"] = best.name
        return _finding(
            check,
            Status.PASS,
            sender,
            f"{sender} is covered by the {_kind_name(best)} identity "
            f"{best.name}, verified in {region}",
            evidence=ev,
            reference=REF_IDENTITIES,
            data=data,
        )
    if cov.elsewhere:
        return _wrong_region(seen, sender, cov, ev, data)
    return _unverified(seen, sender, cov, ev, data)


def _wrong_region(
    seen: _Seen, sender: str, cov: Coverage, ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    region = seen.region
    where = ", ".join(f"{r} ({', '.join(n)})" for r, n in cov.elsewhere.items())
    first = next(iter(cov.elsewhere))
    pending = f" In {region} it is only {cov.unverified[0].verification}." if cov.unverified else ""
    return _finding(
        "provider.ses.identity",
        Status.FAIL,
        sender,
        f"{sender} is verified in {where} but not in {region}, the region being used",
        evidence=ev,
        reference=REF_REGIONS,
        detail="SES identities, DKIM, the suppression list, sending quotas and SMTP passwords "
        "are all per region: an identity verified in one region does nothing for mail sent "
        f"through another.{pending}",
        fix=f"send through {first} (email-smtp.{first}.amazonaws.com, SMTP password derived for "
        f"{first}), or create and verify the identity in {region}",
        cause=CAUSE_WRONG_REGION,
        data=data,
    )


_PENDING_TEXT: Mapping[Verification, str] = {
    Verification.PENDING: "verification is pending: for a domain, publish the DKIM CNAMEs (or "
    "the _amazonses TXT record); for an address, click the link SES mailed to it",
    Verification.FAILED: "verification failed (SES stops checking 72 hours after it starts): "
    "fix the DNS records and restart verification",
    Verification.TEMPORARY_FAILURE: "SES could not check the records temporarily and retries",
    Verification.NOT_STARTED: "verification has not started",
    Verification.UNKNOWN: "verification state not reported",
}


def _unverified(
    seen: _Seen, sender: str, cov: Coverage, ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    region, domain = seen.region, domain_of(sender)
    if cov.unverified:
        ident = cov.unverified[0]
        summary = (
            f"{sender} is not verified in {region}: the {_kind_name(ident)} identity "
            f"{ident.name} is {ident.verification}"
        )
        detail = _PENDING_TEXT[ident.verification]
    else:
        scanned = f" nor in {len(seen.elsewhere)} other region(s) checked" if seen.elsewhere else ""
        summary = f"no SES identity covers {sender} in {region}{scanned}"
        detail = (
            "SES rejects mail from unverified senders: 554 Message rejected: Email "
            "address is not verified."
        )
    if cov.unchecked:
        detail += f" Regions not checked: {', '.join(cov.unchecked)}."
    return _finding(
        "provider.ses.identity",
        Status.FAIL,
        sender,
        summary,
        detail=detail,
        evidence=ev,
        reference=REF_IDENTITIES,
        cause=CAUSE_UNVERIFIED,
        data=data,
        fix=f"create and verify a domain identity for {domain} in {region} (`aws sesv2 "
        f"create-email-identity --email-identity {domain} --region {region}`) and publish its "
        "three DKIM CNAMEs",
    )


_EMAIL_ONLY_TEXT = (
    "An email-address identity only lets SES accept mail from that one address. DKIM signing as "
    "the domain comes from a verified domain identity in the same region; without one SES signs "
    "only as amazonses.com, which does not align with the From: domain. With SES's default MAIL "
    "FROM, SPF does not align either, so DMARC fails for these messages."
)


def _identity_kind(seen: _Seen, sender: str, cov: Coverage) -> tuple[Finding, ...]:
    """Is the sender covered by a domain identity, or only by its email-address identity?"""
    if "@" not in sender or not cov.verified:
        return ()
    domains = [i for i in cov.verified if i.kind is IdentityKind.DOMAIN]
    if domains:
        return (_domain_covers(seen, sender, domains[0], cov),)
    return (_email_only(seen, sender, cov),)


_BOTH_NOTE = (
    "The address also has its own email-address identity, whose settings (MAIL FROM, "
    "notifications) take precedence over the domain's."
)


def _domain_covers(seen: _Seen, sender: str, domain: Identity, cov: Coverage) -> Finding:
    email = any(i.kind is IdentityKind.EMAIL_ADDRESS for i in cov.verified)
    summary = (
        f"the domain identity {domain.name} is verified in {seen.region}: SES can "
        f"DKIM-sign mail from {sender} as that domain"
    )
    return _finding(
        "provider.ses.identity.kind",
        Status.PASS,
        sender,
        summary,
        detail=_BOTH_NOTE if email else "",
        evidence=_ev(seen.here),
        reference=REF_IDENTITIES,
    )


def _email_only(seen: _Seen, sender: str, cov: Coverage) -> Finding:
    region, domain = seen.region, domain_of(sender)
    pending = [i for i in cov.unverified if i.kind is IdentityKind.DOMAIN]
    state = (
        f" (the domain identity {pending[0].name} exists but is {pending[0].verification})"
        if pending
        else ""
    )
    summary = (
        f"{sender} is an email-address identity, not a domain identity; there is no "
        f"verified domain identity for {domain} in {region}{state}"
    )
    fix = (
        f"create a domain identity for {domain} in {region} with Easy DKIM and publish its "
        f"three CNAMEs (`aws sesv2 create-email-identity --email-identity {domain} --region "
        f"{region}`)"
    )
    return _finding(
        "provider.ses.identity.kind",
        Status.FAIL,
        sender,
        summary,
        detail=_EMAIL_ONLY_TEXT,
        evidence=_ev(seen.here),
        reference=REF_DKIM,
        cause=CAUSE_EMAIL_ONLY,
        fix=fix,
    )
