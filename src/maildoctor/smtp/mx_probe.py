"""Can mail reach a domain's MX hosts, and will they talk TLS? (``maildoctor mx``)

For each MX host, concurrently: resolve (``ctx.resolver``), connect to port 25,
banner and EHLO name, STARTTLS offered and negotiated, TLS version, certificate
validity and name match against the MX host name. MX TLS is opportunistic (RFC
3207, RFC 7435), so a certificate problem is a warning - unless the domain's
MTA-STS policy is ``enforce``, when senders that honour it will not deliver.

"This machine cannot reach port 25" is told apart from "this server is down" by
comparing hosts: if every address of every MX fails to connect the same way
(all refused, or all timed out) the likeliest cause is outbound port 25 blocked
on this network; if some hosts answer, the others are down.

Probing is split in two: :func:`probe_mx_host` collects what happened
(:class:`MxHostResult`), and :func:`mx_host_findings` (pure) judges it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..context import Context
from ..dns.mx import MxLookup, lookup_mx
from ..dns.rdata import MxRecord
from ..model import Finding, Layer, Status
from .client import SmtpReply, SmtpSession, address_literal, parse_ehlo
from .dialogue import StepError, connect_first, negotiate_tls, smtp_evidence, timed
from .exceptions import CertificateInvalid, SmtpProbeError
from .mtasts import Fetcher, StsPolicy, check_mta_sts, check_tls_rpt, policy_mx_findings
from .resolve import HostAddresses, resolve_host
from .tlsinfo import TlsInfo, describe_verify_error
from .transcript import Step

__all__ = [
    "MAX_MX_HOSTS",
    "MxHostResult",
    "MxStep",
    "check_mx",
    "mx_host_findings",
    "probe_mx_host",
]

#: Bound on the MX hosts probed (DESIGN.md "Safety": every fan-out has a bound).
MAX_MX_HOSTS = 10
RFC_MX = "RFC 5321 section 5.1"
RFC_NULL_MX = "RFC 7505"
RFC_STARTTLS = "RFC 3207; RFC 7435 (opportunistic TLS)"


#: One exchange with an MX host: a transcript step (:mod:`.transcript`).
MxStep = Step


@dataclass(frozen=True, slots=True, kw_only=True)
class MxHostResult:
    """Everything observed about one MX host.

    Attributes:
        host / preference: The MX record.
        resolution: Its addresses.
        connect_failures: Addresses that could not be connected to.
        peer: The address that answered, if any.
        steps: Exchanges by step name (first attempt wins).
        extensions: EHLO keywords (before TLS).
        tls: The negotiated TLS (after any unverified retry).
        cert_error: Why the certificate did not verify, if it did not.
        tls_error: Why TLS failed otherwise.
    """

    host: str
    preference: int
    resolution: HostAddresses
    connect_failures: tuple[StepError, ...] = ()
    peer: str | None = None
    steps: dict[str, MxStep] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)
    tls: TlsInfo | None = None
    cert_error: CertificateInvalid | None = None
    tls_error: SmtpProbeError | None = None

    @property
    def connected(self) -> bool:
        return self.peer is not None


class _Failed(Exception):
    """A step failed; the dialogue with this host ends."""


class _Retry(Exception):
    """Reconnect without certificate verification to see what TLS is negotiated."""


class _MxDialogue:
    """Collects one host's exchanges; a certificate failure triggers one unverified retry."""

    def __init__(self, mx: MxRecord, addresses: tuple[str, ...], port: int, ctx: Context) -> None:
        self.mx, self.addresses, self.port, self.ctx = mx, addresses, port, ctx
        self.steps: dict[str, MxStep] = {}
        self.failures: tuple[StepError, ...] = ()
        self.peer: str | None = None
        self.extensions: dict[str, str] = {}
        self.tls: TlsInfo | None = None
        self.cert_error: CertificateInvalid | None = None
        self.tls_error: SmtpProbeError | None = None

    async def run(self) -> None:
        try:
            await self._attempt(verify=True)
        except _Retry:
            await self._attempt(verify=False)

    async def _attempt(self, *, verify: bool) -> None:
        conn = await connect_first(self.addresses, self.port, timeout=self.ctx.timeout)
        if self.peer is None and not self.failures:
            self.failures = conn.failures
        if conn.session is None:
            return
        self.peer = self.peer or conn.session.peer
        try:
            await self._dialogue(conn.session, verify=verify)
        except _Failed:
            pass
        finally:
            await conn.session.close()

    async def _dialogue(self, session: SmtpSession, *, verify: bool) -> None:
        await self._expect(session, "banner", None, 220)
        ehlo = await self._expect(session, "ehlo", f"EHLO {self._name(session)}", 250)
        self.extensions = self.extensions or parse_ehlo(ehlo)
        if "STARTTLS" not in self.extensions:
            return
        await self._expect(session, "starttls", "STARTTLS", 220)
        await self._handshake(session, verify=verify)
        await self._expect(session, "ehlo_tls", f"EHLO {self._name(session)}", 250)
        await self._exchange(session, "quit", "QUIT")

    def _name(self, session: SmtpSession) -> str:
        return address_literal(session.local_address)

    async def _handshake(self, session: SmtpSession, *, verify: bool) -> None:
        try:
            self.tls, ms = await timed(
                negotiate_tls(
                    session, self.mx.exchange, verify=verify, ca_file=self.ctx.ca_file, step="tls"
                )
            )
        except CertificateInvalid as exc:
            self.cert_error = exc
            raise _Retry from None
        except SmtpProbeError as exc:
            self.tls_error = exc
            raise _Failed from None

    async def _exchange(self, session: SmtpSession, step: str, line: str | None) -> SmtpReply:
        query = line or "(banner)"
        start = time.perf_counter()
        reply: SmtpReply | None = None
        error: SmtpProbeError | None = None
        try:
            if line is None:
                reply = await session.read_reply(step)
            else:
                reply = await session.command(line, step=step)
        except SmtpProbeError as exc:
            error = exc
        ms = (time.perf_counter() - start) * 1000
        self.steps.setdefault(
            step,
            Step.exchange(
                step,
                query,
                peer=session.peer,
                host=self.mx.exchange,
                reply=reply,
                error=error,
                elapsed_ms=ms,
            ),
        )
        if reply is None:
            raise _Failed
        return reply

    async def _expect(
        self, session: SmtpSession, step: str, line: str | None, code: int
    ) -> SmtpReply:
        reply = await self._exchange(session, step, line)
        if reply.code != code:
            raise _Failed
        return reply


