"""The account-level suppression list: is a recipient on it in this region?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...model import Finding, Status
from ..base import AccountStatus, Fetched, Suppression
from .causes import CAUSE_SUPPRESSED, REF_SUPPRESSION
from .common import date_text as _date
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .facts import value_of

__all__ = ["suppression_findings"]


def suppression_findings(
    *,
    region: str,
    recipients: Sequence[str],
    suppressions: Mapping[str, Fetched[Suppression]],
    account: Fetched[AccountStatus] | None,
) -> tuple[Finding, ...]:
    """``provider.ses.suppression``: one finding per recipient.

    Args:
        region: The region checked (the list is per region).
        recipients: The recipients asked about.
        suppressions: ``GetSuppressedDestination``'s answer per recipient.
        account: The account status (which reasons the list adds addresses for).

    Returns:
        One finding per recipient, or a skip when none was given.
    """
    if not recipients:
        return (
            _finding(
                "provider.ses.suppression", Status.SKIPPED, "", "no recipient given (--recipient)"
            ),
        )
    note = _suppression_note(account)
    return tuple(_suppression(region, r, suppressions.get(r), note) for r in recipients)


def _suppression(
    region: str, recipient: str, fetched: Fetched[Suppression] | None, note: str
) -> Finding:
    check = "provider.ses.suppression"
    if fetched is None:
        return _finding(check, Status.SKIPPED, recipient, "not looked up")
    if fetched.failure is not None:
        what = f"the {region} suppression list for {recipient}"
        return _failed(check, recipient, fetched, what)
    entry = fetched.value
    if entry is None:
        return _finding(
            check,
            Status.PASS,
            recipient,
            f"{recipient} is not on the account-level suppression list in {region}",
            evidence=_ev(fetched),
            reference=REF_SUPPRESSION,
            detail=note,
        )
    command = (
        f"aws sesv2 delete-suppressed-destination --email-address {recipient} --region {region}"
    )
    return _finding(
        check,
        Status.FAIL,
        recipient,
        f"{recipient} is on the account-level suppression list in "
        f"{region} ({entry.reason.upper()} since {_date(entry.since)}): SES drops mail to it "
        "without trying",
        evidence=_ev(fetched),
        reference=REF_SUPPRESSION,
        detail="The list is per account and per region. Remove the address only once the "
        "reason is gone: another hard bounce or complaint puts it back.",
        fix=command,
        cause=CAUSE_SUPPRESSED,
        data={
            "reason": str(entry.reason),
            "since": entry.since.isoformat() if entry.since else None,
            "command": command,
            "message_id": entry.message_id,
        },
    )


def _suppression_note(fetched: Fetched[AccountStatus] | None) -> str:
    account: AccountStatus | None = value_of(fetched)
    reasons = account.suppressed_reasons if account is not None else None
    if reasons is None:
        return ""
    if not reasons:
        return "The account-level suppression list is not in use in this region."
    return f"The account-level list adds addresses for: {', '.join(r.upper() for r in reasons)}."


# -- the key behind an SMTP username ----------------------------------------------------------
