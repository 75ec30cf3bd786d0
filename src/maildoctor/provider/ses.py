"""Amazon SES through boto3: the :class:`SesProvider` and the ``check_ses`` driver.

:class:`SesProvider` implements :class:`~maildoctor.provider.base.SendingProvider`
with read-only calls (SES v1 and v2, IAM, STS, CloudWatch). boto3 is
synchronous, so every call runs in a thread of the provider's own pool and all
independent calls of a run are in flight at once; botocore's connect and read
timeouts and a small retry budget bound each one.

:func:`check_ses` gathers the facts - account, identities in this region and
the others, DKIM (SES v1 for the tokens, v2 for how it was set up: Easy DKIM or
BYODKIM) and MAIL FROM (then their DNS records through ``ctx.resolver``),
the suppression list, the key behind an SMTP username - and hands them to the
pure :func:`~maildoctor.provider.ses_checks.evaluate`.

Calls made (REFERENCE.md section 3): ``sts:GetCallerIdentity``,
``ses:GetAccount`` (v2; falls back to ``ses:GetSendQuota``),
``cloudwatch:GetMetricData``, ``ses:GetIdentityVerificationAttributes``,
``ses:GetIdentityDkimAttributes``, ``ses:GetEmailIdentity`` (v2),
``ses:GetIdentityMailFromDomainAttributes``,
``ses:GetSuppressedDestination`` (v2), ``iam:GetAccessKeyLastUsed``,
``iam:ListAccessKeys``, ``iam:GetUser`` and ``iam:SimulatePrincipalPolicy``.
None of them changes anything.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from botocore import xform_name

from ..context import Context
from ..dns.resolver import DnsAnswer, Resolver
from ..errors import InputError
from ..model import Evidence, Finding, Layer, Status
from ..secrets import Secret, redact
from .aws import ClientFactory, SessionClientFactory, credentials_problem, translate
from .base import (
    AccessKey,
    AccountStatus,
    Caller,
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
    SendingProvider,
    SendQuota,
    Suppression,
    SuppressionReason,
    Verification,
    parse_dkim_origin,
    parse_enum,
    parse_key_length,
)
from .ses_checks import (
    MailFromDns,
    SesFacts,
    SesQuery,
    dkim_cname_name,
    dkim_key_name,
    dkim_setups,
    evaluate,
    is_access_key_id,
    sender_identities,
)

__all__ = [
    "MAX_RECIPIENTS",
    "SesProvider",
    "check_ses",
    "gather_facts",
    "scan_regions_default",
    "smtp_endpoint_region",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: SES v1 takes at most 100 identities per call; each recipient may add three names.
MAX_RECIPIENTS = 25

_SMTP_HOST = re.compile(r"^email-smtp(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$")


def smtp_endpoint_region(host: str | None) -> str | None:
    """``email-smtp.us-east-1.amazonaws.com[:587]`` -> ``us-east-1``; ``None`` if not SES's."""
    if not host:
        return None
    bare = host.strip().lower().rstrip(".")
    bare = re.sub(r":\d+$", "", bare)
    match = _SMTP_HOST.match(bare)
    return match.group(1) if match else None


def scan_regions_default() -> tuple[str, ...]:
    """Regions where SES exists, from botocore's endpoint data (configuration, not a list here)."""
    import boto3

    return tuple(boto3.session.Session().get_available_regions("ses"))


# -- the provider -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Call:
    service: str
    region: str
    operation: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""
    absent_ok: bool = False  # NotFound means "there is none", not a failure


