"""The loopback stage a scenario's world is built on.

:class:`Stage` owns the long-lived servers - a private CA (trustme), the authoritative
DNS server and AWS (moto + the fake for the SES v2 calls moto lacks) - and, for each
world, starts the two SMTP servers that depend on it: the SES-like relay
(``email-smtp.<region>.amazonaws.com``: STARTTLS, AUTH, SES's reply texts) and the
recipient's Exchange Online-like MX. Starting moto is the slow part (a few hundred
milliseconds), so tests keep one stage per module and build a world per scenario::

    with Stage() as stage, stage.world(scenario.world) as built:
        ...  # built.ctx points every layer at the loopback servers

``latency`` delays every DNS answer and every SMTP reply (the benchmark's injected
round-trip time); AWS calls are not delayed.
"""

from __future__ import annotations

import logging
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

__all__ = ["SCAN_REGIONS", "Built", "Keys", "Stage"]

log = logging.getLogger(__name__)

#: Regions the SES check searches for the identity. A short list keeps the demo fast; it
#: must contain every region a scenario verifies an identity in.
SCAN_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
SMTP_USER = "ses-smtp-user"


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """A world, running: its servers, its keys and the Context that reaches them."""

    world: World
    relay: SesLikeServer
    mx: ExchangeLikeServer
    keys: Keys
    ctx: Context
    ca_file: str

    @property
    def relay_host(self) -> str:
        return zones.relay_host(self.world.region)


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

    def start(self) -> Stage:
        self._pki = TestPki()
        self._dns = DnsServer({}, delay=self.latency).start()
        self._aws = AwsServer().start()
        # One client factory for the stage's life: boto3 clients are built once and reused
        # by every world, as one long-running process would.
        self._aws_clients = self._aws.client_factory(timeout=self.timeout)
        return self

    def stop(self) -> None:
        if self._aws is not None:
            self._aws.stop()
        if self._dns is not None:
            self._dns.stop()

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

    @contextmanager
    def world(self, world: World) -> Iterator[Built]:
        """Build a world: seed AWS, start its SMTP servers, serve its zones.

        Whatever an earlier world left in AWS and DNS is forgotten first.
        """
        self.aws.reset()
        keys = seed_aws(self.aws, world)
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
        relay.start()
        try:
            mx.start()
            try:
                loopback = zones.loopback_hosts(zones.relay_host(world.region), zones.RECIPIENT_MX)
                self.dns.load(zones.merge(world.zone(), loopback))
                yield Built(
                    world=world,
                    relay=relay,
                    mx=mx,
                    keys=keys,
                    ctx=self.context(),
                    ca_file=self.pki.ca_file,
                )
            finally:
                mx.stop()
        finally:
            relay.stop()

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
