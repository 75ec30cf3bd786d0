"""MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) for a recipient domain.

Pure parts: the ``_mta-sts`` TXT record, the policy file, MX pattern matching
and the ``_smtp._tls`` TXT record. Thin drivers: the DNS lookups through
``ctx.resolver`` and the policy fetch over HTTPS.

The fetch is injectable (``fetch=``); the default one is httpx, resolves through
``ctx.resolver`` (or lets ``HTTPS_PROXY`` do it), trusts ``ctx.ca_file`` and takes an
``https_port``, so tests serve the policy from a loopback HTTPS server under the real
host name.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..context import Context
from ..dns.resolver import DnsAnswer
from ..model import Evidence, Finding, Layer, Status
from .resolve import resolve_host
from .tlsinfo import client_context

__all__ = [
    "Fetcher",
    "HttpResult",
    "StsPolicy",
    "check_mta_sts",
    "check_tls_rpt",
    "fetch_policy",
    "mx_matches",
    "parse_policy",
    "parse_sts_record",
    "parse_tlsrpt_record",
    "policy_mx_findings",
]

RFC_STS = "RFC 8461"
RFC_TLSRPT = "RFC 8460 section 3"
#: RFC 8461 3.2: max_age is at most 31557600 seconds (about a year).
MAX_AGE_LIMIT = 31557600
#: A bound on the policy body (RFC 8461 3.3 suggests senders limit it; 64 KiB is ample).
MAX_POLICY_BYTES = 64 * 1024
_STS_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")


# -- records ----------------------------------------------------------------------------


def _tags(record: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in record.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            tags.setdefault(key.strip(), value.strip())
    return tags


def parse_sts_record(records: Sequence[str]) -> tuple[str | None, str]:
    """The policy id from ``_mta-sts`` TXT records (RFC 8461 3.1), or (None, problem).

    Returns:
        (id, "") when exactly one valid ``v=STSv1`` record exists, else (None, why).
    """
    sts = [r for r in records if r.strip().startswith("v=STSv1")]
    if not sts:
        return None, "no v=STSv1 record"
    if len(sts) > 1:
        return None, "more than one v=STSv1 record (RFC 8461 3.1: treat as no policy)"
    policy_id = _tags(sts[0]).get("id", "")
    if not _STS_ID.match(policy_id):
        return None, f"invalid id {policy_id!r} (1-32 letters and digits)"
    return policy_id, ""


def parse_tlsrpt_record(records: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """Report destinations from ``_smtp._tls`` TXT records (RFC 8460 3), or ((), problem)."""
    rpt = [r for r in records if r.strip().startswith("v=TLSRPTv1")]
    if not rpt:
        return (), "no v=TLSRPTv1 record"
    if len(rpt) > 1:
        return (), "more than one v=TLSRPTv1 record"
    rua = tuple(u.strip() for u in _tags(rpt[0]).get("rua", "").split(",") if u.strip())
    bad = [u for u in rua if not u.startswith(("mailto:", "https:"))]
    if not rua or bad:
        return (), f"rua must list mailto: or https: URIs (got {', '.join(bad) or 'none'})"
    return rua, ""


# -- policy ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StsPolicy:
    """A parsed MTA-STS policy (RFC 8461 3.2).

    Attributes:
        mode: ``enforce``, ``testing`` or ``none``.
        mx: The ``mx:`` patterns.
        max_age: Seconds the policy may be cached.
        errors: What is wrong with it; a policy with errors is not valid.
    """

    version: str
    mode: str
    mx: tuple[str, ...]
    max_age: int | None
    errors: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.errors


def parse_policy(text: str) -> StsPolicy:
    """Parse a policy body: ``key: value`` lines, CRLF or LF (RFC 8461 3.2)."""
    fields: dict[str, list[str]] = {}
    for line in text.replace("\r\n", "\n").split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip().lower(), []).append(value.strip())
    version = (fields.get("version") or [""])[0]
    mode = (fields.get("mode") or [""])[0]
    age_text = (fields.get("max_age") or [""])[0]
    max_age = int(age_text) if age_text.isdigit() else None
    mx = tuple(p.lower().rstrip(".") for p in fields.get("mx", []))
    errors = _policy_errors(version, mode, mx, max_age)
    return StsPolicy(version=version, mode=mode, mx=mx, max_age=max_age, errors=errors)


def _policy_errors(
    version: str, mode: str, mx: tuple[str, ...], max_age: int | None
) -> tuple[str, ...]:
    errors = []
    if version != "STSv1":
        errors.append(f"version must be STSv1 (got {version!r})")
    if mode not in ("enforce", "testing", "none"):
        errors.append(f"mode must be enforce, testing or none (got {mode!r})")
    if max_age is None or max_age > MAX_AGE_LIMIT:
        errors.append(f"max_age must be an integer up to {MAX_AGE_LIMIT}")
    if not mx and mode != "none":
        errors.append("no mx: lines")
    return tuple(errors)


def mx_matches(host: str, pattern: str) -> bool:
    """RFC 8461 4.1: exact match, or ``*.`` matching exactly one left-most label."""
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


# -- fetching ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpResult:
    """What one HTTPS GET returned; ``error`` set when there was no HTTP answer."""

    url: str
    status: int | None = None
    content_type: str = ""
    body: str = ""
    error: str = ""
    server: str | None = None
    elapsed_ms: float = 0.0

    def evidence(self) -> Evidence:
        outcome = str(self.status) if self.status is not None else f"error ({self.error})"
        return Evidence(
            id=f"https:{self.url}",
            source="https",
            query=f"GET {self.url}",
            server=self.server,
            outcome=outcome,
            raw=tuple(self.body.splitlines()[:40]),
            elapsed_ms=self.elapsed_ms,
        )


#: url -> result; inject to fetch policies some other way.
Fetcher = Callable[[str], Awaitable[HttpResult]]


def policy_url(domain: str) -> str:
    return f"https://mta-sts.{domain}/.well-known/mta-sts.txt"


async def fetch_policy(url: str, *, ctx: Context, port: int = 443) -> HttpResult:
    """GET ``url`` over HTTPS (httpx) with a verified certificate, no redirects, bounded size.

    Without a proxy the host is resolved through ``ctx.resolver`` (a DNS check like the
    others; tests serve it from loopback) and the connection goes to that address with the
    host name as SNI and ``Host``. When ``HTTPS_PROXY`` (or ``ALL_PROXY``) applies to the
    host, and ``NO_PROXY`` does not exempt it, the request goes through that proxy, which
    resolves the name, as for the user's other tools.

    Args:
        url: ``https://mta-sts.<domain>/.well-known/mta-sts.txt``.
        ctx: Resolver, timeout, extra CA file.
        port: The HTTPS port (tests serve the policy on loopback).

    Returns:
        The status, content type and body, or the error that prevented an HTTP answer.
    """
    start = time.perf_counter()
    host, _, path = url.removeprefix("https://").partition("/")
    proxy = _proxy_for(host)
    if proxy is not None:
        target, server, sni = f"https://{host}:{port}/{path}", f"{host}:{port} via proxy", None
    else:
        addresses = await resolve_host(host, ctx=ctx)
        if not addresses.addresses:
            return HttpResult(url=url, error=f"cannot resolve {host}: {addresses.describe()}")
        address = addresses.addresses[0]
        literal = f"[{address}]" if ":" in address else address
        target, server, sni = f"https://{literal}:{port}/{path}", f"{address}:{port}", host
    try:
        async with asyncio.timeout(ctx.timeout):
            status, content_type, body = await _get(target, host, sni, proxy, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - httpx, TLS and socket errors all end the fetch
        return HttpResult(
            url=url,
            error=_error_text(exc),
            server=server,
            elapsed_ms=(time.perf_counter() - start) * 1000,
        )
    return HttpResult(
        url=url,
        status=status,
        content_type=content_type,
        body=body.decode("utf-8", "replace"),
        server=server,
        elapsed_ms=(time.perf_counter() - start) * 1000,
    )


def _proxy_for(host: str) -> str | None:
    """The proxy the environment sets for ``https://host``, as curl and httpx read it."""
    import urllib.request

    proxies = urllib.request.getproxies()
    proxy = proxies.get("https") or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _error_text(exc: BaseException) -> str:
    """The most telling line: a certificate's verify message, else the innermost cause."""
    seen: BaseException | None = exc
    while seen is not None:
        message = getattr(seen, "verify_message", "")
        if message:
            return str(message)[:200]
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    return (str(exc) or type(exc).__name__)[:200]


