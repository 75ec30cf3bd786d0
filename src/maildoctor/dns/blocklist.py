"""DNS blocklists (DNSBL, RFC 5782): is a sending IP or a domain listed, and on what grounds?

An IP is looked up as its reversed octets (IPv4) or nibbles (IPv6, RFC 5782 section 2.4)
under the list's zone; a domain (Spamhaus DBL) as itself under the zone. An ``A`` answer in
127.0.0.0/8 is a *return code* the list documents; the words for each are in
:data:`KNOWN_LISTS`. Some answers are not listings at all but the list refusing to answer:
Spamhaus returns 127.255.255.252 (a typing error in the zone name), .254 (query through a
public/open resolver) and .255 (excessive queries), its DBL 127.0.1.255 for an IP asked of a
domain list, and any list may answer 127.0.0.1, which RFC 5782 section 5 forbids as an entry
(URIBL and SURBL use it to say "access blocked"). Those, an answer outside 127.0.0.0/8 (a
resolver rewriting NXDOMAIN), and any timeout or failure are "could not check" - never listed
and never clean. NXDOMAIN or NODATA is "not listed".

The default lists, their zones, codes and removal paths, with the sources they were checked
against (December 2026):

=====================  ===========================  =====================================
list                   zone                         source
=====================  ===========================  =====================================
Spamhaus ZEN           zen.spamhaus.org             :data:`SPAMHAUS_ZONES`, :data:`SPAMHAUS_ERRORS`
Spamhaus DBL (domain)  dbl.spamhaus.org             :data:`SPAMHAUS_ZONES`
Barracuda BRBL         b.barracudacentral.org       :data:`BARRACUDA`
SpamCop SCBL           bl.spamcop.net               :data:`SPAMCOP`
UCEPROTECT Level 1     dnsbl-1.uceprotect.net       :data:`UCEPROTECT`
Mailspike BL           bl.mailspike.net             :data:`MAILSPIKE`
=====================  ===========================  =====================================

SORBS (``dnsbl.sorbs.net``) is known but not queried by default: Proofpoint decommissioned it
on 5 June 2024 (:data:`SORBS_GONE`), so its answers carry no reputation data; asked for
explicitly (``--dnsbl dnsbl.sorbs.net``), any answer from it is "could not check".
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .resolver import DnsAnswer, Outcome

__all__ = [
    "DEFAULT_DOMAIN_LISTS",
    "DEFAULT_IP_LISTS",
    "KNOWN_LISTS",
    "Blocklist",
    "Listing",
    "State",
    "check_blocklists",
    "custom_list",
    "decode",
    "domains_in_text",
    "ips_in_text",
    "lookup",
    "query_name",
    "select_lists",
]

RFC5782 = "RFC 5782 (DNS blacklists and whitelists)"
SPAMHAUS_ZONES = (
    "Spamhaus: Available zones and return codes - "
    "https://docs.spamhaus.com/datasets/docs/source/10-data-type-documentation/datasets/"
    "040-zones.html"
)
SPAMHAUS_ERRORS = (
    "Spamhaus: DNSBL return codes, technical update (127.255.255.0/24 are errors) - "
    "https://www.spamhaus.org/news/article/788/; DNSBL usage FAQ - "
    "https://www.spamhaus.org/faq/section/DNSBL%20Usage"
)
BARRACUDA = (
    "Barracuda Central: BRBL how to use (listed IPs return 127.0.0.2) - "
    "http://www.barracudacentral.org/rbl/how-to-use"
)
SPAMCOP = "SpamCop: SpamCop Blocking List - https://www.spamcop.net/bl.shtml"
UCEPROTECT = (
    "UCEPROTECT: levels 1-3 (level 1 lists single IPs; 2 and 3 escalate to allocations and "
    "ASNs) - https://www.uceprotect.net/en/index.php?m=3&s=3"
)
MAILSPIKE = (
    "Mailspike BL (z.mailspike.net plus rep.mailspike.net L3-L5; 127.0.0.2 or the rep code) - "
    "https://www.suped.com/blocklists/mailspike-blacklist-bl"
)
SORBS_GONE = (
    "SORBS decommissioned on 5 June 2024 - "
    "https://heise.de/en/news/Blocked-out-Antispam-blocklist-SORBS-is-switched-off-9752522.html"
)

#: At most this many IPs and domains are looked up per run (each costs one query per list).
MAX_SUBJECTS = 16
#: Lookups in flight at once: lists rate-limit, and a burst of hundreds of datagrams is
#: partly dropped by resolvers' receive buffers (each loss costs a whole timeout).
MAX_IN_FLIGHT = 32


class State(StrEnum):
    """What one lookup established."""

    LISTED = "listed"
    CLEAN = "clean"
    UNKNOWN = "could not check"


@dataclass(frozen=True, slots=True, kw_only=True)
class Blocklist:
    """One DNS blocklist.

    Attributes:
        zone: The DNS zone asked (``zen.spamhaus.org``).
        name: What people call it.
        kind: ``ip`` or ``domain``.
        codes: Return code -> words, for codes that mean "listed".
        refusals: Return code -> words, for codes that mean the list did not answer.
        removal: How to get off the list.
        reference: Where the codes and the removal path are documented.
        ipv6: Whether the list answers for IPv6 addresses.
        retired: Why the list no longer carries data (then nothing it says counts).
    """

    zone: str
    name: str
    kind: str = "ip"
    codes: Mapping[str, str] = field(default_factory=dict)
    refusals: Mapping[str, str] = field(default_factory=dict)
    removal: str = ""
    reference: str = RFC5782
    ipv6: bool = False
    retired: str = ""


_SPAMHAUS_REFUSALS = {
    "127.255.255.252": "Spamhaus: typing error in the DNSBL zone name",
    "127.255.255.254": "Spamhaus refused the query: it came through a public/open resolver "
    "(use your own resolver or Spamhaus's free Data Query Service)",
    "127.255.255.255": "Spamhaus refused the query: excessive number of queries from this resolver",
}
_SPAMHAUS_REMOVAL = (
    "Look the address up at https://check.spamhaus.org/ : it names the listing (SBL, CSS, "
    "XBL, PBL, DROP) and its own removal path. CSS/XBL: fix the compromised host or the "
    "sending that triggered it, then request removal there. PBL: the address is an end-user "
    "range that should not send directly; relay through your provider's or ISP's server, or "
    "(if it is really a mail server with matching forward and reverse DNS) remove it from "
    "the PBL there. SBL: contact the network's abuse desk named in the SBL record."
)

ZEN = Blocklist(
    zone="zen.spamhaus.org",
    name="Spamhaus ZEN",
    codes={
        "127.0.0.2": "SBL: a direct spam source or spam operation (Spamhaus Block List)",
        "127.0.0.3": "CSS: a snowshoe spam source detected automatically (SBL CSS)",
        "127.0.0.4": "XBL: an exploited host - proxy, bot or trojan (Exploits Block List)",
        "127.0.0.5": "XBL: an exploited host (Exploits Block List)",
        "127.0.0.6": "XBL: an exploited host (Exploits Block List)",
        "127.0.0.7": "XBL: an exploited host (Exploits Block List)",
        "127.0.0.9": "DROP: a hijacked or criminal network (Don't Route Or Peer)",
        "127.0.0.10": "PBL: an end-user address that should not send mail directly (ISP)",
        "127.0.0.11": "PBL: an end-user address that should not send mail directly (Spamhaus)",
        "127.0.0.30": "BCL: a botnet controller (Botnet Controller List)",
    },
    refusals=_SPAMHAUS_REFUSALS,
    removal=_SPAMHAUS_REMOVAL,
    reference=f"{SPAMHAUS_ZONES}; {SPAMHAUS_ERRORS}",
    ipv6=True,
)
DBL = Blocklist(
    zone="dbl.spamhaus.org",
    name="Spamhaus DBL",
    kind="domain",
    codes={
        "127.0.1.2": "a low-reputation domain used in spam",
        "127.0.1.4": "a phishing domain",
        "127.0.1.5": "a malware domain",
        "127.0.1.6": "a botnet command-and-control domain",
        "127.0.1.102": "an abused legitimate domain (spam)",
        "127.0.1.103": "an abused legitimate redirector or URL shortener",
        "127.0.1.104": "an abused legitimate domain used in phishing",
        "127.0.1.105": "an abused legitimate domain used by malware",
        "127.0.1.106": "an abused legitimate domain hosting botnet C&C",
    },
    refusals={
        **_SPAMHAUS_REFUSALS,
        "127.0.1.255": "Spamhaus DBL: IP queries are not allowed on a domain list",
    },
    removal=(
        "Look the domain up at https://check.spamhaus.org/ and follow the DBL removal "
        "request there once the cause (compromised site, spam links, phishing pages) is "
        "cleaned up; abused legitimate domains are delisted once the abuse stops."
    ),
    reference=f"{SPAMHAUS_ZONES}; {SPAMHAUS_ERRORS}",
)
BRBL = Blocklist(
    zone="b.barracudacentral.org",
    name="Barracuda BRBL",
    codes={"127.0.0.2": "listed by the Barracuda Reputation System (spam seen from it)"},
    removal="Request removal at https://www.barracudacentral.org/rbl/removal-request "
    "(automated, once the spam has stopped).",
    reference=BARRACUDA,
)
SCBL = Blocklist(
    zone="bl.spamcop.net",
    name="SpamCop SCBL",
    codes={"127.0.0.2": "mail from it was reported as spam by SpamCop users or traps"},
    removal="SpamCop listings expire automatically about 24 hours after the reports stop; "
    "see https://www.spamcop.net/bl.shtml for the listing's reason.",
    reference=SPAMCOP,
)
UCE1 = Blocklist(
    zone="dnsbl-1.uceprotect.net",
    name="UCEPROTECT Level 1",
    codes={"127.0.0.2": "the address itself sent to UCEPROTECT's spam traps"},
    removal="UCEPROTECT Level 1 listings expire 7 days after the last spam trap hit; the "
    "lookup is at https://www.uceprotect.net/en/rblcheck.php.",
    reference=UCEPROTECT,
)
UCE2 = Blocklist(
    zone="dnsbl-2.uceprotect.net",
    name="UCEPROTECT Level 2",
    codes={"127.0.0.2": "the address's allocation holds too many Level 1 listings"},
    removal="Level 2 clears when the provider's allocation stops sending spam: ask the "
    "hosting provider; the address itself cannot be delisted.",
    reference=UCEPROTECT,
)
UCE3 = Blocklist(
    zone="dnsbl-3.uceprotect.net",
    name="UCEPROTECT Level 3",
    codes={"127.0.0.2": "the address's whole network (ASN) holds too many listings"},
    removal="Level 3 clears when the provider's network stops sending spam: ask the "
    "hosting provider; the address itself cannot be delisted.",
    reference=UCEPROTECT,
)
MSBL = Blocklist(
    zone="bl.mailspike.net",
    name="Mailspike BL",
    codes={
        "127.0.0.2": "part of a distributed spam wave (Mailspike Z)",
        "127.0.0.10": "Mailspike reputation L5: worst possible reputation",
        "127.0.0.11": "Mailspike reputation L4: very bad reputation",
        "127.0.0.12": "Mailspike reputation L3: bad reputation",
    },
    removal="Request removal with Mailspike's self-service form (processed within 6-36 "
    "hours) once the spam has stopped.",
    reference=MAILSPIKE,
)
SORBS = Blocklist(
    zone="dnsbl.sorbs.net",
    name="SORBS",
    codes={"127.0.0.2": "(SORBS no longer carries data)"},
    reference=SORBS_GONE,
    retired="SORBS was decommissioned on 5 June 2024 and no longer carries reputation data",
)

#: Every list maildoctor knows the codes of, by zone.
KNOWN_LISTS: Mapping[str, Blocklist] = {
    b.zone: b for b in (ZEN, DBL, BRBL, SCBL, UCE1, UCE2, UCE3, MSBL, SORBS)
}
DEFAULT_IP_LISTS: tuple[Blocklist, ...] = (ZEN, BRBL, SCBL, UCE1, MSBL)
DEFAULT_DOMAIN_LISTS: tuple[Blocklist, ...] = (DBL,)

_ZONE = re.compile(r"^(?=.{1,200}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def custom_list(zone: str, *, kind: str = "ip") -> Blocklist:
    """A list given by its zone (``--dnsbl``): a known one, or one decoded by RFC 5782 alone.

    Raises:
        ValueError: when ``zone`` is not a DNS name.
    """
    name = zone.strip().rstrip(".").lower()
    if not _ZONE.match(name):
        raise ValueError(f"{zone!r} is not a DNS zone name")
    known = KNOWN_LISTS.get(name)
    if known is not None:
        return known
    return Blocklist(zone=name, name=name, kind=kind, ipv6=True)


def select_lists(extra: Iterable[str] = (), *, defaults: bool = True) -> tuple[Blocklist, ...]:
    """The default lists (unless ``defaults`` is False) plus the zones in ``extra``.

    Raises:
        ValueError: for a zone that is not a DNS name.
    """
    chosen = list(DEFAULT_IP_LISTS + DEFAULT_DOMAIN_LISTS) if defaults else []
    for zone in extra:
        blocklist = custom_list(zone, kind="domain" if zone.lower().startswith("dbl.") else "ip")
        if blocklist not in chosen:
            chosen.append(blocklist)
    return tuple(chosen)


# -- names and codes (pure) ----------------------------------------------------------


def query_name(subject: str, blocklist: Blocklist) -> str | None:
    """The name to ask: reversed octets or nibbles for an IP, the domain itself for a domain.

    Returns None when the list cannot answer for this kind of subject (a domain on an IP
    list, an IPv6 address on an IPv4-only list).
    """
    try:
        address = ipaddress.ip_address(subject)
    except ValueError:
        return (
            f"{subject.rstrip('.').lower()}.{blocklist.zone}"
            if blocklist.kind == "domain"
            else None
        )
    if blocklist.kind != "ip" or (address.version == 6 and not blocklist.ipv6):
        return None
    # reverse_pointer is "d.c.b.a.in-addr.arpa" or the 32 nibbles + ".ip6.arpa" (RFC 5782 2.1/2.4)
    reversed_labels = address.reverse_pointer.rsplit(".", 2)[0]
    return f"{reversed_labels}.{blocklist.zone}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """What a list's ``A`` records mean."""

    state: State
    meanings: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