async def probe_mx_host(mx: MxRecord, *, port: int = 25, ctx: Context) -> MxHostResult:
    """Connect to one MX host and record banner, EHLO, STARTTLS and TLS.

    Never raises for a broken server: what happened is in the result.
    """
    resolution = await resolve_host(mx.exchange, ctx=ctx)
    base = {"host": mx.exchange, "preference": mx.preference, "resolution": resolution}
    if not resolution.addresses:
        return MxHostResult(**base)  # type: ignore[arg-type]
    dialogue = _MxDialogue(mx, resolution.addresses, port, ctx)
    await dialogue.run()
    return MxHostResult(
        connect_failures=dialogue.failures,
        peer=dialogue.peer,
        steps=dialogue.steps,
        extensions=dialogue.extensions,
        tls=dialogue.tls,
        cert_error=dialogue.cert_error,
        tls_error=dialogue.tls_error,
        **base,  # type: ignore[arg-type]
    )


# -- judging (pure) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Reachability:
    """What the connect outcomes of all hosts say together."""

    blocked: bool  # every address failed the same way: probably local blocking
    others_ok: bool  # at least one host connected
    attempts: int  # addresses tried in all
    kinds: tuple[str, ...]  # failure kinds seen


def reachability(results: Sequence[MxHostResult]) -> Reachability:
    """Compare hosts: all failing alike (over 2+ addresses) suggests local port blocking."""
    failures = [f for r in results for f in r.connect_failures]
    kinds = tuple(sorted({f.error.kind for f in failures}))
    others_ok = any(r.connected for r in results)
    attempted = [r for r in results if r.resolution.addresses]
    all_failed = bool(attempted) and not others_ok
    blocked = all_failed and len(failures) >= 2 and len(kinds) == 1
    return Reachability(blocked=blocked, others_ok=others_ok, attempts=len(failures), kinds=kinds)


