"""What a diagnosis is asked (:class:`DiagnoseRequest`, :class:`Relay`) and how a layer is
plugged into it (:class:`LayerAdapter`, :class:`LayerUnavailable`), for :mod:`maildoctor.diagnose`.

Also the SES regions the evidence names (:func:`evidence_regions`), read from the request's
files before any layer runs. Split out of ``diagnose.py`` only to keep modules short;
everything here is re-exported there, which is where callers import it from.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import Context
from .errors import InputError
from .model import Layer, LayerResult, Status
from .provider.ses.endpoints import smtp_endpoint_region
from .secrets import Secret

DEFAULT_RELAY_PORT = 587


@dataclass(frozen=True, slots=True)
class Relay:
    """The SMTP relay the sender's client submits to."""

    host: str
    port: int = DEFAULT_RELAY_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def ses_region(self) -> str | None:
        """``us-east-1`` for ``email-smtp.us-east-1.amazonaws.com``, else None."""
        return smtp_endpoint_region(self.host)


def parse_relay(text: str) -> Relay:
    """Parse ``HOST``, ``HOST:PORT`` or ``[IPv6]:PORT``.

    Raises:
        InputError: for an empty host or a port outside 1-65535.
    """
    text = text.strip()
    host, port = text, str(DEFAULT_RELAY_PORT)
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else port
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"bad relay {text!r}: expected HOST[:PORT]")
    return Relay(host=host, port=int(port))


def _zone_name(zone: str) -> str:
    """A ``--dnsbl`` zone, checked.

    Raises:
        InputError: when it is not a DNS name.
    """
    from .dns.blocklist import custom_list

    try:
        return custom_list(zone).zone
    except ValueError as exc:
        raise InputError(f"--dnsbl: {exc}") from None


def _domain_of(address: str, what: str) -> str:
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain or "." not in domain or any(c in address for c in " <>"):
        raise InputError(f"{what} {address!r} is not an email address (local@domain)")
    return domain.rstrip(".").lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagnoseRequest:
    """Everything a diagnosis may use; only ``sender`` is required.

    Attributes:
        sender: The From address whose mail is not arriving.
        recipients: Addresses it failed to reach.
        bounces: Bounce messages or SES notifications (files, mboxes, maildirs).
        reports: DMARC aggregate/failure and SMTP TLS reports (files, archives, mboxes, dirs).
        headers: A received message (or its headers) to analyse.
        logs: Mail or application logs.
        relay: The SMTP relay the client submits to.
        relay_user: The relay username (for SES: the access key id).
        relay_password: The relay password; never printed.
        relay_secret: The current IAM secret, to pinpoint why an SES password fails.
        provider: ``ses``; implied by an ``email-smtp.<region>.amazonaws.com`` relay.
        region: AWS region; implied by the relay host.
        profile: AWS profile name.
        endpoint_url: AWS endpoint override (moto in tests and the demo).
        sending_ip: The IP the mail left from (PTR, SPF verdict, blocklists).
        selectors: DKIM selectors to check.
        mail_from: The envelope sender domain, if it differs from the From domain.
        probe_mx: Connect to the recipients' MX hosts on port 25.
        mx_port: The port to probe MX hosts on (25; redirected networks and the demo differ).
        scan_regions: Regions searched for the SES identity; None: every SES region.
        client: A client preset (``gmail-send-as``) whose constraints the relay probe checks.
        helo: The sending host's EHLO name; with ``sending_ip`` its SPF record is evaluated.
        dnsbl: Extra DNS blocklist zones to ask (``--dnsbl``).
        skip: Adapter names not to run (each still reported as skipped).
        layer_timeout: Seconds one adapter may take in all; default ``12 * ctx.timeout``.
        postfix: The user's Postfix configuration directory, read by the postfix layer
            (:func:`with_postfix_relay` takes the relay and login from it).
    """

    sender: str
    recipients: tuple[str, ...] = ()
    bounces: tuple[Path, ...] = ()
    reports: tuple[Path, ...] = ()
    headers: Path | None = None
    logs: tuple[Path, ...] = ()
    relay: Relay | None = None
    relay_user: str | None = None
    relay_password: Secret | None = field(default=None, repr=False)
    relay_secret: Secret | None = field(default=None, repr=False)
    provider: str | None = None
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    sending_ip: str | None = None
    selectors: tuple[str, ...] = ()
    mail_from: str | None = None
    probe_mx: bool = True
    mx_port: int = 25
    scan_regions: tuple[str, ...] | None = None
    client: str | None = None
    helo: str | None = None
    dnsbl: tuple[str, ...] = ()
    skip: frozenset[str] = frozenset()
    layer_timeout: float | None = None
    postfix: Path | None = None

    def __post_init__(self) -> None:
        _domain_of(self.sender, "--from")
        for rcpt in self.recipients:
            _domain_of(rcpt, "--to")
        if self.sending_ip is not None:
            try:
                ipaddress.ip_address(self.sending_ip)
            except ValueError:
                raise InputError(f"--sending-ip {self.sending_ip!r} is not an IP address") from None
        if self.provider is not None:
            from .smtp.profiles import profile_named

            profile_named(self.provider)  # InputError for a name no relay profile has
        for zone in self.dnsbl:
            _zone_name(zone)

    @property
    def sender_domain(self) -> str:
        return _domain_of(self.sender, "--from")

    @property
    def recipient_domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_domain_of(r, "--to") for r in self.recipients))

    @property
    def effective_region(self) -> str | None:
        """The region asked for, else the one the relay host names."""
        return self.region or (self.relay.ses_region if self.relay else None)

    @property
    def effective_provider(self) -> str | None:
        """The provider asked for, else the one the relay host names (``ses``, ``sendgrid``...)."""
        if self.provider:
            return self.provider
        from .smtp.profiles import profile_for_host

        profile = profile_for_host(self.relay.host) if self.relay else None
        return profile.name if profile else None

    def describe(self) -> dict[str, Any]:
        """The request as report metadata: whether a password was given, no function of it."""
        from .smtp.profiles import shown_user  # a Postmark token is username and password

        return {
            "sender": self.sender,
            "recipients": list(self.recipients),
            "bounces": [str(p) for p in self.bounces],
            "reports": [str(p) for p in self.reports],
            "headers": str(self.headers) if self.headers else None,
            "logs": [str(p) for p in self.logs],
            "relay": str(self.relay) if self.relay else None,
            "relay_user": shown_user(self.relay_user, self.relay_password),
            "relay_password": "given" if self.relay_password else None,
            "provider": self.effective_provider,
            "region": self.effective_region,
            "profile": self.profile,
            "postfix": str(self.postfix) if self.postfix else None,
            "sending_ip": self.sending_ip,
            "selectors": list(self.selectors),
            "mail_from": self.mail_from,
            "client": self.client,
            "helo": self.helo,
            "relay_secret_given": self.relay_secret is not None,
        }


