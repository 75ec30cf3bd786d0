"""boto3 plumbing shared by AWS providers: clients, credentials and error translation.

botocore's exceptions are translated **once**, here, through two tables
(MODELS.md section 4, after httpx's ``HTTPCORE_EXC_MAP``): :data:`ERROR_CODES`
maps a service error code to a :class:`~maildoctor.provider.base.FailureKind`,
and :data:`EXCEPTION_KINDS` does the same for botocore's own exception classes.
Everything above this module sees only :class:`~maildoctor.provider.base.CallFailure`.

Credentials come from boto3's standard chain (environment, ``AWS_PROFILE`` and
the shared files, SSO, container and instance roles); endpoints from the
standard ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_<SERVICE>`` variables unless
an ``endpoint_url`` is given. The secret key is never read except to redact it
from error text, and is held only as a :class:`~maildoctor.secrets.Secret`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.exceptions as bce
from botocore.config import Config
from botocore.parsers import ResponseParserError

from ..secrets import Secret, redact
from .base import CallFailure, FailureKind

__all__ = [
    "ClientFactory",
    "ERROR_CODES",
    "EXCEPTION_KINDS",
    "IAM_PREFIX",
    "SessionClientFactory",
    "credentials_problem",
    "default_region",
    "iam_action",
    "translate",
]

#: Builds a boto3 client for (service, region). Injected by tests and the demo.
ClientFactory = Callable[[str, str], Any]

#: Service error code -> kind. Query APIs (SES v1, IAM) say ``AccessDenied``,
#: JSON APIs (SES v2) ``AccessDeniedException``. moto's server answers calls
#: it lacks with a bare HTTP 404 (sesv2: code ``"404"``) or an HTML 500 page.
ERROR_CODES: Mapping[str, FailureKind] = {
    "AccessDenied": FailureKind.ACCESS_DENIED,
    "AccessDeniedException": FailureKind.ACCESS_DENIED,
    "AuthorizationError": FailureKind.ACCESS_DENIED,
    "UnauthorizedOperation": FailureKind.ACCESS_DENIED,
    "NoSuchEntity": FailureKind.NOT_FOUND,
    "NotFoundException": FailureKind.NOT_FOUND,
    "NotFound": FailureKind.NOT_FOUND,
    "ResourceNotFoundException": FailureKind.NOT_FOUND,
    "Throttling": FailureKind.THROTTLED,
    "ThrottlingException": FailureKind.THROTTLED,
    "TooManyRequestsException": FailureKind.THROTTLED,
    "RequestLimitExceeded": FailureKind.THROTTLED,
    "InvalidClientTokenId": FailureKind.BAD_CREDENTIALS,
    "UnrecognizedClientException": FailureKind.BAD_CREDENTIALS,
    "SignatureDoesNotMatch": FailureKind.BAD_CREDENTIALS,
    "IncompleteSignature": FailureKind.BAD_CREDENTIALS,
    "InvalidAccessKeyId": FailureKind.BAD_CREDENTIALS,
    "ExpiredToken": FailureKind.BAD_CREDENTIALS,
    "ExpiredTokenException": FailureKind.BAD_CREDENTIALS,
    "OptInRequired": FailureKind.REGION_UNAVAILABLE,
    "NotImplemented": FailureKind.UNSUPPORTED,
    "InvalidAction": FailureKind.UNSUPPORTED,
    "UnknownOperationException": FailureKind.UNSUPPORTED,
    "404": FailureKind.UNSUPPORTED,
    "ValidationError": FailureKind.INVALID_INPUT,
    "InvalidParameterValue": FailureKind.INVALID_INPUT,
    "BadRequestException": FailureKind.INVALID_INPUT,
}

#: botocore exception class -> kind, most specific first (timeouts subclass
#: EndpointConnectionError; ResponseParserError is moto's HTML 500 page).
EXCEPTION_KINDS: tuple[tuple[type[BaseException], FailureKind], ...] = (
    (bce.NoCredentialsError, FailureKind.NO_CREDENTIALS),
    (bce.PartialCredentialsError, FailureKind.NO_CREDENTIALS),
    (bce.CredentialRetrievalError, FailureKind.NO_CREDENTIALS),
    (bce.TokenRetrievalError, FailureKind.NO_CREDENTIALS),
    (bce.UnauthorizedSSOTokenError, FailureKind.NO_CREDENTIALS),
    (bce.SSOTokenLoadError, FailureKind.NO_CREDENTIALS),
    (bce.ProfileNotFound, FailureKind.NO_CREDENTIALS),
    (bce.ConnectTimeoutError, FailureKind.TIMEOUT),
    (bce.ReadTimeoutError, FailureKind.TIMEOUT),
    (bce.EndpointConnectionError, FailureKind.NETWORK),
    (bce.ConnectionClosedError, FailureKind.NETWORK),
    (bce.HTTPClientError, FailureKind.NETWORK),
    (ResponseParserError, FailureKind.UNSUPPORTED),
    (bce.ParamValidationError, FailureKind.INVALID_INPUT),
)

#: Client service name -> IAM action prefix.
IAM_PREFIX: Mapping[str, str] = {
    "ses": "ses",
    "sesv2": "ses",
    "iam": "iam",
    "sts": "sts",
    "cloudwatch": "cloudwatch",
}


def iam_action(service: str, operation: str) -> str:
    """``("sesv2", "GetAccount")`` -> ``"ses:GetAccount"`` (the permission a call needs)."""
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


def translate(
    exc: BaseException, *, service: str, operation: str, secrets: tuple[Secret, ...] = ()
) -> CallFailure:
    """Turn any exception from a boto3 call into a :class:`CallFailure`.

    Args:
        exc: What the call raised.
        service: The client's service name (``sesv2``).
        operation: The API operation (``GetAccount``).
        secrets: Values to redact from the message (the secret key).

    Returns:
        The failure, with the IAM action the call needs.
    """
    if isinstance(exc, bce.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        kind = ERROR_CODES.get(code, FailureKind.ERROR)
        message = _clean(str(error.get("Message") or ""), status)
    else:
        kind = next((k for t, k in EXCEPTION_KINDS if isinstance(exc, t)), FailureKind.ERROR)
        code, message = type(exc).__name__, _clean(str(exc), None)
    return CallFailure(
        kind=kind,
        operation=f"{service}.{operation}",
        permission=iam_action(service, operation),
        code=code,
        message=redact(message, *secrets),
    )


def _clean(message: str, status: object) -> str:
    """First line, short; an HTML page (moto's 404/500) becomes a plain note."""
    text = message.strip()
    if text.startswith("<") or "<html" in text[:200].lower():
        return f"HTTP {status or 'error'} with a non-AWS body (the call is not implemented here)"
    return text.splitlines()[0][:300] if text else ""


def _config(timeout: float) -> Config:
    # Bounded: a small number of attempts, each with connect and read timeouts.
    return Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": 2, "mode": "standard"},
        user_agent_extra="maildoctor",
    )


