"""Reverse DNS of a sending IP: PTR, forward confirmation, and its SPF verdict.

Receivers check that the connecting IP has a PTR (``in-addr.arpa`` /
``ip6.arpa``) and that the PTR name resolves back to the same IP -
forward-confirmed reverse DNS, the ``iprev`` method of RFC 8601 section 3.
Gmail and Exchange Online refuse mail from IPs without it (550 5.7.25,
REFERENCE.md section 5). The SPF verdict for the IP comes from
:func:`maildoctor.dns.spf.spf_for_ip`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Mapping

import dns.reversename

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .resolver import DnsAnswer
from .spf import spf_for_ip

__all__ = ["check_ptr", "forward_confirmed", "ptr_findings", "reverse_name"]

log = logging.getLogger(__name__)

REF_PTR = "RFC 8601 §3 (iprev); RFC 1912 §2.1"
#: PTR names beyond this are not forward-resolved (bound on fan-out).
MAX_PTR_NAMES = 10


def reverse_name(ip: str) -> str:
    """``192.0.2.1`` -> ``1.2.0.192.in-addr.arpa``; IPv6 -> nibbles under ``ip6.arpa``."""
    return str(dns.reversename.from_address(ip).to_text(omit_final_dot=True))


def _family(ip: str) -> str:
    return "AAAA" if ipaddress.ip_address(ip).version == 6 else "A"


def forward_confirmed(ip: str, answer: DnsAnswer) -> bool:
    """True when an A/AAAA answer contains the IP (compared as addresses, not text)."""
    if not answer.exists:
        return False
    wanted = ipaddress.ip_address(ip)
    for record in answer.records:
        try:
            if ipaddress.ip_address(record) == wanted:
                return True
        except ValueError:
            continue
    return False


async def check_ptr(
    ip: str, domain: str, *, ctx: Context, helo: str | None = None
) -> tuple[Finding, ...]:
    """PTR, forward confirmation and SPF verdict for a sending IP.

    Args:
        ip: The sending IP (validated).
        domain: The domain whose SPF should authorize it.
        ctx: The run's context.
        helo: The HELO name, passed to the SPF evaluation if given.

    Returns:
        ``dns.ptr.record``, ``dns.ptr.fcrdns`` (when there is a PTR) and the SPF finding.
    """
    ptr, spf = await asyncio.gather(
        ctx.resolver.query(reverse_name(ip), "PTR"),
        spf_for_ip(ip, domain, ctx=ctx, helo=helo),
    )
    names = ptr.records[:MAX_PTR_NAMES] if ptr.exists else ()
    family = _family(ip)
    forward = await asyncio.gather(*(ctx.resolver.query(n, family) for n in names))
    return (*ptr_findings(ip, ptr, dict(zip(names, forward, strict=True))), spf)


_finding = FindingMaker("dns.ptr", Layer.DNS, REF_PTR)


def ptr_findings(ip: str, ptr: DnsAnswer, forward: Mapping[str, DnsAnswer]) -> tuple[Finding, ...]:
    """Pure: the PTR and forward-confirmation findings."""
    evidence = (ptr.evidence(),)
    if not ptr.ok:
        return (
            _finding(
                "record",
                Status.ERROR,
                ip,
                f"could not look up PTR for {ip}: {ptr.describe()}",
                evidence=evidence,
                fix="Retry; the reverse zone's nameservers did not answer definitely.",
            ),
        )
    if not ptr.exists:
        return (_missing(ip, ptr, evidence),)
    names = ", ".join(ptr.records)
    found = _finding(
        "record",
        Status.PASS,
        ip,
        f"PTR {ip} -> {names}",
        evidence=evidence,
        data={"names": list(ptr.records)},
    )
    return (found, _fcrdns(ip, forward))


def _missing(ip: str, ptr: DnsAnswer, evidence: tuple[Evidence, ...]) -> Finding:
    return _finding(
        "record",
        Status.FAIL,
        ip,
        f"{ip} has no PTR record ({ptr.name})",
        detail="Gmail and Exchange Online refuse mail from IPs without reverse DNS (550 5.7.25).",
        evidence=evidence,
        fix=f"Ask whoever owns {ip} (the ISP or cloud provider) to publish a PTR naming a host "
        "whose A/AAAA points back to it.",
        cause="dns.ptr.missing",
    )


def _fcrdns(ip: str, forward: Mapping[str, DnsAnswer]) -> Finding:
    evidence = tuple(a.evidence() for a in forward.values())
    confirmed = [n for n, a in forward.items() if forward_confirmed(ip, a)]
    data = {"confirmed": confirmed, "names": list(forward)}
    if confirmed:
        return _finding(
            "fcrdns",
            Status.PASS,
            ip,
            f"forward-confirmed: {confirmed[0]} -> {ip}",
            evidence=evidence,
            data=data,
        )
    failed = [n for n, a in forward.items() if not a.ok]
    if failed:
        return _finding(
            "fcrdns",
            Status.ERROR,
            ip,
            f"could not resolve {', '.join(failed)} to confirm {ip}",
            evidence=evidence,
            data=data,
            fix="Retry; the forward zone's nameservers did not answer definitely.",
        )
    return _finding(
        "fcrdns",
        Status.FAIL,
        ip,
        f"reverse DNS of {ip} is not forward-confirmed: {', '.join(forward)} does not resolve "
        f"back to {ip}",
        evidence=evidence,
        data=data,
        cause="dns.ptr.not_forward_confirmed",
        fix=f"Publish an A/AAAA record for the PTR name pointing to {ip}, or change the PTR.",
    )