def _f(check: str, status: Status, subject: str, summary: str, **kw: Any) -> Finding:
    return Finding(
        check=check, layer=Layer.TRANSPORT, status=status, subject=subject, summary=summary, **kw
    )


def mx_host_findings(
    result: MxHostResult, *, port: int, reach: Reachability, enforce: bool, now: float
) -> tuple[Finding, ...]:
    """Findings for one MX host, judged with what the other hosts and MTA-STS say."""
    if not result.resolution.addresses:
        return (_resolve_finding(result),)
    if not result.connected:
        return (_connect_failed(result, port, reach),)
    findings = [_connected(result)]
    for step in ("banner", "ehlo"):
        finding = _reply_step(result, step)
        if finding is not None:
            findings.append(finding)
    if (
        "ehlo" in result.steps
        and result.steps["ehlo"].reply is not None
        and (result.steps["ehlo"].reply.code == 250)
    ):
        findings += _tls_findings(result, enforce=enforce, now=now)
    return tuple(findings)


def _resolve_finding(result: MxHostResult) -> Finding:
    definite = result.resolution.definite
    return _f(
        "transport.mx.resolve",
        Status.FAIL if definite else Status.ERROR,
        result.host,
        f"MX host {result.host} has no address: {result.resolution.describe()}",
        evidence=result.resolution.evidence(),
        reference=RFC_MX,
        cause="transport.mx.host_not_found" if definite else "",
        fix="Give the MX host A/AAAA records, or point the MX at a host that has them."
        if definite
        else "",
    )


def _connect_failed(result: MxHostResult, port: int, reach: Reachability) -> Finding:
    tried = "; ".join(f"{f.address}: {f.error.detail}" for f in result.connect_failures)
    evidence = tuple(
        smtp_evidence(
            peer=f"{f.address}:{port}",
            step="connect",
            query=f"TCP connect port {port}",
            error=f.error,
            elapsed_ms=f.elapsed_ms,
            host=result.host,
        )
        for f in result.connect_failures
    )
    base = {"evidence": evidence, "reference": RFC_MX, "data": {"kinds": list(reach.kinds)}}
    if reach.blocked:
        return _f(
            "transport.mx.connect",
            Status.ERROR,
            result.host,
            f"cannot connect to {result.host} port {port} ({tried})",
            detail="Every MX address failed the same way: see transport.port25_blocked.",
            **base,
        )
    if reach.others_ok:
        return _f(
            "transport.mx.connect",
            Status.WARN,
            result.host,
            f"{result.host} port {port} is unreachable ({tried}); other MX hosts answer",
            cause="transport.mx.unreachable",
            fix="The domain's admin should fix or remove this MX host.",
            **base,
        )
    detail = (
        "Only one address could be tried, so a server that is down cannot be told apart "
        "from port 25 blocked on this network."
        if reach.attempts < 2
        else "The MX hosts failed in different ways: they look down or filtered."
    )
    return _f(
        "transport.mx.connect",
        Status.FAIL,
        result.host,
        f"cannot connect to {result.host} port {port} ({tried})",
        detail=detail,
        cause="transport.mx.unreachable",
        fix="Try from another network; if it persists, the domain's MX hosts are down.",
        **base,
    )


