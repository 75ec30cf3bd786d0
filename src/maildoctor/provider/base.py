"""The sending-service interface: what maildoctor asks any sending service.

A sending service (Amazon SES first) is one module implementing
:class:`SendingProvider`. Every call returns a :class:`Fetched`: the value, or a
:class:`CallFailure` saying why there is none (a missing permission, a call the
endpoint does not implement, a timeout...), always with the :class:`Evidence` of
the exchange. Nothing here raises for a broken account or credential; the pure
evaluation in ``ses_checks`` turns these shapes into findings.

Enumerations normalise the spellings services use for the same thing (SES v1
says ``TemporaryFailure`` and ``UseDefaultValue``, v2 ``TEMPORARY_FAILURE`` and
``USE_DEFAULT_VALUE``): :func:`parse_enum` accepts any of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from ..model import Evidence

__all__ = [
    "AccessKey",
    "AccountStatus",
    "CallFailure",
    "Caller",
    "CredentialOwner",
    "DkimSetup",
    "EnforcementStatus",
    "FailureKind",
    "Fetched",
    "Identity",
    "IdentityKind",
    "KeyStatus",
    "MailFromSetup",
    "MxFailureBehavior",
    "PermissionDecision",
    "Reputation",
    "SendQuota",
    "SendingProvider",
    "Suppression",
    "SuppressionReason",
    "Verification",
    "parse_enum",
]

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


class FailureKind(StrEnum):
    """Why a call to the service gave no answer."""

    ACCESS_DENIED = "access_denied"
    NOT_FOUND = "not_found"
    UNSUPPORTED = "unsupported"  # the endpoint does not implement the call
    THROTTLED = "throttled"
    NO_CREDENTIALS = "no_credentials"
    BAD_CREDENTIALS = "bad_credentials"
    REGION_UNAVAILABLE = "region_unavailable"
    TIMEOUT = "timeout"
    NETWORK = "network"
    INVALID_INPUT = "invalid_input"
    ERROR = "error"


class Verification(StrEnum):
    """Verification state of an identity, its DKIM or its MAIL FROM domain."""

    SUCCESS = "success"
    PENDING = "pending"
    FAILED = "failed"
    TEMPORARY_FAILURE = "temporary_failure"
    NOT_STARTED = "not_started"
    UNKNOWN = "unknown"


class IdentityKind(StrEnum):
    EMAIL_ADDRESS = "email_address"
    DOMAIN = "domain"


class MxFailureBehavior(StrEnum):
    """What the service does when the custom MAIL FROM domain's MX is missing."""

    USE_DEFAULT_VALUE = "use_default_value"
    REJECT_MESSAGE = "reject_message"
    UNKNOWN = "unknown"


class EnforcementStatus(StrEnum):
    HEALTHY = "healthy"
    PROBATION = "probation"
    SHUTDOWN = "shutdown"
    UNKNOWN = "unknown"


class SuppressionReason(StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    UNKNOWN = "unknown"


class KeyStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class PermissionDecision(StrEnum):
    ALLOWED = "allowed"
    IMPLICIT_DENY = "implicit_deny"
    EXPLICIT_DENY = "explicit_deny"
    UNKNOWN = "unknown"


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def parse_enum(value: object, enum: type[E]) -> E:
    """Read a service's spelling of an enumeration into ours.

    ``TemporaryFailure``, ``TEMPORARY_FAILURE``, ``temporary-failure`` and
    ``implicitDeny`` all normalise (REFERENCE.md section 3).

    Args:
        value: The service's text (anything else gives ``UNKNOWN``).
        enum: The target enumeration; it must have an ``UNKNOWN`` member.

    Returns:
        The matching member, or ``enum.UNKNOWN``.
    """
    unknown = enum("unknown")
    if not isinstance(value, str) or not value:
        return unknown
    key = _CAMEL.sub("_", value.strip()).replace("-", "_").lower()
    try:
        return enum(key)
    except ValueError:
        return unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class CallFailure:
    """Why one call gave no answer.

    Attributes:
        kind: The class of failure.
        operation: The call, ``service.Operation`` (``sesv2.GetAccount``).
        permission: The IAM action the call needs (``ses:GetAccount``).
        code: The service's error code, or the exception's name.
        message: The service's message, shortened; never holds a secret.
    """

    kind: FailureKind
    operation: str
    permission: str
    code: str
    message: str

    def describe(self) -> str:
        """One line for people."""
        if self.kind is FailureKind.ACCESS_DENIED:
            return f"{self.operation} was denied: the caller needs {self.permission}"
        if self.kind is FailureKind.UNSUPPORTED:
            return f"{self.operation} is not implemented by this endpoint ({self.code})"
        return f"{self.operation} failed: {self.code}: {self.message}".rstrip(": ")


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched(Generic[T]):
    """The outcome of one call: a value (possibly ``None``: "there is none") or a failure."""

    evidence: Evidence
    value: T | None = None
    failure: CallFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    account: str
    arn: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SendQuota:
    max_24_hour_send: float
    max_send_rate: float
    sent_last_24_hours: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountStatus:
    """Account-level sending state in one region.

    ``production_access`` False means the sandbox; ``None`` means not reported.
    """

    region: str
    production_access: bool | None
    sending_enabled: bool | None
    enforcement: EnforcementStatus
    quota: SendQuota | None = None
    suppressed_reasons: tuple[SuppressionReason, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reputation:
    """Latest bounce and complaint rates (fractions, 0.05 = 5 %); ``None`` when no data."""

    region: str
    bounce_rate: float | None
    complaint_rate: float | None
    bounce_at: datetime | None = None
    complaint_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    name: str
    kind: IdentityKind
    region: str
    verification: Verification


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimSetup:
    identity: str
    region: str
    enabled: bool
    status: Verification
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MailFromSetup:
    """Custom MAIL FROM settings of one identity; ``domain`` empty when not configured."""

    identity: str
    region: str
    domain: str
    status: Verification
    behavior: MxFailureBehavior


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    address: str
    region: str
    reason: SuppressionReason
    since: datetime | None = None
    message_id: str = ""
    feedback_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessKey:
    key_id: str
    status: KeyStatus
    created: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CredentialOwner:
    """Who owns an access key, and when it was last used (as the service reports it)."""

    key_id: str
    user: str
    last_used: datetime | None = None
    last_used_service: str = ""
    last_used_region: str = ""


class SendingProvider(Protocol):
    """What maildoctor asks a sending service. Methods never raise for service-side trouble."""

    name: str

    async def caller(self) -> Fetched[Caller]: ...

    async def account(self, region: str) -> Fetched[AccountStatus]: ...

    async def send_quota(self, region: str) -> Fetched[SendQuota]: ...

    async def reputation(self, region: str) -> Fetched[Reputation]: ...

    async def verification(
        self, names: Sequence[str], region: str
    ) -> Fetched[Mapping[str, Identity]]: ...

    async def dkim(
        self, domains: Sequence[str], region: str
    ) -> Fetched[Mapping[str, DkimSetup]]: ...

    async def mail_from(
        self, names: Sequence[str], region: str
    ) -> Fetched[Mapping[str, MailFromSetup]]: ...

    async def suppression(self, address: str, region: str) -> Fetched[Suppression]: ...

    async def key_owner(self, key_id: str) -> Fetched[CredentialOwner]: ...

    async def access_keys(self, user: str) -> Fetched[tuple[AccessKey, ...]]: ...

    async def can_send(self, user: str) -> Fetched[PermissionDecision]: ...
