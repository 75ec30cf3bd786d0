"""Pure logic: what SES and DNS said -> findings (no I/O here).

:func:`evaluate` takes an :class:`SesFacts` bundle (everything ``check_ses``
fetched, each item a :class:`~maildoctor.provider.base.Fetched` or a
:class:`~maildoctor.dns.resolver.DnsAnswer`) and returns findings, layer
``provider``, check ids ``provider.ses.*``. Root-cause ids are the ``CAUSE_*``
constants below.

Facts behind the verdicts (REFERENCE.md section 3, SES Developer Guide):

* identities, DKIM, MAIL FROM, the suppression list, the sandbox and SMTP
  credentials are all per region;
* an email-address identity lets SES accept one address; DKIM signing as the
  domain comes from a verified *domain* identity in the same region;
* Easy DKIM publishes three ``<token>._domainkey.<domain>`` CNAMEs to
  ``<token>.dkim.amazonses.com``; Bring Your Own DKIM (sesv2
  ``SigningAttributesOrigin`` ``EXTERNAL``) instead publishes the owner's public
  key as TXT at ``<selector>._domainkey.<domain>``, the selector being the one
  "token" SES reports; a custom MAIL FROM needs exactly one MX to
  ``feedback-smtp.<region>.amazonses.com`` and an SPF record on that subdomain;
  without one (or when it falls back) SPF passes for amazonses.com but does not
  align, so DMARC rests on DKIM alone (RFC 7489 section 3.1.2);
* SES reviews an account around 5 % bounces / 0.1 % complaints and may pause it
  around 10 % / 0.5 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..dns.dkim import DkimKey, looks_like_key, parse_dkim_key
from ..dns.resolver import DnsAnswer
from ..model import Evidence, Finding, Layer, Status
from .base import (
    AccessKey,
    AccountStatus,
    Caller,
    CallFailure,
    CredentialOwner,
    DkimOrigin,
    DkimSetup,
    EnforcementStatus,
    FailureKind,
    Fetched,
    Identity,
    IdentityKind,
    KeyStatus,
    MailFromSetup,
    MxFailureBehavior,
    PermissionDecision,
    Reputation,
    SendQuota,
    Suppression,
    Verification,
)

__all__ = [
    "CAUSES",
    "MailFromDns",
    "SesFacts",
    "SesQuery",
    "dkim_cname_name",
    "dkim_key_name",
    "dkim_setups",
    "dkim_targets",
    "evaluate",
    "is_access_key_id",
    "mail_from_mx_host",
    "merge_dkim",
    "sender_identities",
]

# -- root-cause ids ---------------------------------------------------------------------------

CAUSE_SANDBOX = "provider.ses.sandbox"
CAUSE_SANDBOX_RECIPIENT = "provider.ses.sandbox_recipient_unverified"
CAUSE_SENDING_PAUSED = "provider.ses.sending_paused"
CAUSE_PROBATION = "provider.ses.account_probation"
CAUSE_SHUTDOWN = "provider.ses.account_shutdown"
CAUSE_QUOTA = "provider.ses.quota_exceeded"
CAUSE_BOUNCE_RATE = "provider.ses.bounce_rate_high"
CAUSE_COMPLAINT_RATE = "provider.ses.complaint_rate_high"
CAUSE_UNVERIFIED = "provider.ses.identity_unverified"
CAUSE_WRONG_REGION = "provider.ses.identity_wrong_region"
CAUSE_EMAIL_ONLY = "provider.ses.email_identity_only"
CAUSE_DKIM_DISABLED = "provider.ses.dkim_disabled"
CAUSE_DKIM_PENDING = "provider.ses.dkim_pending"
CAUSE_DKIM_FAILED = "provider.ses.dkim_failed"
CAUSE_DKIM_MISSING = "provider.ses.dkim_cname_missing"
CAUSE_DKIM_WRONG = "provider.ses.dkim_cname_wrong"
CAUSE_BYODKIM_MISSING = "provider.ses.byodkim_key_missing"
CAUSE_BYODKIM_UNVERIFIED = "provider.ses.byodkim_unverified"
CAUSE_MAIL_FROM_UNVERIFIED = "provider.ses.mail_from_unverified"
CAUSE_MX_MISSING = "provider.ses.mail_from_mx_missing"
CAUSE_MX_WRONG = "provider.ses.mail_from_mx_wrong"
CAUSE_MX_WRONG_REGION = "provider.ses.mail_from_mx_wrong_region"
CAUSE_MX_MULTIPLE = "provider.ses.mail_from_mx_multiple"
CAUSE_SPF_MISSING = "provider.ses.mail_from_spf_missing"
CAUSE_SPF_MULTIPLE = "provider.ses.mail_from_spf_multiple"
CAUSE_SPF_INCOMPLETE = "provider.ses.mail_from_spf_incomplete"
CAUSE_SUPPRESSED = "provider.ses.recipient_suppressed"
CAUSE_KEY_DELETED = "provider.ses.smtp_key_deleted"
CAUSE_KEY_INACTIVE = "provider.ses.smtp_key_inactive"
CAUSE_KEY_TEMPORARY = "provider.ses.smtp_key_temporary"
CAUSE_NOT_AUTHORIZED = "provider.ses.send_permission_missing"
CAUSE_REGION_MISMATCH = "provider.ses.region_mismatch"

#: Every root-cause id this module can emit.
CAUSES: tuple[str, ...] = tuple(
    sorted(v for k, v in dict(globals()).items() if k.startswith("CAUSE_"))
)

# -- vendor documents -------------------------------------------------------------------------

_DG = "https://docs.aws.amazon.com/ses/latest/dg/"
REF_SANDBOX = _DG + "request-production-access.html"
REF_ENFORCEMENT = _DG + "faqs-enforcement.html"
REF_QUOTAS = _DG + "manage-sending-quotas.html"
REF_REPUTATION = _DG + "reputationdashboard-cloudwatch-alarm.html"
REF_IDENTITIES = _DG + "creating-identities.html"
REF_REGIONS = _DG + "regions.html"
REF_DKIM = _DG + "send-email-authentication-dkim-easy.html"
REF_BYODKIM = _DG + "send-email-authentication-dkim-bring-your-own.html"
REF_KEY_SIZE = "RFC 8301 section 3.2; RFC 6376 section 3.3.3"
REF_DMARC = _DG + "send-email-authentication-dmarc.html"
REF_MAIL_FROM = _DG + "mail-from.html"
REF_SUPPRESSION = _DG + "sending-email-suppression-list.html"
REF_SMTP_CREDENTIALS = _DG + "smtp-credentials.html"
REF_PERMISSIONS = _DG + "control-user-access.html"

#: Reputation thresholds as fractions: (review, pause) - SES's published guidance.
BOUNCE_THRESHOLDS = (0.05, 0.10)
COMPLAINT_THRESHOLDS = (0.001, 0.005)

#: Easy DKIM CNAME targets: ``<token>.dkim.amazonses.com``; some newer regions use
#: ``<token>.dkim.<region>.amazonses.com``. Both are accepted (one table to correct).
DKIM_TARGET_FORMS = ("{token}.dkim.amazonses.com", "{token}.dkim.{region}.amazonses.com")


# -- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SesQuery:
    """What the user asked about.

    Attributes:
        region: The SES region checked (the one mail is sent through).
        sender: The From address (or a bare domain), if given.
        recipients: Recipient addresses to check against the suppression list and sandbox.
        smtp_user: The SMTP username (an access key id), if given.
        smtp_endpoint: The SMTP host the client uses, if given.
        smtp_region: The region of that host, when it is an SES endpoint.
        scan_regions: Other regions searched for the sender's identity.
    """

    region: str
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    smtp_user: str | None = None
    smtp_endpoint: str | None = None
    smtp_region: str | None = None
    scan_regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MailFromDns:
    """The MX and TXT answers for one custom MAIL FROM domain."""

    mx: DnsAnswer
    txt: DnsAnswer


@dataclass(frozen=True, slots=True, kw_only=True)
class SesFacts:
    """Everything fetched for one ``check_ses`` run; ``None`` where nothing was asked."""

    query: SesQuery
    caller: Fetched[Caller] | None = None
    account: Fetched[AccountStatus] | None = None
    quota: Fetched[SendQuota] | None = None
    reputation: Fetched[Reputation] | None = None
    here: Fetched[Mapping[str, Identity]] | None = None
    elsewhere: Mapping[str, Fetched[Mapping[str, Identity]]] = field(default_factory=dict)
    dkim: Fetched[Mapping[str, DkimSetup]] | None = None
    dkim_v2: Mapping[str, Fetched[DkimSetup]] = field(default_factory=dict)
    dkim_dns: Mapping[str, DnsAnswer] = field(default_factory=dict)
    dkim_keys: Mapping[str, DnsAnswer] = field(default_factory=dict)
    mail_from: Fetched[Mapping[str, MailFromSetup]] | None = None
    mail_from_dns: Mapping[str, MailFromDns] = field(default_factory=dict)
    suppressions: Mapping[str, Fetched[Suppression]] = field(default_factory=dict)
    key_owner: Fetched[CredentialOwner] | None = None
    access_keys: Fetched[tuple[AccessKey, ...]] | None = None
    permission: Fetched[PermissionDecision] | None = None


# -- small helpers ----------------------------------------------------------------------------


_ACCESS_KEY_ID = re.compile(r"^A[KS]IA[A-Z0-9]{16}$")


def is_access_key_id(text: str) -> bool:
    """``AKIA...`` (long-term) or ``ASIA...`` (temporary): 20 characters."""
    return bool(_ACCESS_KEY_ID.match(text))


def sender_identities(sender: str) -> tuple[str, ...]:
    """Identities that may cover a sender, most specific first.

    ``admin@mail.example.com`` -> the address, ``mail.example.com``,
    ``example.com``: SES lets a verified domain send from its subdomains too.
    """
    sender = sender.strip().lower()
    address, _, domain = sender.rpartition("@")
    labels = domain.strip(".").split(".")
    domains = tuple(".".join(labels[i:]) for i in range(max(len(labels) - 1, 1)))
    return ((sender,) if address else ()) + domains


def domain_of(sender: str) -> str:
    return sender.strip().lower().rpartition("@")[2].strip(".")


def dkim_cname_name(token: str, domain: str) -> str:
    return f"{token}._domainkey.{domain}"


def dkim_key_name(selector: str, domain: str) -> str:
    """Where a DKIM key lives (RFC 6376 section 3.6.2.1): ``<selector>._domainkey.<domain>``."""
    return f"{selector}._domainkey.{domain}"


def merge_dkim(v1: DkimSetup | None, v2: DkimSetup | None) -> DkimSetup | None:
    """One identity's DKIM from what SES v1 and v2 said.

    SES v2 (``GetEmailIdentity``) is the only one that says how DKIM was set up
    (Easy DKIM or BYODKIM) and with which key lengths. When it also lists the
    tokens it is complete and wins. moto's v2 lists no tokens and reports signing
    off even for identities v1 reports signed, so a v2 answer without tokens only
    adds the origin and key facts to v1's state and tokens - except that v1's
    tokens are Easy DKIM's, never taken for a BYODKIM selector.

    Args:
        v1: From ``GetIdentityDkimAttributes``, if it answered for the identity.
        v2: From ``GetEmailIdentity``, if it answered.

    Returns:
        The merged setup, or ``None`` when neither said anything.
    """
    if v2 is None:
        return v1
    if v1 is None or v2.tokens:
        return v2
    return replace(
        v1,
        tokens=() if v2.origin is DkimOrigin.EXTERNAL else v1.tokens,
        origin=v2.origin,
        replicated_from=v2.replicated_from,
        current_key_bits=v2.current_key_bits,
        next_key_bits=v2.next_key_bits,
        key_generated=v2.key_generated,
    )


def dkim_setups(
    v1: Fetched[Mapping[str, DkimSetup]] | None, v2: Mapping[str, Fetched[DkimSetup]]
) -> dict[str, DkimSetup]:
    """Every identity's merged DKIM (:func:`merge_dkim`); failed calls contribute nothing."""
    first: Mapping[str, DkimSetup] = _value(v1) or {}
    out: dict[str, DkimSetup] = {}
    for name in dict.fromkeys([*first, *v2]):
        merged = merge_dkim(first.get(name), _value(v2.get(name)))
        if merged is not None:
            out[name] = merged
    return out


