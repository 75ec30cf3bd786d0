"""The access key behind an SMTP username: does it exist, is it active, may it send?

SES derives the SMTP password from an IAM user's long-term access key; the username is the
key id (``AKIA...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...model import Finding, Status
from ..base import (
    AccessKey,
    Caller,
    CredentialOwner,
    FailureKind,
    Fetched,
    KeyStatus,
    PermissionDecision,
)
from .causes import (
    CAUSE_KEY_DELETED,
    CAUSE_KEY_INACTIVE,
    CAUSE_KEY_TEMPORARY,
    CAUSE_NOT_AUTHORIZED,
    REF_SMTP_CREDENTIALS,
)
from .common import date_text as _date
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .facts import SesQuery, is_access_key_id, value_of

__all__ = ["key_findings"]


@dataclass(frozen=True, slots=True)
class _Keys:
    """The IAM answers about one key: its owner, the owner's keys, and the send permission."""

    region: str
    caller: Fetched[Caller] | None
    owner: Fetched[CredentialOwner] | None
    listed: Fetched[tuple[AccessKey, ...]] | None
    permission: Fetched[PermissionDecision] | None


def key_findings(
    *,
    query: SesQuery,
    caller: Fetched[Caller] | None,
    owner: Fetched[CredentialOwner] | None,
    access_keys: Fetched[tuple[AccessKey, ...]] | None,
    permission: Fetched[PermissionDecision] | None,
) -> tuple[Finding, ...]:
    """``provider.ses.smtp_key`` and ``provider.ses.smtp_key.permission``.

    Args:
        query: The SMTP username, endpoint and region asked about.
        caller: Who the checks ran as (names the account a deleted key is missing from).
        owner: ``GetAccessKeyLastUsed``'s answer for the key.
        access_keys: ``ListAccessKeys`` for the owner.
        permission: ``SimulatePrincipalPolicy`` for ``ses:SendRawEmail``.

    Returns:
        The key findings.
    """
    key_id, check = query.smtp_user, "provider.ses.smtp_key"
    if not key_id:
        return (_finding(check, Status.SKIPPED, "", "no SMTP username given (--smtp-user)"),)
    if not is_access_key_id(key_id):
        if query.smtp_endpoint and query.smtp_region is None:
            summary = "the relay is not an SES endpoint: its username is not an AWS key"
            return (_finding(check, Status.SKIPPED, "", summary),)
        return (_not_a_key_id(),)
    if key_id.startswith("ASIA"):
        return (_temporary_key(key_id, query.region),)
    if owner is None:
        return ()
    if owner.failure is not None:
        if owner.failure.kind is FailureKind.NOT_FOUND:
            return (_deleted_key(caller, query.region, key_id, owner),)
        failed = _failed(check, key_id, owner, f"which IAM user owns {key_id}")
        if owner.failure.kind is FailureKind.ACCESS_DENIED:
            failed = replace(failed, detail=f"{failed.detail} {_DENIED_KEY_NOTE}".strip())
        return (failed,)
    assert owner.value is not None
    facts = _Keys(
        region=query.region,
        caller=caller,
        owner=owner,
        listed=access_keys,
        permission=permission,
    )
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


def _deleted_key(
    fetched: Fetched[Caller] | None, region: str, key_id: str, owner: Fetched[CredentialOwner]
) -> Finding:
    caller: Caller | None = value_of(fetched)
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
        fix=_ROTATE_FIX.format(region=region),
        data={"key_id": key_id},
    )


def _key_state(facts: _Keys, owner: CredentialOwner) -> Finding:
    check, key_id, keys = "provider.ses.smtp_key", owner.key_id, facts.listed
    if keys is not None and keys.failure is not None:
        return _failed(check, key_id, keys, f"the state of {key_id} (owned by {owner.user})")
    listed: tuple[AccessKey, ...] = value_of(keys) or ()
    mine = next((k for k in listed if k.key_id == key_id), None)
    others = [k for k in listed if k.key_id != key_id]
    base = {
        "evidence": _ev(facts.owner, keys),
        "data": _key_data(owner, mine, others),
        "reference": REF_SMTP_CREDENTIALS,
    }
    rotate = _ROTATE_FIX.format(region=facts.region)
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


def _permission(facts: _Keys, owner: CredentialOwner) -> tuple[Finding, ...]:
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
