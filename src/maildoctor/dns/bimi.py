"""BIMI: the brand-indicator record at ``default._bimi.<domain>``, its SVG and its VMC.

The record (BIMI draft, section 4) is ``v=BIMI1; l=<https URL of an SVG>; a=<https URL of a
VMC PEM>``. Receivers show the logo only when the domain's DMARC policy is at enforcement
(``p=quarantine`` or ``p=reject``), the SVG follows the SVG Tiny Portable/Secure profile,
and - at Gmail and Apple Mail - a Verified Mark Certificate (VMC) vouches for it. None of it
stops delivery: findings here are warnings, never root causes.

SVG Tiny PS checks (draft-svg-tiny-ps-abrotman): root ``<svg>`` in the SVG namespace with
``version="1.2"`` and ``baseProfile="tiny-ps"``, a ``<title>``, no ``x``/``y`` on the root,
no scripts, animation, ``foreignObject``, raster ``image`` or links, no external references
(every ``href`` local, ``#...``), and at most 32 KiB. The SVG is fetched with httpx over
verified HTTPS, through the run's resolver, without redirects, with a size cap; a DOCTYPE
(entity declarations) is refused before parsing, so nothing the file names is ever read.
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status

__all__ = [
    "BimiRecord",
    "Fetched",
    "check_bimi",
    "fetch_https",
    "parse_bimi",
    "svg_problems",
    "vmc_summary",
]

REFERENCE = (
    "BIMI draft (draft-brand-indicators-for-message-identification) section 4; "
    "SVG Tiny PS (draft-svg-tiny-ps-abrotman)"
)
_MAKE = FindingMaker("dns.bimi", Layer.DNS, REFERENCE)
MAX_SVG_BYTES = 32 * 1024
MAX_VMC_BYTES = 64 * 1024
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN = frozenset(
    {
        "script",
        "foreignObject",
        "animate",
        "animateMotion",
        "animateColor",
        "animateTransform",
        "set",
        "image",
        "a",
        "iframe",
        "video",
        "audio",
        "handler",
        "listener",
    }
)
#: id-pe-logotype (RFC 3709) and the BIMI extended key usage.
LOGOTYPE_OID = "1.3.6.1.5.5.7.1.12"
BIMI_EKU_OID = "1.3.6.1.5.5.7.3.31"


@dataclass(frozen=True, slots=True, kw_only=True)
class BimiRecord:
    """A parsed BIMI record; ``problems`` says what makes receivers ignore it."""

    raw: str
    logo: str = ""
    authority: str = ""
    problems: tuple[str, ...] = ()

    @property
    def declined(self) -> bool:
        """``l=`` empty: the domain declines to show a logo (BIMI section 4.2)."""
        return not self.logo


def parse_bimi(text: str) -> BimiRecord:
    """Parse a BIMI assertion record; never raises."""
    tags: dict[str, str] = {}
    problems: list[str] = []
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if not sep:
            if part.strip():
                problems.append(f"malformed tag {part.strip()[:40]!r}")
            continue
        tags.setdefault(name.strip().lower(), value.strip())
    if not text.strip().lower().startswith("v=bimi1"):
        problems.append("the record must start with v=BIMI1")
    logo, authority = tags.get("l", ""), tags.get("a", "")
    for tag, url in (("l", logo), ("a", authority)):
        if url and not url.lower().startswith("https://"):
            problems.append(f"{tag}= must be an https:// URL, not {url[:60]!r}")
    return BimiRecord(raw=text, logo=logo, authority=authority, problems=tuple(problems))


def svg_problems(data: bytes) -> tuple[str, ...]:
    """What breaks the SVG Tiny PS profile (empty: none found)."""
    if len(data) > MAX_SVG_BYTES:
        return (f"the SVG is {len(data)} bytes, over the {MAX_SVG_BYTES}-byte limit",)
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:4096] + data[-4096:], re.IGNORECASE):
        return ("the SVG has a DOCTYPE or entity declarations, which SVG Tiny PS forbids",)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return (f"the SVG is not well-formed XML ({exc})",)
    problems = _root_problems(root)
    problems += _element_problems(root)
    return tuple(dict.fromkeys(problems))


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _root_problems(root: ET.Element) -> list[str]:
    ns, name = _local(root.tag)
    problems = []
    if name != "svg" or ns != SVG_NS:
        problems.append(f"the root element is <{name}>, not <svg> in the SVG namespace")
    if root.get("baseProfile") != "tiny-ps":
        problems.append('the root <svg> lacks baseProfile="tiny-ps"')
    if root.get("version") != "1.2":
        problems.append('the root <svg> lacks version="1.2"')
    if root.get("x") is not None or root.get("y") is not None:
        problems.append("the root <svg> has x= or y= attributes")
    if not any(_local(child.tag)[1] == "title" for child in root):
        problems.append("the SVG has no <title> (the brand name)")
    return problems


def _element_problems(root: ET.Element) -> list[str]:
    problems = []
    for element in root.iter():
        name = _local(element.tag)[1]
        if name in FORBIDDEN:
            problems.append(f"<{name}> is not allowed in SVG Tiny PS")
        for attr, value in element.attrib.items():
            attr_name = _local(attr)[1]
            if attr_name == "href" and not value.startswith("#"):
                problems.append(f"external reference {value[:60]!r} (only #local ones)")
            elif attr_name.startswith("on"):
                problems.append(f"event handler attribute {attr_name}= is not allowed")
    return problems


def vmc_summary(pem: bytes) -> tuple[str, ...]:
    """What is wrong with a VMC PEM (empty: a certificate with the logotype and BIMI EKU)."""
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        return (f"not a PEM certificate ({exc})",)
    leaf = certs[0]
    oids = {ext.oid.dotted_string for ext in leaf.extensions}
    problems = []
    if LOGOTYPE_OID not in oids:
        problems.append("the certificate carries no logotype extension (RFC 3709)")
    try:
        eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if BIMI_EKU_OID not in {u.dotted_string for u in eku}:
            problems.append("the certificate's extended key usage is not BIMI")
    except x509.ExtensionNotFound:
        problems.append("the certificate has no extended key usage")
    return tuple(problems)


# -- fetching ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """An HTTPS GET: status and body, or the error."""

    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    error: str = ""

    def evidence(self) -> Evidence:
        outcome = str(self.status) if self.status is not None else f"error ({self.error})"
        return Evidence(
            id=f"https:{self.url}",
            source="https",
            query=f"GET {self.url}",
            outcome=outcome,
            raw=(f"{len(self.body)} bytes, {self.content_type or 'no content type'}",),
        )


Fetch = Callable[[str, int], Awaitable[Fetched]]


async def fetch_https(url: str, limit: int, *, ctx: Context, port: int = 443) -> Fetched:
    """GET over verified HTTPS with httpx: the host resolved through ``ctx.resolver``, SNI
    and the Host header kept, no redirects, at most ``limit`` bytes; never raises."""
    import httpx

    from ..smtp.resolve import resolve_host
    from ..smtp.tlsinfo import client_context

    host, _, path = url.removeprefix("https://").partition("/")
    host = host.split(":")[0]
    addresses = await resolve_host(host, ctx=ctx)
    if not addresses.addresses:
        return Fetched(url=url, error=f"cannot resolve {host}: {addresses.describe()}")
    address = addresses.addresses[0]
    target = f"https://{f'[{address}]' if ':' in address else address}:{port}/{path}"
    verify = client_context(verify=ctx.verify_tls, ca_file=ctx.ca_file)
    try:
        async with httpx.AsyncClient(verify=verify, timeout=ctx.timeout) as client:
            return await _stream(client, target, url, host, limit)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return Fetched(url=url, error=(str(exc) or type(exc).__name__)[:200])


async def _stream(client: Any, target: str, url: str, host: str, limit: int) -> Fetched:
    request = client.build_request(
        "GET", target, headers={"Host": host}, extensions={"sni_hostname": host}
    )
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        body = b""
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                return Fetched(url=url, status=response.status_code, error=f"over {limit} bytes")
        return Fetched(
            url=url,
            status=response.status_code,
            body=body,
            content_type=response.headers.get("content-type", ""),
        )
    finally:
        await response.aclose()


# -- the check -----------------------------------------------------------------------


async def check_bimi(
    domain: str, *, ctx: Context, fetch: Fetch | None = None, https_port: int = 443
) -> tuple[Finding, ...]:
    """The domain's BIMI record, its SVG (SVG Tiny PS), its VMC, and DMARC enforcement.

    Args:
        domain: The From domain.
        ctx: The run's context.
        fetch: Replaces the HTTPS fetch (``(url, limit) -> Fetched``).
        https_port: Port for the default fetch (tests).

    Returns:
        ``dns.bimi.*`` findings; none are causes (BIMI does not affect delivery).
    """
    name = f"default._bimi.{domain}"
    answer, dmarc = await asyncio.gather(
        ctx.resolver.query(name, "TXT"), ctx.resolver.query(f"_dmarc.{domain}", "TXT")
    )
    records = [r for r in answer.records if r.lower().startswith("v=bimi")] if answer.exists else []
    if not answer.ok:
        return (
            _MAKE(
                "record",
                Status.ERROR,
                domain,
                f"could not look up {name}: {answer.describe()}",
                evidence=(answer.evidence(),),
            ),
        )
    if not records:
        return (
            _MAKE(
                "record",
                Status.INFO,
                domain,
                f"no BIMI record at {name}",
                evidence=(answer.evidence(),),
            ),
        )
    if len(records) > 1:
        return (
            _MAKE(
                "record",
                Status.WARN,
                domain,
                f"{len(records)} BIMI records at {name}: receivers ignore them all",
                evidence=(answer.evidence(),),
            ),
        )
    record = parse_bimi(records[0])
    getter = fetch or (lambda url, limit: fetch_https(url, limit, ctx=ctx, port=https_port))
    found = [_record_finding(domain, record, answer.evidence()), _dmarc_finding(domain, dmarc)]
    if not record.declined and not record.problems:
        found += await asyncio.gather(_svg(domain, record, getter), _vmc(domain, record, getter))
    return tuple(found)


def _record_finding(domain: str, record: BimiRecord, evidence: Evidence) -> Finding:
    if record.problems:
        return _MAKE(
            "record",
            Status.WARN,
            domain,
            f"the BIMI record is invalid: {'; '.join(record.problems)}",
            evidence=(evidence,),
        )
    if record.declined:
        return _MAKE(
            "record",
            Status.INFO,
            domain,
            "the BIMI record declines a logo (l= empty)",
            evidence=(evidence,),
        )
    return _MAKE(
        "record",
        Status.PASS,
        domain,
        f"BIMI record found: logo {record.logo}"
        + (f", VMC {record.authority}" if record.authority else ", no VMC (a=)"),
        evidence=(evidence,),
        data={"logo": record.logo, "authority": record.authority},
    )


def _dmarc_finding(domain: str, dmarc: Any) -> Finding:
    records = [r for r in dmarc.records if r.lower().startswith("v=dmarc1")] if dmarc.exists else []
    policy = ""
    if len(records) == 1:
        tags = dict(p.strip().partition("=")[::2] for p in records[0].split(";"))
        policy = tags.get("p", "").strip().lower()
    if policy in ("quarantine", "reject"):
        return _MAKE(
            "dmarc",
            Status.PASS,
            domain,
            f"DMARC is at enforcement (p={policy}), as BIMI requires",
            evidence=(dmarc.evidence(),),
        )
    shown = f"p={policy}" if policy else "no usable DMARC record at the domain"
    return _MAKE(
        "dmarc",
        Status.WARN,
        domain,
        f"BIMI logos are shown only under DMARC enforcement; {domain} has {shown}",
        evidence=(dmarc.evidence(),),
        fix="Move DMARC to p=quarantine or p=reject once every sending source is aligned.",
    )


async def _svg(domain: str, record: BimiRecord, fetch: Fetch) -> Finding:
    got = await fetch(record.logo, MAX_SVG_BYTES)
    if got.error or got.status != 200:
        why = got.error or f"HTTP {got.status}"
        return _MAKE(
            "svg",
            Status.WARN,
            domain,
            f"the BIMI logo {record.logo} could not be fetched: {why}",
            evidence=(got.evidence(),),
        )
    problems = svg_problems(got.body)
    if problems:
        return _MAKE(
            "svg",
            Status.WARN,
            domain,
            f"the BIMI logo is not SVG Tiny PS: {'; '.join(problems[:6])}",
            evidence=(got.evidence(),),
            data={"problems": list(problems)},
        )
    return _MAKE(
        "svg",
        Status.PASS,
        domain,
        f"the BIMI logo follows SVG Tiny PS ({len(got.body)} bytes)",
        evidence=(got.evidence(),),
    )


async def _vmc(domain: str, record: BimiRecord, fetch: Fetch) -> Finding:
    if not record.authority:
        return _MAKE(
            "vmc",
            Status.INFO,
            domain,
            "no Verified Mark Certificate (a=): Gmail and Apple Mail do not show the logo "
            "without one",
        )
    got = await fetch(record.authority, MAX_VMC_BYTES)
    if got.error or got.status != 200:
        why = got.error or f"HTTP {got.status}"
        return _MAKE(
            "vmc",
            Status.WARN,
            domain,
            f"the VMC {record.authority} could not be fetched: {why}",
            evidence=(got.evidence(),),
        )
    problems = vmc_summary(got.body)
    status = Status.WARN if problems else Status.PASS
    words = "; ".join(problems) if problems else "a certificate with a logotype and the BIMI EKU"
    return _MAKE(
        "vmc",
        status,
        domain,
        f"VMC at {record.authority}: {words}",
        evidence=(got.evidence(),),
        data={"problems": list(problems)},
    )
