"""DANE for SMTP (RFC 7672): the recipient MX's TLSA records, and whether the certificate the
MX probe saw matches them.

For each MX host the TLSA RRset at ``_25._tcp.<host>`` is fetched. SMTP uses only DANE-TA(2)
and DANE-EE(3) records (RFC 7672 section 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable);
a record matches when the hash (matching type 1 SHA-256, 2 SHA-512) or the full data
(matching type 0) of the certificate (selector 0) or its SubjectPublicKeyInfo (selector 1)
equals the record's data - for usage 3 the leaf, for usage 2 a certificate of the chain
the server sent. A published TLSA RRset that nothing matches makes DANE senders defer the
mail (RFC 7672 section 2.2). TLSA records count only when DNSSEC-authenticated; the
resolver's AD bit is reported, since unauthenticated records are ignored by senders.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status

__all__ = ["Tlsa", "check_dane", "match_tlsa", "parse_tlsa", "tlsa_name", "tlsa_record"]

REFERENCE = "RFC 7672 sections 2.2 and 3.1 (DANE for SMTP); RFC 6698 section 2.1 (TLSA)"
_MAKE = FindingMaker("transport.dane", Layer.TRANSPORT, REFERENCE)
USAGES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Tlsa:
    """One TLSA record: usage, selector, matching type and the association data (hex)."""

    usage: int
    selector: int
    mtype: int
    data: str

    @property
    def usable(self) -> bool:
        """SMTP uses DANE-TA(2) and DANE-EE(3) only (RFC 7672 section 3.1.3)."""
        return self.usage in (2, 3) and self.selector in (0, 1) and self.mtype in (0, 1, 2)

    def __str__(self) -> str:
        return f"{self.usage} {self.selector} {self.mtype} {self.data[:16]}..."


def tlsa_name(host: str, port: int = 25) -> str:
    """``_25._tcp.<host>`` (RFC 6698 section 3)."""
    return f"_{port}._tcp.{host.rstrip('.').lower()}"


def parse_tlsa(text: str) -> Tlsa | None:
    """A TLSA record from its presentation form (``3 1 1 ab12...``); None if malformed."""
    parts = text.split()
    if len(parts) < 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    data = "".join(parts[3:]).lower()
    try:
        bytes.fromhex(data)
    except ValueError:
        return None
    return Tlsa(usage=int(parts[0]), selector=int(parts[1]), mtype=int(parts[2]), data=data)


def _selected(der: bytes, selector: int) -> bytes:
    if selector == 0:
        return der
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = x509.load_der_x509_certificate(der).public_key()
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _associated(der: bytes, selector: int, mtype: int) -> str:
    data = _selected(der, selector)
    if mtype == 1:
        return hashlib.sha256(data).hexdigest()
    if mtype == 2:
        return hashlib.sha512(data).hexdigest()
    return data.hex()


def tlsa_record(der: bytes, *, usage: int = 3, selector: int = 1, mtype: int = 1) -> str:
    """The TLSA record text for a certificate (what a recipient would publish)."""
    return f"{usage} {selector} {mtype} {_associated(der, selector, mtype)}"


def match_tlsa(record: Tlsa, chain: Sequence[bytes]) -> bool:
    """Whether a usable record matches the chain (leaf first) the server sent."""
    if not record.usable or not chain:
        return False
    candidates = chain[:1] if record.usage == 3 else chain[1:] or chain[:1]
    for der in candidates:
        try:
            if _associated(der, record.selector, record.mtype) == record.data:
                return True
        except ValueError:
            continue
    return False


@dataclass(frozen=True, slots=True, kw_only=True)
class _Host:
    host: str
    chain: tuple[bytes, ...]


async def check_dane(results: Sequence[object], *, ctx: Context) -> tuple[Finding, ...]:
    """TLSA records of each probed MX host and whether the certificate seen matches.

    Args:
        results: :class:`maildoctor.smtp.mx_probe.MxHostResult` objects (read: ``host``
            and ``tls.chain_der``).
        ctx: The run's context.

    Returns:
        Per host with TLSA records: ``transport.dane.match`` (pass) or
        ``transport.dane.mismatch`` (fail, cause ``transport.dane.mismatch``), and
        ``transport.dane.authenticated``; hosts without TLSA get one info finding in all.
    """
    hosts = [_host(r) for r in results]
    found = await asyncio.gather(*(_one(h, ctx) for h in hosts if h.host))
    without = [h.host for h, f in zip(hosts, found, strict=True) if not f]
    out = [f for group in found for f in group]
    if without:
        out.append(
            _MAKE(
                "none",
                Status.INFO,
                ", ".join(without),
                f"no TLSA records for {', '.join(without)}: DANE is not in use there",
            )
        )
    return tuple(out)


def _host(result: object) -> _Host:
    tls = getattr(result, "tls", None)
    return _Host(
        host=str(getattr(result, "host", "")), chain=tuple(getattr(tls, "chain_der", ()) or ())
    )


async def _one(host: _Host, ctx: Context) -> tuple[Finding, ...]:
    name = tlsa_name(host.host)
    answer = await ctx.resolver.query(name, "TLSA")
    if answer.void:
        return ()
    if not answer.exists:
        return (
            _MAKE(
                "not_checked",
                Status.ERROR,
                host.host,
                f"could not check DANE for {host.host}: {answer.describe()}",
                evidence=(answer.evidence(),),
            ),
        )
    records = [r for r in (parse_tlsa(t) for t in answer.records) if r is not None]
    return (_verdict(host, records, answer.evidence()), await _authenticated(name, ctx))


def _verdict(host: _Host, records: Sequence[Tlsa], evidence: Evidence) -> Finding:
    ev = (evidence,)
    usable = [r for r in records if r.usable]
    shown = ", ".join(str(r) for r in records) or "none readable"
    if not usable:
        return _MAKE(
            "unusable",
            Status.WARN,
            host.host,
            f"{host.host}'s TLSA records are all unusable for SMTP ({shown}): senders treat "
            "the host as if it had none usable, and may defer",
            evidence=ev,
        )
    if not host.chain:
        return _MAKE(
            "not_checked",
            Status.ERROR,
            host.host,
            f"{host.host} publishes TLSA ({shown}) but the probe saw no certificate to compare",
            evidence=ev,
        )
    matched = [r for r in usable if match_tlsa(r, host.chain)]
    if matched:
        return _MAKE(
            "match",
            Status.PASS,
            host.host,
            f"{host.host}'s certificate matches TLSA {matched[0]} ({USAGES[matched[0].usage]})",
            evidence=ev,
            data={"records": [str(r) for r in records], "matched": [str(r) for r in matched]},
        )
    return _MAKE(
        "mismatch",
        Status.FAIL,
        host.host,
        f"{host.host}'s certificate matches none of its TLSA records ({shown}): DANE "
        "senders defer mail to it",
        evidence=ev,
        fix=f"Publish `{tlsa_name(host.host)}. TLSA {tlsa_record(host.chain[0])}` for the key "
        "the host serves now (keep the old record until the rollover is done), or serve the "
        "key the records name.",
        cause="transport.dane.mismatch",
        data={"records": [str(r) for r in records]},
    )


async def _authenticated(name: str, ctx: Context) -> Finding:
    from ..dns.dnssec import ask

    asked = await ask(ctx, name, "TLSA")
    if asked.ad:
        return _MAKE(
            "authenticated",
            Status.PASS,
            name,
            f"the TLSA records at {name} are DNSSEC-authenticated (AD set by the resolver)",
            evidence=(asked.evidence("DO AD"),),
        )
    return _MAKE(
        "authenticated",
        Status.INFO,
        name,
        f"the resolver did not authenticate the TLSA records at {name} (no AD): senders use "
        "TLSA only when DNSSEC-validated, so they may be ignored",
        evidence=(asked.evidence("DO AD"),),
    )
