"""Demo scenarios beyond Amazon SES: Microsoft 365 and a Postfix relayhost on SendGrid.

Each :class:`ServiceScenario` is a :class:`~maildoctor.demo.scenarios.Scenario` whose world
is a DNS zone, a loopback relay answering with the service's own texts
(:class:`~maildoctor.testing.relays.ProviderRelayServer`) and, for Postfix, the
configuration directory the user has. :func:`run_service` builds it, hands ``diagnose``
what the user would (the relay and its stored login; for Postfix, the relay and login read
from main.cf and the password map) and checks the root causes like the SES scenarios.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..context import Context
from ..diagnose import DiagnoseRequest, Relay, diagnose, with_postfix_relay
from ..dns.resolver import DnsResolver, Nameserver
from ..model import Status
from ..secrets import Secret
from ..smtp.profiles import profile_named
from ..testing import netguard
from ..testing.dnsserver import DnsServer
from ..testing.relays import ProviderRelayServer
from ..testing.smtpserver import TestPki
from . import zones
from .runner import DemoResult, found_causes
from .scenarios import SENDER, Scenario, World
from .zones import SENDER_DOMAIN, Zone

__all__ = ["SERVICE_SCENARIOS", "ServiceScenario", "run_service"]

#: Exchange Online's answer to SMTP AUTH when the tenant has it turned off.
M365_5_7_139 = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[AM0PR02CA0001.eurprd02.prod.outlook.com 2026-11-30T09:00:00.000Z 08DD0F0A0B0C0D0E]"
)
#: SendGrid's answer to a deleted API key.
SENDGRID_REVOKED = (
    "535 Authentication failed: The provided authorization grant is invalid, expired, or revoked"
)
#: The key the Postfix server still holds (made up; SendGrid revoked it).
REVOKED_KEY = "SG.mdDEMOrevokedKey0000A.mdDEMOrevokedSecretPart00000000000000000000000"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceScenario(Scenario):
    """A scenario whose relay is another service's.

    Attributes:
        provider: The relay profile (``microsoft365``, ``sendgrid``).
        auth_reply: What the relay answers to the stored login.
        user: The username the client holds.
        password: The password the client holds (made up; the demo never prints it).
        postfix: The client is the user's Postfix: main.cf and sasl_passwd are written to
            the work directory and the relay and login are read from them.
        events: What the replay shows, for people.
        selectors: The DKIM selectors the sender published (given to ``diagnose``).
    """

    provider: str
    auth_reply: str | None
    user: str
    password: str
    postfix: bool = False
    events: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()


def _m365_zone() -> Zone:
    """example.com on Microsoft 365: SPF for Exchange Online, DMARC p=reject."""
    return zones.merge(
        zones.sender_zone(spf="v=spf1 include:spf.protection.outlook.com -all", mail_from=None),
        zones.recipient_zone(),
        {
            "spf.protection.outlook.com": [{"TXT": "v=spf1 ip4:203.0.113.0/24 -all"}],
            "selector1._domainkey.example.com": [
                {"CNAME": "selector1-example-com._domainkey.example.onmicrosoft.com"}
            ],
            "selector1-example-com._domainkey.example.onmicrosoft.com": [
                {"TXT": f"v=DKIM1; k=rsa; p={zones.DKIM_KEY}"}
            ],
        },
        zones.loopback_hosts("smtp.office365.com"),
    )


def _sendgrid_zone() -> Zone:
    """example.com sending through SendGrid: SPF include and DKIM CNAMEs to SendGrid."""
    return zones.merge(
        zones.sender_zone(spf="v=spf1 include:sendgrid.net -all", mail_from=None),
        zones.recipient_zone(),
        {
            "sendgrid.net": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}],
            "s1._domainkey.example.com": [{"CNAME": "s1.domainkey.u1234.wl.sendgrid.net"}],
            "s1.domainkey.u1234.wl.sendgrid.net": [{"TXT": f"v=DKIM1; k=rsa; p={zones.DKIM_KEY}"}],
        },
        zones.loopback_hosts("smtp.sendgrid.net"),
    )


M365_SEND_AS = ServiceScenario(
    name="m365-smtp-auth-disabled",
    title="a Gmail 'Send mail as' alias on Microsoft 365 whose tenant turned SMTP AUTH off",
    story=(
        "admin@example.com's mailbox is in Microsoft 365; Gmail's 'Send mail as' alias sends "
        "as that address through smtp.office365.com:587 with the mailbox's password. The "
        "tenant's admin turned SMTP AUTH off (SmtpClientAuthenticationDisabled), so Exchange "
        "Online answers 535 5.7.139 and Gmail reports the alias as misconfigured. "
        "The password is right; SPF, DMARC and the recipients are fine."
    ),
    world=World(zone=_m365_zone, identities=(), messages=()),
    expected=frozenset({"client.smtp_auth.disabled_for_tenant"}),
    provider="microsoft365",
    auth_reply=M365_5_7_139,
    user=SENDER,
    password="correct horse battery staple",
    selectors=("selector1",),
    events=(
        "Gmail's alias connects to smtp.office365.com (loopback), STARTTLS, AUTH LOGIN as "
        f"{SENDER}; Exchange Online answers: {M365_5_7_139}",
    ),
)

POSTFIX_SENDGRID = ServiceScenario(
    name="postfix-sendgrid-revoked",
    title="a Postfix relayhost on SendGrid whose API key was revoked",
    story=(
        "The company's Postfix relays through [smtp.sendgrid.net]:587 with username apikey and "
        "an API key in /etc/postfix/sasl_passwd. Someone cleaned up API keys in SendGrid and "
        "deleted that one: every delivery is deferred with 535 'The provided authorization "
        "grant is invalid, expired, or revoked'. TLS, SASL settings and the key's shape are "
        "all right - only a new key fixes it."
    ),
    world=World(zone=_sendgrid_zone, identities=(), messages=()),
    expected=frozenset({"client.smtp_auth.sendgrid_api_key_revoked"}),
    provider="sendgrid",
    auth_reply=SENDGRID_REVOKED,
    user="apikey",
    password=REVOKED_KEY,
    postfix=True,
    selectors=("s1",),
    events=(
        "Postfix (main.cf: relayhost = [smtp.sendgrid.net]:587, smtp_tls_security_level = "
        "encrypt, smtp_sasl_auth_enable = yes) logs in with the key in sasl_passwd; SendGrid "
        f"(loopback) answers: {SENDGRID_REVOKED}",
    ),
)

SERVICE_SCENARIOS: dict[str, ServiceScenario] = {
    s.name: s for s in (M365_SEND_AS, POSTFIX_SENDGRID)
}


def _write_postfix(scenario: ServiceScenario, host: str, port: int, directory: Path) -> Path:
    """The user's /etc/postfix: main.cf and the password map, relaying to ``host``.

    The port is the loopback relay's (the only difference from a real set-up, on 587).
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.cf").write_text(
        f"myhostname = mail.{SENDER_DOMAIN}\n"
        f"relayhost = [{host}]:{port}\n"
        "smtp_sasl_auth_enable = yes\n"
        "smtp_sasl_security_options = noanonymous\n"
        "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n"
        "smtp_tls_security_level = encrypt\n"
    )
    entry = f"[{host}]:{port} {scenario.user}:{scenario.password}\n"
    (directory / "sasl_passwd").write_text(entry)
    return directory