def _session(profile: str | None) -> boto3.session.Session:
    """A boto3 session; raises botocore's ProfileNotFound for an unknown profile."""
    return boto3.session.Session(profile_name=profile)


def default_region(profile: str | None = None) -> str | None:
    """The region the AWS CLI would use when ``--region`` is not given.

    The CLI's order: ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then the profile's
    ``region`` in the config file (``AWS_CONFIG_FILE``). botocore on its own skips
    ``AWS_REGION`` (only the SDKs and CLI v2 read it), so it is read here first.

    Args:
        profile: Named profile, or ``None`` for ``AWS_PROFILE`` / the default profile.

    Returns:
        The region name, or ``None`` when nothing configures one (or the profile is unknown).
    """
    explicit = os.environ.get("AWS_REGION", "").strip()
    if explicit:
        return explicit
    try:
        return _session(profile).region_name
    except bce.BotoCoreError:
        return None


def credentials_problem(profile: str | None = None) -> str | None:
    """Say, in one line, what to set when no usable credentials can be found.

    Returns:
        ``None`` when the chain yields credentials, else the one-line problem.
    """
    try:
        credentials = _session(profile).get_credentials()
    except bce.ProfileNotFound:
        return f"AWS profile {profile!r} is not in the AWS config files (check AWS_PROFILE)"
    except bce.BotoCoreError as exc:
        return f"AWS credentials could not be loaded: {type(exc).__name__}"
    if credentials is None:
        return (
            "no AWS credentials found: set AWS_PROFILE (or --profile) or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure` / `aws sso login`"
        )
    return None


@dataclass
class SessionClientFactory:
    """Builds (and caches) boto3 clients from one session, safely across threads.

    Args:
        profile: Named profile, or ``None`` for the default chain.
        endpoint_url: Overrides every service's endpoint (else boto3 reads
            ``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_<SERVICE>`` itself).
        timeout: Seconds for each connect and each read.
    """

    profile: str | None = None
    endpoint_url: str | None = None
    timeout: float = 5.0
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _session: boto3.session.Session | None = field(default=None, repr=False)

    def __call__(self, service: str, region: str) -> Any:
        # boto3 sessions are not thread-safe; clients are. Build under a lock.
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self._build(service, region)
            return self._clients[key]

    def _build(self, service: str, region: str) -> Any:
        if self._session is None:
            self._session = _session(self.profile)
        extra = {"endpoint_url": self.endpoint_url} if self.endpoint_url else {}
        return self._session.client(
            service, region_name=region, config=_config(self.timeout), **extra
        )

    def secrets(self) -> tuple[Secret, ...]:
        """The session's secret key, wrapped, for redaction only."""
        try:
            with self._lock:
                if self._session is None:
                    self._session = _session(self.profile)
                credentials = self._session.get_credentials()
            frozen = credentials.get_frozen_credentials() if credentials is not None else None
        except Exception:  # noqa: BLE001 - the calls themselves will report the problem
            return ()
        if frozen is None:
            return ()
        return tuple(Secret(v) for v in (frozen.secret_key, frozen.token) if v)
