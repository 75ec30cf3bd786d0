"""Zone data for the demo scenarios (RFC 7208 suite ``zonedata`` format).

The sender is ``example.com`` sending through Amazon SES in us-east-1 with Easy
DKIM and a custom MAIL FROM ``mail.example.com``; the recipient is ``example.net``.
Vendor names (``amazonses.com``) appear because maildoctor must recognise them;
every address is from the documentation ranges, so ``198.51.100.0/24`` stands in
for SES's sending ranges.
"""

from __future__ import annotations

import copy
from typing import Any

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
SES_SENDING_IP = "198.51.100.25"
REGION = "us-east-1"


def base_zone() -> dict[str, list[Any]]:
    """A correct SES setup for example.com: what the healthy scenario serves."""
    zone: dict[str, list[Any]] = {
        "example.com": [
            {"TXT": "v=spf1 include:amazonses.com ~all"},
            {"MX": [10, "mx.example.com"]},
            {"A": "192.0.2.10"},
        ],
        "mx.example.com": [{"A": "192.0.2.25"}, {"AAAA": "2001:db8::25"}],
        "_dmarc.example.com": [
            {"TXT": "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r"}
        ],
        MAIL_FROM_DOMAIN: [
            {"MX": [10, f"feedback-smtp.{REGION}.amazonses.com"]},
            {"TXT": "v=spf1 include:amazonses.com ~all"},
        ],
        f"feedback-smtp.{REGION}.amazonses.com": [{"A": "198.51.100.60"}],
        "amazonses.com": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}],
        "25.100.51.198.in-addr.arpa": [{"PTR": "a25.smtp-out.amazonses.com"}],
        "a25.smtp-out.amazonses.com": [{"A": SES_SENDING_IP}],
        # The recipient: an Exchange Online-like tenant.
        "example.net": [{"MX": [0, "example-net.mail.protection.outlook.com"]}],
        "example-net.mail.protection.outlook.com": [{"A": "203.0.113.25"}],
    }
    for token in DKIM_TOKENS:
        zone[f"{token}._domainkey.example.com"] = [{"CNAME": f"{token}.dkim.amazonses.com"}]
        zone[f"{token}.dkim.amazonses.com"] = [{"TXT": f"p={DKIM_KEY}"}]
    return zone


def incident_zone() -> dict[str, list[Any]]:
    """The reference incident's DNS: ``p=none`` DMARC, everything else published."""
    zone = base_zone()
    zone["_dmarc.example.com"] = [{"TXT": "v=DMARC1; p=none; rua=mailto:dmarc@example.com"}]
    return zone


def spf_over_limit_zone() -> dict[str, list[Any]]:
    """An SPF record whose include tree needs more than 10 DNS lookups (RFC 7208 4.6.4)."""
    zone = base_zone()
    includes = " ".join(f"include:_spf{i}.example.com" for i in range(1, 7))
    zone["example.com"][0] = {"TXT": f"v=spf1 include:amazonses.com {includes} ~all"}
    for i in range(1, 7):
        zone[f"_spf{i}.example.com"] = [{"TXT": f"v=spf1 a:host{i}.example.com mx ~all"}]
        zone[f"host{i}.example.com"] = [{"A": f"192.0.2.{100 + i}"}]
    return zone


def dkim_cname_missing_zone() -> dict[str, list[Any]]:
    """One of the three Easy DKIM CNAMEs was never published."""
    zone = base_zone()
    del zone[f"{DKIM_TOKENS[1]}._domainkey.example.com"]
    return zone


def clone(zone: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return copy.deepcopy(zone)