def dkim_targets(token: str, region: str) -> tuple[str, ...]:
    return tuple(form.format(token=token, region=region) for form in DKIM_TARGET_FORMS)


def mail_from_mx_host(region: str) -> str:
    return f"feedback-smtp.{region}.amazonses.com"


def _finding(check: str, status: Status, subject: str, summary: str, **extra: Any) -> Finding:
    return Finding(
        check=check, layer=Layer.PROVIDER, status=status, subject=subject, summary=summary, **extra
    )


def _ev(*items: Fetched[Any] | DnsAnswer | None) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for item in items:
        if isinstance(item, DnsAnswer):
            out.append(item.evidence())
        elif item is not None:
            out.append(item.evidence)
    return tuple(out)


def _failed(
    check: str, subject: str, fetched: Fetched[Any], what: str, *, optional: bool = False
) -> Finding:
    """A check that could not run: say which call failed and, if denied, which permission."""
    failure = fetched.failure
    assert failure is not None
    status = Status.SKIPPED if optional else Status.ERROR
    data = {"failure": str(failure.kind), "operation": failure.operation, "code": failure.code}
    if failure.kind is FailureKind.ACCESS_DENIED:
        return _finding(
            check,
            status,
            subject,
            f"could not check {what}: missing IAM permission {failure.permission}",
            detail=failure.message,
            evidence=_ev(fetched),
            fix=f"allow {failure.permission} for the caller, or use a profile that has it",
            reference=REF_PERMISSIONS,
            data={**data, "iam_action": failure.permission},
        )
    return _finding(
        check,
        status,
        subject,
        f"could not check {what}: {failure.describe()}",
        detail=failure.message,
        evidence=_ev(fetched),
        data=data,
    )


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _pct(value: float) -> str:
    return f"{value * 100:.2f} %"


def _value(fetched: Fetched[Any] | None) -> Any:
    return fetched.value if fetched is not None and fetched.ok else None


# -- the entry point --------------------------------------------------------------------------


def evaluate(facts: SesFacts) -> tuple[Finding, ...]:
    """Turn everything fetched into findings, in a stable order.

    When the credentials themselves are missing or rejected, only that is
    reported: every other call failed for the same reason.
    """
    caller = caller_findings(facts)
    if _credentials_broken(facts.caller):
        return caller
    return (
        *caller,
        *account_findings(facts),
        *identity_findings(facts),
        *dkim_findings(facts),
        *mail_from_findings(facts),
        *suppression_findings(facts),
        *key_findings(facts),
        *region_findings(facts),
    )


