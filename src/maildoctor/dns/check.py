"""The DNS layer's orchestrator: every DNS check for a domain, all at once.

:func:`check_domain` validates its input (:class:`~maildoctor.errors.InputError`
for anything that is not a domain, IP or selector), then runs DMARC, DKIM, MX,
MAIL FROM, PTR and SPF concurrently with :func:`asyncio.gather`; identical
lookups made by different checks (the From domain's DMARC tree walk, for one)
are coalesced by the resolver. The DMARC recommendation is computed last, as a
pure function of what the others found (Microsoft 365 MX, DKIM readiness).

:func:`check_many` runs :func:`check_domain` over a stream of domains with a
bounded number in flight, yielding each result as it completes, so memory stays
bounded however long the list is.

:func:`check_dns` is the layer's entry point for ``diagnose``: the same checks, as a
:class:`~maildoctor.model.LayerResult`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..context import Context
from ..errors import InputError
from ..model import Finding, LayerResult, Report, Status
from .dkim import SES_DKIM_SUFFIX, check_dkim
from .dmarc import evaluate_dmarc, recommendation_finding
from .dmarc_advice import AdviceContext
from .mailfrom import check_mail_from, default_mail_from_finding, includes_ses, spf_records
from .mx import MxResult, mx_findings, mx_hosts
from .names import parse_domain, parse_ip, parse_selector
from .prefetch import first_round, prefetch
from .ptr import check_ptr
from .spf import check_spf

__all__ = ["BatchItem", "check_dns", "check_domain", "check_many", "domains_from_lines"]

log = logging.getLogger(__name__)

#: Exchange Online's inbound MX hosts (vendor name maildoctor must recognise).
MICROSOFT365_MX_SUFFIX = ".mail.protection.outlook.com"
DEFAULT_CONCURRENCY = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class _Input:
    domain: str
    ip: str | None
    mail_from: str | None
    selectors: tuple[str, ...]
    helo: str | None = None


def _validate(
    domain: str,
    ip: str | None,
    mail_from: str | None,
    selectors: Iterable[str],
    helo: str | None = None,
) -> _Input:
    return _Input(
        domain=parse_domain(domain),
        ip=parse_ip(ip) if ip else None,
        mail_from=parse_domain(mail_from, what="MAIL FROM domain") if mail_from else None,
        selectors=tuple(dict.fromkeys(parse_selector(s) for s in selectors)),
        helo=parse_domain(helo, what="HELO name") if helo else None,
    )


async def check_domain(
    domain: str,
    *,
    ctx: Context,
    ip: str | None = None,
    mail_from: str | None = None,
    selectors: Sequence[str] = (),
    microsoft365: bool | None = None,
    helo: str | None = None,
) -> Report:
    """Run every DNS check for a domain concurrently.

    Args:
        domain: The From (Author) domain.
        ctx: The run's context.
        ip: A sending IP to check PTR, forward confirmation and SPF for.
        mail_from: The MAIL FROM domain (SES custom MAIL FROM), if any.
        selectors: DKIM selectors to check.
        microsoft365: Whether mail goes to Microsoft 365 recipients (shapes the
            DMARC advice); ``None`` guesses from the domain's own MX.
        helo: The name the sending host announces (EHLO); with ``ip``, its SPF record
            is evaluated too (RFC 7208 section 2.3).

    Returns:
        A ``Report`` with command ``dns``.

    Raises:
        InputError: if the domain, IP, MAIL FROM domain or a selector is malformed.
    """
    args = _validate(domain, ip, mail_from, selectors, helo)
    start = time.perf_counter()
    # The first round and the chains it starts (SPF includes, MX addresses) go out now;
    # each check then finds its answers in flight or in the run's cache.
    await prefetch(
        ctx.resolver,
        first_round(args.domain, selectors=args.selectors, mail_from=args.mail_from, ip=args.ip),
    )
    dmarc, dkim, mx, mail_from_findings, ptr, spf = await asyncio.gather(
        evaluate_dmarc(args.domain, ctx=ctx),
        check_dkim(args.domain, args.selectors, ctx=ctx),
        mx_hosts(args.domain, ctx=ctx),
        _mail_from(args, ctx),
        _ptr_and_helo(args, ctx),
        check_spf(args.domain, ctx=ctx),
    )
    advice = AdviceContext(
        domain=args.domain,
        microsoft365=_microsoft365(mx) if microsoft365 is None else microsoft365,
        authentication_ready=_readiness(dkim),
        unauthorized=tuple(a.destination for a in dmarc.authorizations if a.refused),
    )
    findings = (*dmarc.findings, recommendation_finding(dmarc, advice), *dkim, *mx_findings(mx))
    findings += (*mail_from_findings, *ptr, *spf)
    return Report(
        command="dns",
        subject=args.domain,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta=_meta(args, ctx),
    )


async def check_dns(
    domain: str,
    *,
    ctx: Context,
    ip: str | None = None,
    mail_from: str | None = None,
    selectors: Sequence[str] = (),
    microsoft365: bool | None = None,
    helo: str | None = None,
) -> LayerResult[None]:
    """The DNS layer for ``diagnose``: :func:`check_domain`'s findings.

    Args:
        domain: The From (Author) domain.
        ctx: The run's context.
        ip: A sending IP to check PTR, forward confirmation and SPF for.
        mail_from: The MAIL FROM domain, if any.
        selectors: DKIM selectors to check.
        microsoft365: Whether mail goes to Microsoft 365 recipients.
        helo: The sending host's EHLO name (its SPF record is evaluated with ``ip``).

    Returns:
        The findings (no facts shared yet).

    Raises:
        InputError: if the domain, IP, MAIL FROM domain or a selector is malformed.
    """
    report = await check_domain(
        domain,
        ctx=ctx,
        ip=ip,
        mail_from=mail_from,
        selectors=selectors,
        microsoft365=microsoft365,
        helo=helo,
    )
    return LayerResult(findings=report.findings)


def _meta(args: _Input, ctx: Context) -> dict[str, object]:
    return {
        "domain": args.domain,
        "ip": args.ip,
        "mail_from": args.mail_from,
        "selectors": list(args.selectors),
        "queries_sent": getattr(ctx.resolver, "queries_sent", None),
    }


async def _ptr_and_helo(args: _Input, ctx: Context) -> tuple[Finding, ...]:
    ptr, helo = await asyncio.gather(_ptr(args, ctx), _helo(args, ctx))
    return (*ptr, *helo)


async def _helo(args: _Input, ctx: Context) -> tuple[Finding, ...]:
    """The HELO identity's SPF (RFC 7208 section 2.3): receivers may check it on its own,
    and it is the only identity for bounces (null MAIL FROM). An advisory, not a cause:
    DMARC rests on the MAIL FROM identity."""
    if args.ip is None or args.helo is None:
        return ()
    from .spf import helo_finding

    return (await helo_finding(args.ip, args.helo, ctx=ctx),)


async def _mail_from(args: _Input, ctx: Context) -> tuple[Finding, ...]:
    if args.mail_from is None:
        # What SES does without a custom MAIL FROM matters only to SES senders: say it
        # when the domain's DNS shows SES (SPF include or Easy DKIM CNAMEs), else nothing.
        return (default_mail_from_finding(args.domain),) if await _uses_ses(args, ctx) else ()
    ips = (args.ip,) if args.ip else ()
    return await check_mail_from(args.mail_from, args.domain, ctx=ctx, ips=ips)


async def _uses_ses(args: _Input, ctx: Context) -> bool:
    """Whether the domain's own records show Amazon SES (asked anyway by the other checks)."""
    txt, *keys = await asyncio.gather(
        ctx.resolver.query(args.domain, "TXT"),
        *(ctx.resolver.query(f"{s}._domainkey.{args.domain}", "TXT") for s in args.selectors),
    )
    if any(includes_ses(r) for r in spf_records(txt)):
        return True
    return any((key.target or "").rstrip(".").lower().endswith(SES_DKIM_SUFFIX) for key in keys)