class SesProvider:
    """Read-only SES, IAM, STS and CloudWatch calls, each returning a :class:`Fetched`.

    Args:
        factory: Builds a boto3 client for ``(service, region)``.
        home_region: Region for the global services (IAM, STS).
        secrets: Values redacted from any error text (the secret key).
        max_workers: Threads for concurrent calls.
    """

    name = "ses"

    def __init__(
        self,
        factory: ClientFactory,
        *,
        home_region: str,
        secrets: tuple[Secret, ...] = (),
        max_workers: int = 32,
    ) -> None:
        self._factory = factory
        self._home = home_region
        self._secrets = secrets
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="maildoctor-aws")

    async def __aenter__(self) -> SesProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- plumbing --------------------------------------------------------------------------

    def _invoke(self, call: _Call) -> tuple[str, Any, BaseException | None]:
        """Runs in a worker thread; never raises."""
        try:
            client = self._factory(call.service, call.region)
            endpoint = str(getattr(getattr(client, "meta", None), "endpoint_url", "") or "")
        except Exception as exc:  # noqa: BLE001 - translated by the caller
            return "", None, exc
        try:
            return endpoint, getattr(client, xform_name(call.operation))(**call.params), None
        except Exception as exc:  # noqa: BLE001 - translated by the caller
            return endpoint, None, exc

    async def _call(self, call: _Call, parse: Callable[[Any], T | None]) -> Fetched[T]:
        loop = asyncio.get_running_loop()
        start = time.perf_counter()
        endpoint, response, error = await loop.run_in_executor(self._executor, self._invoke, call)
        elapsed = (time.perf_counter() - start) * 1000
        if error is not None:
            return self._failed(call, endpoint, error, elapsed)
        evidence = self._evidence(call, endpoint, "ok", self._raw(response), elapsed)
        try:
            return Fetched(evidence=evidence, value=parse(response))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            log.debug("unexpected %s response: %s", call.operation, type(exc).__name__)
            failure = translate(exc, service=call.service, operation=call.operation)
            return Fetched(evidence=evidence, failure=failure)

    def _failed(
        self, call: _Call, endpoint: str, error: BaseException, elapsed: float
    ) -> Fetched[Any]:
        failure = translate(
            error, service=call.service, operation=call.operation, secrets=self._secrets
        )
        log.debug("%s in %s: %s", failure.operation, call.region, failure.code)
        if call.absent_ok and failure.kind is FailureKind.NOT_FOUND:
            outcome = f"not found ({failure.code})"
            return Fetched(evidence=self._evidence(call, endpoint, outcome, "", elapsed))
        evidence = self._evidence(call, endpoint, failure.code, failure.message, elapsed)
        return Fetched(evidence=evidence, failure=failure)

    def _evidence(
        self, call: _Call, endpoint: str, outcome: str, raw: str, elapsed: float
    ) -> Evidence:
        params = ", ".join(f"{k}={v}" for k, v in call.params.items() if k != "MetricDataQueries")
        return Evidence(
            id=f"aws:{call.service}:{call.region}:{call.operation}"
            + (f":{call.key}" if call.key else ""),
            source="aws",
            query=f"{call.service}.{call.operation}({params}) in {call.region}",
            server=endpoint or None,
            outcome=outcome,
            raw=(redact(raw, *self._secrets),) if raw else (),
            elapsed_ms=elapsed,
        )

    @staticmethod
    def _raw(response: Any) -> str:
        if isinstance(response, dict):
            response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
        return json.dumps(response, default=str, sort_keys=True)[:2000]

    # -- SendingProvider -------------------------------------------------------------------

    async def caller(self) -> Fetched[Caller]:
        call = _Call("sts", self._home, "GetCallerIdentity")
        return await self._call(call, lambda r: Caller(account=r["Account"], arn=r["Arn"]))

    async def account(self, region: str) -> Fetched[AccountStatus]:
        return await self._call(_Call("sesv2", region, "GetAccount"), _account_parser(region))

    async def send_quota(self, region: str) -> Fetched[SendQuota]:
        return await self._call(_Call("ses", region, "GetSendQuota"), _parse_quota)

    async def reputation(self, region: str) -> Fetched[Reputation]:
        now = datetime.now(UTC)
        params = {
            "MetricDataQueries": _REPUTATION_QUERIES,
            "StartTime": now - timedelta(days=2),
            "EndTime": now,
            "ScanBy": "TimestampDescending",
        }
        call = _Call("cloudwatch", region, "GetMetricData", params)
        return await self._call(call, _reputation_parser(region))

    async def verification(
        self, names: Sequence[str], region: str
    ) -> Fetched[Mapping[str, Identity]]:
        call = _Call(
            "ses", region, "GetIdentityVerificationAttributes", {"Identities": list(names)}
        )
        return await self._call(call, _verification_parser(region))

    async def dkim(self, domains: Sequence[str], region: str) -> Fetched[Mapping[str, DkimSetup]]:
        call = _Call("ses", region, "GetIdentityDkimAttributes", {"Identities": list(domains)})
        return await self._call(call, _dkim_parser(region))

    async def dkim_signing(self, domain: str, region: str) -> Fetched[DkimSetup]:
        """SES v2's view of one domain's DKIM: origin (Easy DKIM/BYODKIM), tokens, key lengths.

        ``None`` (not a failure) when v2 does not know the identity.
        """
        call = _Call(
            "sesv2",
            region,
            "GetEmailIdentity",
            {"EmailIdentity": domain},
            key=domain,
            absent_ok=True,
        )
        return await self._call(call, _email_identity_dkim_parser(domain, region))

    async def mail_from(
        self, names: Sequence[str], region: str
    ) -> Fetched[Mapping[str, MailFromSetup]]:
        call = _Call(
            "ses", region, "GetIdentityMailFromDomainAttributes", {"Identities": list(names)}
        )
        return await self._call(call, _mail_from_parser(region))

    async def suppression(self, address: str, region: str) -> Fetched[Suppression]:
        call = _Call(
            "sesv2",
            region,
            "GetSuppressedDestination",
            {"EmailAddress": address},
            key=address,
            absent_ok=True,
        )
        return await self._call(call, _suppression_parser(region))

    async def key_owner(self, key_id: str) -> Fetched[CredentialOwner]:
        call = _Call("iam", self._home, "GetAccessKeyLastUsed", {"AccessKeyId": key_id}, key=key_id)
        return await self._call(call, lambda r: _parse_owner(key_id, r))

    async def access_keys(self, user: str) -> Fetched[tuple[AccessKey, ...]]:
        call = _Call("iam", self._home, "ListAccessKeys", {"UserName": user}, key=user)
        return await self._call(call, _parse_keys)

    async def can_send(self, user: str) -> Fetched[PermissionDecision]:
        found = await self._call(
            _Call("iam", self._home, "GetUser", {"UserName": user}, key=user),
            lambda r: str(r["User"]["Arn"]),
        )
        if found.failure is not None or not found.value:
            return Fetched(evidence=found.evidence, failure=found.failure)
        params = {"PolicySourceArn": found.value, "ActionNames": ["ses:SendRawEmail"]}
        call = _Call("iam", self._home, "SimulatePrincipalPolicy", params, key=user)
        return await self._call(call, _parse_decision)