def _credentials_broken(caller: Fetched[Caller] | None) -> bool:
    failure = caller.failure if caller is not None else None
    return failure is not None and failure.kind in (
        FailureKind.NO_CREDENTIALS,
        FailureKind.BAD_CREDENTIALS,
    )


# -- caller -----------------------------------------------------------------------------------


def caller_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.caller``: which account and principal the checks ran as."""
    check, fetched = "provider.ses.caller", facts.caller
    if fetched is None:
        return ()
    if fetched.failure is not None:
        if _credentials_broken(fetched):
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


def account_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """Sandbox, sending, enforcement, quota and reputation of the account in the region."""
    region, fetched = facts.query.region, facts.account
    out: list[Finding] = []
    account: AccountStatus | None = _value(fetched)
    if fetched is not None and fetched.failure is not None:
        what = "the account status (sandbox, sending, enforcement)"
        out.append(_failed("provider.ses.account", region, fetched, what))
    if account is not None:
        out.append(_sandbox(facts, account, fetched))
        out.append(_sending(account, fetched))
        out.append(_enforcement(account, fetched))
    out.extend(_quota(facts, account))
    out.extend(reputation_findings(facts))
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


def _sandbox(facts: SesFacts, account: AccountStatus, fetched: Any) -> Finding:
    check, region = "provider.ses.account.sandbox", account.region
    ev = _ev(fetched, facts.here)
    if account.production_access is False:
        return _in_sandbox(facts, region, ev)
    if account.production_access is None:
        return _finding(check, Status.INFO, region, "production access not reported", evidence=ev)
    summary = f"production access in {region}: any recipient is allowed"
    return _finding(check, Status.PASS, region, summary, evidence=ev, reference=REF_SANDBOX)


def _in_sandbox(facts: SesFacts, region: str, ev: tuple[Evidence, ...]) -> Finding:
    here = _value(facts.here) or {}
    unverified = [r for r in facts.query.recipients if not _recipient_verified(here, r)]
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
        summary += " (the given recipients are verified)" if facts.query.recipients else ""
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


def _quota(facts: SesFacts, account: AccountStatus | None) -> tuple[Finding, ...]:
    check, region = "provider.ses.account.quota", facts.query.region
    quota = account.quota if account is not None else None
    source: Any = facts.account
    if quota is None and facts.quota is not None:
        if facts.quota.failure is not None:
            return (_failed(check, region, facts.quota, "the sending quota"),)
        quota, source = facts.quota.value, facts.quota
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


def reputation_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """Bounce and complaint rates against SES's review and pause levels; no data is not healthy."""
    fetched, region = facts.reputation, facts.query.region
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


@dataclass(frozen=True, slots=True)
class _Coverage:
    """How the sender is covered in the checked region."""

    verified: tuple[Identity, ...]  # most specific first
    unverified: tuple[Identity, ...]
    elsewhere: Mapping[str, tuple[str, ...]]  # region -> verified identity names
    unchecked: Mapping[str, str]  # region -> why it could not be checked


def _coverage(facts: SesFacts, sender: str) -> _Coverage:
    names = sender_identities(sender)
    here = _value(facts.here) or {}
    present = [here[n] for n in names if n in here]
    elsewhere: dict[str, tuple[str, ...]] = {}
    unchecked: dict[str, str] = {}
    for region, fetched in sorted(facts.elsewhere.items()):
        if fetched.failure is not None:
            unchecked[region] = fetched.failure.code or str(fetched.failure.kind)
            continue
        found = fetched.value or {}
        ok = tuple(n for n in names if n in found and found[n].verification is Verification.SUCCESS)
        if ok:
            elsewhere[region] = ok
    return _Coverage(
        verified=tuple(i for i in present if i.verification is Verification.SUCCESS),
        unverified=tuple(i for i in present if i.verification is not Verification.SUCCESS),
        elsewhere=elsewhere,
        unchecked=unchecked,
    )


def identity_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.identity`` and ``provider.ses.identity.kind`` for the sender."""
    sender, check = facts.query.sender, "provider.ses.identity"
    if not sender:
        return (_finding(check, Status.SKIPPED, "", "no sender given (--sender)"),)
    if facts.here is not None and facts.here.failure is not None:
        return (_failed(check, sender, facts.here, f"which identity covers {sender}"),)
    cov = _coverage(facts, sender)
    return (_identity(facts, sender, cov), *_identity_kind(facts, sender, cov))


def _kind_name(identity: Identity) -> str:
    return "domain" if identity.kind is IdentityKind.DOMAIN else "email-address"


def _identity(facts: SesFacts, sender: str, cov: _Coverage) -> Finding:
    check, region = "provider.ses.identity", facts.query.region
    # Evidence: this region, and the other regions that found something or failed.
    telling = [f for r, f in facts.elsewhere.items() if r in cov.elsewhere or not f.ok]
    ev = _ev(facts.here, *telling)
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
        return _wrong_region(facts, sender, cov, ev, data)
    return _unverified(facts, sender, cov, ev, data)


def _wrong_region(
    facts: SesFacts, sender: str, cov: _Coverage, ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    region = facts.query.region
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
    facts: SesFacts, sender: str, cov: _Coverage, ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    region, domain = facts.query.region, domain_of(sender)
    if cov.unverified:
        ident = cov.unverified[0]
        summary = (
            f"{sender} is not verified in {region}: the {_kind_name(ident)} identity "
            f"{ident.name} is {ident.verification}"
        )
        detail = _PENDING_TEXT[ident.verification]
    else:
        scanned = (
            f" nor in {len(facts.elsewhere)} other region(s) checked" if facts.elsewhere else ""
        )
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


def _identity_kind(facts: SesFacts, sender: str, cov: _Coverage) -> tuple[Finding, ...]:
    """Is the sender covered by a domain identity, or only by its email-address identity?"""
    if "@" not in sender or not cov.verified:
        return ()
    domains = [i for i in cov.verified if i.kind is IdentityKind.DOMAIN]
    if domains:
        return (_domain_covers(facts, sender, domains[0], cov),)
    return (_email_only(facts, sender, cov),)


_BOTH_NOTE = (
    "The address also has its own email-address identity, whose settings (MAIL FROM, "
    "notifications) take precedence over the domain's."
)


def _domain_covers(facts: SesFacts, sender: str, domain: Identity, cov: _Coverage) -> Finding:
    email = any(i.kind is IdentityKind.EMAIL_ADDRESS for i in cov.verified)
    summary = (
        f"the domain identity {domain.name} is verified in {facts.query.region}: SES can "
        f"DKIM-sign mail from {sender} as that domain"
    )
    return _finding(
        "provider.ses.identity.kind",
        Status.PASS,
        sender,
        summary,
        detail=_BOTH_NOTE if email else "",
        evidence=_ev(facts.here),
        reference=REF_IDENTITIES,
    )


def _email_only(facts: SesFacts, sender: str, cov: _Coverage) -> Finding:
    region, domain = facts.query.region, domain_of(sender)
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
        evidence=_ev(facts.here),
        reference=REF_DKIM,
        cause=CAUSE_EMAIL_ONLY,
        fix=fix,
    )


# -- DKIM -------------------------------------------------------------------------------------


def _dkim_domain(facts: SesFacts) -> str | None:
    """The domain identity whose DKIM signs the sender's mail (verified first, else pending)."""
    if not facts.query.sender:
        return None
    here = _value(facts.here) or {}
    domains = [
        here[n]
        for n in sender_identities(facts.query.sender)
        if n in here and here[n].kind is IdentityKind.DOMAIN
    ]
    verified = [i for i in domains if i.verification is Verification.SUCCESS]
    chosen = verified or domains
    return chosen[0].name if chosen else None


