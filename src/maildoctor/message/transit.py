"""The path the message took: its Received chain and the receivers' Authentication-Results.

Check ids (layer ``message``): ``message.received.chain``, ``.delay``, ``.out_of_order``,
``.undated``, ``.boundary``, ``.tls`` - ``message.auth_results.receiver``, ``.syntax``,
``.missing``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Finding, Status
from .auth_results import AuthResult
from .common import RFC_AR, RFC_RECEIVED, SLOW_HOP_S
from .common import header_evidence as _header_evidence
from .common import message_finding as _finding
from .facts import MessageFacts
from .received import Hop, out_of_order

__all__ = ["auth_results_findings", "received_findings"]


# -- Received ------------------------------------------------------------------------


def received_findings(facts: MessageFacts) -> list[Finding]:
    """Chain, slow hops, clock problems, the boundary hop and its TLS."""
    chain = facts.chain
    if not chain:
        return [
            _finding(
                "message.received.chain",
                Status.INFO,
                "Received",
                "No Received fields: the message never passed a mail server, or they were stripped",
                reference=RFC_RECEIVED,
            )
        ]
    findings = [_chain_finding(chain)]
    findings += [
        _slow_finding(h) for h in chain if h.delay_s is not None and h.delay_s >= SLOW_HOP_S
    ]
    findings += _order_findings(chain)
    findings += _boundary_findings(facts)
    return findings


def _describe_hop(hop: Hop) -> str:
    client = hop.from_name or "(local)"
    ip = f" [{hop.from_ip}]" if hop.from_ip else ""
    when = hop.timestamp.isoformat() if hop.timestamp else "no date"
    delay = f" +{_duration(hop.delay_s)}" if hop.delay_s is not None else ""
    proto = f" with {hop.protocol}" if hop.protocol else ""
    return (
        f"{hop.position}. from {client}{ip} by {hop.by_host or '?'}{proto}, "
        f"{hop.tls.describe()}, {when}{delay}"
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 120:
        return f"{sign}{seconds:.0f} s"
    if seconds < 7200:
        return f"{sign}{seconds / 60:.0f} min"
    return f"{sign}{seconds / 3600:.1f} h"


def _chain_finding(chain: Sequence[Hop]) -> Finding:
    stamps = [h.timestamp for h in chain if h.timestamp is not None]
    total = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) >= 2 else None
    summary = f"{len(chain)} hop(s)" + (
        f", {_duration(total)} in transit" if total is not None else ""
    )
    return _finding(
        "message.received.chain",
        Status.INFO,
        "Received",
        summary,
        detail="\n".join(_describe_hop(h) for h in chain),
        reference=RFC_RECEIVED,
        evidence=tuple(_header_evidence("Received", h.raw, h.header_index) for h in chain),
        data={"hops": [h.to_dict() for h in chain], "transit_s": total},
    )


def _slow_finding(hop: Hop) -> Finding:
    return _finding(
        "message.received.delay",
        Status.WARN,
        hop.by_host or f"hop {hop.position}",
        f"Hop {hop.position} ({hop.from_name or '?'} -> {hop.by_host or '?'}) took "
        f"{_duration(hop.delay_s)}",
        detail="A long wait at one hop usually means the previous server deferred the message "
        "(greylisting, a 4xx reply, a full queue) and retried.",
        reference=RFC_RECEIVED,
        data={"position": hop.position, "delay_s": hop.delay_s},
        evidence=(_header_evidence("Received", hop.raw, hop.header_index),),
    )


def _order_findings(chain: Sequence[Hop]) -> list[Finding]:
    findings: list[Finding] = []
    bad = out_of_order(chain)
    if bad:
        findings.append(
            _finding(
                "message.received.out_of_order",
                Status.WARN,
                "Received",
                f"{len(bad)} hop(s) are stamped before the hop that handed them the message",
                detail="\n".join(_describe_hop(h) for h in bad)
                + "\nA server clock is wrong, or a Received field was forged or reordered.",
                reference=RFC_RECEIVED,
                data={"positions": [h.position for h in bad]},
            )
        )
    undated = [h.position for h in chain if h.timestamp is None]
    if undated:
        findings.append(
            _finding(
                "message.received.undated",
                Status.INFO,
                "Received",
                f"{len(undated)} hop(s) have no readable date: delays around them are unknown",
                reference="RFC 5322 section 3.3",
                data={"positions": undated},
            )
        )
    return findings


def _boundary_findings(facts: MessageFacts) -> list[Finding]:
    hop = facts.boundary
    if hop is None:
        return [
            _finding(
                "message.received.boundary",
                Status.INFO,
                "Received",
                "Every hop is inside the sender's infrastructure (private addresses, authenticated "
                "submission or the sender's own domains)",
                reference=RFC_RECEIVED,
                data={"connecting_ip": facts.connecting_ip, "ip_source": facts.ip_source},
            )
        ]
    findings = [
        _finding(
            "message.received.boundary",
            Status.INFO,
            hop.by_host or "Received",
            f"Left the sender's infrastructure at hop {hop.position}: {hop.from_name or '?'} "
            f"[{hop.from_ip or '?'}] -> {hop.by_host or '?'}",
            detail=f"Connecting IP for SPF: {facts.connecting_ip or 'unknown'} "
            f"(from {facts.ip_source or 'nowhere'}).",
            reference="RFC 7208 section 2.1",
            data={
                "position": hop.position,
                "connecting_ip": facts.connecting_ip,
                "ip_source": facts.ip_source,
                "helo": hop.from_helo,
                "by": hop.by_host,
            },
            evidence=(_header_evidence("Received", hop.raw, hop.header_index),),
        )
    ]
    if hop.tls.used is False:
        findings.append(
            _finding(
                "message.received.tls",
                Status.WARN,
                hop.by_host or "Received",
                f"The hop into {hop.by_host or 'the receiver'} used no TLS ({hop.protocol})",
                detail="Receivers that require TLS (MTA-STS, DANE) would refuse such a delivery.",
                reference="RFC 3207; RFC 3848 section 2; RFC 8461",
            )
        )
    return findings


# -- Authentication-Results ---------------------------------------------------------


def auth_results_findings(facts: MessageFacts) -> list[Finding]:
    """What the receiver recorded, and any field that could not be read."""
    if not facts.receiver:
        return [
            _finding(
                "message.auth_results.missing",
                Status.INFO,
                "Authentication-Results",
                "No Authentication-Results field: the receiver recorded no verdicts "
                "(or this copy was saved before delivery)",
                reference=RFC_AR,
            )
        ]
    findings = [_receiver_finding(facts)]
    for header in (*facts.receiver, *facts.others):
        if header.errors:
            findings.append(
                _finding(
                    "message.auth_results.syntax",
                    Status.INFO,
                    header.authserv_id or "(no id)",
                    "Authentication-Results field not fully readable: " + "; ".join(header.errors),
                    reference=RFC_AR,
                    evidence=(
                        _header_evidence("Authentication-Results", header.raw, header.header_index),
                    ),
                )
            )
    return findings


def _format_result(result: AuthResult) -> str:
    props = " ".join(f"{k}={v}" for k, v in result.properties.items())
    reason = f" reason={result.reason}" if result.reason else ""
    comment = f" ({result.comment})" if result.comment else ""
    return f"{result.method}={result.result}{reason} {props}{comment}".strip()


def _receiver_finding(facts: MessageFacts) -> Finding:
    authserv = facts.receiver[0].authserv_id or "(no authserv-id)"
    results = [r for h in facts.receiver for r in h.results]
    headline = ", ".join(
        f"{r.method}={r.result}"
        for r in results
        if r.method in ("spf", "dkim", "dmarc", "arc", "compauth")
    )
    return _finding(
        "message.auth_results.receiver",
        Status.INFO,
        authserv,
        f"{authserv} recorded: {headline or 'no results'}",
        detail="\n".join(_format_result(r) for r in results),
        reference=RFC_AR,
        evidence=tuple(
            _header_evidence("Authentication-Results", h.raw, h.header_index)
            for h in facts.receiver
        ),
        data={"authserv_id": authserv, "results": [r.to_dict() for r in results]},
    )
