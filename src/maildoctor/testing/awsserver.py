"""AWS on loopback for tests and the demo: moto in server mode, behind a small fake.

moto (``ThreadedMotoServer``, in-process, on a free port) serves SES v1, IAM,
STS and CloudWatch. In front of it, :class:`AwsServer` runs a tiny HTTP server
that:

* answers the SES v2 calls moto lacks (REFERENCE.md section 3) from its own
  state, in the REST-JSON protocol: ``GetAccount``, ``GetSuppressedDestination``,
  ``ListSuppressedDestinations`` (and ``Put``/``DeleteSuppressedDestination``);
* rewrites the ``DkimAttributes`` of moto's SES v2 ``GetEmailIdentity`` for
  identities seeded with :meth:`AwsServer.set_dkim_origin` (moto's v2 lists no
  tokens and knows neither BYODKIM nor key lengths);
* answers chosen IAM actions with AccessDenied, in each protocol's own error
  format (:meth:`AwsServer.deny`);
* records every action asked (:attr:`AwsServer.calls`), so a test can prove a
  run was read-only;
* forwards everything else to moto unchanged.

Point boto3 at :attr:`AwsServer.endpoint_url`, put :meth:`AwsServer.env` in the
environment (subprocesses, the CLI), or hand :meth:`AwsServer.client_factory` to
``Context(aws_client_factory=...)`` (no environment needed). Seed state with the
``add_*``/``set_*``/``suppress``/``deny`` methods; seeding talks to moto
directly, so denials never get in its way::

    with AwsServer() as aws:
        tokens = aws.add_domain_identity("example.com", region="us-east-1")
        aws.set_account("us-east-1", production_access=True)
        key = aws.add_access_key(aws.add_user("smtp"))
        aws.suppress("gone@example.net", region="us-east-1", reason="BOUNCE")
        zone = easy_dkim_zone("example.com", tokens)  # for DnsServer
        ctx = Context(resolver=..., aws_client_factory=aws.client_factory())
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..secrets import Secret

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "AccessKeyPair",
    "AwsServer",
    "CallRecord",
    "FakeAccount",
    "easy_dkim_zone",
    "mail_from_zone",
]

DEFAULT_ACCOUNT_ID = "123456789012"  # moto's default account
DUMMY_KEY, DUMMY_SECRET = "testing", "testing"

Response = tuple[int, dict[str, str], bytes]


@dataclass
class FakeAccount:
    """SES v2 ``GetAccount`` state for one region. The default is a new region: the sandbox."""

    production_access: bool = False
    sending_enabled: bool = True
    enforcement_status: str = "HEALTHY"
    max_24_hour_send: float = 200.0
    max_send_rate: float = 1.0
    sent_last_24_hours: float = 0.0
    suppressed_reasons: tuple[str, ...] = ("BOUNCE", "COMPLAINT")

    def to_json(self) -> dict[str, Any]:
        return {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": self.enforcement_status,
            "ProductionAccessEnabled": self.production_access,
            "SendingEnabled": self.sending_enabled,
            "SendQuota": {
                "Max24HourSend": self.max_24_hour_send,
                "MaxSendRate": self.max_send_rate,
                "SentLast24Hours": self.sent_last_24_hours,
            },
            "SuppressionAttributes": {"SuppressedReasons": list(self.suppressed_reasons)},
        }


@dataclass(frozen=True, slots=True)
class _Suppressed:
    address: str
    reason: str
    since: datetime
    message_id: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "EmailAddress": self.address,
            "Reason": self.reason,
            "LastUpdateTime": self.since.timestamp(),
        }

    def detail(self) -> dict[str, Any]:
        attributes = {"MessageId": self.message_id, "FeedbackId": f"fb-{self.message_id}"}
        return {**self.summary(), "Attributes": attributes if self.message_id else {}}


@dataclass(frozen=True, slots=True)
class _DkimSigning:
    """SES v2 ``DkimAttributes`` to report for one identity (over moto's)."""

    origin: str
    tokens: tuple[str, ...]
    status: str
    current_key_length: str | None = None
    next_key_length: str | None = None

    def patch(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        out = {**attributes, "SigningEnabled": True, "Status": self.status}
        out["SigningAttributesOrigin"] = self.origin
        if self.tokens:
            out["Tokens"] = list(self.tokens)
        if self.origin == "EXTERNAL":  # key lengths and key generation are Easy DKIM's
            for name in (
                "CurrentSigningKeyLength",
                "NextSigningKeyLength",
                "LastKeyGenerationTimestamp",
            ):
                out.pop(name, None)
        for name, value in (
            ("CurrentSigningKeyLength", self.current_key_length),
            ("NextSigningKeyLength", self.next_key_length),
        ):
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class AccessKeyPair:
    """A seeded access key: the id, and the secret kept out of every repr."""

    user: str
    key_id: str
    secret: Secret


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One request seen by the front: the IAM action (``ses:GetAccount``) and the region."""

    action: str
    region: str


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


# -- recognising the action -------------------------------------------------------------------

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_SIGNING_PREFIX = {"monitoring": "cloudwatch", "email": "ses"}
_V2_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(pattern), action)
    for method, pattern, action in (
        ("GET", r"^/v2/email/account$", "GetAccount"),
        ("GET", r"^/v2/email/suppression/addresses$", "ListSuppressedDestinations"),
        ("PUT", r"^/v2/email/suppression/addresses$", "PutSuppressedDestination"),
        ("GET", r"^/v2/email/suppression/addresses/([^/]+)$", "GetSuppressedDestination"),
        ("DELETE", r"^/v2/email/suppression/addresses/([^/]+)$", "DeleteSuppressedDestination"),
        ("GET", r"^/v2/email/identities/([^/]+)$", "GetEmailIdentity"),
        ("POST", r"^/v2/email/list-identities$", "ListEmailIdentities"),
        ("GET", r"^/v2/email/identities$", "ListEmailIdentities"),
    )
)


@dataclass(frozen=True, slots=True)
class _Op:
    action: str  # "ses:GetAccount"
    region: str
    protocol: str  # query, rest-json, json, cbor
    argument: str = ""  # the path parameter, URL-decoded


def identify(request: _Request) -> _Op:
    """Which IAM action and region a signed request is for."""
    scope = _SCOPE.search(request.headers.get("authorization", ""))
    region, signing = (scope.group(1), scope.group(2)) if scope else ("us-east-1", "unknown")
    prefix = _SIGNING_PREFIX.get(signing, signing)
    if request.path.startswith("/v2/email/"):
        for method, pattern, action in _V2_ROUTES:
            match = pattern.match(request.path)
            if method == request.method and match:
                argument = unquote(match.group(1)) if match.groups() else ""
                return _Op(f"ses:{action}", region, "rest-json", argument)
        return _Op("ses:Unknown", region, "rest-json")
    target = request.headers.get("x-amz-target")
    if target:
        return _Op(f"{prefix}:{target.rsplit('.', 1)[-1]}", region, "json")
    cbor = re.match(r"^/service/[^/]+/operation/([^/]+)$", request.path)
    if cbor:
        return _Op(f"{prefix}:{cbor.group(1)}", region, "cbor")
    form = parse_qs(request.body.decode("utf-8", "replace")) or parse_qs(request.query)
    return _Op(f"{prefix}:{form.get('Action', ['Unknown'])[0]}", region, "query")


# -- answers ----------------------------------------------------------------------------------


def _json(status: int, payload: Mapping[str, Any], **headers: str) -> Response:
    body = json.dumps(payload).encode()
    return status, {"Content-Type": "application/json", **headers}, body


def _rest_error(status: int, code: str, message: str) -> Response:
    return _json(status, {"message": message}, **{"x-amzn-ErrorType": code})


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    if len(data) < 256:
        return bytes([0x78, len(data)]) + data
    return bytes([0x79]) + len(data).to_bytes(2, "big") + data


def access_denied(op: _Op, account_id: str) -> Response:
    """AccessDenied the way each protocol carries it (query XML, REST-JSON, JSON, CBOR)."""
    message = (
        f"User: arn:aws:iam::{account_id}:user/moto is not authorized to perform: "
        f"{op.action} because no identity-based policy allows the {op.action} action"
    )
    if op.protocol == "rest-json":
        return _rest_error(403, "AccessDeniedException", message)
    if op.protocol == "json":  # CloudWatch: JSON, query-compatible error codes
        payload = {"__type": "AccessDeniedException", "message": message}
        return _json(400, payload, **{"x-amzn-query-error": "AccessDenied;Sender"})
    if op.protocol == "cbor":
        body = (
            b"\xa2"
            + _cbor_text("__type")
            + _cbor_text("AccessDenied")
            + _cbor_text("message")
            + _cbor_text(message)
        )
        headers = {
            "Content-Type": "application/cbor",
            "smithy-protocol": "rpc-v2-cbor",
            "x-amzn-query-error": "AccessDenied;Sender",
        }
        return 403, headers, body
    xml = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
        f"{message}</Message></Error><RequestId>maildoctor-fake</RequestId></ErrorResponse>"
    )
    return 403, {"Content-Type": "text/xml"}, xml.encode()


# -- the server -------------------------------------------------------------------------------


@dataclass
class _State:
    accounts: dict[str, FakeAccount] = field(default_factory=dict)
    suppressed: dict[tuple[str, str], _Suppressed] = field(default_factory=dict)
    dkim: dict[tuple[str, str], _DkimSigning] = field(default_factory=dict)  # (region, identity)
    denied: dict[str, frozenset[str] | None] = field(default_factory=dict)  # action -> regions
    calls: list[CallRecord] = field(default_factory=list)


class AwsServer:
    """moto on loopback, fronted by the fake for the calls moto lacks.

    Args:
        host: Loopback address to bind.
        account_id: The account the fake reports (moto's default).
        quiet: Silence moto's per-request logging (the process-wide "werkzeug" logger).
    """

    def __init__(
        self, *, host: str = "127.0.0.1", account_id: str = DEFAULT_ACCOUNT_ID, quiet: bool = True
    ) -> None:
        self.host = host
        self.account_id = account_id
        self.quiet = quiet
        self._state = _State()
        self._lock = threading.Lock()
        self._moto: Any = None
        self._moto_address: tuple[str, int] = (host, 0)
        self._front: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._clients: dict[tuple[str, str], Any] = {}

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> AwsServer:
        """Start moto and the front, each on a free port."""
        from moto.server import ThreadedMotoServer

        if self.quiet:
            logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        self._moto = ThreadedMotoServer(ip_address=self.host, port=0, verbose=False)
        self._moto.start()
        self._moto_address = self._moto.get_host_and_port()
        self._front = _FrontServer((self.host, 0), _FrontHandler, self)
        self._thread = threading.Thread(
            target=self._front.serve_forever, name="maildoctor-aws", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._front is not None:
            self._front.shutdown()
            self._front.server_close()
        if self._moto is not None:
            self._moto.stop()

    def __enter__(self) -> AwsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        """Where clients point boto3 (the front)."""
        assert self._front is not None, "start() first"
        return f"http://{self.host}:{self._front.server_address[1]}"

    @property
    def moto_url(self) -> str:
        return f"http://{self._moto_address[0]}:{self._moto_address[1]}"

    @property
    def calls(self) -> list[CallRecord]:
        with self._lock:
            return list(self._state.calls)

    def env(self, region: str = "us-east-1") -> dict[str, str]:
        """Environment for boto3 (or a subprocess) to use this server with dummy credentials."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": DUMMY_KEY,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
            "AWS_DEFAULT_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def reset(self) -> None:
        """Forget all state: moto's (through its reset API) and the fake's."""
        conn = http.client.HTTPConnection(*self._moto_address, timeout=30)
        try:
            conn.request("POST", "/moto-api/reset")
            conn.getresponse().read()
        finally:
            conn.close()
        with self._lock:
            self._state = _State()

    def client(self, service: str, region: str = "us-east-1") -> Any:
        """A boto3 client straight to moto with dummy credentials (for seeding); cached."""
        import boto3

        with self._lock:
            key = (service, region)
            if key not in self._clients:
                session = boto3.session.Session(
                    aws_access_key_id=DUMMY_KEY,
                    aws_secret_access_key=DUMMY_SECRET,
                    region_name=region,
                )
                self._clients[key] = session.client(service, endpoint_url=self.moto_url)
            return self._clients[key]

    def client_factory(self, *, timeout: float = 5.0) -> Callable[[str, str], Any]:
        """A thread-safe ``(service, region) -> client`` for ``Context.aws_client_factory``.

        Clients go through the front (fake and denials included) with dummy
        credentials, so nothing depends on the environment or ~/.aws.
        """
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET
        )
        config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1})
        clients: dict[tuple[str, str], Any] = {}
        lock = threading.Lock()

        def factory(service: str, region: str) -> Any:
            with lock:
                if (service, region) not in clients:
                    clients[service, region] = session.client(
                        service,
                        region_name=region,
                        endpoint_url=self.endpoint_url,
                        config=config,
                    )
                return clients[service, region]

        return factory

    # -- seeding: SES identities (moto) --------------------------------------------------

    def add_domain_identity(
        self, domain: str, *, region: str = "us-east-1", dkim_tokens: Iterable[str] | None = None
    ) -> tuple[str, ...]:
        """Create a verified domain identity with Easy DKIM; returns its three tokens.

        Args:
            domain: The domain.
            region: Where to create it.
            dkim_tokens: Tokens to use instead of moto's fixed three.
        """
        ses = self.client("ses", region)
        tokens = tuple(ses.verify_domain_dkim(Domain=domain)["DkimTokens"])
        if dkim_tokens is not None:
            tokens = tuple(dkim_tokens)
            self._moto_ses_backend(region).dkim_tokens[domain.lower()] = list(tokens)
        return tokens

    def add_email_identity(self, address: str, *, region: str = "us-east-1") -> None:
        """Create a verified email-address identity."""
        self.client("ses", region).verify_email_identity(EmailAddress=address)

    def set_mail_from(
        self,
        identity: str,
        mail_from_domain: str,
        *,
        region: str = "us-east-1",
        behavior: str = "UseDefaultValue",
    ) -> None:
        """Configure a custom MAIL FROM domain (moto reports it verified at once)."""
        self.client("ses", region).set_identity_mail_from_domain(
            Identity=identity, MailFromDomain=mail_from_domain, BehaviorOnMXFailure=behavior
        )

    def _moto_ses_backend(self, region: str) -> Any:
        # moto runs in this process, so its backend can be reached for state the API
        # cannot set (chosen DKIM tokens).
        from moto.ses.models import ses_backends

        return ses_backends[self.account_id][region]

    # -- seeding: IAM (moto) -------------------------------------------------------------

    def add_user(self, name: str) -> str:
        self.client("iam").create_user(UserName=name)
        return name

    def add_access_key(self, user: str, *, status: str = "Active") -> AccessKeyPair:
        """Create an access key (optionally Inactive); the secret comes back as a Secret."""
        iam = self.client("iam")
        key = iam.create_access_key(UserName=user)["AccessKey"]
        if status != "Active":
            iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status=status)
        return AccessKeyPair(
            user=user, key_id=key["AccessKeyId"], secret=Secret(key["SecretAccessKey"])
        )

    def delete_access_key(self, key: AccessKeyPair) -> None:
        self.client("iam").delete_access_key(UserName=key.user, AccessKeyId=key.key_id)

    # -- seeding: the fake's own state ---------------------------------------------------

    def set_account(self, region: str = "us-east-1", **changes: Any) -> FakeAccount:
        """Set ``GetAccount`` fields for a region (see :class:`FakeAccount`).

        A production account gets production quotas unless given.
        """
        if changes.get("production_access"):
            changes.setdefault("max_24_hour_send", 50000.0)
            changes.setdefault("max_send_rate", 14.0)
        with self._lock:
            account = self._state.accounts.setdefault(region, FakeAccount())
            for name, value in changes.items():
                if not hasattr(account, name):
                    raise TypeError(f"FakeAccount has no field {name!r}")
                setattr(account, name, value)
            return account

    def suppress(
        self,
        address: str,
        *,
        region: str = "us-east-1",
        reason: str = "BOUNCE",
        since: datetime | None = None,
        message_id: str = "",
    ) -> None:
        """Put an address on the account-level suppression list of a region."""
        entry = _Suppressed(address.lower(), reason, since or datetime.now(UTC), message_id)
        with self._lock:
            self._state.suppressed[(region, entry.address)] = entry

    def set_dkim_origin(
        self,
        identity: str,
        origin: str = "EXTERNAL",
        *,
        selector: str | None = None,
        region: str = "us-east-1",
        status: str = "SUCCESS",
        current_key_length: str | None = None,
        next_key_length: str | None = None,
    ) -> None:
        """Make SES v2 ``GetEmailIdentity`` report this DKIM setup for an identity moto has.

        moto's v2 answers with no tokens and ``SigningAttributesOrigin`` always
        ``AWS_SES``; this overrides its ``DkimAttributes`` (SES v1 is untouched).

        Args:
            identity: A domain identity created with :meth:`add_domain_identity`.
            origin: ``EXTERNAL`` (BYODKIM), ``AWS_SES`` or ``AWS_SES_<REGION>``.
            selector: Reported as the one token (BYODKIM's selector); ``None``: no tokens.
            region: The identity's region.
            status: ``DkimAttributes.Status`` (``SUCCESS``, ``PENDING``, ``FAILED``...).
            current_key_length: ``RSA_1024_BIT`` or ``RSA_2048_BIT`` (Easy DKIM).
            next_key_length: Likewise, for the next key.
        """
        entry = _DkimSigning(
            origin=origin,
            tokens=(selector,) if selector else (),
            status=status,
            current_key_length=current_key_length,
            next_key_length=next_key_length,
        )
        with self._lock:
            self._state.dkim[(region, identity.lower())] = entry

    def deny(self, *actions: str, regions: Iterable[str] | None = None) -> None:
        """Answer these IAM actions (``ses:GetSuppressedDestination``) with AccessDenied."""
        scope = frozenset(regions) if regions is not None else None
        with self._lock:
            self._state.denied.update(dict.fromkeys(actions, scope))

    # -- answering -----------------------------------------------------------------------

    def respond(self, request: _Request) -> Response:
        """Answer one request: denial, the fake's own answer, or moto's."""
        op = identify(request)
        with self._lock:
            self._state.calls.append(CallRecord(op.action, op.region))
            regions = self._state.denied.get(op.action, frozenset())
            denied = regions is None or op.region in regions
        if denied:
            return access_denied(op, self.account_id)
        answer = self._fake(request, op)
        return answer if answer is not None else self._forward(request)

    def _fake(self, request: _Request, op: _Op) -> Response | None:
        handlers = {
            "ses:GetAccount": self._get_account,
            "ses:GetSuppressedDestination": self._get_suppressed,
            "ses:ListSuppressedDestinations": self._list_suppressed,
            "ses:PutSuppressedDestination": self._put_suppressed,
            "ses:DeleteSuppressedDestination": self._delete_suppressed,
            "ses:GetEmailIdentity": self._get_email_identity,
        }
        handler = handlers.get(op.action)
        return handler(request, op) if handler is not None else None

    def _get_account(self, _request: _Request, op: _Op) -> Response:
        with self._lock:
            account = self._state.accounts.get(op.region, FakeAccount())
            return _json(200, account.to_json())

    def _get_suppressed(self, _request: _Request, op: _Op) -> Response:
        with self._lock:
            entry = self._state.suppressed.get((op.region, op.argument.lower()))
        if entry is None:
            return _rest_error(
                404,
                "NotFoundException",
                f"Email address ({op.argument}) does not exist on your suppression list.",
            )
        return _json(200, {"SuppressedDestination": entry.detail()})

    def _list_suppressed(self, _request: _Request, op: _Op) -> Response:
        with self._lock:
            rows = [e.summary() for (r, _), e in self._state.suppressed.items() if r == op.region]
        return _json(200, {"SuppressedDestinationSummaries": rows})

    def _put_suppressed(self, request: _Request, op: _Op) -> Response:
        payload = json.loads(request.body or b"{}")
        self.suppress(payload["EmailAddress"], region=op.region, reason=payload["Reason"])
        return _json(200, {})

    def _delete_suppressed(self, _request: _Request, op: _Op) -> Response:
        with self._lock:
            found = self._state.suppressed.pop((op.region, op.argument.lower()), None)
        if found is None:
            return _rest_error(404, "NotFoundException", "not on the suppression list")
        return _json(200, {})

    def _get_email_identity(self, request: _Request, op: _Op) -> Response | None:
        with self._lock:
            seeded = self._state.dkim.get((op.region, op.argument.lower()))
        if seeded is None:
            return None  # moto answers as it is
        status, headers, body = self._forward(request)
        if status != 200:
            return status, headers, body
        payload = json.loads(body)
        payload["DkimAttributes"] = seeded.patch(payload.get("DkimAttributes") or {})
        return status, headers, json.dumps(payload).encode()

    def _forward(self, request: _Request) -> Response:
        conn = http.client.HTTPConnection(*self._moto_address, timeout=60)
        try:
            path = request.path + (f"?{request.query}" if request.query else "")
            headers = {k: v for k, v in request.headers.items() if k not in _HOP_BY_HOP}
            conn.request(request.method, path, body=request.body, headers=headers)
            reply = conn.getresponse()
            body = reply.read()
            out = {k: v for k, v in reply.getheaders() if k.lower() not in _HOP_BY_HOP}
            return reply.status, out, body
        finally:
            conn.close()


