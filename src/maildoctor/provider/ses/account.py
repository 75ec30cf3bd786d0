"""Who the checks ran as, and the account in the region: sandbox, sending, enforcement,
quota and reputation (SES Developer Guide: production access, enforcement, quotas)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ...model import Evidence, Finding, Status
from ..base import (
    AccountStatus,
    Caller,
    CallFailure,
    EnforcementStatus,
    FailureKind,
    Fetched,
    Identity,
    Reputation,
    SendQuota,
    Verification,
)
from .causes import (
    CAUSE_BOUNCE_RATE,
    CAUSE_COMPLAINT_RATE,
    CAUSE_PROBATION,
    CAUSE_QUOTA,
    CAUSE_SANDBOX,
    CAUSE_SANDBOX_RECIPIENT,
    CAUSE_SENDING_PAUSED,
    CAUSE_SHUTDOWN,
    REF_ENFORCEMENT,
    REF_QUOTAS,
    REF_REPUTATION,
    REF_SANDBOX,
)
from .common import date_text as _date
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .common import pct as _pct
from .facts import sender_identities, value_of

__all__ = [
    "BOUNCE_THRESHOLDS",
    "COMPLAINT_THRESHOLDS",
    "account_findings",
    "caller_findings",
    "credentials_broken",
    "reputation_findings",
]

#: Reputation thresholds as fractions: (review, pause) - SES's published guidance.
BOUNCE_THRESHOLDS = (0.05, 0.10)
COMPLAINT_THRESHOLDS = (0.001, 0.005)


def credentials_broken(caller: Fetched[Caller] | None) -> bool:
    """True when the credentials are missing or rejected: every other call failed with them."""
    failure = caller.failure if caller is not None else None
    return failure is not None and failure.kind in (
        FailureKind.NO_CREDENTIALS,
        FailureKind.BAD_CREDENTIALS,
    )


def caller_findings(fetched: Fetched[Caller] | None) -> tuple[Finding, ...]:
    """``provider.ses.caller``: which account and principal the checks ran as."""
    check = "provider.ses.caller"
    if fetched is None:
        return ()
    if fetched.failure is not None:
        if credentials_broken(fetched):
            return (_credentials_finding(fetched.failure, fetched),)
        return (_failed(check, "aws", fetched, "which AWS account is used"),)
    caller = fetched.value
    assert caller is not None
    return (
        _finding(
            check,
            Status.INFO,
            caller.account,
            f"checked AWS account {caller.account} as {caller.arn}",
            evidence=_ev(fetched),
            data={"account": caller.account, "arn": caller.arn},
        ),
    )


def _credentials_finding(failure: CallFailure, fetched: Fetched[Caller]) -> Finding:
    if failure.kind is FailureKind.NO_CREDENTIALS:
        summary = "no usable AWS credentials: nothing about the SES account could be checked"
        fix = "set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    else:
        summary = f"AWS rejected the credentials ({failure.code}): nothing could be checked"
        fix = "use a current access key (the configured one is wrong, deleted or expired)"
    return _finding(
        "provider.ses.caller",
        Status.ERROR,
        "aws",
        summary,
        detail=failure.message,
        evidence=_ev(fetched),
        fix=fix,
        data={"failure": str(failure.kind)},
    )


# -- account ----------------------------------------------------------------------------------


def account_findings(
    *,
    region: str,
    recipients: Sequence[str],
    account: Fetched[AccountStatus] | None,
    quota: Fetched[SendQuota] | None,
    reputation: Fetched[Reputation] | None,
    here: Fetched[Mapping[str, Identity]] | None,
) -> tuple[Finding, ...]:
    """Sandbox, sending, enforcement, quota and reputation of the account in the region.

    Args:
        region: The region checked.
        recipients: Recipients the sandbox finding names when they are not verified.
        account: ``GetAccount``'s answer.
        quota: ``GetSendQuota``'s answer, asked when ``GetAccount`` gave no quota.
        reputation: The bounce and complaint rates.
        here: The identities found in the region (a verified recipient may be sent to).

    Returns:
        Findings ``provider.ses.account*``.
    """
    out: list[Finding] = []
    status: AccountStatus | None = value_of(account)
    if account is not None and account.failure is not None:
        what = "the account status (sandbox, sending, enforcement)"
        out.append(_failed("provider.ses.account", region, account, what))
    if status is not None:
        out.append(_sandbox(status, account, recipients, here))
        out.append(_sending(status, account))
        out.append(_enforcement(status, account))
    out.extend(_quota(region, status, account, quota))
    out.extend(reputation_findings(region, reputation))
    return tuple(out)


def _recipient_verified(here: Mapping[str, Identity], address: str) -> bool:
    return any(
        here.get(name) is not None and here[name].verification is Verification.SUCCESS
        for name in sender_identities(address)
    )


_SANDBOX_DETAIL = (
    "In the sandbox SES accepts mail only to verified identities in {region} (and the mailbox "
    "simulator), at most 200 messages per 24 hours and 1 per second; mail to any other recipient "
    "is rejected with 'Email address is not verified'."
)
_SANDBOX_FIX = (
    "request production access for {region} (SES console > Account dashboard > Request "
    "production access, or `aws sesv2 put-account-details --production-access-enabled ... "
    "--region {region}`); for tests, verify the recipient address"
)


def _sandbox(
    account: AccountStatus,
    fetched: Any,
    recipients: Sequence[str],
    here: Fetched[Mapping[str, Identity]] | None,
) -> Finding:
    check, region = "provider.ses.account.sandbox", account.region
    ev = _ev(fetched, here)
    if account.production_access is False:
        return _in_sandbox(region, recipients, value_of(here) or {}, ev)
    if account.production_access is None:
        return _finding(check, Status.INFO, region, "production access not reported", evidence=ev)
    summary = f"production access in {region}: any recipient is allowed"
    return _finding(check, Status.PASS, region, summary, evidence=ev, reference=REF_SANDBOX)


def _in_sandbox(
    region: str, recipients: Sequence[str], here: Mapping[str, Identity], ev: tuple[Evidence, ...]
) -> Finding:
    unverified = [r for r in recipients if not _recipient_verified(here, r)]
    summary = f"the account is in the SES sandbox in {region}"
    if unverified:
        status, cause = Status.FAIL, CAUSE_SANDBOX_RECIPIENT
        many = len(unverified) > 1
        summary += f" and {', '.join(unverified)} "
        summary += "are not verified identities" if many else "is not a verified identity"
        summary += f" there: SES rejects mail to {'them' if many else 'it'}"
    else:
        status, cause = Status.WARN, CAUSE_SANDBOX
        summary += ": it can send only to verified addresses"
        summary += " (the given recipients are verified)" if recipients else ""
    return _finding(
        "provider.ses.account.sandbox",
        status,
        region,
        summary,
        detail=_SANDBOX_DETAIL.format(region=region),
        evidence=ev,
        reference=REF_SANDBOX,
        fix=_SANDBOX_FIX.format(region=region),
        cause=cause,
        data={"unverified_recipients": unverified},
    )


def _sending(account: AccountStatus, fetched: Any) -> Finding:
    check, region = "provider.ses.account.sending", account.region
    if account.sending_enabled is None:
        return _finding(
            check, Status.INFO, region, "sending state not reported", evidence=_ev(fetched)
        )
    if account.sending_enabled:
        return _finding(
            check, Status.PASS, region, f"sending is enabled in {region}", evidence=_ev(fetched)
        )
    return _finding(
        check,
        Status.FAIL,
        region,
        f"sending is paused for the account in {region}: SES accepts no mail",
        evidence=_ev(fetched),
        reference=REF_ENFORCEMENT,
        detail="AWS pauses sending when bounce or complaint rates stay too high, or you paused "
        "it yourself (`aws sesv2 put-account-sending-attributes`).",
        fix="read the notice in the SES console (Reputation metrics / Account dashboard), fix "
        "the cause, and reply to the AWS case to ask for a review",
        cause=CAUSE_SENDING_PAUSED,
    )


_ENFORCEMENT: Mapping[EnforcementStatus, tuple[Status, str, str]] = {
    EnforcementStatus.HEALTHY: (Status.PASS, "enforcement status HEALTHY", ""),
    EnforcementStatus.PROBATION: (
        Status.WARN,
        "the account is on PROBATION (under review): sending continues, but SES "
        "will pause it if the issue is not fixed",
        CAUSE_PROBATION,
    ),
    EnforcementStatus.SHUTDOWN: (
        Status.FAIL,
        "the account is SHUT DOWN: SES sends nothing",
        CAUSE_SHUTDOWN,
    ),
    EnforcementStatus.UNKNOWN: (Status.INFO, "enforcement status not reported", ""),
}


def _enforcement(account: AccountStatus, fetched: Any) -> Finding:
    status, summary, cause = _ENFORCEMENT[account.enforcement]
    fix = "see the SES console's Reputation metrics page and the AWS case" if cause else ""
    return _finding(
        "provider.ses.account.enforcement",
        status,
        account.region,
        f"{summary} ({account.region})",
        evidence=_ev(fetched),
        reference=REF_ENFORCEMENT,
        cause=cause,
        fix=fix,
        data={"enforcement_status": str(account.enforcement)},
    )


def _quota(
    region: str,
    account: AccountStatus | None,
    account_fetched: Fetched[AccountStatus] | None,
    fallback: Fetched[SendQuota] | None,
) -> tuple[Finding, ...]:
    check = "provider.ses.account.quota"
    quota = account.quota if account is not None else None
    source: Any = account_fetched
    if quota is None and fallback is not None:
        if fallback.failure is not None:
            return (_failed(check, region, fallback, "the sending quota"),)
        quota, source = fallback.value, fallback
    if quota is None:
        return ()
    return (_quota_finding(quota, region, source),)


def _quota_finding(quota: SendQuota, region: str, source: Any) -> Finding:
    check = "provider.ses.account.quota"
    data = {
        "max_24_hour_send": quota.max_24_hour_send,
        "max_send_rate": quota.max_send_rate,
        "sent_last_24_hours": quota.sent_last_24_hours,
    }
    if quota.max_24_hour_send < 0:  # SES reports -1 for "unlimited"
        text = f"no daily quota in {region}; {quota.sent_last_24_hours:.0f} sent in 24 h"
        return _finding(check, Status.PASS, region, text, evidence=_ev(source), data=data)
    used = (
        f"{quota.sent_last_24_hours:.0f} of {quota.max_24_hour_send:.0f} messages used in "
        f"the last 24 hours in {region} (max {quota.max_send_rate:g}/s)"
    )
    if quota.sent_last_24_hours >= quota.max_24_hour_send:
        return _finding(
            check,
            Status.FAIL,
            region,
            f"daily sending quota exhausted: {used}",
            evidence=_ev(source),
            reference=REF_QUOTAS,
            cause=CAUSE_QUOTA,
            data=data,
            detail="SES refuses further mail with 'Throttling failure: Daily message quota "
            "exceeded' (454 over SMTP) until the 24-hour window moves on.",
            fix="wait for the window to move, or request a higher quota (Service Quotas)",
        )
    status = (
        Status.WARN if quota.sent_last_24_hours >= 0.8 * quota.max_24_hour_send else Status.PASS
    )
    return _finding(
        check, status, region, used, evidence=_ev(source), reference=REF_QUOTAS, data=data
    )


def reputation_findings(region: str, fetched: Fetched[Reputation] | None) -> tuple[Finding, ...]:
    """Bounce and complaint rates against SES's review and pause levels; no data is not healthy."""
    if fetched is None:
        return ()
    if fetched.failure is not None:
        what = "bounce and complaint rates (CloudWatch AWS/SES)"
        return (_failed("provider.ses.account.reputation", region, fetched, what, optional=True),)
    rep = fetched.value
    assert rep is not None
    return (
        _rate(
            "bounce",
            rep.bounce_rate,
            rep.bounce_at,
            BOUNCE_THRESHOLDS,
            CAUSE_BOUNCE_RATE,
            region,
            fetched,
        ),
        _rate(
            "complaint",
            rep.complaint_rate,
            rep.complaint_at,
            COMPLAINT_THRESHOLDS,
            CAUSE_COMPLAINT_RATE,
            region,
            fetched,
        ),
    )