# -- response parsers (botocore dicts -> our shapes) ------------------------------------------

_REPUTATION_QUERIES = [
    {
        "Id": name,
        "ReturnData": True,
        "MetricStat": {
            "Metric": {"Namespace": "AWS/SES", "MetricName": metric},
            "Period": 3600,
            "Stat": "Average",
        },
    }
    for name, metric in (
        ("bounce", "Reputation.BounceRate"),
        ("complaint", "Reputation.ComplaintRate"),
    )
]


def _utc(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _account_parser(region: str) -> Callable[[Any], AccountStatus]:
    def parse(r: Mapping[str, Any]) -> AccountStatus:
        reasons = r.get("SuppressionAttributes", {}).get("SuppressedReasons")
        return AccountStatus(
            region=region,
            production_access=_bool(r.get("ProductionAccessEnabled")),
            sending_enabled=_bool(r.get("SendingEnabled")),
            enforcement=parse_enum(r.get("EnforcementStatus"), EnforcementStatus),
            quota=_parse_quota(r["SendQuota"]) if r.get("SendQuota") else None,
            suppressed_reasons=None
            if reasons is None
            else tuple(parse_enum(x, SuppressionReason) for x in reasons),
        )

    return parse


def _parse_quota(r: Mapping[str, Any]) -> SendQuota:
    return SendQuota(
        max_24_hour_send=float(r["Max24HourSend"]),
        max_send_rate=float(r["MaxSendRate"]),
        sent_last_24_hours=float(r["SentLast24Hours"]),
    )


def _reputation_parser(region: str) -> Callable[[Any], Reputation]:
    def parse(r: Mapping[str, Any]) -> Reputation:
        latest: dict[str, tuple[float | None, datetime | None]] = {}
        for result in r.get("MetricDataResults", []):
            values, stamps = result.get("Values") or [], result.get("Timestamps") or []
            latest[result["Id"]] = (float(values[0]), _utc(stamps[0])) if values else (None, None)
        bounce, complaint = (
            latest.get("bounce", (None, None)),
            latest.get("complaint", (None, None)),
        )
        return Reputation(
            region=region,
            bounce_rate=bounce[0],
            bounce_at=bounce[1],
            complaint_rate=complaint[0],
            complaint_at=complaint[1],
        )

    return parse


def _kind(name: str) -> IdentityKind:
    return IdentityKind.EMAIL_ADDRESS if "@" in name else IdentityKind.DOMAIN


def _verification_parser(region: str) -> Callable[[Any], Mapping[str, Identity]]:
    def parse(r: Mapping[str, Any]) -> Mapping[str, Identity]:
        return {
            name.lower(): Identity(
                name=name.lower(),
                kind=_kind(name),
                region=region,
                verification=parse_enum(a.get("VerificationStatus"), Verification),
            )
            for name, a in r["VerificationAttributes"].items()
        }

    return parse


def _dkim_parser(region: str) -> Callable[[Any], Mapping[str, DkimSetup]]:
    def parse(r: Mapping[str, Any]) -> Mapping[str, DkimSetup]:
        return {
            name.lower(): DkimSetup(
                identity=name.lower(),
                region=region,
                enabled=bool(a.get("DkimEnabled")),
                status=parse_enum(a.get("DkimVerificationStatus"), Verification),
                tokens=tuple(str(t).lower() for t in a.get("DkimTokens") or ()),
            )
            for name, a in r["DkimAttributes"].items()
        }

    return parse


def _email_identity_dkim_parser(domain: str, region: str) -> Callable[[Any], DkimSetup | None]:
    def parse(r: Mapping[str, Any]) -> DkimSetup | None:
        a = r.get("DkimAttributes")
        if not a:
            return None
        origin, parent = parse_dkim_origin(a.get("SigningAttributesOrigin"))
        return DkimSetup(
            identity=domain.lower(),
            region=region,
            enabled=bool(a.get("SigningEnabled")),
            status=parse_enum(a.get("Status"), Verification),
            tokens=tuple(str(t).lower() for t in a.get("Tokens") or ()),
            origin=origin,
            replicated_from=parent,
            current_key_bits=parse_key_length(a.get("CurrentSigningKeyLength")),
            next_key_bits=parse_key_length(a.get("NextSigningKeyLength")),
            key_generated=_utc(a.get("LastKeyGenerationTimestamp")),
        )

    return parse


def _mail_from_parser(region: str) -> Callable[[Any], Mapping[str, MailFromSetup]]:
    def parse(r: Mapping[str, Any]) -> Mapping[str, MailFromSetup]:
        out = {}
        for name, a in r["MailFromDomainAttributes"].items():
            domain = str(a.get("MailFromDomain") or "").lower().rstrip(".")
            status = a.get("MailFromDomainStatus") if domain else "NotStarted"
            out[name.lower()] = MailFromSetup(
                identity=name.lower(),
                region=region,
                domain=domain,
                status=parse_enum(status, Verification),
                behavior=parse_enum(a.get("BehaviorOnMXFailure"), MxFailureBehavior),
            )
        return out

    return parse


def _suppression_parser(region: str) -> Callable[[Any], Suppression]:
    def parse(r: Mapping[str, Any]) -> Suppression:
        d = r["SuppressedDestination"]
        attributes = d.get("Attributes") or {}
        return Suppression(
            address=str(d["EmailAddress"]).lower(),
            region=region,
            reason=parse_enum(d.get("Reason"), SuppressionReason),
            since=_utc(d.get("LastUpdateTime")),
            message_id=str(attributes.get("MessageId", "")),
            feedback_id=str(attributes.get("FeedbackId", "")),
        )

    return parse


def _parse_owner(key_id: str, r: Mapping[str, Any]) -> CredentialOwner:
    used = r.get("AccessKeyLastUsed") or {}

    def known(value: Any) -> str:
        return "" if value in (None, "N/A") else str(value)

    return CredentialOwner(
        key_id=key_id,
        user=str(r["UserName"]),
        last_used=_utc(used.get("LastUsedDate")),
        last_used_service=known(used.get("ServiceName")),
        last_used_region=known(used.get("Region")),
    )


def _parse_keys(r: Mapping[str, Any]) -> tuple[AccessKey, ...]:
    return tuple(
        AccessKey(
            key_id=str(k["AccessKeyId"]),
            status=parse_enum(k.get("Status"), KeyStatus),
            created=_utc(k.get("CreateDate")),
        )
        for k in r["AccessKeyMetadata"]
    )


def _parse_decision(r: Mapping[str, Any]) -> PermissionDecision:
    decisions = [
        parse_enum(e.get("EvalDecision"), PermissionDecision) for e in r["EvaluationResults"]
    ]
    return decisions[0] if decisions else PermissionDecision.UNKNOWN


# -- gathering --------------------------------------------------------------------------------


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


async def gather_facts(provider: SendingProvider, resolver: Resolver, q: SesQuery) -> SesFacts:
    """Ask the provider and DNS everything at once; dependent steps chain per branch.

    Args:
        provider: The sending service.
        resolver: DNS for the DKIM CNAMEs and the MAIL FROM records.
        q: What to check.

    Returns:
        Every answer, for :func:`~maildoctor.provider.ses_checks.evaluate`.
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
) -> tuple[Finding, ...]:
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
        Findings, layer ``provider``, check ids ``provider.ses.*``.

    Raises:
        InputError: A sender or recipient that is not an address, or too many recipients.
    """
    query = _query(region, sender, recipients, smtp_user, smtp_endpoint, scan_regions)
    factory = client_factory or ctx.aws_client_factory
    secrets: tuple[Secret, ...] = ()
    if factory is None:
        problem = await asyncio.to_thread(credentials_problem, profile)
        if problem:
            return (_no_credentials(problem),)
        session_factory = SessionClientFactory(
            profile=profile, endpoint_url=endpoint_url or ctx.aws_endpoint_url, timeout=ctx.timeout
        )
        secrets = await asyncio.to_thread(session_factory.secrets)
        factory = session_factory
    async with SesProvider(factory, home_region=region, secrets=secrets) as provider:
        facts = await gather_facts(provider, ctx.resolver, query)
    return evaluate(facts)