async def _get(
    target: str, host: str, sni: str | None, proxy: str | None, *, ctx: Context
) -> tuple[int, str, bytes]:
    import httpx

    context = client_context(verify=True, ca_file=ctx.ca_file)  # RFC 8461 3.3: always verify
    extensions = {"sni_hostname": sni} if sni else {}
    headers = {"Host": host, "User-Agent": "maildoctor", "Accept": "text/plain"}
    async with httpx.AsyncClient(
        verify=context,
        proxy=proxy,
        trust_env=False,  # the proxy decision is made above, once
        follow_redirects=False,  # RFC 8461 3.3: redirects are not followed
        timeout=ctx.timeout,
    ) as client:
        request = client.build_request("GET", target, headers=headers, extensions=extensions)
        response = await client.send(request, stream=True)
        try:
            body = b""
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_POLICY_BYTES:
                    raise ValueError(f"policy larger than {MAX_POLICY_BYTES} bytes")
        finally:
            await response.aclose()
    return response.status_code, response.headers.get("content-type", ""), body


# -- checks ------------------------------------------------------------------------------


def _finding(check: str, status: Status, subject: str, summary: str, **kw: Any) -> Finding:
    return Finding(
        check=check, layer=Layer.TRANSPORT, status=status, subject=subject, summary=summary, **kw
    )