def _dkim_setup(facts: SesFacts, domain: str) -> DkimSetup | None:
    return dkim_setups(facts.dkim, facts.dkim_v2).get(domain)


def dkim_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.dkim`` (signing and status), then the records it needs.

    Easy DKIM: one ``provider.ses.dkim.cname`` per token and, when SES v2 reports
    key lengths, ``provider.ses.dkim.key_length``. BYODKIM: one
    ``provider.ses.dkim.key`` (and ``.key_length``) per selector - no CNAMEs.
    """
    check, domain = "provider.ses.dkim", _dkim_domain(facts)
    if domain is None or facts.dkim is None:
        if facts.query.sender and facts.here is not None and facts.here.ok:
            return (
                _finding(
                    check,
                    Status.SKIPPED,
                    domain_of(facts.query.sender),
                    f"no domain identity in {facts.query.region}: no DKIM to check",
                ),
            )
        return ()
    setup = _dkim_setup(facts, domain)
    if setup is None:
        if facts.dkim.failure is not None:
            return (_failed(check, domain, facts.dkim, f"DKIM for {domain}"),)
        return (
            _finding(
                check,
                Status.ERROR,
                domain,
                "SES returned no DKIM attributes",
                evidence=_ev(facts.dkim, facts.dkim_v2.get(domain)),
            ),
        )
    records = _dkim_records(facts, setup) if setup.enabled else ()
    return (_dkim_status(facts, setup, records), *records, *_easy_key_length(facts, setup))


def _dkim_records(facts: SesFacts, setup: DkimSetup) -> tuple[Finding, ...]:
    if setup.origin is not DkimOrigin.EXTERNAL:
        return tuple(_cname(facts, setup, t) for t in setup.tokens)
    if not setup.tokens:
        summary = f"SES reported no BYODKIM selector for {setup.identity}: no key to look up"
        return (_finding("provider.ses.dkim.key", Status.SKIPPED, setup.identity, summary),)
    return tuple(f for s in setup.tokens for f in _byodkim_key(facts, setup, s))


def _dkim_kind(setup: DkimSetup) -> str:
    if setup.origin is DkimOrigin.EXTERNAL:
        return f"BYODKIM (selector {', '.join(setup.tokens) or 'not reported'})"
    if setup.replicated_from:
        return f"Easy DKIM (replicated from the parent identity in {setup.replicated_from})"
    return "Easy DKIM"


def _origin_note(facts: SesFacts, domain: str) -> str:
    """Why the signing origin is unknown: a failed v2 call is not "Easy DKIM"."""
    v2 = facts.dkim_v2.get(domain)
    if v2 is None or v2.failure is None:
        return ""
    return (
        f"How DKIM was set up is unknown ({v2.failure.describe()}), so Easy DKIM is assumed; "
        "a domain using its own key (BYODKIM) has no Easy DKIM CNAMEs."
    )


def _dkim_data(setup: DkimSetup) -> dict[str, Any]:
    return {
        "enabled": setup.enabled,
        "status": str(setup.status),
        "tokens": list(setup.tokens),
        "origin": str(setup.origin),
        "replicated_from": setup.replicated_from or None,
        "current_key_bits": setup.current_key_bits,
        "next_key_bits": setup.next_key_bits,
    }


def _dkim_status(facts: SesFacts, setup: DkimSetup, records: Sequence[Finding]) -> Finding:
    check, d, region = "provider.ses.dkim", setup.identity, setup.region
    data = _dkim_data(setup)
    ev = _ev(facts.dkim, facts.dkim_v2.get(d))
    note = _origin_note(facts, d)
    if not setup.enabled:
        return _finding(
            check,
            Status.FAIL,
            d,
            f"DKIM signing is disabled for {d} in {region}: SES signs only "
            "as amazonses.com, which does not align with the From: domain",
            evidence=ev,
            reference=REF_BYODKIM if setup.origin is DkimOrigin.EXTERNAL else REF_DKIM,
            cause=CAUSE_DKIM_DISABLED,
            data=data,
            detail=note,
            fix=f"`aws sesv2 put-email-identity-dkim-attributes --email-identity {d} "
            f"--signing-enabled --region {region}`",
        )
    if setup.status is Verification.SUCCESS:
        return _finding(
            check,
            Status.PASS,
            d,
            f"{_dkim_kind(setup)} is enabled and verified for {d} in {region}",
            evidence=ev,
            reference=REF_BYODKIM if setup.origin is DkimOrigin.EXTERNAL else REF_DKIM,
            detail=note,
            data=data,
        )
    if setup.origin is DkimOrigin.EXTERNAL:
        return _byodkim_unverified(setup, records, ev, data)
    dns_cause = any(f.cause for f in records)
    failed = setup.status is Verification.FAILED
    cause = "" if dns_cause else (CAUSE_DKIM_FAILED if failed else CAUSE_DKIM_PENDING)
    because = " - the CNAME findings below say why" if dns_cause else ""
    return _finding(
        check,
        Status.FAIL if failed else Status.WARN,
        d,
        f"DKIM for {d} is {setup.status} in {region}{because}",
        evidence=ev,
        reference=REF_DKIM,
        cause=cause,
        data=data,
        detail=" ".join(
            filter(
                None,
                [
                    "A DKIM status pending for days is almost always a missing or mistyped "
                    "CNAME; SES stops checking 72 hours after it starts and then reports failed.",
                    note,
                ],
            )
        ),
        fix="publish the three CNAMEs exactly as SES lists them; once they resolve SES "
        "re-checks (restart verification if it already failed)",
    )


def _byodkim_command(setup: DkimSetup, selector: str) -> str:
    return (
        f"aws sesv2 put-email-identity-dkim-signing-attributes --email-identity "
        f"{setup.identity} --signing-attributes-origin EXTERNAL --signing-attributes "
        f"DomainSigningSelector={selector},DomainSigningPrivateKey=<base64 private key> "
        f"--region {setup.region}"
    )


_PRIVATE_KEY_NOTE = (
    "The private key is a secret: pass it from a file (`--cli-input-json file://<file>`) rather "
    "than on the command line."
)


def _byodkim_unverified(
    setup: DkimSetup, records: Sequence[Finding], ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    """BYODKIM pending or failed: the key findings explain it, or the published key is not SES's.

    Only a key that is published and well-formed points at a mismatch; a failed or
    skipped lookup says nothing either way (its own finding is the error).
    """
    d, region = setup.identity, setup.region
    selector = setup.tokens[0] if setup.tokens else "<selector>"
    published = [
        f.subject for f in records if f.check == "provider.ses.dkim.key" and f.status is Status.PASS
    ]
    state = f"BYODKIM for {d} is {setup.status} in {region}"
    if any(f.cause for f in records):
        summary, cause = f"{state} - the key findings below say why", ""
    elif published:
        summary = f"{state} although a key is published at {published[0]}"
        cause = CAUSE_BYODKIM_UNVERIFIED
    else:
        summary, cause = state, ""
    return _finding(
        "provider.ses.dkim",
        Status.FAIL if setup.status is Verification.FAILED else Status.WARN,
        d,
        summary,
        evidence=ev,
        reference=REF_BYODKIM,
        cause=cause,
        data=data,
        detail="SES verifies BYODKIM by finding, at the selector, the public key that matches the "
        "private key it was given; it looks for up to 72 hours. A published key that does not "
        "match (an old key, another system's) keeps the status pending, then failed. "
        + _PRIVATE_KEY_NOTE,
        fix=f"publish the public key of the private key given to SES at "
        f"{dkim_key_name(selector, d)} (`openssl rsa -in <private-key.pem> -pubout`, base64 "
        f"without the BEGIN/END lines); to restart verification, or with a new key pair "
        f"under a new selector: `{_byodkim_command(setup, selector)}`",
    )


def _byodkim_key(facts: SesFacts, setup: DkimSetup, selector: str) -> tuple[Finding, ...]:
    """``provider.ses.dkim.key``: the owner's public key at the BYODKIM selector (TXT)."""
    check, name = "provider.ses.dkim.key", dkim_key_name(selector, setup.identity)
    answer = facts.dkim_keys.get(name)
    data: dict[str, Any] = {"name": name, "selector": selector, "origin": str(setup.origin)}
    if answer is None:
        return (_finding(check, Status.SKIPPED, name, "BYODKIM key not looked up", data=data),)
    if not answer.ok:
        return (
            _finding(
                check,
                Status.ERROR,
                name,
                f"could not look up the BYODKIM key {name}: {answer.describe()}",
                detail="Not the same as a missing key: the DNS gave no definite answer.",
                evidence=_ev(answer),
                data=data,
                fix="retry, or check the domain's nameservers",
            ),
        )
    keys = [r for r in answer.records if looks_like_key(r)] if answer.exists else []
    key = parse_dkim_key(keys[0]) if keys else None
    if key is None or key.errors or key.revoked:
        return (_byodkim_missing(facts, setup, selector, answer, key),)
    data.update(key_type=key.key_type, key_bits=key.key_bits, records=len(keys))
    bits = f"{key.key_bits}-bit " if key.key_bits else ""
    extra = f" ({len(keys)} key records: verifiers may pick any)" if len(keys) > 1 else ""
    found = _finding(
        check,
        Status.PASS,
        name,
        f"BYODKIM key at {name}: {bits}{key.key_type}{extra}",
        evidence=_ev(answer),
        reference=REF_BYODKIM,
        data=data,
    )
    return (found, *_byodkim_key_length(setup, selector, name, key))