def _connected(result: MxHostResult) -> Finding:
    return _f(
        "transport.mx.connect",
        Status.PASS,
        result.host,
        f"connected to {result.host} at {result.peer}",
        reference=RFC_MX,
        data={"peer": result.peer, "preference": result.preference},
    )


def _reply_step(result: MxHostResult, step: str) -> Finding | None:
    exchange = result.steps.get(step)
    if exchange is None:
        return None
    check, ev = f"transport.mx.{step}", (exchange.evidence(),)
    if exchange.error:
        return _f(
            check,
            Status.FAIL,
            result.host,
            f"{step}: {exchange.detail}",
            evidence=ev,
            reference=RFC_MX,
            cause="transport.mx.protocol_error",
            data={"error": exchange.error, "elapsed_ms": round(exchange.elapsed_ms, 1)},
        )
    reply = exchange.reply
    assert reply is not None
    expected = 220 if step == "banner" else 250
    name = reply.lines[0].split(" ")[0] if reply.lines else ""
    data = {
        "code": reply.code,
        "enhanced_status": reply.enhanced_status,
        "text": reply.text,
        "name": name,
        "elapsed_ms": round(exchange.elapsed_ms, 1),
    }
    if reply.code != expected:
        return _unexpected(result.host, check, reply, expected, ev, data)
    if step == "ehlo_tls":
        return None
    label = "banner" if step == "banner" else "EHLO"
    return _f(
        check,
        Status.PASS,
        result.host,
        f"{label} name {name or '?'} ({exchange.elapsed_ms:.0f} ms)",
        evidence=ev,
        reference=RFC_MX,
        data={**data, "extensions": dict(result.extensions)} if step == "ehlo" else data,
    )


