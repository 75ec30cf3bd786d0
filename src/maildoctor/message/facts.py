"""What one message's header section says, gathered once for every check.

Pure functions over a :class:`~maildoctor.message.headers.ParsedMessage`: the
From and MAIL FROM domains, the Received chain, the Authentication-Results the
*receiver* wrote, and the connecting IP with where it was read from.

Which Authentication-Results to trust (RFC 8601 section 5): only the receiver's
own. Without configuration we take the topmost field's authserv-id as the
receiver (the last host to add one is the final receiver) and every field with
that authserv-id; fields further down may have been written by anyone.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from .alignment import org_domain
from .auth_results import AuthResult, AuthResultsHeader, parse_authentication_results
from .headers import ParsedMessage, address_domain
from .received import Hop, build_chain, first_external_hop

__all__ = ["MessageFacts", "gather_facts"]

_IP_IN_TEXT = re.compile(
    r"(?:sender IP is|designates|client-ip=|smtp\.remote-ip=)\s*\[?([0-9A-Fa-f:.]+)\]?", re.I
)


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageFacts:
    """The facts every message check starts from.

    Attributes:
        from_domain: RFC5322.From domain (None if absent or several addresses).
        from_count: Number of From fields (RFC 5322 section 3.6 allows one).
        mail_from: RFC5321.MailFrom address ("" for the null reverse-path).
        mail_from_source: Where ``mail_from`` was read.
        chain: Received hops, oldest first.
        boundary: The first hop outside the sender's infrastructure.
        connecting_ip: The IP SPF applies to, and ``ip_source`` where it came from.
        helo: The HELO name of the connecting client.
        receiver: The trusted Authentication-Results fields.
        others: Every other Authentication-Results field.
    """

    from_domain: str | None
    from_count: int
    mail_from: str | None
    mail_from_source: str
    chain: tuple[Hop, ...]
    boundary: Hop | None
    connecting_ip: str
    ip_source: str
    helo: str
    receiver: tuple[AuthResultsHeader, ...]
    others: tuple[AuthResultsHeader, ...]

    @property
    def mail_from_domain(self) -> str:
        if self.mail_from and "@" in self.mail_from:
            return self.mail_from.rsplit("@", 1)[1].lower()
        return self.helo.lower()

    def receiver_results(self, method: str) -> tuple[AuthResult, ...]:
        return tuple(r for h in self.receiver for r in h.methods(method))


def gather_facts(parsed: ParsedMessage) -> MessageFacts:
    """Read the facts from a parsed header section; never raises."""
    from_domain = address_domain(parsed.get("from"))
    all_ar = tuple(
        parse_authentication_results(f.value, header_index=f.index)
        for f in parsed.get_all("authentication-results")
    )
    receiver, others = _split_trusted(all_ar)
    mail_from, mf_source = _mail_from(parsed, receiver)
    chain = build_chain((f.index, f.value) for f in parsed.get_all("received"))
    sender_orgs = _sender_orgs(from_domain, mail_from)
    boundary = first_external_hop(chain, lambda host: _in_orgs(host, sender_orgs))
    ip, ip_source = _connecting_ip(parsed, receiver, boundary)
    return MessageFacts(
        from_domain=from_domain,
        from_count=len(parsed.get_all("from")),
        mail_from=mail_from,
        mail_from_source=mf_source,
        chain=chain,
        boundary=boundary,
        connecting_ip=ip,
        ip_source=ip_source,
        helo=_helo(parsed, boundary),
        receiver=receiver,
        others=others,
    )


def _split_trusted(
    headers: tuple[AuthResultsHeader, ...],
) -> tuple[tuple[AuthResultsHeader, ...], tuple[AuthResultsHeader, ...]]:
    if not headers:
        return (), ()
    trusted_id = headers[0].authserv_id
    receiver = tuple(h for h in headers if h.authserv_id == trusted_id)
    return receiver, tuple(h for h in headers if h.authserv_id != trusted_id)


def _mail_from(
    parsed: ParsedMessage, receiver: tuple[AuthResultsHeader, ...]
) -> tuple[str | None, str]:
    """RFC5321.MailFrom: Return-Path (RFC 5321 section 4.4), else the receiver's smtp.mailfrom."""
    return_path = parsed.get("return-path")
    if return_path is not None:
        address = return_path.strip().strip("<>").strip()
        return address, "Return-Path"
    for header in receiver:
        for result in header.methods("spf"):
            value = result.prop("smtp.mailfrom") or result.prop("smtp.mfrom")
            if value:
                return value if "@" in value else f"postmaster@{value}", "Authentication-Results"
    return None, ""


def _sender_orgs(from_domain: str | None, mail_from: str | None) -> frozenset[str]:
    domains = [from_domain or ""]
    if mail_from and "@" in mail_from:
        domains.append(mail_from.rsplit("@", 1)[1])
    return frozenset(org_domain(d) for d in domains if d)


def _in_orgs(host: str, orgs: frozenset[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == o or host.endswith("." + o) for o in orgs)


def _connecting_ip(
    parsed: ParsedMessage, receiver: tuple[AuthResultsHeader, ...], boundary: Hop | None
) -> tuple[str, str]:
    """Received-SPF ``client-ip=`` (RFC 7208 section 9.1), the receiver's A-R, else the boundary."""
    received_spf = parsed.get("received-spf") or ""
    candidates = [(received_spf, "Received-SPF")]
    for header in receiver:
        for result in (*header.methods("spf"), *header.methods("iprev")):
            props = " ".join(f"{k}={v}" for k, v in result.properties.items())
            candidates.append((f"{result.comment} {props}", "Authentication-Results"))
    for text, source in candidates:
        for match in _IP_IN_TEXT.finditer(text):
            if _is_ip(match.group(1)):
                return match.group(1), source
    if boundary is not None and boundary.from_ip:
        return boundary.from_ip, f"Received hop {boundary.position}"
    return "", ""


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _helo(parsed: ParsedMessage, boundary: Hop | None) -> str:
    match = re.search(r"\bhelo=([^\s;]+)", parsed.get("received-spf") or "", re.I)
    if match:
        return match.group(1).strip('"')
    return boundary.from_helo if boundary is not None else ""