def _byodkim_missing(
    facts: SesFacts, setup: DkimSetup, selector: str, answer: DnsAnswer, key: DkimKey | None
) -> Finding:
    name, d = dkim_key_name(selector, setup.identity), setup.identity
    if key is not None and key.errors:
        what = f"the BYODKIM key at {name} is malformed: {key.errors[0]}"
    elif key is not None:
        what = f"the BYODKIM key at {name} is revoked (empty p=)"
    elif answer.exists:
        what = f"{name} has TXT records but none is a DKIM key"
    else:
        what = f"the BYODKIM key {name} is not published ({answer.describe()})"
    doubled = facts.dkim_keys.get(f"{name}.{d}")
    detail = (
        f"{d} uses Bring Your Own DKIM: SES signs with the private key it was given, selector "
        f"{selector}, and it (like every receiver) needs the matching public key as TXT at this "
        "name. Without it SES does not verify DKIM for the domain and signatures cannot be "
        "verified. Easy DKIM CNAMEs are not used."
    )
    if doubled is not None and doubled.exists:
        detail += (
            f" A record exists at {doubled.name} instead: the DNS provider appended the zone "
            "name; enter only the part before the domain."
        )
    return _finding(
        "provider.ses.dkim.key",
        Status.FAIL,
        name,
        what,
        detail=f"{detail} {_PRIVATE_KEY_NOTE}",
        evidence=_ev(answer, doubled),
        reference=REF_BYODKIM,
        cause=CAUSE_BYODKIM_MISSING,
        fix=f'publish `{name}. TXT "v=DKIM1; k=rsa; p=<base64 public key>"` with the public '
        "key of the private key given to SES (`openssl rsa -in <private-key.pem> -pubout`, "
        "without the BEGIN/END lines); if that key is lost, make a new pair and give SES its "
        f"private key: `{_byodkim_command(setup, selector)}`",
        data={"name": name, "selector": selector, "origin": str(setup.origin)},
    )


def _byodkim_key_length(
    setup: DkimSetup, selector: str, name: str, key: DkimKey
) -> tuple[Finding, ...]:
    """The owner's key length, read from the published key (SES takes 1024 or 2048 bits)."""
    bits = key.key_bits
    if key.key_type != "rsa" or bits is None:
        return ()
    check, data = "provider.ses.dkim.key_length", {"key_bits": bits, "origin": str(setup.origin)}
    if bits >= 2048:
        summary = f"BYODKIM signs {setup.identity} with a {bits}-bit RSA key"
        return (_finding(check, Status.INFO, name, summary, reference=REF_KEY_SIZE, data=data),)
    rotate = (
        f"generate a 2048-bit key pair, publish its public key under a new selector, then "
        f"`{_byodkim_command(setup, '<new selector>')}`"
    )
    if bits < 1024:  # RFC 8301 section 3.2; SES itself takes only 1024- or 2048-bit keys
        return (
            _finding(
                check,
                Status.FAIL,
                name,
                f"the key at {name} has {bits} bits: receivers reject keys under 1024 bits, and "
                "it cannot be the key SES signs with (SES takes 1024 or 2048 bits)",
                reference=REF_KEY_SIZE,
                fix=rotate,
                data=data,
            ),
        )
    return (
        _finding(
            check,
            Status.WARN,
            name,
            f"BYODKIM signs {setup.identity} with a {bits}-bit RSA key: weaker than the "
            "recommended 2048 bits",
            reference=REF_KEY_SIZE,
            fix=rotate,
            data=data,
        ),
    )


def _easy_key_length(facts: SesFacts, setup: DkimSetup) -> tuple[Finding, ...]:
    """``provider.ses.dkim.key_length`` for Easy DKIM, from SES v2's key lengths."""
    current, following = setup.current_key_bits, setup.next_key_bits
    if setup.origin is not DkimOrigin.AWS_SES or not setup.enabled:
        return ()
    if current is None and following is None:
        return ()
    d = setup.identity
    status, summary, weak = _easy_key_verdict(d, current, following)
    generated = f" (key pair generated {_date(setup.key_generated)})" if setup.key_generated else ""
    fix = _easy_key_command(setup) if weak else ""
    return (
        _finding(
            "provider.ses.dkim.key_length",
            status,
            d,
            summary + generated,
            evidence=_ev(facts.dkim_v2.get(d)),
            reference=REF_DKIM,
            fix=f"`{fix}`" if fix else "",
            detail=_replica_note(setup) if fix else "",
            data={
                "current_key_bits": current,
                "next_key_bits": following,
                "key_generated": setup.key_generated.isoformat() if setup.key_generated else None,
                "command": fix or None,
            },
        ),
    )