def _request(
    scenario: ServiceScenario, relay: ProviderRelayServer, workdir: Path
) -> DiagnoseRequest:
    host = profile_named(scenario.provider).hosts[0]
    if scenario.postfix:  # what `maildoctor diagnose --postfix DIR` does
        directory = _write_postfix(scenario, host, relay.port, workdir / "postfix")
        request = DiagnoseRequest(sender=SENDER, postfix=directory, selectors=scenario.selectors)
        return with_postfix_relay(request)
    # the demo's relay listens on a free port, not 587: the port is the only thing changed
    return DiagnoseRequest(
        sender=SENDER,
        relay=Relay(host=host, port=relay.port),
        relay_user=scenario.user,
        relay_password=Secret(scenario.password),
        selectors=scenario.selectors,
    )


@contextmanager
def _world(scenario: ServiceScenario) -> Iterator[tuple[ProviderRelayServer, Context]]:
    pki = TestPki()
    with (
        DnsServer(scenario.world.zone()) as dns,
        ProviderRelayServer(scenario.provider, pki=pki, auth_reply=scenario.auth_reply) as relay,
    ):
        resolver = DnsResolver([Nameserver("127.0.0.1", dns.port)], timeout=2.0, retries=0)
        yield relay, Context(resolver=resolver, timeout=2.0, ca_file=pki.ca_file)


async def run_service(scenario: ServiceScenario, *, workdir: Path | None = None) -> DemoResult:
    """Build a service scenario on loopback, diagnose it and compare.

    Args:
        scenario: The scenario.
        workdir: Where to write the user's files (Postfix configuration); None: temporary.

    Returns:
        The result, compared with the scenario's expected causes.
    """
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="maildoctor-demo-") as tmp:
            return await run_service(scenario, workdir=Path(tmp))
    guarded = len(netguard.violations)
    start = time.perf_counter()
    with _world(scenario) as (relay, ctx):
        built = time.perf_counter()
        report = await diagnose(_request(scenario, relay, workdir), ctx=ctx)
        done = time.perf_counter()
    layers = report.meta.get("layers", {})
    errors = tuple(
        f"{n}: {i.get('reason', '')}" for n, i in layers.items() if i.get("state") == "error"
    )
    return DemoResult(
        scenario=scenario,
        report=report,
        found=found_causes(report),
        advisories=found_causes(report, Status.WARN),
        errors=errors,
        escaped=tuple(netguard.violations[guarded:]),
        events=scenario.events,
        timings={"world_s": built - start, "replay_s": 0.0, "diagnose_s": done - built},
    )
