"""What one ``check_ses`` run asked and fetched, and the names derived from it (no I/O).

:class:`SesFacts` bundles every answer (each a :class:`~maildoctor.provider.base.Fetched`
or a :class:`~maildoctor.dns.resolver.DnsAnswer`); the topic modules (``account``,
``identity``, ``dkim``, ``mail_from``, ``suppression``, ``keys``, ``region``) each read
only the fields they name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ...dns.resolver import DnsAnswer
from ..base import (
    AccessKey,
    AccountStatus,
    Caller,
    CredentialOwner,
    DkimOrigin,
    DkimSetup,
    Fetched,
    Identity,
    MailFromSetup,
    PermissionDecision,
    Reputation,
    SendQuota,
    Suppression,
)

__all__ = [
    "DKIM_TARGET_FORMS",
    "MailFromDns",
    "SesFacts",
    "SesQuery",
    "dkim_cname_name",
    "dkim_key_name",
    "dkim_setups",
    "dkim_targets",
    "domain_of",
    "is_access_key_id",
    "mail_from_mx_host",
    "merge_dkim",
    "sender_identities",
    "value_of",
]

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


# -- names ------------------------------------------------------------------------------------


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
    """The domain part of an address (or the bare domain), lower case."""
    return sender.strip().lower().rpartition("@")[2].strip(".")


def dkim_cname_name(token: str, domain: str) -> str:
    """Where an Easy DKIM token's CNAME lives: ``<token>._domainkey.<domain>``."""
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
    first: Mapping[str, DkimSetup] = value_of(v1) or {}
    out: dict[str, DkimSetup] = {}
    for name in dict.fromkeys([*first, *v2]):
        merged = merge_dkim(first.get(name), value_of(v2.get(name)))
        if merged is not None:
            out[name] = merged
    return out


def dkim_targets(token: str, region: str) -> tuple[str, ...]:
    """The CNAME targets SES accepts for a token (:data:`DKIM_TARGET_FORMS`)."""
    return tuple(form.format(token=token, region=region) for form in DKIM_TARGET_FORMS)


def mail_from_mx_host(region: str) -> str:
    """The one MX a custom MAIL FROM domain needs in ``region``."""
    return f"feedback-smtp.{region}.amazonses.com"


def value_of(fetched: Fetched[Any] | None) -> Any:
    """The fetched value, or ``None`` when nothing was asked or the call failed."""
    return fetched.value if fetched is not None and fetched.ok else None
