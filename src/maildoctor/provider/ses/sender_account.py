"""Amazon SES behind :class:`~maildoctor.provider.base.SenderAccount`: one region of it.

The questions every service answers, put to :class:`~maildoctor.provider.ses.SesProvider`:
an address is covered by its own verified identity or its domain's (in this region), the
domain's DKIM is the Easy DKIM / BYODKIM status and its return path the custom MAIL FROM,
and suppression is the account-level list. The region-aware SES checks (``check_ses``)
stay the richer diagnosis; this is the shape SendGrid and Postmark share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base import DomainAuth, Fetched, SenderStatus, SendingProvider, Suppression, Verification

__all__ = ["SesAccount"]


class SesAccount:
    """One region of an SES account.

    Args:
        provider: The SES calls (``SesProvider`` or anything with its interface).
        region: The region whose identities and suppression list are asked.
    """

    name = "ses"
    causes: Mapping[str, str] = {
        "sender": "provider.ses.identity_unverified",
        "dkim": "provider.ses.dkim_pending",
        "suppressed": "provider.ses.recipient_suppressed",
    }

    def __init__(self, provider: SendingProvider, region: str) -> None:
        self._ses = provider
        self.region = region

    async def sender(self, address: str) -> Fetched[SenderStatus]:
        """The address's own identity, else its domain's, verified in this region."""
        address = address.strip().lower()
        domain = address.rpartition("@")[2]
        fetched = await self._ses.verification([address, domain], self.region)
        if not fetched.ok:
            return Fetched(evidence=fetched.evidence, failure=fetched.failure)
        identities = {k.lower(): v for k, v in (fetched.value or {}).items()}
        for name in (address, domain):
            found = identities.get(name)
            if found is not None and found.verification is Verification.SUCCESS:
                status = SenderStatus(
                    address=address, verified=True, covered_by=name, state=found.verification
                )
                return Fetched(evidence=fetched.evidence, value=status)
        closest = identities.get(address) or identities.get(domain)
        state = closest.verification if closest else Verification.NOT_STARTED
        status = SenderStatus(
            address=address,
            verified=False,
            covered_by=closest.name if closest else "",
            state=state,
        )
        return Fetched(evidence=fetched.evidence, value=status)

    async def domain(self, domain: str) -> Fetched[DomainAuth]:
        """Easy DKIM (or BYODKIM) status and the custom MAIL FROM domain."""
        domain = domain.strip().lower()
        dkim = await self._ses.dkim([domain], self.region)
        if not dkim.ok:
            return Fetched(evidence=dkim.evidence, failure=dkim.failure)
        setup = _lower(dkim.value).get(domain)
        if setup is None or not setup.tokens and setup.status is Verification.NOT_STARTED:
            unknown = DomainAuth(domain=domain, known=False, dkim=Verification.NOT_STARTED)
            return Fetched(evidence=dkim.evidence, value=unknown)
        mail_from = await self._ses.mail_from([domain], self.region)
        custom = _lower(mail_from.value).get(domain) if mail_from.ok else None
        auth = DomainAuth(
            domain=domain,
            known=True,
            dkim=setup.status,
            return_path=custom.status if custom and custom.domain else Verification.NOT_STARTED,
            return_path_domain=custom.domain if custom else "",
        )
        return Fetched(evidence=dkim.evidence, value=auth)

    async def suppressed(self, address: str) -> Fetched[Suppression]:
        """The account-level suppression list entry of this region, or None."""
        return await self._ses.suppression(address.strip().lower(), self.region)


def _lower(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k.lower(): v for k, v in (mapping or {}).items()}