_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, aws: AwsServer) -> None:
        super().__init__(address, handler)
        self.aws = aws


class _FrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FrontServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the server records calls itself."""

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = _Request(self.command, url.path, url.query, headers, body)
        try:
            status, out, payload = self.server.aws.respond(request)
        except Exception as exc:  # noqa: BLE001 - a fake must answer, not hang the client
            status, out, payload = _rest_error(500, "InternalFailure", type(exc).__name__)
        self.send_response(status)
        for name, value in out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


# -- DNS records for the seeded state (zonedata for DnsServer) --------------------------------


def easy_dkim_zone(
    domain: str, tokens: Iterable[str], *, omit: Iterable[int] = ()
) -> dict[str, list[dict[str, str]]]:
    """The Easy DKIM CNAMEs for a domain, in DnsServer zonedata; ``omit`` skips token indexes."""
    skip = set(omit)
    return {
        f"{token}._domainkey.{domain}": [{"CNAME": f"{token}.dkim.amazonses.com"}]
        for i, token in enumerate(tokens)
        if i not in skip
    }


def mail_from_zone(
    mail_from_domain: str, region: str, *, mx: bool = True, spf: bool = True
) -> dict[str, list[Any]]:
    """The MX and SPF a custom MAIL FROM domain needs, in DnsServer zonedata."""
    rows: list[Any] = []
    if mx:
        rows.append({"MX": [10, f"feedback-smtp.{region}.amazonses.com"]})
    if spf:
        rows.append({"TXT": "v=spf1 include:amazonses.com ~all"})
    if not rows:  # the name exists (e.g. an A record) but has neither
        rows.append({"A": "192.0.2.1"})
    return {mail_from_domain: rows}