def _rate(
    name: str,
    value: float | None,
    at: datetime | None,
    levels: tuple[float, float],
    cause: str,
    region: str,
    fetched: Fetched[Reputation],
) -> Finding:
    check = f"provider.ses.account.{name}_rate"
    review, pause = levels
    if value is None:
        return _finding(
            check,
            Status.INFO,
            region,
            f"{name} rate: no data (CloudWatch AWS/SES "
            f"Reputation.{name.capitalize()}Rate has no data points) - not known to be healthy",
            evidence=_ev(fetched),
            reference=REF_REPUTATION,
        )
    text = (
        f"{name} rate {_pct(value)} at {_date(at)} (review at {_pct(review)}, "
        f"pause at {_pct(pause)})"
    )
    data = {"rate": value, "review_at": review, "pause_at": pause}
    if value < review:
        return _finding(check, Status.PASS, region, text, evidence=_ev(fetched), data=data)
    status = Status.FAIL if value >= pause else Status.WARN
    return _finding(
        check,
        status,
        region,
        text,
        evidence=_ev(fetched),
        reference=REF_REPUTATION,
        data=data,
        cause=cause,
        fix=f"stop sending to addresses that {name}; clean the list, honour "
        "unsubscribes, and watch the Reputation metrics page",
    )


# -- identities -------------------------------------------------------------------------------
