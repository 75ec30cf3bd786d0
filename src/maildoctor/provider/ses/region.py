"""Do the SMTP endpoint, the identity and the suppression list agree on one region?"""

from __future__ import annotations

from collections.abc import Mapping

from ...model import Finding, Status
from ..base import Fetched, Identity, Suppression
from .causes import CAUSE_REGION_MISMATCH, REF_REGIONS
from .common import finding as _finding
from .facts import SesQuery
from .identity import coverage

__all__ = ["region_findings"]

IdentityMap = Mapping[str, Identity]


def region_findings(
    *,
    query: SesQuery,
    here: Fetched[IdentityMap] | None,
    elsewhere: Mapping[str, Fetched[IdentityMap]],
    suppressions: Mapping[str, Fetched[Suppression]],
) -> tuple[Finding, ...]:
    """``provider.ses.region``: SMTP endpoint, identity and suppression list must agree.

    Args:
        query: The regions asked about (checked, SMTP endpoint's) and the sender.
        here: The identities in the checked region.
        elsewhere: The identities found in other regions.
        suppressions: The suppression lookups (a failed one is reported as such).

    Returns:
        One ``provider.ses.region`` finding.
    """
    q, check = query, "provider.ses.region"
    if q.smtp_endpoint and q.smtp_region is None:
        return (
            _finding(
                check,
                Status.WARN,
                q.smtp_endpoint,
                f"{q.smtp_endpoint} is not an SES "
                "SMTP endpoint (email-smtp.<region>.amazonaws.com)",
                reference=REF_REGIONS,
            ),
        )
    if q.smtp_region and q.smtp_region != q.region:
        return (
            _finding(
                check,
                Status.FAIL,
                q.smtp_region,
                f"the SMTP endpoint is in {q.smtp_region} but "
                f"SES was checked in {q.region}: identities, suppression list, sandbox and SMTP "
                "passwords are per region",
                reference=REF_REGIONS,
                cause=CAUSE_REGION_MISMATCH,
                fix=f"check again with --region {q.smtp_region}, or point the client at "
                f"email-smtp.{q.region}.amazonaws.com with a password derived for {q.region}",
                data={"smtp_region": q.smtp_region, "checked_region": q.region},
            ),
        )
    ident = _identity_regions(q, here, elsewhere)
    return (_region_agreement(q, ident, _suppression_checked(q, suppressions)),)


def _region_agreement(q: SesQuery, ident: str, suppression: str) -> Finding:
    smtp = q.smtp_region or "unknown (give --smtp-endpoint)"
    text = (
        f"SMTP endpoint: {smtp}; identity verified in: {ident}; suppression list checked: "
        f"{suppression}"
    )
    agree = ident == q.region and q.smtp_region == q.region
    return _finding(
        "provider.ses.region",
        Status.PASS if agree else Status.INFO,
        q.region,
        text,
        reference=REF_REGIONS,
        data={
            "smtp_region": q.smtp_region,
            "identity_regions": ident,
            "suppression_region": q.region,
        },
    )


def _identity_regions(
    q: SesQuery, here: Fetched[IdentityMap] | None, elsewhere: Mapping[str, Fetched[IdentityMap]]
) -> str:
    """Where the sender's identity is verified; a failed lookup is not "none"."""
    if not q.sender:
        return "not checked (no --sender)"
    if not (here and here.ok):
        return "unknown (the identity lookup failed)"
    cov = coverage(q.sender, here, elsewhere)
    return q.region if cov.verified else ", ".join(cov.elsewhere) or "none"


def _suppression_checked(q: SesQuery, suppressions: Mapping[str, Fetched[Suppression]]) -> str:
    if not q.recipients:
        return "not checked (no --recipient)"
    if any(not f.ok for f in suppressions.values()):
        return f"{q.region} (some lookups failed)"
    return q.region
