"""Amazon SES through boto3: :class:`SesProvider`, read-only calls each returning a Fetched.

:class:`SesProvider` implements :class:`~maildoctor.provider.base.SendingProvider`
with read-only calls (SES v1 and v2, IAM, STS, CloudWatch). boto3 is
synchronous, so every call runs in a thread of the provider's own pool and all
independent calls of a run are in flight at once; botocore's connect and read
timeouts and a small retry budget bound each one.

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
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from botocore import xform_name

from ...model import Evidence
from ...secrets import Secret, redact
from ..aws import ClientFactory, translate
from ..base import (
    AccessKey,
    AccountStatus,
    Caller,
    CredentialOwner,
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
    SuppressionReason,
    Verification,
    parse_dkim_origin,
    parse_enum,
    parse_key_length,
)

__all__ = ["SesProvider", "scan_regions_default"]

log = logging.getLogger(__name__)
T = TypeVar("T")


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