async def _ptr(args: _Input, ctx: Context) -> tuple[Finding, ...]:
    if args.ip is None:
        return ()
    return await check_ptr(args.ip, args.domain, ctx=ctx)


def _microsoft365(mx: MxResult) -> bool:
    return any(h.exchange.endswith(MICROSOFT365_MX_SUFFIX) for h in mx.hosts)


def _readiness(dkim: tuple[Finding, ...]) -> bool | None:
    """``False`` when a named DKIM key is broken; ``None`` (unknown) otherwise.

    DNS alone never proves that *every* sending source is aligned, so this
    never returns ``True``.
    """
    return False if any(f.status is Status.FAIL for f in dkim) else None


# -- many domains -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchItem:
    """One domain's outcome in a batch: a report, or the reason there is none."""

    domain: str
    report: Report | None = None
    error: str = ""
    #: Position in the input (0-based), so a caller can restore the input order.
    index: int = 0


def domains_from_lines(lines: Iterable[str]) -> Iterator[str]:
    """Domains from text lines: one per line, ``#`` starts a comment, blanks skipped."""
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text:
            yield text


async def _each(domains: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    if isinstance(domains, AsyncIterable):
        async for domain in domains:
            yield domain
    else:
        for domain in domains:
            yield domain


async def check_many(
    domains: Iterable[str] | AsyncIterable[str],
    *,
    context_factory: Callable[[], Context],
    concurrency: int = DEFAULT_CONCURRENCY,
    selectors: Sequence[str] = (),
) -> AsyncIterator[BatchItem]:
    """Check many domains, at most ``concurrency`` at a time, yielding as each completes.

    Each domain gets its own :class:`Context` (and so its own resolver cache),
    which keeps memory bounded on long lists. Input is read lazily.

    Args:
        domains: Domain names (e.g. from :func:`domains_from_lines`), sync or async.
        context_factory: Builds the context for one domain.
        concurrency: Maximum domains in flight (at least 1).
        selectors: DKIM selectors to check on every domain.

    Yields:
        One :class:`BatchItem` per input domain, in completion order (``index`` gives
        the input order).
    """
    limit = max(1, concurrency)
    pending: set[asyncio.Task[BatchItem]] = set()
    index = 0
    async for domain in _each(domains):
        if len(pending) >= limit:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                yield task.result()
        pending.add(asyncio.create_task(_one(domain, context_factory, selectors, index)))
        index += 1
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            yield task.result()


async def _one(
    domain: str, context_factory: Callable[[], Context], selectors: Sequence[str], index: int
) -> BatchItem:
    try:
        report = await check_domain(domain, ctx=context_factory(), selectors=selectors)
    except InputError as exc:
        return BatchItem(domain=domain, error=str(exc), index=index)
    return BatchItem(domain=report.subject, report=report, index=index)