class LayerUnavailable(Exception):
    """An adapter cannot run: the message says why (shown as a skipped/error finding)."""

    def __init__(self, reason: str, *, status: Status = Status.SKIPPED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


AdapterRun = Callable[[DiagnoseRequest, Context], Awaitable[LayerResult[Any]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerAdapter:
    """One layer as diagnose sees it.

    Attributes:
        name: Short name (``dns``, ``relay``...), used by ``skip`` and in findings.
        layer: The layer its findings belong to.
        run: ``async (request, ctx) -> LayerResult``; may raise :class:`LayerUnavailable`.
        needs: ``(request) -> reason`` when the evidence does not allow it to run, else None.
        preload: Imports what ``run`` imports; called in a worker thread first, so that a
            slow import (boto3 takes a fifth of a second) does not stall the other layers.
    """

    name: str
    layer: Layer
    run: AdapterRun
    needs: Callable[[DiagnoseRequest], str | None] = lambda _request: None
    preload: Callable[[], None] = lambda: None


#: SES regions named in evidence: SES ARNs, the SMTP endpoint, the MAIL FROM feedback host,
#: and SES's own "failed the check in region US-EAST-1" text.
_REGION_IN_TEXT = re.compile(
    r"arn:aws:(?:ses|sns):([a-z]{2}(?:-[a-z]+)+-\d)|"
    r"email-smtp(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com|"
    r"feedback-smtp\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonses\.com|"
    r"in region ([A-Za-z]{2}(?:-[A-Za-z]+)+-\d)"
)
#: Bytes read from one evidence file to find regions (bounces and logs are small; a huge
#: mbox is not read whole for this).
_REGION_SCAN_BYTES = 256 * 1024


def evidence_regions(request: DiagnoseRequest) -> tuple[str, ...]:
    """The SES regions the bounces and logs name, most frequent first.

    An SES notification from us-west-2 says its account checks belong in us-west-2 (the
    suppression list is per region), whatever region is configured by default.
    """
    counts: dict[str, int] = {}
    for path in (*request.bounces, *request.logs):
        for region in _regions_in(path):
            counts[region] = counts.get(region, 0) + 1
    return tuple(sorted(counts, key=lambda r: -counts[r]))


def _regions_in(path: Path) -> list[str]:
    try:
        if path.is_dir():
            return []
        with path.open("rb") as handle:
            text = handle.read(_REGION_SCAN_BYTES).decode("utf-8", "replace")
    except OSError:
        return []
    return [next(g for g in m.groups() if g).lower() for m in _REGION_IN_TEXT.finditer(text)]
