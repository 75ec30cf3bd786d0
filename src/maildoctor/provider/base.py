"""The sending-service interface: what maildoctor asks any sending service.

A sending service (Amazon SES first) is one module implementing
:class:`SendingProvider`. Every call returns a :class:`Fetched`: the value, or a
:class:`CallFailure` saying why there is none (a missing permission, a call the
endpoint does not implement, a timeout...), always with the :class:`Evidence` of
the exchange. Nothing here raises for a broken account or credential; the pure
evaluation in ``ses/`` turns these shapes into findings.

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
    "DkimOrigin",
    "DkimSetup",
    "DomainAuth",
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
    "SenderAccount",
    "SenderStatus",
    "SendingProvider",
    "Suppression",
    "SuppressionReason",
    "Verification",
    "parse_dkim_origin",
    "parse_enum",
    "parse_key_length",
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


class DkimOrigin(StrEnum):
    """How DKIM was set up for a domain identity (sesv2 ``SigningAttributesOrigin``).

    ``AWS_SES`` is Easy DKIM (SES holds the key; the domain publishes CNAMEs), also when
    replicated from a parent identity in another region (``AWS_SES_<REGION>``, Deterministic
    Easy DKIM); ``EXTERNAL`` is Bring Your Own DKIM (the domain publishes its own key as TXT).
    """

    AWS_SES = "aws_ses"
    EXTERNAL = "external"
    UNKNOWN = "unknown"


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


_REPLICA = re.compile(r"^AWS_SES_([A-Z]{2}(?:_[A-Z]+)+_\d)$")
_KEY_LENGTH = re.compile(r"^RSA_(\d+)_BIT$")


def parse_dkim_origin(value: object) -> tuple[DkimOrigin, str]:
    """Read sesv2 ``SigningAttributesOrigin``: the origin, and the parent region of a replica.

    ``AWS_SES`` -> Easy DKIM; ``AWS_SES_AF_SOUTH_1`` -> Easy DKIM replicated from
    ``af-south-1``; ``EXTERNAL`` -> BYODKIM; anything else -> ``UNKNOWN``.

    Args:
        value: The service's text.

    Returns:
        ``(origin, parent_region)``; the region is empty unless the identity is a replica.
    """
    if not isinstance(value, str):
        return DkimOrigin.UNKNOWN, ""
    text = value.strip().upper().replace("-", "_")
    replica = _REPLICA.match(text)
    if replica:
        return DkimOrigin.AWS_SES, replica.group(1).lower().replace("_", "-")
    return parse_enum(value, DkimOrigin), ""


def parse_key_length(value: object) -> int | None:
    """``RSA_2048_BIT`` -> 2048 (sesv2 ``DkimSigningKeyLength``); ``None`` when not one."""
    if not isinstance(value, str):
        return None
    match = _KEY_LENGTH.match(value.strip().upper())
    return int(match.group(1)) if match else None


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
    """DKIM of one domain identity.

    Attributes:
        identity: The domain.
        region: The region asked.
        enabled: Whether SES signs with the domain.
        status: Whether SES found the DKIM records.
        tokens: Easy DKIM: the CNAME tokens; BYODKIM: the selector.
        origin: Easy DKIM, BYODKIM, or unknown (SES v1 does not say).
        replicated_from: For Easy DKIM copied from a parent identity, the parent's region.
        current_key_bits: Easy DKIM: length of the key in use, when reported.
        next_key_bits: Easy DKIM: length of the next key SES generates, when reported.
        key_generated: Easy DKIM: when the current key pair was generated, when reported.
    """

    identity: str
    region: str
    enabled: bool
    status: Verification
    tokens: tuple[str, ...] = ()
    origin: DkimOrigin = DkimOrigin.UNKNOWN
    replicated_from: str = ""
    current_key_bits: int | None = None
    next_key_bits: int | None = None
    key_generated: datetime | None = None


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

    async def dkim_signing(self, domain: str, region: str) -> Fetched[DkimSetup]: ...

    async def mail_from(
        self, names: Sequence[str], region: str
    ) -> Fetched[Mapping[str, MailFromSetup]]: ...

    async def suppression(self, address: str, region: str) -> Fetched[Suppression]: ...

    async def key_owner(self, key_id: str) -> Fetched[CredentialOwner]: ...

    async def access_keys(self, user: str) -> Fetched[tuple[AccessKey, ...]]: ...

    async def can_send(self, user: str) -> Fetched[PermissionDecision]: ...


# -- what every sending service answers ----------------------------------------------------
#
# SES, SendGrid and Postmark (and any service after them) answer the same three questions,
# whatever their APIs call things: will the service send from this address, is the
# domain's DKIM (and return path) set up, and will it refuse to send to this recipient.
# ``SenderAccount`` is that contract; SES answers it through ``SesProvider`` (regions,
# identities), SendGrid through verified senders and authenticated domains, Postmark through
# sender signatures and domains. The same contract tests run against all three.


@dataclass(frozen=True, slots=True, kw_only=True)
class SenderStatus:
    """Whether the service will send mail From an address, and what covers it.

    Attributes:
        address: The From address asked about.
        verified: True when a verified address or domain covers it.
        covered_by: The identity that covers it (the address or its domain); "" when none.
        state: The state of the closest identity found (``not_started`` when there is none).
    """

    address: str
    verified: bool
    covered_by: str = ""
    state: Verification = Verification.NOT_STARTED


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainAuth:
    """A sending domain's DKIM and return path (custom MAIL FROM) as the service sees them.

    Attributes:
        domain: The domain.
        known: Whether the service has the domain at all.
        dkim: Whether the service found the domain's DKIM records.
        return_path: Whether the service found its custom return-path (MAIL FROM) records;
            ``NOT_STARTED`` when none is configured.
        return_path_domain: The custom return-path domain, "" when none.
    """

    domain: str
    known: bool
    dkim: Verification
    return_path: Verification = Verification.NOT_STARTED
    return_path_domain: str = ""


class SenderAccount(Protocol):
    """The questions every sending service answers; methods never raise for service trouble.

    ``suppressed`` gives ``Fetched(value=None)`` when the address is not suppressed.
    ``causes`` maps ``sender``, ``dkim`` and ``suppressed`` to the service's catalogue ids.
    """

    name: str
    causes: Mapping[str, str]

    async def sender(self, address: str) -> Fetched[SenderStatus]: ...

    async def domain(self, domain: str) -> Fetched[DomainAuth]: ...

    async def suppressed(self, address: str) -> Fetched[Suppression]: ...