def _easy_key_verdict(
    domain: str, current: int | None, following: int | None
) -> tuple[Status, str, bool]:
    """(status, summary, whether to move to 2048 bits); warn only on a known weak key."""
    later = following or 0
    if current is None:
        return (
            Status.INFO,
            f"SES does not report the length of {domain}'s current Easy DKIM key; the next key "
            f"it generates will have {following} bits",
            later < 2048,
        )
    if current >= 2048:
        return Status.INFO, f"Easy DKIM signs {domain} with a {current}-bit key", False
    if later >= 2048:
        return (
            Status.INFO,
            f"Easy DKIM signs {domain} with a {current}-bit key; the next key SES generates "
            f"will have {following} bits",
            False,
        )
    return (
        Status.WARN,
        f"Easy DKIM signs {domain} with a {current}-bit key: weaker than the recommended 2048 bits",
        True,
    )


def _easy_key_command(setup: DkimSetup) -> str:
    region = setup.replicated_from or setup.region
    return (
        f"aws sesv2 put-email-identity-dkim-signing-attributes --email-identity "
        f"{setup.identity} --signing-attributes-origin AWS_SES --signing-attributes "
        f"NextSigningKeyLength=RSA_2048_BIT --region {region}"
    )


def _replica_note(setup: DkimSetup) -> str:
    if not setup.replicated_from:
        return ""
    return (
        f"The identity replicates the Easy DKIM key of its parent identity in "
        f"{setup.replicated_from}, so the key length is changed there."
    )


def _cname(facts: SesFacts, setup: DkimSetup, token: str) -> Finding:
    check = "provider.ses.dkim.cname"
    name = dkim_cname_name(token, setup.identity)
    expected = dkim_targets(token, setup.region)
    answer = facts.dkim_dns.get(name)
    data = {"name": name, "expected": expected[0]}
    if answer is None:
        return _finding(check, Status.SKIPPED, name, "CNAME not looked up", data=data)
    fix = f"publish `{name}. CNAME {expected[0]}.`"
    if answer.exists:
        found = answer.records[0].rstrip(".").lower()
        if found in expected:
            return _finding(
                check, Status.PASS, name, f"{name} -> {found}", evidence=_ev(answer), data=data
            )
        return _finding(
            check,
            Status.FAIL,
            name,
            f"{name} points to {found}, not {expected[0]}",
            evidence=_ev(answer),
            reference=REF_DKIM,
            cause=CAUSE_DKIM_WRONG,
            fix=fix,
            data=data,
        )
    if not answer.ok:
        return _finding(
            check,
            Status.ERROR,
            name,
            f"could not look up {name}: {answer.describe()}",
            evidence=_ev(answer),
            data=data,
        )
    return _missing_cname(facts, name, answer, fix, data)


def _missing_cname(
    facts: SesFacts, name: str, answer: DnsAnswer, fix: str, data: dict[str, Any]
) -> Finding:
    domain = name.split("._domainkey.", 1)[1]
    doubled = facts.dkim_dns.get(f"{name}.{domain}")
    detail = (
        "Without this record SES cannot verify DKIM for the domain, and receivers cannot "
        "find the key for that selector."
    )
    if doubled is not None and doubled.exists:
        detail += (
            f" It exists at {doubled.name} instead: the DNS provider appended the zone "
            "name; enter only the part before the domain."
        )
    note = _origin_note(facts, domain)
    return _finding(
        "provider.ses.dkim.cname",
        Status.FAIL,
        name,
        f"the DKIM CNAME {name} is not published ({answer.describe()})",
        detail=f"{detail} {note}".strip(),
        evidence=_ev(answer, doubled),
        reference=REF_DKIM,
        cause=CAUSE_DKIM_MISSING,
        fix=fix,
        data=data,
    )


# -- custom MAIL FROM -------------------------------------------------------------------------


def _effective_mail_from(facts: SesFacts) -> MailFromSetup | None:
    """The email identity's MAIL FROM if it has one, else the covering domain identity's."""
    settings = _value(facts.mail_from) or {}
    if not facts.query.sender:
        return None
    here = _value(facts.here) or {}
    verified = [
        n
        for n in sender_identities(facts.query.sender)
        if n in here and here[n].verification is Verification.SUCCESS
    ]
    configured = [settings[n] for n in verified if n in settings and settings[n].domain]
    if configured:
        return configured[0]
    return next((settings[n] for n in verified if n in settings), None)


def _dkim_aligned(facts: SesFacts) -> bool:
    domain = _dkim_domain(facts)
    setup = _dkim_setup(facts, domain) if domain else None
    return setup is not None and setup.enabled and setup.status is Verification.SUCCESS


