"""Validation of the names and addresses a user gives the DNS checks.

Everything here is pure and raises :class:`~maildoctor.errors.InputError` with
one line a person can act on; the CLI turns that into exit code 2.
"""

from __future__ import annotations

import ipaddress
import re

import dns.exception
import dns.name

from ..errors import InputError

__all__ = ["is_subdomain_or_same", "parse_domain", "parse_ip", "parse_selector"]

#: RFC 1123 section 2.1 / RFC 5321 section 4.1.2: letters, digits and hyphens,
#: not starting or ending with a hyphen, 1 to 63 octets.
_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
#: DKIM selectors are sub-domains too (RFC 6376 section 3.1); underscores are
#: seen in the wild and accepted by DNS, so they are tolerated here.
_SELECTOR_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_MAX_NAME = 253


def parse_domain(text: str, *, what: str = "domain") -> str:
    """Validate a mail domain and return it in lower-case A-label form.

    Args:
        text: What the user typed (``Example.COM.``, ``bücher.example``).
        what: How to call it in the error message.

    Returns:
        The domain, lower case, IDNA-encoded, without the trailing dot.

    Raises:
        InputError: if the text is not a host name with at least two labels.
    """
    name = (text or "").strip()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    if not name:
        raise InputError(f"{what} is empty")
    if "@" in name:
        raise InputError(f"{what} {text!r} looks like an address; give only the part after '@'")
    if any(c.isspace() for c in name) or "/" in name or ":" in name:
        raise InputError(f"{what} {text!r} is not a domain name")
    if _is_ip(name):
        raise InputError(f"{what} {text!r} is an IP address, not a domain name")
    return _check_labels(_to_ascii(name, text, what), text, what)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _to_ascii(name: str, original: str, what: str) -> str:
    """IDNA-encode with dnspython, which also enforces label and name lengths."""
    try:
        encoded = dns.name.from_text(name).to_text(omit_final_dot=True)
    except (dns.exception.DNSException, UnicodeError, ValueError) as exc:
        raise InputError(f"{what} {original!r} is not a valid domain name ({exc})") from None
    return encoded.lower()


def _check_labels(name: str, original: str, what: str) -> str:
    labels = name.split(".")
    if len(name) > _MAX_NAME:
        raise InputError(f"{what} {original!r} is longer than {_MAX_NAME} characters")
    if len(labels) < 2:
        raise InputError(f"{what} {original!r} has a single label; give a full domain name")
    for label in labels:
        if not _LDH_LABEL.match(label):
            raise InputError(f"{what} {original!r} has an invalid label {label!r}")
    if labels[-1].isdigit():
        raise InputError(f"{what} {original!r} ends in a numeric label")
    return name


def parse_selector(text: str) -> str:
    """Validate a DKIM selector (RFC 6376 section 3.1: one or more labels).

    Raises:
        InputError: if the selector is empty or has a bad label.
    """
    selector = (text or "").strip().rstrip(".").lower()
    if not selector:
        raise InputError("DKIM selector is empty")
    if selector.endswith("._domainkey") or "._domainkey." in selector:
        raise InputError(f"give only the selector, not {text!r}")
    for label in selector.split("."):
        if not _SELECTOR_LABEL.match(label):
            raise InputError(f"DKIM selector {text!r} has an invalid label {label!r}")
    return selector


def parse_ip(text: str) -> str:
    """Validate an IPv4 or IPv6 address and return its canonical text.

    Raises:
        InputError: if the text is not an IP address.
    """
    try:
        return str(ipaddress.ip_address((text or "").strip().strip("[]")))
    except ValueError:
        raise InputError(f"{text!r} is not an IP address") from None


def is_subdomain_or_same(name: str, parent: str) -> bool:
    """True when ``name`` is ``parent`` or lies under it (label-wise, not by suffix text)."""
    return name == parent or name.endswith("." + parent)