async def check_mta_sts(
    domain: str, *, ctx: Context, fetch: Fetcher | None = None, https_port: int = 443
) -> tuple[tuple[Finding, ...], StsPolicy | None]:
    """Look up the ``_mta-sts`` record and, if there is one, fetch and parse the policy.

    Args:
        domain: The recipient domain.
        ctx: Resolver, timeout, CA file.
        fetch: Replaces the HTTPS fetch (url -> :class:`HttpResult`).
        https_port: Port of the default fetch (tests serve it on loopback).

    Returns:
        (findings under ``transport.mtasts.*``, the valid policy or None).
    """
    answer = await ctx.resolver.query(f"_mta-sts.{domain}", "TXT")
    record = _record_finding(domain, answer)
    if record.status is not Status.PASS:
        return (record,), None
    url = policy_url(domain)
    result = await (fetch(url) if fetch else fetch_policy(url, ctx=ctx, port=https_port))
    finding, policy = _policy_finding(domain, result)
    return (record, finding), policy


def _record_finding(domain: str, answer: DnsAnswer) -> Finding:
    subject, ev = f"_mta-sts.{domain}", (answer.evidence(),)
    check = "transport.mtasts.record"
    if not answer.ok:
        return _finding(
            check,
            Status.ERROR,
            subject,
            f"MTA-STS lookup failed: {answer.describe()}",
            evidence=ev,
            reference=RFC_STS,
        )
    policy_id, problem = parse_sts_record(answer.records)
    if policy_id is not None:
        return _finding(
            check,
            Status.PASS,
            subject,
            f"MTA-STS record present (id={policy_id})",
            evidence=ev,
            reference="RFC 8461 section 3.1",
            data={"id": policy_id},
        )
    if not answer.exists or problem == "no v=STSv1 record":
        return _finding(
            check,
            Status.INFO,
            subject,
            "no MTA-STS policy: senders may deliver without verified TLS",
            evidence=ev,
            reference=RFC_STS,
        )
    return _finding(
        check,
        Status.WARN,
        subject,
        f"MTA-STS record invalid: {problem}",
        evidence=ev,
        reference="RFC 8461 section 3.1",
        cause="transport.mtasts.invalid_record",
        fix="Publish exactly one 'v=STSv1; id=<1-32 alphanumerics>' TXT record.",
    )


