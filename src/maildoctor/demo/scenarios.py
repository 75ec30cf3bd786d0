"""Demo scenarios: the world each one sets up on loopback, and the causes it must produce.

A :class:`World` is data: the DNS zones, the SES identities (and where), which key the
Gmail alias's stored SMTP password was derived from, the suppression list, what the
recipient's Exchange Online-like MX answers SES, and the messages that were sent. The
stage (:mod:`maildoctor.demo.stage`) builds it and replays the messages, which produces
the user's evidence; the runner diagnoses it.

Expectations are exact, and of two kinds:

* ``expected``: the ids of the root causes with severity ``fail`` - the independent
  reasons mail is not delivered;
* ``advisories``: the ids of the root causes with severity ``warn`` - things to fix
  that do not stop delivery by themselves (``dns.dmarc.policy_none``). They are part of
  the self-check too: an advisory appearing or vanishing is a change in the diagnosis.
* ``defects``: the ids of the defects found on the way that did not stop this mail (an
  apex SPF record off SES mail's path), listed after the causes, never exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from . import zones
from .zones import MAIL_FROM_DOMAIN, REGION, SENDER_DOMAIN, Zone

__all__ = [
    "DEFAULT",
    "BLOCKED_USING_ZEN",
    "EXO_5_7_509",
    "EXO_5_7_515",
    "SCENARIOS",
    "SENDER",
    "Identity",
    "Message",
    "Scenario",
    "World",
    "get",
]

SENDER = f"admin@{SENDER_DOMAIN}"
ALICE, BOB, CAROL = "alice@example.net", "bob@example.net", "carol@example.net"
DAVE = "dave@example.org"

#: Exchange Online's front end. The incident's DMARC policy is p=none, and Exchange Online
#: bounces for DMARC (5.7.509) only under p=reject (REFERENCE.md section 5), so the incident
#: uses Microsoft's other authentication rejection: 5.7.515, given to senders that do not
#: pass SPF, DKIM and DMARC *with alignment* whatever their policy (Microsoft's requirements
#: for high-volume senders). The Spf=/Dkim= results are passes - for amazonses.com, the
#: domain SES signs and bounces with for an email-address identity - and DMARC fails.
_EOP = "[BN8NAM12FT061.eop-nam12.prod.protection.outlook.com]"
EXO_5_7_515 = (
    "550 5.7.515 Access denied, sending domain example.com doesn't meet the required "
    "authentication level. The sender's domain in the 5322.From address doesn't meet the "
    "authentication requirements defined for the sender. Spf=Pass, Dkim=Pass, DMARC=Fail " + _EOP
)
#: Under p=reject, a DMARC failure is bounced with 5.7.509.
EXO_5_7_509 = (
    "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification "
    "and has a DMARC policy of reject. " + _EOP
)


#: A Postfix-style refusal naming the DNS blocklist it consulted (RFC 5782 usage).
BLOCKED_USING_ZEN = (
    f"554 5.7.1 Service unavailable; Client host [{zones.SES_SENDING_IP}] blocked using "
    f"zen.spamhaus.org; https://www.spamhaus.org/query/ip/{zones.SES_SENDING_IP}"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """An SES identity: an address or a domain, verified in one region."""

    name: str
    region: str = REGION
    mail_from: str | None = None  # custom MAIL FROM domain configured on it


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A message the sender sent.

    ``via``: ``gmail`` - Gmail's "Send mail as" alias, submitting to the SES SMTP relay with
    the password stored in Gmail; ``server`` - the company's Postfix, relaying through the
    same SES SMTP endpoint with its own (current) credentials, and logging each delivery.
    ``asked_about``: the sender names this recipient to maildoctor (``--to``); False for a
    message that arrived and serves only as evidence.
    """

    to: str
    via: Literal["gmail", "server"]
    subject: str
    asked_about: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class World:
    """What the demo sets up on loopback for one scenario.

    Attributes:
        zone: Builds the DNS zones served (sender, recipient, vendor).
        identities: SES identities, each verified in its region.
        messages: What was sent, in order.
        gmail_key: ``current``: the alias's password is derived from the IAM user's current
            key; ``rotated``: from the previous key, deleted when it was rotated.
        suppressed: Addresses on the account-level suppression list of ``region``.
        rejection: What the recipient's MX answers SES at RCPT TO (None: it accepts).
        region: The region of the SES SMTP endpoint the clients use.
        headers_from: A recipient whose copy arrived and whose headers the sender has; its
            server records the verdicts of the incident's mail (DKIM and SPF pass for
            amazonses.com, DMARC fails at p=none), which the message layer re-checks.
    """

    zone: Callable[[], Zone]
    identities: tuple[Identity, ...]
    messages: tuple[Message, ...]
    gmail_key: Literal["current", "rotated"] = "current"
    suppressed: tuple[str, ...] = ()
    rejection: str | None = None
    region: str = REGION
    headers_from: str | None = None

    @property
    def recipients(self) -> tuple[str, ...]:
        """The recipients the sender asks maildoctor about (``--to``)."""
        return tuple(dict.fromkeys(m.to for m in self.messages if m.asked_about))


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One replayable situation.

    Attributes:
        name: What ``--scenario`` takes.
        title: One line for ``--list``.
        story: What happened, for people (printed before the report).
        world: What is set up and replayed.
        expected: Exact ids of the root causes with severity fail.
        advisories: Exact ids of the root causes with severity warn.
        defects: Exact ids of the defects that did not stop this mail.
    """

    name: str
    title: str
    story: str
    world: World
    expected: frozenset[str]
    advisories: frozenset[str] = frozenset()
    defects: frozenset[str] = frozenset()


_DOMAIN_IDENTITY = (Identity(name=SENDER_DOMAIN, mail_from=MAIL_FROM_DOMAIN),)
_DELIVERED = (
    Message(to=ALICE, via="gmail", subject="Meeting notes"),
    Message(to=BOB, via="server", subject="Invoice 1044"),
)


def _wrong_region_zone() -> Zone:
    """The sender's DNS as set up for us-west-2 (MAIL FROM MX to that region's host)."""
    region = "us-west-2"
    return zones.merge(
        zones.sender_zone(region=region),
        zones.recipient_zone(),
        zones.vendor_zone(region=region),
    )


def _dkim_cname_missing_zone() -> Zone:
    """One Easy DKIM CNAME missing, and SES's default MAIL FROM (no subdomain records)."""
    return zones.merge(
        zones.sender_zone(omit_dkim=(1,), mail_from=None),
        zones.recipient_zone(),
        zones.vendor_zone(),
    )