def _unexpected(
    host: str, check: str, reply: SmtpReply, expected: int, ev: tuple[Any, ...], data: Any
) -> Finding:
    """A reply other than the one due: 5xx refuses, 4xx is temporary, 2xx/3xx incomplete."""
    if reply.code >= 500:
        return _f(
            check,
            Status.FAIL,
            host,
            f"{check.rpartition('.')[2]}: {reply}",
            evidence=ev,
            reference=RFC_MX,
            cause="transport.mx.refuses_connections",
            data=data,
        )
    what = (
        "temporary failure, try again later"
        if reply.code >= 400
        else f"did not complete: {expected} was due"
    )
    return _f(
        check,
        Status.ERROR,
        host,
        f"{check.rpartition('.')[2]}: {reply} - {what}",
        evidence=ev,
        reference=RFC_MX,
        data={**data, "temporary": reply.code // 100 == 4},
    )


def _tls_findings(result: MxHostResult, *, enforce: bool, now: float) -> list[Finding]:
    bad = Status.FAIL if enforce else Status.WARN
    why = " (MTA-STS enforce: senders will not deliver)" if enforce else ""
    if "STARTTLS" not in result.extensions:
        return [
            _f(
                "transport.mx.starttls",
                bad,
                result.host,
                f"{result.host} does not offer STARTTLS{why}",
                reference=RFC_STARTTLS,
                cause="transport.mx.starttls_missing",
                fix="Enable STARTTLS on the MX host with a valid certificate.",
            )
        ]
    exchange = result.steps.get("starttls")
    reply = exchange.reply if exchange is not None else None
    if result.tls is None and reply is not None and reply.code < 500 and reply.code != 220:
        assert exchange is not None
        evidence = (exchange.evidence(),)
        return [_unexpected(result.host, "transport.mx.starttls", reply, 220, evidence, {})]
    if result.tls is None:
        return [_starttls_failed(result, bad, why)]
    after = _reply_step(result, "ehlo_tls")
    findings = [
        _f(
            "transport.mx.starttls",
            Status.PASS,
            result.host,
            "STARTTLS offered and negotiated",
            reference=RFC_STARTTLS,
            evidence=tuple(s.evidence() for k, s in result.steps.items() if k == "starttls"),
        ),
        _tls_version(result),
        _certificate(result, bad=bad, why=why, now=now),
    ]
    return findings + ([after] if after is not None else [])


def _starttls_failed(result: MxHostResult, bad: Status, why: str) -> Finding:
    exchange = result.steps.get("starttls")
    detail = (
        result.tls_error.detail
        if result.tls_error
        else str(exchange.reply or exchange.detail)
        if exchange
        else "no answer"
    )
    return _f(
        "transport.mx.starttls",
        bad,
        result.host,
        f"STARTTLS offered but failed: {detail}{why}",
        reference=RFC_STARTTLS,
        evidence=(exchange.evidence(),) if exchange else (),
        cause="transport.mx.starttls_failed",
        fix="Fix the MX host's TLS configuration.",
    )


def _tls_version(result: MxHostResult) -> Finding:
    assert result.tls is not None
    old = result.tls.version in ("TLSv1", "TLSv1.1", "SSLv3")
    return _f(
        "transport.mx.tls",
        Status.WARN if old else Status.PASS,
        result.host,
        f"{result.tls.version}, {result.tls.cipher}",
        reference="RFC 8996",
        cause="transport.mx.old_tls" if old else "",
        data=result.tls.to_dict(),
    )


def _certificate(result: MxHostResult, *, bad: Status, why: str, now: float) -> Finding:
    assert result.tls is not None
    cert = result.tls.certificate
    data = {"certificate": cert.to_dict() if cert else None, "chain": list(result.tls.chain)}
    if result.cert_error is None:
        days = cert.days_left(now) if cert else None
        left = f", expires in {days:.0f} days" if days is not None else ""
        return _f(
            "transport.mx.certificate",
            Status.PASS,
            result.host,
            f"certificate valid for {result.host}{left}",
            reference="RFC 6125",
            data=data,
        )
    reason, text = describe_verify_error(
        result.cert_error.verify_code, result.cert_error.verify_message
    )
    names = ", ".join(cert.names) if cert and cert.names else "?"
    return _f(
        "transport.mx.certificate",
        bad,
        result.host,
        f"certificate does not verify for {result.host}: {text}{why}",
        detail=f"OpenSSL: {result.cert_error.verify_message or result.cert_error.detail}; "
        f"certificate names: {names}. Opportunistic TLS still encrypts, but "
        "senders that verify (MTA-STS, DANE) will not deliver.",
        reference="RFC 8461 section 4.2; RFC 6125",
        cause="transport.mx.certificate_invalid",
        fix="Install a certificate valid for the MX host name from a public CA.",
        data={**data, "reason": reason, "verify_code": result.cert_error.verify_code},
    )


def _lookup_finding(mx: MxLookup) -> Finding:
    subject, ev = mx.domain, (mx.answer.evidence(),)
    if mx.null_mx:
        return _f(
            "transport.mx.lookup",
            Status.FAIL,
            subject,
            f"{mx.domain} publishes a null MX: it accepts no mail",
            evidence=ev,
            reference=RFC_NULL_MX,
            cause="dns.mx.null_mx",
            fix="Remove the null MX (0 .) and publish the real mail servers.",
        )
    if mx.hosts and not mx.implicit:
        listed = ", ".join(f"{h.preference} {h.exchange}" for h in mx.hosts)
        return _f(
            "transport.mx.lookup",
            Status.PASS,
            subject,
            f"MX: {listed}",
            evidence=ev,
            reference=RFC_MX,
            data={"hosts": [h.exchange for h in mx.hosts]},
        )
    if mx.implicit:
        return _f(
            "transport.mx.lookup",
            Status.WARN,
            subject,
            f"{mx.domain} has no MX: senders fall back to its A/AAAA (implicit MX)",
            evidence=ev,
            reference=RFC_MX,
            fix="Publish MX records for the domain.",
        )
    definite = mx.answer.ok
    return _f(
        "transport.mx.lookup",
        Status.FAIL if definite else Status.ERROR,
        subject,
        f"MX lookup for {mx.domain}: {mx.answer.describe()}",
        evidence=ev,
        reference=RFC_MX,
        cause="transport.mx.domain_not_found" if definite else "",
    )


def _blocked_finding(port: int, reach: Reachability, hosts: int) -> Finding:
    pattern = "timed out" if reach.kinds == ("timeout",) else f"failed ({reach.kinds[0]})"
    return Finding(
        check="transport.port25_blocked",
        layer=Layer.TRANSPORT,
        status=Status.FAIL,
        subject=f"outbound port {port}",
        summary=f"every connection to port {port} {pattern} ({reach.attempts} addresses, "
        f"{hosts} MX hosts): outbound port {port} is probably blocked on this network",
        detail="All MX hosts of a domain being down at once is rare; home and cloud networks "
        "commonly block outbound port 25. The per-host connection results say nothing "
        "about the MX servers themselves.",
        cause="transport.port25_blocked",
        fix="Run the check from a network that allows outbound port 25 (or ask the provider to "
        "unblock it); mail clients should submit on port 587 instead.",
        data={"attempts": reach.attempts, "kinds": list(reach.kinds)},
    )


async def check_mx(
    domain: str,
    *,
    port: int = 25,
    ctx: Context,
    fetch: Fetcher | None = None,
    https_port: int = 443,
) -> tuple[Finding, ...]:
    """Probe every MX host of ``domain`` concurrently, with MTA-STS and TLS-RPT.

    Args:
        domain: The recipient domain.
        port: SMTP port (25; tests and redirected networks use others).
        ctx: Resolver, timeout, CA file, clock.
        fetch: Replaces the MTA-STS policy fetch (url -> HttpResult).
        https_port: Port of the default MTA-STS fetch.

    Returns:
        Findings under ``transport.mx.*``, ``transport.mtasts.*``, ``transport.tlsrpt.*``,
        ``transport.dane.*`` and ``transport.port25_blocked``; never raises for a broken
        domain or server.

    Raises:
        InputError: if ``domain`` is not a domain name.
    """
    from ..dns.names import parse_domain

    domain = parse_domain(domain)
    sts_task = asyncio.ensure_future(
        check_mta_sts(domain, ctx=ctx, fetch=fetch, https_port=https_port)
    )
    rpt_task = asyncio.ensure_future(check_tls_rpt(domain, ctx=ctx))
    mx = await lookup_mx(domain, ctx=ctx)
    hosts = mx.hosts[:MAX_MX_HOSTS]
    results = await asyncio.gather(*(probe_mx_host(h, port=port, ctx=ctx) for h in hosts))
    (sts_findings, policy), rpt_findings = await sts_task, await rpt_task
    from .dane import check_dane  # DANE reads the certificates the probe saw (RFC 7672)

    dane_findings = await check_dane(results, ctx=ctx) if results else ()
    return (
        _lookup_finding(mx),
        *_judge(results, port, policy, ctx),
        *sts_findings,
        *_policy_matches(policy, hosts, domain),
        *rpt_findings,
        *dane_findings,
    )


def _judge(
    results: Sequence[MxHostResult], port: int, policy: StsPolicy | None, ctx: Context
) -> list[Finding]:
    reach = reachability(results)
    enforce = policy is not None and policy.mode == "enforce"
    findings = [_blocked_finding(port, reach, len(results))] if reach.blocked else []
    for result in results:
        findings += mx_host_findings(
            result, port=port, reach=reach, enforce=enforce, now=ctx.clock()
        )
    return findings


def _policy_matches(
    policy: StsPolicy | None, hosts: Sequence[MxRecord], domain: str
) -> tuple[Finding, ...]:
    if policy is None or not hosts:
        return ()
    return policy_mx_findings(policy, [h.exchange for h in hosts], domain)
