"""``check_ses``: gather what SES and DNS say for one question, then evaluate it.

:func:`gather_facts` asks for the account, identities in this region and the others, DKIM
(SES v1 for the tokens, v2 for how it was set up: Easy DKIM or BYODKIM) and MAIL FROM
(then their DNS records through the resolver), the suppression list and the key behind an
SMTP username - all independent calls at once - and hands them to the pure
:func:`~maildoctor.provider.ses.findings.evaluate`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...context import Context
from ...dns.resolver import DnsAnswer, Resolver
from ...errors import InputError
from ...model import Finding, Layer, LayerResult, Status
from ...secrets import Secret
from ..aws import ClientFactory, SessionClientFactory, credentials_problem
from ..base import (
    AccountStatus,
    DkimOrigin,
    DkimSetup,
    FailureKind,
    Fetched,
    Identity,
    MailFromSetup,
    SendingProvider,
    SendQuota,
    Suppression,
)
from .client import SesProvider, scan_regions_default
from .endpoints import smtp_endpoint_region
from .facts import (
    MailFromDns,
    SesFacts,
    SesQuery,
    dkim_cname_name,
    dkim_key_name,
    dkim_setups,
    is_access_key_id,
    sender_identities,
)
from .findings import evaluate

__all__ = ["MAX_RECIPIENTS", "check_ses", "gather_facts"]

#: SES v1 takes at most 100 identities per call; each recipient may add three names.
MAX_RECIPIENTS = 25


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


async def gather_facts(provider: SendingProvider, resolver: Resolver, q: SesQuery) -> SesFacts:
    """Ask the provider and DNS everything at once; dependent steps chain per branch.

    Args:
        provider: The sending service.
        resolver: DNS for the DKIM CNAMEs and the MAIL FROM records.
        q: What to check.

    Returns:
        Every answer, for :func:`~maildoctor.provider.ses.findings.evaluate`.
    """
    sender_names = sender_identities(q.sender) if q.sender else ()
    here_names = _unique([*sender_names, *(n for r in q.recipients for n in sender_identities(r))])
    domains = tuple(n for n in sender_names if "@" not in n)
    others = [r for r in q.scan_regions if r != q.region] if sender_names else []
    results = await asyncio.gather(
        provider.caller(),
        _account(provider, q.region),
        provider.reputation(q.region),
        _maybe(here_names, provider.verification, here_names, q.region),
        _elsewhere(provider, sender_names, others),
        _dkim(provider, resolver, domains, q.region),
        _mail_from(provider, resolver, sender_names, q.region),
        _suppressions(provider, q.recipients, q.region),
        _key(provider, q.smtp_user),
    )
    caller, (account, quota), reputation, here, elsewhere, dkim, mail_from, supp, key = results
    return SesFacts(
        query=q,
        caller=caller,
        account=account,
        quota=quota,
        reputation=reputation,
        here=here,
        elsewhere=elsewhere,
        dkim=dkim.v1,
        dkim_v2=dkim.v2,
        dkim_dns=dkim.cnames,
        dkim_keys=dkim.keys,
        mail_from=mail_from[0],
        mail_from_dns=mail_from[1],
        suppressions=supp,
        key_owner=key[0],
        access_keys=key[1],
        permission=key[2],
    )


async def _maybe(names: Sequence[str], method: Callable[..., Any], *args: Any) -> Any:
    return await method(*args) if names else None


async def _account(
    provider: SendingProvider, region: str
) -> tuple[Fetched[AccountStatus], Fetched[SendQuota] | None]:
    account = await provider.account(region)
    if account.ok and account.value is not None and account.value.quota is not None:
        return account, None
    return account, await provider.send_quota(region)


async def _elsewhere(
    provider: SendingProvider, names: Sequence[str], regions: Sequence[str]
) -> dict[str, Fetched[Mapping[str, Identity]]]:
    found = await asyncio.gather(*(provider.verification(names, r) for r in regions))
    return dict(zip(regions, found, strict=True))


@dataclass(frozen=True, slots=True)
class _DkimFacts:
    v1: Fetched[Mapping[str, DkimSetup]] | None = None
    v2: dict[str, Fetched[DkimSetup]] = field(default_factory=dict)
    cnames: dict[str, DnsAnswer] = field(default_factory=dict)
    keys: dict[str, DnsAnswer] = field(default_factory=dict)


async def _dkim(
    provider: SendingProvider, resolver: Resolver, domains: Sequence[str], region: str
) -> _DkimFacts:
    """v1 and v2 at once; then Easy DKIM CNAMEs, or the BYODKIM key TXT, as the merge says."""
    if not domains:
        return _DkimFacts()
    v1, v2 = await asyncio.gather(
        provider.dkim(domains, region),
        asyncio.gather(*(provider.dkim_signing(d, region) for d in domains)),
    )
    signing = dict(zip(domains, v2, strict=True))
    setups = dkim_setups(v1, signing).values()
    own = [s for s in setups if s.origin is DkimOrigin.EXTERNAL]
    easy = [s for s in setups if s.origin is not DkimOrigin.EXTERNAL]
    cnames, keys = await asyncio.gather(
        _lookup(
            resolver, [dkim_cname_name(t, s.identity) for s in easy for t in s.tokens], "CNAME"
        ),
        _lookup(resolver, [dkim_key_name(t, s.identity) for s in own for t in s.tokens], "TXT"),
    )
    return _DkimFacts(v1=v1, v2=signing, cnames=cnames, keys=keys)


async def _lookup(resolver: Resolver, names: Sequence[str], rdtype: str) -> dict[str, DnsAnswer]:
    answers = dict(
        zip(names, await asyncio.gather(*(resolver.query(n, rdtype) for n in names)), strict=True)
    )
    # A missing record is often the name typed with the zone appended twice; look there too.
    doubled = [f"{n}.{n.split('._domainkey.', 1)[1]}" for n, a in answers.items() if a.void]
    answers.update(
        zip(
            doubled,
            await asyncio.gather(*(resolver.query(n, rdtype) for n in doubled)),
            strict=True,
        )
    )
    return answers


async def _mail_from(
    provider: SendingProvider, resolver: Resolver, names: Sequence[str], region: str
) -> tuple[Fetched[Mapping[str, MailFromSetup]] | None, dict[str, MailFromDns]]:
    if not names:
        return None, {}
    fetched = await provider.mail_from(names, region)
    domains = _unique(s.domain for s in (fetched.value or {}).values() if s.domain)
    answers = await asyncio.gather(*(resolver.query(d, t) for d in domains for t in ("MX", "TXT")))
    dns = {d: MailFromDns(mx=answers[2 * i], txt=answers[2 * i + 1]) for i, d in enumerate(domains)}
    return fetched, dns


async def _suppressions(
    provider: SendingProvider, recipients: Sequence[str], region: str
) -> dict[str, Fetched[Suppression]]:
    found = await asyncio.gather(*(provider.suppression(r, region) for r in recipients))
    return dict(zip(recipients, found, strict=True))


async def _key(provider: SendingProvider, key_id: str | None) -> tuple[Any, Any, Any]:
    if not key_id or not is_access_key_id(key_id) or key_id.startswith("ASIA"):
        return None, None, None
    owner = await provider.key_owner(key_id)
    if owner.failure is not None or owner.value is None:
        return owner, None, None
    keys, permission = await asyncio.gather(
        provider.access_keys(owner.value.user), provider.can_send(owner.value.user)
    )
    return owner, keys, permission


# -- the entry point --------------------------------------------------------------------------


def _clean_address(value: str, what: str) -> str:
    text = value.strip().lower()
    if not text or any(c.isspace() for c in text) or text.count("@") > 1:
        raise InputError(f"{what} {value!r} is not an email address or domain")
    return text


def _query(
    region: str,
    sender: str | None,
    recipients: Sequence[str],
    smtp_user: str | None,
    smtp_endpoint: str | None,
    scan_regions: Sequence[str] | None,
) -> SesQuery:
    if len(recipients) > MAX_RECIPIENTS:
        raise InputError(f"at most {MAX_RECIPIENTS} recipients per run")
    return SesQuery(
        region=region,
        sender=_clean_address(sender, "sender") if sender else None,
        recipients=_unique(_clean_address(r, "recipient") for r in recipients),
        smtp_user=smtp_user.strip() if smtp_user else None,
        smtp_endpoint=smtp_endpoint,
        smtp_region=smtp_endpoint_region(smtp_endpoint),
        scan_regions=tuple(scan_regions if scan_regions is not None else scan_regions_default()),
    )


def _no_credentials(problem: str) -> Finding:
    return Finding(
        check="provider.ses.caller",
        layer=Layer.PROVIDER,
        status=Status.ERROR,
        subject="aws",
        summary=f"SES not checked: {problem}",
        fix="configure AWS credentials for an IAM "
        "principal allowed to read SES (ses:Get*, ses:List*) and IAM access-key metadata",
        data={"failure": str(FailureKind.NO_CREDENTIALS)},
    )


async def check_ses(
    *,
    ctx: Context,
    region: str,
    profile: str | None = None,
    sender: str | None = None,
    recipients: Sequence[str] = (),
    smtp_user: str | None = None,
    endpoint_url: str | None = None,
    client_factory: ClientFactory | None = None,
    smtp_endpoint: str | None = None,
    scan_regions: Sequence[str] | None = None,
) -> LayerResult[SesFacts]:
    """Check an SES account, its identities and an SMTP key, read-only.

    Args:
        ctx: The run's context (resolver, timeout; optional AWS factory/endpoint).
        region: The SES region mail is sent through.
        profile: AWS named profile; ``None`` uses the standard credential chain.
        sender: The From address (or a bare domain) whose identity to check.
        recipients: Addresses to check against the suppression list and the sandbox.
        smtp_user: An SMTP username, i.e. an access key id (``AKIA...``).
        endpoint_url: One endpoint for every AWS call (moto); else ``AWS_ENDPOINT_URL``.
        client_factory: Builds boto3 clients ``(service, region)``; overrides the rest.
        smtp_endpoint: The SMTP host the client uses, to compare regions.
        scan_regions: Regions searched for the identity; ``None``: every SES region.

    Returns:
        Findings (layer ``provider``, check ids ``provider.ses.*``) and the facts they were
        drawn from (``None`` when there were no credentials to fetch anything with).

    Raises:
        InputError: A sender or recipient that is not an address, or too many recipients.
    """
    query = _query(region, sender, recipients, smtp_user, smtp_endpoint, scan_regions)
    factory = client_factory or ctx.aws_client_factory
    secrets: tuple[Secret, ...] = ()
    if factory is None:
        problem = await asyncio.to_thread(credentials_problem, profile)
        if problem:
            return LayerResult(findings=(_no_credentials(problem),))
        session_factory = SessionClientFactory(
            profile=profile, endpoint_url=endpoint_url or ctx.aws_endpoint_url, timeout=ctx.timeout
        )
        secrets = await asyncio.to_thread(session_factory.secrets)
        factory = session_factory
    async with SesProvider(factory, home_region=region, secrets=secrets) as provider:
        facts = await gather_facts(provider, ctx.resolver, query)
    return LayerResult(findings=evaluate(facts), facts=facts)
