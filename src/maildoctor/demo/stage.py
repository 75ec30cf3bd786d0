"""The loopback stage a scenario's world is built on.

:class:`Stage` owns the long-lived servers - a private CA (trustme), the authoritative
DNS server and AWS (moto + the fake for the SES v2 calls moto lacks) - and, for each
world, starts the SMTP servers that depend on it: the SES-like relay
(``email-smtp.<region>.amazonaws.com``: STARTTLS, AUTH, SES's reply texts), the
recipient's Exchange Online-like MX, and a partner's MX that accepts everything. It also
holds the key SES signs ``d=amazonses.com`` with (:class:`SesSigner`), published in
every world's DNS. Starting moto is the slow part (a few hundred
milliseconds), so tests keep one stage per module and build a world per scenario::

    with Stage() as stage, stage.world(scenario.world) as built:
        ...  # built.ctx points every layer at the loopback servers

``latency`` delays every DNS answer and every SMTP reply (the benchmark's injected
round-trip time); AWS calls are not delayed.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..context import Context
from ..dns.resolver import DnsResolver, Nameserver
from ..secrets import Secret
from ..smtp.ses_password import derive_smtp_password
from ..testing.awsserver import AccessKeyPair, AwsServer
from ..testing.dnsserver import DnsServer
from ..testing.smtpserver import DEFAULT_NDR, ExchangeLikeServer, SesLikeServer, TestPki
from . import zones
from .scenarios import World

__all__ = ["SCAN_REGIONS", "Built", "Keys", "SesSigner", "Stage"]

log = logging.getLogger(__name__)

#: Regions the SES check searches for the identity. A short list keeps the demo fast; it
#: must contain every region a scenario verifies an identity in.
SCAN_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
SMTP_USER = "ses-smtp-user"

#: Environment that would let the user's own set-up reach into the demo: an AWS profile
#: (boto3 fails on one it cannot find) and HTTP proxies (boto3 would send the loopback
#: AWS calls through them). Hidden while a stage runs, restored when it stops.
_ISOLATED_ENV: dict[str, str | None] = {
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    **dict.fromkeys(
        ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Keys:
    """The IAM user's access keys as the world left them.

    Attributes:
        current: The key that works now (the mail server uses it).
        gmail: The key the Gmail alias's password was derived from (deleted if rotated).
    """

    current: AccessKeyPair
    gmail: AccessKeyPair

    def password(self, key: AccessKeyPair, region: str) -> Secret:
        """The SES SMTP password derived from a key's secret for a region."""
        return derive_smtp_password(key.secret, region)


class SesSigner:
    """SES's own DKIM key: every message SES sends carries a ``d=amazonses.com`` signature.

    Generated per stage (a private key is not something to ship); the public half is
    served at ``<selector>._domainkey.amazonses.com`` so the message layer can verify it.
    """

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(spki).decode("ascii")

    def sign(self, message: bytes) -> bytes:
        """The message with SES's DKIM-Signature field prepended (RFC 6376 section 5)."""
        import dkim

        signature = dkim.sign(
            message,
            zones.SES_DKIM_SELECTOR.encode(),
            b"amazonses.com",
            self._private,
            include_headers=[b"From", b"To", b"Subject", b"Date", b"Message-ID"],
        )
        return bytes(signature) + message


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """A world, running: its servers, its keys and the Context that reaches them."""

    world: World
    relay: SesLikeServer
    mx: ExchangeLikeServer
    partner_mx: ExchangeLikeServer
    keys: Keys
    ctx: Context
    ca_file: str
    signer: SesSigner

    @property
    def relay_host(self) -> str:
        return zones.relay_host(self.world.region)

    def inbound(self, recipient: str) -> tuple[str, ExchangeLikeServer]:
        """The MX host name and loopback server that receive mail for a recipient."""
        if recipient.lower().endswith("@" + zones.PARTNER_DOMAIN):
            return zones.PARTNER_MX, self.partner_mx
        return zones.RECIPIENT_MX, self.mx