INCIDENT = Scenario(
    name="incident",
    title="the reference incident: a stale SES SMTP password and a DMARC rejection at once",
    story=(
        "admin@example.com sends through Amazon SES in us-east-1. Three messages never "
        "arrived. The first went out through Gmail's 'Send mail as' alias, whose stored SES "
        "SMTP password was derived from an IAM key that has since been rotated and deleted: "
        "the relay answers 535 and Gmail calls the alias 'misconfigured or out of date'. The "
        "other two went through the company's mail server, which has the new key: SES "
        "accepted them, but only admin@example.com is verified in SES (an email-address "
        "identity, no domain identity), so SES signed them d=amazonses.com with its default "
        "MAIL FROM, DMARC failed alignment, and the recipients' Exchange Online refused them "
        "with 5.7.515 (the domain's DMARC policy is p=none). A fourth message, to a partner "
        "whose server lets p=none failures through, arrived: its headers show the "
        "d=amazonses.com signature. The Easy DKIM CNAMEs, SPF and a custom MAIL FROM "
        "subdomain are all published in DNS - which is why the write-up that checked them "
        "missed the second cause."
    ),
    world=World(
        zone=zones.incident_zone,
        identities=(Identity(name=SENDER),),
        messages=(
            Message(to=CAROL, via="gmail", subject="Quarterly report"),
            Message(to=ALICE, via="server", subject="Invoice 1042"),
            Message(to=BOB, via="server", subject="Invoice 1043"),
            Message(to=DAVE, via="server", subject="Invoice 1041", asked_about=False),
        ),
        gmail_key="rotated",
        rejection=EXO_5_7_515,
        headers_from=DAVE,
    ),
    expected=frozenset({"client.smtp_auth.stale_ses_password", "provider.ses.email_identity_only"}),
    advisories=frozenset({"dns.dmarc.policy_none"}),
)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        INCIDENT,
        Scenario(
            name="healthy",
            title="a correct SES setup: domain identity, Easy DKIM, MAIL FROM, p=reject",
            story=(
                "example.com is a verified SES domain identity in us-east-1 with Easy DKIM and "
                "a custom MAIL FROM subdomain, all published; DMARC is p=reject; Gmail's alias "
                "holds a password derived from the current key. Everything is delivered."
            ),
            world=World(zone=zones.base_zone, identities=_DOMAIN_IDENTITY, messages=_DELIVERED),
            expected=frozenset(),
        ),
        Scenario(
            name="recipient-suppressed",
            title="a recipient on the SES account-level suppression list",
            story=(
                "The healthy setup, but bob@example.net once hard-bounced and is on the "
                "account's suppression list in us-east-1: SES drops every message to him "
                "without trying, and says so only in a bounce notification."
            ),
            world=World(
                zone=zones.base_zone,
                identities=_DOMAIN_IDENTITY,
                messages=_DELIVERED,
                suppressed=(BOB,),
            ),
            expected=frozenset({"provider.ses.recipient_suppressed"}),
        ),
        Scenario(
            name="spf-lookup-limit",
            title="an SPF include tree that needs more than 10 DNS lookups",
            story=(
                "The healthy setup, but the apex SPF record includes six more providers; "
                "evaluating it takes more than RFC 7208's 10 DNS lookups, so it is a permerror "
                "for every receiver. SES mail is unaffected (its SPF is checked on the MAIL "
                "FROM subdomain) but any mail sent with the apex as envelope sender fails SPF: "
                "a defect worth fixing, not the cause of a failure of this mail."
            ),
            world=World(
                zone=zones.spf_over_limit_zone, identities=_DOMAIN_IDENTITY, messages=_DELIVERED
            ),
            expected=frozenset(),
            defects=frozenset({"dns.spf.lookup_limit"}),
        ),
        Scenario(
            name="wrong-region",
            title="the identity is verified in us-west-2, mail is sent through us-east-1",
            story=(
                "example.com was verified (with Easy DKIM and MAIL FROM) in us-west-2, but the "
                "mail server relays through email-smtp.us-east-1.amazonaws.com. Identities are "
                "per region: SES in us-east-1 rejects the message at DATA with 554 'Email "
                "address is not verified'."
            ),
            world=World(
                zone=_wrong_region_zone,
                identities=(
                    Identity(name=SENDER_DOMAIN, region="us-west-2", mail_from=MAIL_FROM_DOMAIN),
                ),
                messages=(Message(to=ALICE, via="server", subject="Invoice 1045"),),
            ),
            expected=frozenset({"provider.ses.identity_wrong_region"}),
        ),
        Scenario(
            name="dkim-cname-missing",
            title="one of the three Easy DKIM CNAMEs is not published",
            story=(
                "example.com is a domain identity in us-east-1, but one of its three Easy DKIM "
                "CNAMEs was never published, so SES cannot sign with the domain; with SES's "
                "default MAIL FROM, SPF does not align either, DMARC fails and, under "
                "p=reject, Exchange Online bounces the message with 5.7.509."
            ),
            world=World(
                zone=_dkim_cname_missing_zone,
                identities=(Identity(name=SENDER_DOMAIN),),
                messages=(Message(to=ALICE, via="gmail", subject="Meeting notes"),),
                rejection=EXO_5_7_509,
            ),
            expected=frozenset({"provider.ses.dkim_cname_missing"}),
        ),
        Scenario(
            name="blocklisted-ip",
            title="the SES IP that sent the mail is on Spamhaus ZEN; the recipient refuses it",
            story=(
                "The healthy setup, but the shared SES address the message left from "
                f"({zones.SES_SENDING_IP}) is listed on Spamhaus ZEN (CSS, return code "
                "127.0.0.3), and the recipient's server consults ZEN: it refuses the "
                "delivery with '554 5.7.1 ... blocked using zen.spamhaus.org', and SES "
                "bounces the message. maildoctor finds the address in the bounce, looks it "
                "up on the blocklists and names the listing, with Spamhaus's removal path."
            ),
            world=World(
                zone=zones.blocklisted_ip_zone,
                identities=_DOMAIN_IDENTITY,
                messages=(Message(to=ALICE, via="server", subject="Invoice 1046"),),
                rejection=BLOCKED_USING_ZEN,
            ),
            expected=frozenset({"dns.blocklist.ip_listed"}),
        ),
    )
}

DEFAULT = INCIDENT.name


def get(name: str) -> Scenario:
    """Look up a scenario by name.

    Raises:
        KeyError: with the list of known names.
    """
    try:
        return SCENARIOS[name]
    except KeyError:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}") from None