def decode(blocklist: Blocklist, records: Sequence[str]) -> Decoded:
    """Turn a list's return codes into a state and words.

    Any code meaning "listed" makes the subject listed; codes that are refusals, 127.0.0.1
    (RFC 5782 section 5) or not in 127.0.0.0/8 alone make it "could not check".
    """
    listed: list[str] = []
    refused: list[str] = []
    for code in records:
        kind, words = _one_code(blocklist, code)
        (listed if kind == "listed" else refused).append(f"{code}: {words}")
    codes = tuple(records)
    if blocklist.retired:
        return Decoded(state=State.UNKNOWN, meanings=(blocklist.retired,), codes=codes)
    if listed:
        return Decoded(state=State.LISTED, meanings=tuple(listed + refused), codes=codes)
    return Decoded(state=State.UNKNOWN, meanings=tuple(refused), codes=codes)


def _one_code(blocklist: Blocklist, code: str) -> tuple[str, str]:
    if code in blocklist.refusals:
        return "refused", blocklist.refusals[code]
    try:
        address = ipaddress.IPv4Address(code)
    except ValueError:
        return "refused", "not an IPv4 return code"
    if address not in ipaddress.IPv4Network("127.0.0.0/8"):
        return "refused", "an answer outside 127.0.0.0/8 - a resolver rewriting NXDOMAIN?"
    if code == "127.0.0.1":
        return (
            "refused",
            "127.0.0.1 is never a listing (RFC 5782 section 5); lists such as "
            "URIBL and SURBL answer it to refuse a query",
        )
    if code.startswith("127.255.255.") and blocklist.zone.endswith("spamhaus.org"):
        return "refused", "a Spamhaus error code (127.255.255.0/24), not a listing"
    if code in blocklist.codes:
        return "listed", blocklist.codes[code]
    return "listed", "listed (a return code the list does not document)"