class Stage:
    """The loopback servers every scenario runs on.

    Args:
        latency: Seconds added to every DNS answer and SMTP reply.
        timeout: Per-step network timeout of the Context handed to the checks.
    """

    def __init__(self, *, latency: float = 0.0, timeout: float = 2.0) -> None:
        self.latency = latency
        self.timeout = timeout
        self._pki: TestPki | None = None
        self._dns: DnsServer | None = None
        self._aws: AwsServer | None = None
        self._aws_clients: Callable[[str, str], Any] | None = None
        self._saved_env: dict[str, str | None] = {}
        self._signer: SesSigner | None = None

    def start(self) -> Stage:
        self._saved_env = _set_env(_ISOLATED_ENV)
        try:
            self._signer = SesSigner()
            self._pki = TestPki()
            self._dns = DnsServer({}, delay=self.latency).start()
            self._aws = AwsServer().start()
        except BaseException:
            self.stop()
            raise
        # One client factory for the stage's life: boto3 clients are built once and reused
        # by every world, as one long-running process would.
        self._aws_clients = self._aws.client_factory(timeout=self.timeout)
        return self

    def stop(self) -> None:
        """Stop the servers and restore the environment; safe to call twice."""
        aws, dns = self._aws, self._dns
        self._aws = self._dns = None
        if aws is not None:
            aws.stop()
        if dns is not None:
            dns.stop()
        _set_env(self._saved_env)
        self._saved_env = {}

    def __enter__(self) -> Stage:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def dns(self) -> DnsServer:
        assert self._dns is not None, "start() first"
        return self._dns

    @property
    def aws(self) -> AwsServer:
        assert self._aws is not None, "start() first"
        return self._aws

    @property
    def pki(self) -> TestPki:
        assert self._pki is not None, "start() first"
        return self._pki

    @property
    def signer(self) -> SesSigner:
        assert self._signer is not None, "start() first"
        return self._signer

    @contextmanager
    def world(self, world: World) -> Iterator[Built]:
        """Build a world: seed AWS, start its SMTP servers, serve its zones.

        Whatever an earlier world left in AWS and DNS is forgotten first.
        """
        self.aws.reset()
        keys = seed_aws(self.aws, world)
        with self._smtp_servers(world, keys) as (relay, mx, partner_mx):
            hosts = (zones.relay_host(world.region), zones.RECIPIENT_MX, zones.PARTNER_MX)
            served = [world.zone(), zones.ses_signing_zone(self.signer.public_key)]
            self.dns.load(zones.merge(*served, zones.loopback_hosts(*hosts)))
            yield Built(
                world=world,
                relay=relay,
                mx=mx,
                partner_mx=partner_mx,
                keys=keys,
                ctx=self.context(),
                ca_file=self.pki.ca_file,
                signer=self.signer,
            )

    @contextmanager
    def _smtp_servers(
        self, world: World, keys: Keys
    ) -> Iterator[tuple[SesLikeServer, ExchangeLikeServer, ExchangeLikeServer]]:
        relay = SesLikeServer(
            world.region,
            current_secret=keys.current.secret,
            access_key_id=keys.current.key_id,
            pki=self.pki,
            verified=[i.name for i in world.identities if i.region == world.region],
            reply_delay=self.latency,
        )
        mx = ExchangeLikeServer(
            "rcpt" if world.rejection else None,
            world.rejection or DEFAULT_NDR,
            pki=self.pki,
            host_name=zones.RECIPIENT_MX,
            reply_delay=self.latency,
        )
        partner_mx = ExchangeLikeServer(
            None, pki=self.pki, host_name=zones.PARTNER_MX, reply_delay=self.latency
        )
        servers = (relay, mx, partner_mx)
        started: list[SesLikeServer | ExchangeLikeServer] = []
        try:
            for server in servers:
                server.start()
                started.append(server)
            yield servers
        finally:
            for server in reversed(started):
                server.stop()

    def context(self) -> Context:
        """A Context whose resolver, CA and AWS clients all point at this stage."""
        resolver = DnsResolver(
            [Nameserver("127.0.0.1", self.dns.port)], timeout=self.timeout, retries=0
        )
        return Context(
            resolver=resolver,
            timeout=self.timeout,
            ca_file=self.pki.ca_file,
            aws_client_factory=self._aws_clients,
        )


def _set_env(values: dict[str, str | None]) -> dict[str, str | None]:
    """Set (or, for None, remove) environment variables; returns what they were."""
    saved = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return saved


def seed_aws(aws: AwsServer, world: World) -> Keys:
    """Put the world's SES and IAM state into moto and the fake.

    Returns:
        The access keys: the current one, and the one Gmail's password came from.
    """
    for identity in world.identities:
        if "@" in identity.name:
            aws.add_email_identity(identity.name, region=identity.region)
        else:
            aws.add_domain_identity(
                identity.name, region=identity.region, dkim_tokens=zones.DKIM_TOKENS
            )
        if identity.mail_from:
            aws.set_mail_from(identity.name, identity.mail_from, region=identity.region)
    for region in dict.fromkeys([world.region, *(i.region for i in world.identities)]):
        aws.set_account(region, production_access=True)
    user = aws.add_user(SMTP_USER)
    if world.gmail_key == "rotated":
        # Rotation: a second key is created, the servers move to it, the first is deleted.
        old = aws.add_access_key(user)
        current = aws.add_access_key(user)
        aws.delete_access_key(old)
        keys = Keys(current=current, gmail=old)
    else:
        current = aws.add_access_key(user)
        keys = Keys(current=current, gmail=current)
    since = datetime(2025, 1, 20, 9, 30, tzinfo=UTC)
    for address in world.suppressed:
        aws.suppress(address, region=world.region, reason="BOUNCE", since=since)
    return keys
