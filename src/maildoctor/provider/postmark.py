"""Postmark behind :class:`~maildoctor.provider.base.SenderAccount`, read-only.

Postmark has two kinds of token: the account token (``X-Postmark-Account-Token``) for
sender signatures and domains, and a server token (``X-Postmark-Server-Token``) for one
server's message streams:

* ``GET /senders?count=&offset=`` - ``{"TotalCount", "SenderSignatures": [{"Domain",
  "EmailAddress", "Confirmed", "ID", ...}]}``;
* ``GET /domains?count=&offset=`` - ``{"TotalCount", "Domains": [{"Name", "SPFVerified",
  "DKIMVerified", "WeakDKIM", "ReturnPathDomainVerified", "ID"}]}``; ``GET /domains/{id}``
  adds ``ReturnPathDomain``;
* ``GET /message-streams/{stream}/suppressions/dump?EmailAddress=`` -
  ``{"Suppressions": [{"EmailAddress", "SuppressionReason", "Origin", "CreatedAt"}]}``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from ..secrets import Secret
from .base import (
    DomainAuth,
    Fetched,
    SenderStatus,
    Suppression,
    SuppressionReason,
    Verification,
)
from .http import JsonApi

__all__ = ["ACCOUNT_TOKEN_ENV", "BASE_URL_ENV", "SERVER_TOKEN_ENV", "PostmarkAccount"]

DEFAULT_BASE_URL = "https://api.postmarkapp.com"
BASE_URL_ENV = "MAILDOCTOR_POSTMARK_URL"
ACCOUNT_TOKEN_ENV = "POSTMARK_ACCOUNT_TOKEN"
SERVER_TOKEN_ENV = "POSTMARK_SERVER_TOKEN"
_PAGE = 500
_REASONS = {
    "hardbounce": SuppressionReason.BOUNCE,
    "spamcomplaint": SuppressionReason.COMPLAINT,
}


class PostmarkAccount:
    """A Postmark account (and one of its servers), asked with its tokens.

    Args:
        account_token: The account API token (sender signatures, domains).
        server_token: A server API token (suppressions of that server's stream).
        stream: The message stream whose suppressions are read (default ``outbound``).
        timeout: Seconds per request.
        base_url: The API's URL (default ``$MAILDOCTOR_POSTMARK_URL`` or the real one).
        transport: An httpx transport, for tests.
    """

    name = "postmark"
    causes: Mapping[str, str] = {
        "sender": "provider.postmark.sender_signature_unconfirmed",
        "dkim": "provider.postmark.domain_unverified",
        "suppressed": "provider.postmark.recipient_inactive",
    }

    def __init__(
        self,
        account_token: Secret,
        server_token: Secret,
        *,
        stream: str = "outbound",
        timeout: float = 10.0,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        accept = {"Accept": "application/json"}
        self._account = {**accept, "X-Postmark-Account-Token": account_token.reveal()}
        self._server = {**accept, "X-Postmark-Server-Token": server_token.reveal()}
        self._stream = stream
        self._api = JsonApi(
            service="postmark",
            base_url=base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL,
            secrets=(account_token, server_token),
            timeout=timeout,
            transport=transport,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._api.close()

    async def __aenter__(self) -> PostmarkAccount:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _listing(self, path: str, op: str, key: str) -> Fetched[list[dict[str, Any]]]:
        fetched = await self._api.get(
            path,
            operation=f"postmark.{op}",
            permission="account token",
            headers=self._account,
            params={"count": _PAGE, "offset": 0},
        )
        if not fetched.ok:
            return Fetched(evidence=fetched.evidence, failure=fetched.failure)
        payload = fetched.value if isinstance(fetched.value, dict) else {}
        items = [e for e in payload.get(key) or [] if isinstance(e, dict)]
        return Fetched(evidence=fetched.evidence, value=items)

    async def sender(self, address: str) -> Fetched[SenderStatus]:
        """Whether a confirmed sender signature or a DKIM-verified domain covers ``address``."""
        address = address.strip().lower()
        domain = await self.domain(address.rpartition("@")[2])
        if not domain.ok:
            return Fetched(evidence=domain.evidence, failure=domain.failure)
        assert domain.value is not None
        if domain.value.dkim is Verification.SUCCESS:
            status = SenderStatus(
                address=address,
                verified=True,
                covered_by=domain.value.domain,
                state=Verification.SUCCESS,
            )
            return Fetched(evidence=domain.evidence, value=status)
        signatures = await self._listing("/senders", "ListSenderSignatures", "SenderSignatures")
        if not signatures.ok:
            return Fetched(evidence=signatures.evidence, failure=signatures.failure)
        return Fetched(evidence=signatures.evidence, value=_signature(address, signatures.value))

    async def domain(self, domain: str) -> Fetched[DomainAuth]:
        """The domain's DKIM and Return-Path verification."""
        domain = domain.strip().lower()
        listing = await self._listing("/domains", "ListDomains", "Domains")
        if not listing.ok:
            return Fetched(evidence=listing.evidence, failure=listing.failure)
        match = [d for d in listing.value or [] if str(d.get("Name", "")).lower() == domain]
        if not match:
            unknown = DomainAuth(domain=domain, known=False, dkim=Verification.NOT_STARTED)
            return Fetched(evidence=listing.evidence, value=unknown)
        details = await self._api.get(
            f"/domains/{int(match[0].get('ID', 0))}",
            operation="postmark.GetDomain",
            permission="account token",
            headers=self._account,
        )
        entry = details.value if details.ok and isinstance(details.value, dict) else match[0]
        return Fetched(evidence=details.evidence, value=_domain_auth(domain, entry))

    async def suppressed(self, address: str) -> Fetched[Suppression]:
        """The address's suppression in the stream (hard bounce, complaint, manual), or None."""
        address = address.strip().lower()
        fetched = await self._api.get(
            f"/message-streams/{self._stream}/suppressions/dump",
            operation="postmark.DumpSuppressions",
            permission="server token",
            headers=self._server,
            params={"EmailAddress": address},
        )
        if not fetched.ok:
            return Fetched(evidence=fetched.evidence, failure=fetched.failure)
        payload = fetched.value if isinstance(fetched.value, dict) else {}
        entries = [
            e
            for e in payload.get("Suppressions") or []
            if isinstance(e, dict) and str(e.get("EmailAddress", "")).lower() == address
        ]
        value = _suppression(address, entries[0]) if entries else None
        return Fetched(evidence=fetched.evidence, value=value)


def _signature(address: str, signatures: list[dict[str, Any]] | None) -> SenderStatus:
    for entry in signatures or []:
        if str(entry.get("EmailAddress", "")).lower() == address:
            confirmed = entry.get("Confirmed") is True
            state = Verification.SUCCESS if confirmed else Verification.PENDING
            return SenderStatus(
                address=address, verified=confirmed, covered_by=address, state=state
            )
    return SenderStatus(address=address, verified=False)


def _state(value: Any) -> Verification:
    return Verification.SUCCESS if value is True else Verification.PENDING


def _domain_auth(domain: str, entry: Mapping[str, Any]) -> DomainAuth:
    return_path = str(entry.get("ReturnPathDomain", "") or "")
    verified = entry.get("ReturnPathDomainVerified")
    return DomainAuth(
        domain=domain,
        known=True,
        dkim=_state(entry.get("DKIMVerified")),
        return_path=_state(verified) if return_path or verified else Verification.NOT_STARTED,
        return_path_domain=return_path,
    )


def _suppression(address: str, entry: Mapping[str, Any]) -> Suppression:
    reason = _REASONS.get(
        str(entry.get("SuppressionReason", "")).lower(), SuppressionReason.UNKNOWN
    )
    since = None
    created = entry.get("CreatedAt")
    if isinstance(created, str):
        try:
            since = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            since = None
    return Suppression(address=address, region="", reason=reason, since=since)