def _policy_finding(domain: str, result: HttpResult) -> tuple[Finding, StsPolicy | None]:
    check, subject, ev = "transport.mtasts.policy", result.url, (result.evidence(),)
    problem = _fetch_problem(result)
    if problem:
        return _finding(
            check,
            Status.WARN,
            subject,
            f"MTA-STS policy unavailable: {problem}",
            evidence=ev,
            reference="RFC 8461 section 3.3",
            cause="transport.mtasts.policy_unavailable",
            fix=f"Serve the policy at {result.url} over HTTPS with a certificate valid for "
            f"mta-sts.{domain}, status 200, Content-Type text/plain, no redirects.",
        ), None
    policy = parse_policy(result.body)
    if not policy.valid:
        return _finding(
            check,
            Status.WARN,
            subject,
            f"MTA-STS policy invalid: {'; '.join(policy.errors)}",
            evidence=ev,
            reference="RFC 8461 section 3.2",
            cause="transport.mtasts.policy_invalid",
            fix="Correct the policy file (version, mode, mx, max_age).",
        ), None
    return _finding(
        check,
        Status.PASS,
        subject,
        f"MTA-STS policy: mode {policy.mode}, mx {', '.join(policy.mx) or '-'}, "
        f"max_age {policy.max_age}",
        evidence=ev,
        reference="RFC 8461 section 3.2",
        data={"mode": policy.mode, "mx": list(policy.mx), "max_age": policy.max_age},
    ), policy


def _fetch_problem(result: HttpResult) -> str:
    if result.error:
        return result.error
    if result.status is not None and 300 <= result.status < 400:
        return f"HTTP {result.status}: redirects are not followed (RFC 8461 3.3)"
    if result.status != 200:
        return f"HTTP {result.status}"
    if not result.content_type.lower().startswith("text/plain"):
        return f"Content-Type is {result.content_type or 'missing'}, not text/plain"
    return ""


def policy_mx_findings(
    policy: StsPolicy, mx_hosts: Sequence[str], domain: str
) -> tuple[Finding, ...]:
    """Whether each MX host matches the policy's ``mx:`` patterns (RFC 8461 4.1)."""
    findings = []
    for host in mx_hosts:
        match = next((p for p in policy.mx if mx_matches(host, p)), None)
        if match is not None:
            findings.append(
                _finding(
                    "transport.mtasts.mx_match",
                    Status.PASS,
                    host,
                    f"{host} matches policy pattern {match}",
                    reference="RFC 8461 section 4.1",
                )
            )
            continue
        status = {"enforce": Status.FAIL, "testing": Status.WARN}.get(policy.mode, Status.INFO)
        findings.append(
            _finding(
                "transport.mtasts.mx_match",
                status,
                host,
                f"{host} matches no mx: pattern of the {policy.mode} policy",
                detail="Senders that honour an enforce policy will not deliver to this MX."
                if policy.mode == "enforce"
                else "",
                reference="RFC 8461 section 4.1",
                cause="transport.mtasts.mx_mismatch" if status is not Status.INFO else "",
                fix=f"Add an mx: line covering {host} to the policy (and change its id in "
                f"_mta-sts.{domain}), or fix the MX records.",
                data={"patterns": list(policy.mx), "mode": policy.mode},
            )
        )
    return tuple(findings)


async def check_tls_rpt(domain: str, *, ctx: Context) -> tuple[Finding, ...]:
    """The ``_smtp._tls`` TLS-RPT record (RFC 8460 3)."""
    answer = await ctx.resolver.query(f"_smtp._tls.{domain}", "TXT")
    subject, ev, check = f"_smtp._tls.{domain}", (answer.evidence(),), "transport.tlsrpt.record"
    if not answer.ok:
        return (
            _finding(
                check,
                Status.ERROR,
                subject,
                f"TLS-RPT lookup failed: {answer.describe()}",
                evidence=ev,
                reference=RFC_TLSRPT,
            ),
        )
    rua, problem = parse_tlsrpt_record(answer.records)
    if rua:
        return (
            _finding(
                check,
                Status.PASS,
                subject,
                f"TLS-RPT reports go to {', '.join(rua)}",
                evidence=ev,
                reference=RFC_TLSRPT,
                data={"rua": list(rua)},
            ),
        )
    if problem == "no v=TLSRPTv1 record":
        return (
            _finding(
                check,
                Status.INFO,
                subject,
                "no TLS-RPT record: TLS failures on the way in are not reported",
                evidence=ev,
                reference=RFC_TLSRPT,
            ),
        )
    return (
        _finding(
            check,
            Status.WARN,
            subject,
            f"TLS-RPT record invalid: {problem}",
            evidence=ev,
            reference=RFC_TLSRPT,
            cause="transport.tlsrpt.invalid_record",
            fix="Publish 'v=TLSRPTv1; rua=mailto:tls-reports@<domain>'.",
        ),
    )
