"""``evaluate``: everything one run fetched -> findings, topic by topic (no I/O here)."""

from __future__ import annotations

from ...model import Finding
from .account import account_findings, caller_findings, credentials_broken
from .dkim import dkim_findings, dkim_verified
from .facts import SesFacts
from .identity import identity_findings
from .keys import key_findings
from .mail_from import mail_from_findings
from .region import region_findings
from .suppression import suppression_findings

__all__ = ["evaluate"]


def evaluate(facts: SesFacts) -> tuple[Finding, ...]:
    """Turn everything fetched into findings, in a stable order.

    When the credentials themselves are missing or rejected, only that is
    reported: every other call failed for the same reason. Each topic reads only
    the facts it is given.

    Args:
        facts: What the run asked and fetched.

    Returns:
        Findings, layer ``provider``, check ids ``provider.ses.*``.
    """
    caller = caller_findings(facts.caller)
    if credentials_broken(facts.caller):
        return caller
    q = facts.query
    return (
        *caller,
        *account_findings(
            region=q.region,
            recipients=q.recipients,
            account=facts.account,
            quota=facts.quota,
            reputation=facts.reputation,
            here=facts.here,
        ),
        *identity_findings(
            sender=q.sender, region=q.region, here=facts.here, elsewhere=facts.elsewhere
        ),
        *dkim_findings(
            sender=q.sender,
            region=q.region,
            here=facts.here,
            v1=facts.dkim,
            v2=facts.dkim_v2,
            cnames=facts.dkim_dns,
            keys=facts.dkim_keys,
        ),
        *mail_from_findings(
            sender=q.sender,
            here=facts.here,
            settings=facts.mail_from,
            dns=facts.mail_from_dns,
            dkim_aligned=dkim_verified(q.sender, facts.here, facts.dkim, facts.dkim_v2),
        ),
        *suppression_findings(
            region=q.region,
            recipients=q.recipients,
            suppressions=facts.suppressions,
            account=facts.account,
        ),
        *key_findings(
            query=q,
            caller=facts.caller,
            owner=facts.key_owner,
            access_keys=facts.access_keys,
            permission=facts.permission,
        ),
        *region_findings(
            query=q, here=facts.here, elsewhere=facts.elsewhere, suppressions=facts.suppressions
        ),
    )