def mail_from_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.mail_from`` and, when configured, its ``.mx`` and ``.spf``."""
    check, sender = "provider.ses.mail_from", facts.query.sender
    if facts.mail_from is None or not sender:
        return ()
    if facts.mail_from.failure is not None:
        return (_failed(check, sender, facts.mail_from, "the custom MAIL FROM domain"),)
    setup = _effective_mail_from(facts)
    if setup is None:
        return ()
    if not setup.domain:
        return (_default_mail_from(facts, setup),)
    dns = facts.mail_from_dns.get(setup.domain)
    extra = (_mx(setup, dns.mx), _spf(setup, dns.txt)) if dns is not None else ()
    return (_mail_from_status(facts, setup, any(f.cause for f in extra)), *extra)


def _default_mail_from(facts: SesFacts, setup: MailFromSetup) -> Finding:
    aligned = _dkim_aligned(facts)
    tail = (
        "DKIM is aligned, so DMARC can pass"
        if aligned
        else "and DKIM is not aligned either, so DMARC fails"
    )
    return _finding(
        "provider.ses.mail_from",
        Status.INFO if aligned else Status.WARN,
        setup.identity,
        f"no custom MAIL FROM on {setup.identity}: the envelope sender is amazonses.com, "
        f"so SPF passes but does not align with the From: domain - {tail}",
        detail="With SES's default MAIL FROM, receivers evaluate SPF for amazonses.com; an "
        "'include:amazonses.com' in the apex domain's SPF record plays no part in SES mail.",
        evidence=_ev(facts.mail_from),
        reference=REF_DMARC,
        fix="" if aligned else "set up a custom MAIL FROM subdomain (MX + SPF) and Easy DKIM",
    )


_BEHAVIOR_TEXT: Mapping[MxFailureBehavior, str] = {
    MxFailureBehavior.REJECT_MESSAGE: "BehaviorOnMxFailure is RejectMessage: while the MAIL FROM "
    "domain is not verified SES rejects sends with MailFromDomainNotVerified",
    MxFailureBehavior.USE_DEFAULT_VALUE: "BehaviorOnMxFailure is UseDefaultValue: while the MAIL "
    "FROM domain is not verified SES falls back to amazonses.com, so SPF passes but does not "
    "align and DMARC rests on DKIM alone",
    MxFailureBehavior.UNKNOWN: "BehaviorOnMxFailure not reported",
}


def _mail_from_status(facts: SesFacts, setup: MailFromSetup, dns_cause: bool) -> Finding:
    check, d = "provider.ses.mail_from", setup.domain
    data = {"mail_from_domain": d, "status": str(setup.status), "behavior": str(setup.behavior)}
    behavior = _BEHAVIOR_TEXT[setup.behavior]
    if setup.status is Verification.SUCCESS:
        return _finding(
            check,
            Status.PASS,
            d,
            f"custom MAIL FROM {d} is verified for {setup.identity}",
            detail=behavior,
            evidence=_ev(facts.mail_from),
            reference=REF_MAIL_FROM,
            data=data,
        )
    reject = setup.behavior is MxFailureBehavior.REJECT_MESSAGE
    return _finding(
        check,
        Status.FAIL if reject else Status.WARN,
        d,
        f"custom MAIL FROM {d} is {setup.status}",
        detail=behavior,
        evidence=_ev(facts.mail_from),
        reference=REF_MAIL_FROM,
        cause="" if dns_cause else CAUSE_MAIL_FROM_UNVERIFIED,
        data=data,
        fix=f"publish exactly one MX `10 {mail_from_mx_host(setup.region)}` and "
        f"`v=spf1 include:amazonses.com ~all` at {d}",
    )


def _mx_hosts(answer: DnsAnswer) -> list[str]:
    return [r.split()[-1].rstrip(".").lower() for r in answer.records]


def _mx(setup: MailFromSetup, answer: DnsAnswer) -> Finding:
    check, d, expected = "provider.ses.mail_from.mx", setup.domain, mail_from_mx_host(setup.region)
    fix = f"publish exactly one record: `{d}. MX 10 {expected}.`"
    data = {"expected": expected}
    if not answer.ok:
        return _finding(
            check,
            Status.ERROR,
            d,
            f"could not look up MX for {d}: {answer.describe()}",
            evidence=_ev(answer),
            data=data,
        )
    hosts = _mx_hosts(answer)
    consequence = _BEHAVIOR_TEXT[setup.behavior]
    if not hosts:
        return _finding(
            check,
            Status.FAIL,
            d,
            f"the MAIL FROM domain {d} has no MX record "
            f"({answer.describe()}): SES cannot verify it",
            detail=consequence,
            evidence=_ev(answer),
            reference=REF_MAIL_FROM,
            cause=CAUSE_MX_MISSING,
            fix=fix,
            data=data,
        )
    cause, summary = _mx_problem(d, hosts, expected)
    if not cause:
        return _finding(check, Status.PASS, d, summary, evidence=_ev(answer), data=data)
    return _finding(
        check,
        Status.FAIL,
        d,
        summary,
        detail=consequence,
        evidence=_ev(answer),
        reference=REF_MAIL_FROM,
        cause=cause,
        fix=fix,
        data=data,
    )


def _mx_problem(domain: str, hosts: list[str], expected: str) -> tuple[str, str]:
    if len(hosts) > 1:
        return (
            CAUSE_MX_MULTIPLE,
            f"{domain} has {len(hosts)} MX records; SES needs exactly one ({expected})",
        )
    host = hosts[0]
    if host == expected:
        return "", f"{domain} MX -> {host}"
    if host.startswith("feedback-smtp.") and host.endswith(".amazonses.com"):
        return (
            CAUSE_MX_WRONG_REGION,
            f"{domain} MX -> {host}, another region's feedback "
            f"endpoint; this region needs {expected}",
        )
    return CAUSE_MX_WRONG, f"{domain} MX -> {host}, not {expected}"


def _spf(setup: MailFromSetup, answer: DnsAnswer) -> Finding:
    check, d = "provider.ses.mail_from.spf", setup.domain
    if not answer.ok:
        summary = f"could not look up TXT for {d}: {answer.describe()}"
        return _finding(check, Status.ERROR, d, summary, evidence=_ev(answer))
    records = [r for r in answer.records if r.lower().split()[:1] == ["v=spf1"]]
    status, cause, summary = _spf_verdict(d, records)
    return _finding(
        check,
        status,
        d,
        summary,
        evidence=_ev(answer),
        cause=cause,
        reference=REF_MAIL_FROM if cause else "",
        detail="\n".join(records),
        fix=f"publish one TXT record at {d}: `v=spf1 include:amazonses.com ~all`" if cause else "",
    )


def _spf_verdict(domain: str, records: Sequence[str]) -> tuple[Status, str, str]:
    """SPF on the MAIL FROM subdomain: the one place SPF is evaluated for SES mail."""
    if not records:
        return (
            Status.FAIL,
            CAUSE_SPF_MISSING,
            f"no SPF record at the MAIL FROM domain {domain}: SPF fails for SES mail",
        )
    if len(records) > 1:  # RFC 7208 section 4.5: more than one record is a permerror
        return (
            Status.FAIL,
            CAUSE_SPF_MULTIPLE,
            f"{len(records)} SPF records at {domain}: SPF permerror (RFC 7208 section 4.5)",
        )
    if "include:amazonses.com" not in records[0].lower().split():
        return (
            Status.WARN,
            CAUSE_SPF_INCOMPLETE,
            f"the SPF record at {domain} does not include amazonses.com",
        )
    # Containing the include is not passing: the record is evaluated (lookup limit,
    # check_host for SES's addresses) by dns.mailfrom.spf, which diagnose runs on it.
    return (
        Status.INFO,
        "",
        f"{domain} SPF includes amazonses.com (evaluated as dns.mailfrom.spf): {records[0]}",
    )


# -- suppression list -------------------------------------------------------------------------


def suppression_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.suppression``: one finding per recipient."""
    if not facts.query.recipients:
        return (
            _finding(
                "provider.ses.suppression", Status.SKIPPED, "", "no recipient given (--recipient)"
            ),
        )
    return tuple(_suppression(facts, r) for r in facts.query.recipients)


def _suppression(facts: SesFacts, recipient: str) -> Finding:
    check, region = "provider.ses.suppression", facts.query.region
    fetched = facts.suppressions.get(recipient)
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
            detail=_suppression_note(facts),
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


def _suppression_note(facts: SesFacts) -> str:
    account: AccountStatus | None = _value(facts.account)
    reasons = account.suppressed_reasons if account is not None else None
    if reasons is None:
        return ""
    if not reasons:
        return "The account-level suppression list is not in use in this region."
    return f"The account-level list adds addresses for: {', '.join(r.upper() for r in reasons)}."


# -- the key behind an SMTP username ----------------------------------------------------------


