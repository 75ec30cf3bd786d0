"""DNS for the demo's world (RFC 7208 suite ``zonedata`` format, served by ``DnsServer``).

Three parties publish records:

* the sender, ``example.com``, sending through Amazon SES in us-east-1: SPF with
  ``include:amazonses.com``, DMARC, three Easy DKIM CNAMEs, and a custom MAIL FROM
  subdomain ``mail.example.com`` (MX to SES's feedback host and its own SPF);
* the recipients: ``example.net``, whose MX is an Exchange Online-like host, and
  ``example.org``, a partner whose own server accepts what a ``p=none`` policy lets through;
* the vendor, ``amazonses.com``: the SPF record SES's include points at, the DKIM keys
  the Easy DKIM CNAMEs lead to, the MAIL FROM feedback host, the PTR of a sending IP and
  (added at run time, :func:`ses_signing_zone`) the key SES signs ``d=amazonses.com`` with.

Vendor names (``amazonses.com``, ``*.mail.protection.outlook.com``,
``email-smtp.<region>.amazonaws.com``) appear only because maildoctor must recognise
them; every address is from the documentation ranges (``198.51.100.0/24`` stands in for
SES's sending ranges). The hosts the demo actually runs (the SES-like relay and the
recipients' MX hosts) are pointed at 127.0.0.1 by :func:`loopback_hosts`, added on top of
these zones at run time, so the zone functions describe the world as it would be.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

__all__ = [
    "DKIM_KEY",
    "DKIM_TOKENS",
    "MAIL_FROM_DOMAIN",
    "PARTNER_DOMAIN",
    "PARTNER_MX",
    "RECIPIENT_DOMAIN",
    "RECIPIENT_MX",
    "REGION",
    "SENDER_DOMAIN",
    "SES_DKIM_SELECTOR",
    "SES_SENDING_IP",
    "Zone",
    "base_zone",
    "clone",
    "dkim_cname_missing_zone",
    "incident_zone",
    "loopback_hosts",
    "merge",
    "recipient_zone",
    "relay_host",
    "sender_zone",
    "ses_signing_zone",
    "spf_over_limit_zone",
    "vendor_zone",
]

Zone = dict[str, list[Any]]

#: A 2048-bit RSA public key (SubjectPublicKeyInfo, base64) for the DKIM records.
DKIM_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvsYJoOPE6Eq2HbIH9PcMP2c9D/i8O5PaOjbdw/d47mqDKBW8"
    "sMpaAOcTkNbGth0g4M3o/ewuDYIpjYqTUWnwxEomz6+PUhIhEUiZA4CeQGvicGNujA16I18Xp/7no6Y6ycX1MNHH534i"
    "W8fFhcD5xWGsKBWUa1AakAdyu4jSAmqY/ENko/9lCDxH+xF6LfjAkoeSuN6TzI/PNd84kYyyhIflTwoz2GbfQKmfDGtK"
    "1q2TCRd80PfcrdpGE1uSjwTTdFbDQRO0Oo+2wLmPMLqXWiMEJeCfEJpykzyQwYnqdRTQbSwSFhhg5Lq6doEgjm9RyiAL"
    "LQCkX7p2d1QZjjrYkQIDAQAB"
)

#: The three Easy DKIM tokens SES gave the domain identity.
DKIM_TOKENS = (
    "4fq2jzdh6nbqckd6mkvcjbtqfwpqcz7v",
    "x3vhbtrqgk2mfi3e5ldnfowpvqtfhm6w",
    "qz5tjyd7rkvb3ujhcfqyexdgwzjap2nm",
)

SENDER_DOMAIN = "example.com"
MAIL_FROM_DOMAIN = "mail.example.com"
RECIPIENT_DOMAIN = "example.net"
#: An Exchange Online tenant's MX host: maildoctor recognises the suffix.
RECIPIENT_MX = "example-net.mail.protection.outlook.com"
PARTNER_DOMAIN = "example.org"
PARTNER_MX = "mx.example.org"
#: The selector SES signs its own ``d=amazonses.com`` signature with (key made at run time).
SES_DKIM_SELECTOR = "6gbrjpgwjskckoa6a5zn6fwqkn67xbtw"
SES_SENDING_IP = "198.51.100.25"
REGION = "us-east-1"

DMARC_REJECT = "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r"
#: The reference incident's record: monitoring only.
DMARC_NONE = "v=DMARC1; p=none; rua=mailto:dmarc@example.com"


def relay_host(region: str = REGION) -> str:
    """The SES SMTP endpoint of a region."""
    return f"email-smtp.{region}.amazonaws.com"


def merge(*zones: Zone) -> Zone:
    """One zone from several; a later zone's names replace an earlier one's."""
    out: Zone = {}
    for zone in zones:
        out.update(copy.deepcopy(zone))
    return out


def sender_zone(
    *,
    dmarc: str | None = DMARC_REJECT,
    spf: str = "v=spf1 include:amazonses.com ~all",
    dkim_tokens: Iterable[str] = DKIM_TOKENS,
    omit_dkim: Iterable[int] = (),
    mail_from: str | None = MAIL_FROM_DOMAIN,
    region: str = REGION,
) -> Zone:
    """``example.com``: SPF, MX, DMARC, Easy DKIM CNAMEs and a custom MAIL FROM subdomain.

    Args:
        dmarc: The DMARC record, or None for none.
        spf: The apex SPF record.
        dkim_tokens: Easy DKIM tokens whose CNAMEs are published.
        omit_dkim: Indexes of tokens whose CNAME is *not* published.
        mail_from: Custom MAIL FROM subdomain to publish MX and SPF for, or None.
        region: SES region of the MAIL FROM feedback MX.
    """
    zone: Zone = {
        SENDER_DOMAIN: [{"TXT": spf}, {"MX": [10, "mx.example.com"]}, {"A": "192.0.2.10"}],
        "mx.example.com": [{"A": "192.0.2.25"}, {"AAAA": "2001:db8::25"}],
    }
    if dmarc is not None:
        zone["_dmarc.example.com"] = [{"TXT": dmarc}]
    if mail_from is not None:
        zone[mail_from] = [
            {"MX": [10, f"feedback-smtp.{region}.amazonses.com"]},
            {"TXT": "v=spf1 include:amazonses.com ~all"},
        ]
    skip = set(omit_dkim)
    for i, token in enumerate(dkim_tokens):
        if i not in skip:
            zone[f"{token}._domainkey.{SENDER_DOMAIN}"] = [{"CNAME": f"{token}.dkim.amazonses.com"}]
    return zone


def recipient_zone() -> Zone:
    """``example.net``, an Exchange Online-like tenant, and ``example.org``, a partner."""
    return {
        RECIPIENT_DOMAIN: [{"MX": [0, RECIPIENT_MX]}],
        RECIPIENT_MX: [{"A": "203.0.113.25"}],
        PARTNER_DOMAIN: [{"MX": [10, PARTNER_MX]}],
        PARTNER_MX: [{"A": "203.0.113.26"}],
    }


def vendor_zone(*, dkim_tokens: Iterable[str] = DKIM_TOKENS, region: str = REGION) -> Zone:
    """What ``amazonses.com`` publishes that the sender's records lead to."""
    zone: Zone = {
        "amazonses.com": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}],
        f"feedback-smtp.{region}.amazonses.com": [{"A": "198.51.100.60"}],
        "25.100.51.198.in-addr.arpa": [{"PTR": "a25.smtp-out.amazonses.com"}],
        "a25.smtp-out.amazonses.com": [{"A": SES_SENDING_IP}],
    }
    for token in dkim_tokens:
        zone[f"{token}.dkim.amazonses.com"] = [{"TXT": f"p={DKIM_KEY}"}]
    return zone


