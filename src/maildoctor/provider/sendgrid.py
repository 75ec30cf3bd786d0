"""Twilio SendGrid behind :class:`~maildoctor.provider.base.SenderAccount`, read-only.

The v3 Web API (``Authorization: Bearer <API key>``):

* ``GET /v3/verified_senders`` - Single Sender Verification: ``{"results": [{"from_email",
  "verified", ...}]}``;
* ``GET /v3/whitelabel/domains?domain=D`` - Domain Authentication: ``[{"domain", "subdomain",
  "valid", "dns": {"mail_cname": {"valid", "host", "data"}, "dkim1": {...}, "dkim2":
  {...}}}]`` (automated security: three CNAMEs);
* ``GET /v3/suppression/bounces/{email}`` and ``/v3/suppression/spam_reports/{email}`` -
  ``[{"created", "email", "reason", "status"}]``, empty when not suppressed.

The key needs the read scopes of those endpoints; a key limited to Mail Send gets 403.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

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

__all__ = ["BASE_URL_ENV", "KEY_ENV", "SendGridAccount"]

DEFAULT_BASE_URL = "https://api.sendgrid.com"
BASE_URL_ENV = "MAILDOCTOR_SENDGRID_URL"
KEY_ENV = "SENDGRID_API_KEY"
DOC = "https://www.twilio.com/docs/sendgrid/api-reference"


class SendGridAccount:
    """A SendGrid account, asked with one API key.

    Args:
        api_key: The API key (``SG.…``).
        timeout: Seconds per request.
        base_url: The API's URL (default ``$MAILDOCTOR_SENDGRID_URL`` or the real one).
        transport: An httpx transport, for tests.
    """

    name = "sendgrid"
    causes: Mapping[str, str] = {
        "sender": "provider.sendgrid.sender_identity_unverified",
        "dkim": "provider.sendgrid.domain_unauthenticated",
        "suppressed": "provider.sendgrid.recipient_suppressed",
    }

    def __init__(
        self,
        api_key: Secret,
        *,
        timeout: float = 10.0,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._headers = {
            "Authorization": f"Bearer {api_key.reveal()}",
            "Accept": "application/json",
        }
        self._api = JsonApi(
            service="sendgrid",
            base_url=base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL,
            secrets=(api_key,),
            timeout=timeout,
            transport=transport,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._api.close()

    async def __aenter__(self) -> SendGridAccount:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _get(self, path: str, op: str, scope: str, **kw: Any) -> Fetched[Any]:
        return await self._api.get(
            path, operation=f"sendgrid.{op}", permission=scope, headers=self._headers, **kw
        )

    async def sender(self, address: str) -> Fetched[SenderStatus]:
        """Whether a verified Single Sender or an authenticated domain covers ``address``."""
        address = address.strip().lower()
        domain = address.rpartition("@")[2]
        found = await self._authenticated(domain)
        if not found.ok:
            return Fetched(evidence=found.evidence, failure=found.failure)
        if found.value is not None and found.value.dkim is Verification.SUCCESS:
            status = SenderStatus(
                address=address, verified=True, covered_by=domain, state=Verification.SUCCESS
            )
            return Fetched(evidence=found.evidence, value=status)
        senders = await self._get(
            "/v3/verified_senders", "ListVerifiedSenders", "verified_senders.read"
        )
        if not senders.ok:
            return Fetched(evidence=senders.evidence, failure=senders.failure)
        return Fetched(evidence=senders.evidence, value=_single_sender(address, senders.value))

    async def domain(self, domain: str) -> Fetched[DomainAuth]:
        """The domain's Domain Authentication (DKIM CNAMEs and the return-path CNAME)."""
        found = await self._authenticated(domain.strip().lower())
        if not found.ok or found.value is not None:
            return found  # type: ignore[return-value]
        unknown = DomainAuth(domain=domain, known=False, dkim=Verification.NOT_STARTED)
        return Fetched(evidence=found.evidence, value=unknown)

    async def _authenticated(self, domain: str) -> Fetched[DomainAuth | None]:
        fetched = await self._get(
            "/v3/whitelabel/domains",
            "ListAuthenticatedDomains",
            "whitelabel.read",
            params={"domain": domain},
        )
        if not fetched.ok:
            return Fetched(evidence=fetched.evidence, failure=fetched.failure)
        entries = [e for e in fetched.value or [] if isinstance(e, dict)]
        match = [e for e in entries if str(e.get("domain", "")).lower() == domain]
        return Fetched(
            evidence=fetched.evidence, value=_domain_auth(domain, match[0]) if match else None
        )

    async def suppressed(self, address: str) -> Fetched[Suppression]:
        """The address on the bounce or spam-report suppression list, or None."""
        address = address.strip().lower()
        for kind, reason in (
            ("bounces", SuppressionReason.BOUNCE),
            ("spam_reports", SuppressionReason.COMPLAINT),
        ):
            fetched = await self._get(
                f"/v3/suppression/{kind}/{quote(address, safe='@')}",
                f"GetSuppression.{kind}",
                "suppression.read",
                absent_ok=True,
            )
            if not fetched.ok:
                return Fetched(evidence=fetched.evidence, failure=fetched.failure)
            entries = [e for e in fetched.value or [] if isinstance(e, dict)]
            if entries:
                return Fetched(
                    evidence=fetched.evidence, value=_suppression(address, reason, entries[0])
                )
        return Fetched(evidence=fetched.evidence, value=None)


def _single_sender(address: str, payload: Any) -> SenderStatus:
    results = payload.get("results", []) if isinstance(payload, dict) else []
    for entry in results:
        if isinstance(entry, dict) and str(entry.get("from_email", "")).lower() == address:
            verified = entry.get("verified") is True
            state = Verification.SUCCESS if verified else Verification.PENDING
            return SenderStatus(address=address, verified=verified, covered_by=address, state=state)
    return SenderStatus(address=address, verified=False)


def _valid(record: Any) -> bool:
    return isinstance(record, dict) and record.get("valid") is True


def _domain_auth(domain: str, entry: Mapping[str, Any]) -> DomainAuth:
    dns = entry.get("dns") if isinstance(entry.get("dns"), dict) else {}
    assert isinstance(dns, dict)
    dkim_records = [v for k, v in dns.items() if k.startswith("dkim")]
    dkim_ok = bool(dkim_records) and all(_valid(r) for r in dkim_records)
    cname = dns.get("mail_cname") or dns.get("mail_server")
    subdomain = str(entry.get("subdomain", "") or "")
    return DomainAuth(
        domain=domain,
        known=True,
        dkim=Verification.SUCCESS if dkim_ok else Verification.PENDING,
        return_path=Verification.SUCCESS if _valid(cname) else Verification.PENDING,
        return_path_domain=f"{subdomain}.{domain}" if subdomain else "",
    )


def _suppression(address: str, reason: SuppressionReason, entry: Mapping[str, Any]) -> Suppression:
    created = entry.get("created")
    since = datetime.fromtimestamp(created, UTC) if isinstance(created, int | float) else None
    return Suppression(address=address, region="", reason=reason, since=since)