def key_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.smtp_key`` and ``provider.ses.smtp_key.permission``."""
    key_id, check = facts.query.smtp_user, "provider.ses.smtp_key"
    if not key_id:
        return (_finding(check, Status.SKIPPED, "", "no SMTP username given (--smtp-user)"),)
    if not is_access_key_id(key_id):
        if facts.query.smtp_endpoint and facts.query.smtp_region is None:
            summary = "the relay is not an SES endpoint: its username is not an AWS key"
            return (_finding(check, Status.SKIPPED, "", summary),)
        return (_not_a_key_id(),)
    if key_id.startswith("ASIA"):
        return (_temporary_key(key_id, facts.query.region),)
    owner = facts.key_owner
    if owner is None:
        return ()
    if owner.failure is not None:
        if owner.failure.kind is FailureKind.NOT_FOUND:
            return (_deleted_key(facts, key_id, owner),)
        failed = _failed(check, key_id, owner, f"which IAM user owns {key_id}")
        if owner.failure.kind is FailureKind.ACCESS_DENIED:
            failed = replace(failed, detail=f"{failed.detail} {_DENIED_KEY_NOTE}".strip())
        return (failed,)
    assert owner.value is not None
    return (_key_state(facts, owner.value), *_permission(facts, owner.value))


_ROTATE_FIX = (
    "create a new access key for the IAM user (or new SMTP credentials in the SES console), "
    "derive the SMTP password from its secret for region {region} (`maildoctor "
    "ses-smtp-password --region {region}`), "
    "and put the new username and password in the mail client"
)
_535 = (
    "SES derives the SMTP password from the key's secret: a key that no longer works can never "
    "authenticate, which is what SES's '535 Authentication Credentials Invalid' reports."
)


_DENIED_KEY_NOTE = (
    "If the caller does hold iam:GetAccessKeyLastUsed, the key may belong to another AWS account "
    "(unverified: how AWS answers for a foreign or deleted key id)."
)
_LAST_USED_NOTE = "IAM's last-used date may not reflect SMTP logins."
_NO_LONGER_WORKS = "SMTP credentials belong to a key that no longer works"


def _not_a_key_id() -> Finding:
    # The value is not shown: a username that is no key id may be a pasted secret.
    return _finding(
        "provider.ses.smtp_key",
        Status.WARN,
        "",
        "the SMTP username (not shown) is not an "
        "access key id: SES SMTP usernames are 20-character access key ids (AKIA...), so SES "
        "would answer 535 Authentication Credentials Invalid",
        reference=REF_SMTP_CREDENTIALS,
        fix="use the SMTP username SES gave with the credentials (the access key id)",
    )


def _temporary_key(key_id: str, region: str) -> Finding:
    return _finding(
        "provider.ses.smtp_key",
        Status.FAIL,
        key_id,
        f"the SMTP username {key_id} is a temporary "
        "(STS) access key: SES SMTP credentials must come from an IAM user's long-term key",
        reference=REF_SMTP_CREDENTIALS,
        cause=CAUSE_KEY_TEMPORARY,
        fix=_ROTATE_FIX.format(region=region),
    )


def _deleted_key(facts: SesFacts, key_id: str, owner: Fetched[CredentialOwner]) -> Finding:
    caller: Caller | None = _value(facts.caller)
    account = f" in account {caller.account}" if caller else ""
    return _finding(
        "provider.ses.smtp_key",
        Status.FAIL,
        key_id,
        f"{_NO_LONGER_WORKS}: access key {key_id} does not exist{account} (deleted, or another "
        "account's)",
        detail=_535,
        evidence=_ev(owner),
        reference=REF_SMTP_CREDENTIALS,
        cause=CAUSE_KEY_DELETED,
        fix=_ROTATE_FIX.format(region=facts.query.region),
        data={"key_id": key_id},
    )


def _key_state(facts: SesFacts, owner: CredentialOwner) -> Finding:
    check, key_id, keys = "provider.ses.smtp_key", owner.key_id, facts.access_keys
    if keys is not None and keys.failure is not None:
        return _failed(check, key_id, keys, f"the state of {key_id} (owned by {owner.user})")
    listed: tuple[AccessKey, ...] = _value(keys) or ()
    mine = next((k for k in listed if k.key_id == key_id), None)
    others = [k for k in listed if k.key_id != key_id]
    base = {
        "evidence": _ev(facts.key_owner, keys),
        "data": _key_data(owner, mine, others),
        "reference": REF_SMTP_CREDENTIALS,
    }
    rotate = _ROTATE_FIX.format(region=facts.query.region)
    if mine is None:
        summary = f"{_NO_LONGER_WORKS}: {key_id} is not among {owner.user}'s keys"
        return _finding(
            check,
            Status.FAIL,
            key_id,
            summary,
            detail=_535,
            fix=rotate,
            cause=CAUSE_KEY_DELETED,
            **base,
        )
    detail = " ".join(filter(None, [_other_keys_text(others), _LAST_USED_NOTE]))
    if mine.status is not KeyStatus.ACTIVE:
        summary = (
            f"{_NO_LONGER_WORKS}: {key_id} of IAM user {owner.user} is {mine.status.capitalize()}"
        )
        fix = (
            f"reactivate it (`aws iam update-access-key --user-name {owner.user} "
            f"--access-key-id {key_id} --status Active`), or {rotate}"
        )
        return _finding(
            check,
            Status.FAIL,
            key_id,
            summary,
            detail=f"{_535} {detail}",
            fix=fix,
            cause=CAUSE_KEY_INACTIVE,
            **base,
        )
    summary = (
        f"{key_id} belongs to IAM user {owner.user}: Active, created "
        f"{_date(mine.created)}, {_last_used(owner)}"
    )
    return _finding(check, Status.PASS, key_id, summary, detail=detail, **base)


def _last_used(owner: CredentialOwner) -> str:
    where = (
        f" ({owner.last_used_service} in {owner.last_used_region})"
        if (owner.last_used and owner.last_used_service)
        else ""
    )
    return f"last used {_date(owner.last_used)}{where}"


def _key_data(
    owner: CredentialOwner, mine: AccessKey | None, others: Iterable[AccessKey]
) -> dict[str, Any]:
    return {
        "key_id": owner.key_id,
        "user": owner.user,
        "status": str(mine.status) if mine else None,
        "created": mine.created.isoformat() if mine and mine.created else None,
        "last_used": owner.last_used.isoformat() if owner.last_used else None,
        "other_keys": [{"key_id": k.key_id, "status": str(k.status)} for k in others],
    }


def _other_keys_text(others: Sequence[AccessKey]) -> str:
    if not others:
        return ""
    listed = ", ".join(f"{k.key_id} ({k.status}, created {_date(k.created)})" for k in others)
    return (
        f"The user's other keys: {listed} - after a rotation the SMTP username must be the "
        "new key's id and the password derived from the new secret."
    )


def _permission(facts: SesFacts, owner: CredentialOwner) -> tuple[Finding, ...]:
    check, fetched = "provider.ses.smtp_key.permission", facts.permission
    if fetched is None:
        return ()
    if fetched.failure is not None:
        return (
            _failed(
                check,
                owner.user,
                fetched,
                f"whether {owner.user} may ses:SendRawEmail",
                optional=True,
            ),
        )
    decision = fetched.value
    if decision is PermissionDecision.ALLOWED:
        return (
            _finding(
                check,
                Status.PASS,
                owner.user,
                f"IAM user {owner.user} may ses:SendRawEmail",
                evidence=_ev(fetched),
            ),
        )
    return (
        _finding(
            check,
            Status.FAIL,
            owner.user,
            f"IAM user {owner.user} may not ses:SendRawEmail "
            f"({decision}): SES answers 554 Access denied",
            evidence=_ev(fetched),
            reference=REF_SMTP_CREDENTIALS,
            cause=CAUSE_NOT_AUTHORIZED,
            fix=f"attach a policy allowing ses:SendRawEmail to {owner.user}",
        ),
    )


# -- regions ----------------------------------------------------------------------------------


def region_findings(facts: SesFacts) -> tuple[Finding, ...]:
    """``provider.ses.region``: SMTP endpoint, identity and suppression list must agree."""
    q, check = facts.query, "provider.ses.region"
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
    return (_region_agreement(facts),)


def _region_agreement(facts: SesFacts) -> Finding:
    q = facts.query
    ident = _identity_regions(facts)
    smtp = q.smtp_region or "unknown (give --smtp-endpoint)"
    text = (
        f"SMTP endpoint: {smtp}; identity verified in: {ident}; suppression list checked: "
        f"{_suppression_checked(facts)}"
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


def _identity_regions(facts: SesFacts) -> str:
    """Where the sender's identity is verified; a failed lookup is not "none"."""
    q = facts.query
    if not q.sender:
        return "not checked (no --sender)"
    if not (facts.here and facts.here.ok):
        return "unknown (the identity lookup failed)"
    cov = _coverage(facts, q.sender)
    return q.region if cov.verified else ", ".join(cov.elsewhere) or "none"


def _suppression_checked(facts: SesFacts) -> str:
    if not facts.query.recipients:
        return "not checked (no --recipient)"
    if any(not f.ok for f in facts.suppressions.values()):
        return f"{facts.query.region} (some lookups failed)"
    return facts.query.region