def ses_signing_zone(public_key: str) -> Zone:
    """The key SES's own ``d=amazonses.com`` signatures verify with (base64 SPKI)."""
    name = f"{SES_DKIM_SELECTOR}._domainkey.amazonses.com"
    return {name: [{"TXT": f"v=DKIM1; k=rsa; p={public_key}"}]}


def loopback_hosts(*names: str) -> Zone:
    """A records sending the named hosts to 127.0.0.1, where the demo runs them."""
    return {name: [{"A": "127.0.0.1"}] for name in names}


def base_zone() -> Zone:
    """A correct SES setup for example.com: what the healthy scenario serves."""
    return merge(sender_zone(), recipient_zone(), vendor_zone())


def incident_zone() -> Zone:
    """The reference incident's DNS: ``p=none`` DMARC, everything else published.

    The three Easy DKIM CNAMEs are there (the write-up checked them), which is exactly
    why DNS alone cannot explain the incident: SES signs with them only for a *domain*
    identity verified in the sending region, and the incident had none.
    """
    return merge(sender_zone(dmarc=DMARC_NONE), recipient_zone(), vendor_zone())


def spf_over_limit_zone() -> Zone:
    """An SPF record whose include tree needs more than 10 DNS lookups (RFC 7208 4.6.4)."""
    includes = " ".join(f"include:_spf{i}.example.com" for i in range(1, 7))
    zone = merge(
        sender_zone(spf=f"v=spf1 include:amazonses.com {includes} ~all"),
        recipient_zone(),
        vendor_zone(),
    )
    for i in range(1, 7):
        zone[f"_spf{i}.example.com"] = [{"TXT": f"v=spf1 a:host{i}.example.com ~all"}]
        zone[f"host{i}.example.com"] = [{"A": f"192.0.2.{100 + i}"}]
    return zone


def dkim_cname_missing_zone() -> Zone:
    """The second of the three Easy DKIM CNAMEs was never published."""
    return merge(sender_zone(omit_dkim=(1,)), recipient_zone(), vendor_zone())


#: Spamhaus ZEN's answer for SES's sending IP in the blocklisted-ip scenario: CSS, the
#: automated snowshoe listing shared sending IPs get (Spamhaus zones page, return codes).
ZEN_CSS = "127.0.0.3"


def blocklisted_ip_zone() -> Zone:
    """The healthy setup, plus a Spamhaus ZEN listing (CSS) of SES's sending IP."""
    from ..testing.dnsserver import dnsbl_zone

    listing = dnsbl_zone(
        "zen.spamhaus.org",
        {SES_SENDING_IP: [ZEN_CSS]},
        reasons={SES_SENDING_IP: f"https://check.spamhaus.org/listed/?searchterm={SES_SENDING_IP}"},
    )
    return merge(base_zone(), listing)


def clone(zone: Zone) -> Zone:
    return copy.deepcopy(zone)