# -- lookups -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """One subject on one list.

    Attributes:
        subject: The IP or domain.
        blocklist: The list asked.
        state: listed, clean or could not check.
        meanings: The return codes in words (or why it could not be checked).
        reason: The list's TXT explanation, when listed and given.
        evidence: The DNS exchanges.
    """

    subject: str
    blocklist: Blocklist
    state: State
    meanings: tuple[str, ...] = ()
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


async def lookup(subject: str, blocklist: Blocklist, *, ctx: Context) -> Listing | None:
    """Ask one list about one subject; None when the list does not cover the subject."""
    name = query_name(subject, blocklist)
    if name is None:
        return None
    answer = await ctx.resolver.query(name, "A")
    base = Listing(subject=subject, blocklist=blocklist, state=State.UNKNOWN)
    evidence = (answer.evidence(),)
    if answer.void:
        return _replace(base, state=State.CLEAN, evidence=evidence)
    if not answer.exists:
        return _replace(base, meanings=(answer.describe(),), evidence=evidence)
    decoded = decode(blocklist, answer.records)
    if decoded.state is not State.LISTED:
        return _replace(base, meanings=decoded.meanings, evidence=evidence)
    txt = await ctx.resolver.query(name, "TXT")
    return _replace(
        base,
        state=State.LISTED,
        meanings=decoded.meanings,
        reason=_reason(txt),
        evidence=(*evidence, txt.evidence()),
    )


def _replace(listing: Listing, **changes: Any) -> Listing:
    return replace(listing, **changes)


def _reason(txt: DnsAnswer) -> str:
    if txt.outcome is not Outcome.ANSWER:
        return ""
    return " ".join(txt.records)[:300]


# -- findings --------------------------------------------------------------------------

_MAKE = FindingMaker("dns.blocklist", Layer.DNS, RFC5782)


async def check_blocklists(
    ips: Mapping[str, str] | Iterable[str] = (),
    domains: Mapping[str, str] | Iterable[str] = (),
    *,
    ctx: Context,
    lists: Sequence[Blocklist] | None = None,
    limit: int = MAX_SUBJECTS,
) -> tuple[Finding, ...]:
    """Look every IP and domain up on every list that covers it, concurrently.

    Args:
        ips: Sending IPs, or a mapping IP -> where the evidence named it.
        domains: Domains (sender, links), or a mapping domain -> where it came from.
        ctx: The run's context.
        lists: The lists to ask; default :data:`DEFAULT_IP_LISTS` + :data:`DEFAULT_DOMAIN_LISTS`.
        limit: At most this many IPs and this many domains are looked up; the rest are
            named in a ``dns.blocklist.not_all_checked`` info finding, never dropped silently.

    Returns:
        Per subject: a ``fail`` finding for each list it is on (cause
        ``dns.blocklist.ip_listed`` / ``dns.blocklist.domain_listed``), an ``error`` finding
        for each list that could not be checked, and one ``pass`` naming the lists that
        do not list it.
    """
    chosen = tuple(lists) if lists is not None else DEFAULT_IP_LISTS + DEFAULT_DOMAIN_LISTS
    all_ips, all_domains = _origins(ips, "IP"), _origins(domains, "domain")
    subjects = {**dict(list(all_ips.items())[:limit]), **dict(list(all_domains.items())[:limit])}
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    results = await asyncio.gather(
        *(_subject(s, origin, chosen, ctx, gate) for s, origin in subjects.items())
    )
    left = [s for s in (*all_ips, *all_domains) if s not in subjects]
    return tuple(f for found in results for f in found) + left_out(left, limit)


def left_out(subjects: Sequence[str], limit: int) -> tuple[Finding, ...]:
    """An info finding naming what was not looked up (over ``limit``), or nothing."""
    if not subjects:
        return ()
    shown = ", ".join(subjects[:10]) + (" ..." if len(subjects) > 10 else "")
    return (
        _MAKE(
            "not_all_checked",
            Status.INFO,
            shown,
            f"{len(subjects)} more IPs or domains were not looked up (at most {limit} of each "
            f"per run): {shown}",
            data={"not_checked": list(subjects)},
        ),
    )


def _origins(subjects: Mapping[str, str] | Iterable[str], what: str) -> dict[str, str]:
    if isinstance(subjects, Mapping):
        return dict(subjects)
    return {s: f"the {what} given" for s in subjects}


async def _subject(
    subject: str, origin: str, lists: Sequence[Blocklist], ctx: Context, gate: asyncio.Semaphore
) -> tuple[Finding, ...]:
    found = await asyncio.gather(*(_gated(gate, lookup(subject, b, ctx=ctx)) for b in lists))
    listings = [x for x in found if x is not None]
    if not listings:
        return ()
    findings = [_listed(x, origin) for x in listings if x.state is State.LISTED]
    findings += [_unknown(x, origin) for x in listings if x.state is State.UNKNOWN]
    clean = [x for x in listings if x.state is State.CLEAN]
    if clean:
        findings.append(_clean(subject, origin, clean))
    return tuple(findings)


async def _gated(gate: asyncio.Semaphore, lookup_: Awaitable[Listing | None]) -> Listing | None:
    async with gate:
        return await lookup_


def _is_ip(subject: str) -> bool:
    try:
        ipaddress.ip_address(subject)
    except ValueError:
        return False
    return True


def _listed(x: Listing, origin: str) -> Finding:
    what = "ip_listed" if _is_ip(x.subject) else "domain_listed"
    codes = "; ".join(x.meanings)
    reason = f' The list says: "{x.reason}".' if x.reason else ""
    return _MAKE(
        what,
        Status.FAIL,
        x.subject,
        f"{x.subject} is listed on {x.blocklist.name} ({x.blocklist.zone}): {codes}",
        detail=f"{x.subject} ({origin}) is on {x.blocklist.name}; receivers that consult it "
        f"refuse or junk mail from it.{reason}",
        evidence=x.evidence,
        reference=x.blocklist.reference,
        fix=x.blocklist.removal or f"Follow {x.blocklist.name}'s removal procedure.",
        cause=f"dns.blocklist.{what}",
        data={
            "list": x.blocklist.zone,
            "list_name": x.blocklist.name,
            "state": str(x.state),
            "codes": list(x.meanings),
            "origin": "blocklist",
            "found_in": origin,
        },
    )


def _unknown(x: Listing, origin: str) -> Finding:
    why = "; ".join(x.meanings) or "no definite answer"
    return _MAKE(
        "not_checked",
        Status.ERROR,
        x.subject,
        f"could not check {x.subject} on {x.blocklist.name} ({x.blocklist.zone}): {why}",
        detail=f"{x.subject} ({origin}): this is neither a listing nor a clean result.",
        evidence=x.evidence,
        reference=x.blocklist.reference,
        data={"list": x.blocklist.zone, "state": str(x.state), "found_in": origin},
    )


def _clean(subject: str, origin: str, clean: Sequence[Listing]) -> Finding:
    names = ", ".join(x.blocklist.name for x in clean)
    return _MAKE(
        "clean",
        Status.PASS,
        subject,
        f"{subject} is not listed on {names}",
        detail=f"{subject} ({origin})",
        evidence=tuple(e for x in clean for e in x.evidence),
        data={"lists": [x.blocklist.zone for x in clean], "found_in": origin},
    )


# -- where sending IPs and link domains hide in the evidence ---------------------------

_IPV4 = r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"
_IPV6 = r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])"
_IP_RE = re.compile(f"{_IPV4}|{_IPV6}")
_URL_HOST = re.compile(r"(?i)\bhttps?://([a-z0-9.-]{1,253})(?=[:/?#\s\"'<>)\]]|$)")
#: Not sending IPs: loopback, private, link-local, multicast, unspecified (the documentation
#: ranges stay: tests and the demo use them).
_NOT_SENDING = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
        "::/127",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
        "::ffff:0:0/96",
    )
)


def is_sending_candidate(text: str) -> bool:
    """Whether ``text`` is an IP that could have sent mail on the Internet."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return not any(address.version == n.version and address in n for n in _NOT_SENDING)


def ips_in_text(text: str, *, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """The distinct candidate sending IPs quoted in ``text`` (a bounce's or log's words)."""
    skip = {e.lower() for e in exclude}
    found: dict[str, None] = {}
    for match in _IP_RE.finditer(text[:200_000]):
        candidate = match.group(0)
        if is_sending_candidate(candidate) and candidate.lower() not in skip:
            found[str(ipaddress.ip_address(candidate))] = None
    return tuple(found)


def domains_in_text(text: str) -> tuple[str, ...]:
    """The distinct host names of ``http(s)://`` links in ``text`` (a message body)."""
    found: dict[str, None] = {}
    for match in _URL_HOST.finditer(text[:1_000_000]):
        host = match.group(1).strip(".").lower()
        if "." in host and not _is_ip(host) and _ZONE.match(host):
            found[host] = None
    return tuple(found)
