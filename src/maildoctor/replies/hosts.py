"""Which provider's server said a reply: host-name suffixes per provider.

One table for every surface (bounce, logs, probes, explain). Public names are
``ses``, ``microsoft``, ``google``, ``yahoo`` and the names of
:data:`maildoctor.replies.rhost.HOSTS` (Sisimai's ``rhost`` modules) for the rest.
"""

from __future__ import annotations

from functools import lru_cache

from ..provider.ses.endpoints import is_smtp_endpoint, mentions_smtp_endpoint
from .rhost import HOSTS

__all__ = ["PROVIDER_HOSTS", "is_ses_relay", "provider_for_host"]

#: Provider -> host-name suffixes of its servers (relays and inbound MX hosts).
PROVIDER_HOSTS: dict[str, tuple[str, ...]] = {
    "microsoft": ("outlook.com", "office365.com", "hotmail.com", "exchangelabs.com",
                  "onmicrosoft.com", "microsoft.com"),
    "google": ("gmail.com", "google.com", "googlemail.com"),
    "yahoo": ("yahoodns.net", "yahoo.com", "yahoo.co.jp", "aol.com"),
    # the sending services' relays (smtp/profiles.py)
    "sendgrid": ("sendgrid.net",),
    "mailgun": ("mailgun.org",),
    "postmark": ("postmarkapp.com",),
}  # fmt: skip

#: Sisimai rhost names -> the public provider name they belong to.
_RHOST_PUBLIC = {"gsuite": "google", "outlook": "microsoft", "yahooinc": "yahoo"}


def is_ses_relay(*texts: str) -> bool:
    """True when any text names SES's SMTP endpoint (``email-smtp.*.amazonaws.com``)."""
    return any(mentions_smtp_endpoint(t) for t in texts if t)


def provider_for_host(host: str) -> str:
    """The provider running ``host``, or "" (``ses``, ``microsoft``, ``google`` ...)."""
    host = host.strip().rstrip(".").lower()
    return _provider(host) if host else ""


@lru_cache(maxsize=2048)
def _provider(host: str) -> str:
    if is_smtp_endpoint(host):
        return "ses"
    for name, suffixes in PROVIDER_HOSTS.items():
        if any(host == s or host.endswith("." + s) for s in suffixes):
            return name
    for name, suffixes in HOSTS.items():
        if any(host.endswith(s) or host == s.lstrip(".") for s in suffixes):
            return _RHOST_PUBLIC.get(name, name)
    return ""
