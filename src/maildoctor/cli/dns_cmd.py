"""``maildoctor dns``: the DNS layer for one domain, or for a list of domains.

One domain prints the full report (text or JSON). ``--file`` checks a list
concurrently (``--concurrency`` in flight) and streams one result per domain as
it completes: a line of counts in text, a JSON object per line in JSON. Exit
codes: 0 nothing wrong, 1 a failure, 2 bad usage or input, 3 incomplete (for a
list: 1 if any domain failed, else 2 if a line was not a domain, else 3 if any
check could not complete).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import IO, TYPE_CHECKING, Any

import click

from ..dns.early import EarlyQuery, on_the_wire, plain_domain, send_early
from ..dns.nameserver import Nameserver, system_nameservers
from ..dns.prefetch import first_round, prefetch
from ..dns.udpmux import UdpPool
from ..escaping import json_safe
from .common import dns_fixture_in_use, emit, make_context, network_options, run_async

if TYPE_CHECKING:
    from ..dns.check import BatchItem
    from ..model import Report

__all__ = ["command"]


@click.command("dns")
@click.argument("domain", required=False)
@click.option("--ip", metavar="IP", help="Sending IP: check its PTR, forward DNS and SPF.")
@click.option("--mail-from", "mail_from", metavar="DOMAIN", help="MAIL FROM domain to check.")
@click.option(
    "--selector", "selectors", multiple=True, metavar="S", help="DKIM selector (repeatable)."
)
@click.option(
    "--file",
    "domain_file",
    type=click.File("r", encoding="utf-8", errors="replace"),
    metavar="PATH",
    help="Check the domains listed in PATH ('-' for stdin), one per line, '#' comments.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 10000),
    default=50,
    show_default=True,
    help="Domains checked at once with --file.",
)
@click.option(
    "--blocklist", is_flag=True, help="Look the domain (DBL) and --ip up on DNS blocklists."
)
@click.option(
    "--dnsbl",
    "zones",
    multiple=True,
    metavar="ZONE",
    help="Another blocklist zone to ask (repeatable; implies --blocklist).",
)
@click.option(
    "--discover-selectors",
    "discover",
    is_flag=True,
    help="Find DKIM keys under the selectors of the providers in use and common names.",
)
@click.option("--dnssec", is_flag=True, help="Is the zone signed; does the chain validate (AD).")
@click.option("--bimi", is_flag=True, help="Check the BIMI record, its SVG logo and VMC.")
@click.option(
    "--extended", is_flag=True, help="All of --blocklist, --discover-selectors, --dnssec, --bimi."
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence and details for every finding.")
@network_options
def command(
    domain: str | None,
    ip: str | None,
    mail_from: str | None,
    selectors: tuple[str, ...],
    domain_file: IO[str] | None,
    concurrency: int,
    blocklist: bool,
    zones: tuple[str, ...],
    discover: bool,
    dnssec: bool,
    bimi: bool,
    extended: bool,
    verbose: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Check a domain's DMARC, DKIM keys, MX, MAIL FROM and reverse DNS."""
    extras = _extras(blocklist, zones, discover, dnssec, bimi, extended)
    if domain_file is not None:
        if extras:
            raise click.UsageError("--file cannot be combined with the extended checks")
        if domain or ip or mail_from:
            raise click.UsageError("--file cannot be combined with DOMAIN, --ip or --mail-from")
        return _batch(domain_file, selectors, concurrency, nameservers, timeout, retries, fmt)
    if not domain:
        raise click.UsageError("give a DOMAIN, or --file PATH")
    args = (domain, ip, mail_from, selectors)
    report = run_async(_check_one(nameservers, timeout, retries, *args, extras=extras))
    return emit(report, fmt, verbose=verbose)


def _extras(
    blocklist: bool,
    zones: tuple[str, ...],
    discover: bool,
    dnssec: bool,
    bimi: bool,
    extended: bool,
) -> Any:
    """The extended checks asked for (:class:`maildoctor.dns.extras.Extras`), or None."""
    if not (blocklist or zones or discover or dnssec or bimi or extended):
        return None
    from ..dns.blocklist import custom_list
    from ..dns.extras import Extras

    for zone in zones:
        try:
            custom_list(zone)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--dnsbl") from None
    if extended:
        return Extras.everything(zones)
    return Extras(blocklist=blocklist, zones=zones, discover=discover, dnssec=dnssec, bimi=bimi)


async def _check_one(
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    domain: str,
    ip: str | None,
    mail_from: str | None,
    selectors: tuple[str, ...],
    *,
    extras: Any = None,
) -> Report:
    """Send the first questions, then load the DNS library and the checks while they fly."""
    udp = UdpPool()
    early = _send_early(udp, nameservers, timeout, domain, ip, mail_from, selectors)
    await on_the_wire(udp, early)
    ctx = make_context(nameservers, timeout, retries, udp=udp)  # loads dnspython meanwhile
    from ..dns.names import parse_domain, parse_ip, parse_selector

    # Full validation: a bad name is a usage error, not a query (the early questions
    # went out only for names that are plainly valid).
    questions = first_round(
        parse_domain(domain),
        selectors=[parse_selector(s) for s in selectors],
        mail_from=parse_domain(mail_from, what="MAIL FROM domain") if mail_from else None,
        ip=parse_ip(ip) if ip else None,
    )
    adopt = getattr(ctx.resolver, "adopt", None)
    if adopt is not None:
        adopt(early)
    await prefetch(ctx.resolver, questions)
    # Import in a worker thread: the event loop keeps reading answers and sending
    # the follow-up questions (SPF includes, MX addresses) while the checks load.
    check_domain = await asyncio.to_thread(_load_check_domain)
    report = await check_domain(domain, ctx=ctx, ip=ip, mail_from=mail_from, selectors=selectors)
    if extras is None:
        return report
    from dataclasses import replace

    from ..dns.extras import check_extras

    more = await check_extras(report.subject, extras, ctx=ctx, ip=ip, selectors=selectors)
    return replace(report, findings=report.findings + more)


def _send_early(
    udp: UdpPool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    domain: str,
    ip: str | None,
    mail_from: str | None,
    selectors: tuple[str, ...],
) -> list[EarlyQuery]:
    """The first round, hand-encoded, to the first server (see :mod:`maildoctor.dns.early`)."""
    names = [domain.lower(), *(n.lower() for n in (mail_from,) if n)]
    if dns_fixture_in_use() or not all(plain_domain(n) for n in names):
        return []
    if not all(plain_domain(f"{s}.{names[0]}") for s in selectors) or not _is_ip(ip):
        return []
    questions = first_round(names[0], selectors=selectors, mail_from=mail_from and names[1], ip=ip)
    servers = nameservers or system_nameservers()
    return send_early(udp, servers[0], questions, timeout) if servers else []


def _is_ip(text: str | None) -> bool:
    """True when absent or an IP address (the full check comes later, with its message)."""
    if text is None:
        return True
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _batch(
    stream: IO[str],
    selectors: tuple[str, ...],
    concurrency: int,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    async def run() -> int:
        from ..dns.check import check_many

        udp = UdpPool()  # one set of sockets for every domain's resolver
        items = check_many(
            _threaded_lines(stream),
            context_factory=lambda: make_context(nameservers, timeout, retries, udp=udp),
            concurrency=concurrency,
            selectors=selectors,
        )
        return await _print_items(items, fmt)

    return run_async(run())


async def _print_items(items: AsyncIterator[BatchItem], fmt: str) -> int:
    """Print each item as it arrives; keep only the exit codes seen."""
    from ..model import ExitCode

    codes: set[int] = set()
    async for item in items:
        click.echo(_json_line(item) if fmt == "json" else _text_line(item))
        codes.add(int(ExitCode.USAGE) if item.report is None else int(item.report.exit_code))
    return _batch_exit(codes)


def _batch_exit(codes: set[int]) -> int:
    from ..model import ExitCode

    for code in (ExitCode.PROBLEMS, ExitCode.USAGE, ExitCode.INCOMPLETE):
        if int(code) in codes:
            return int(code)
    return int(ExitCode.OK)


async def _threaded_lines(stream: IO[str]) -> AsyncIterator[str]:
    """Domains from a stream, each line read in a worker thread.

    Reading stdin from a slow pipe must not block the event loop while the DNS
    answers for the domains in flight wait to be processed.
    """
    from ..dns.check import domains_from_lines

    domains = domains_from_lines(stream)
    while (domain := await asyncio.to_thread(next, domains, None)) is not None:
        yield domain


def _text_line(item: BatchItem) -> str:
    from ..model import Status

    if item.report is None:
        return f"{item.domain}: not checked: {item.error} (exit 2)"
    report = item.report
    counts = [f"{len(report.by_status(s))} {s}" for s in Status if report.by_status(s)]
    causes = sorted({f.cause for f in report.by_status(Status.FAIL) if f.cause})
    tail = f"; causes: {', '.join(causes)}" if causes else ""
    return f"{report.subject}: {', '.join(counts)} (exit {int(report.exit_code)}){tail}"


def _json_line(item: BatchItem) -> str:
    from ..model import SCHEMA_VERSION, ExitCode

    if item.report is not None:
        return json_safe(
            json.dumps(item.report.to_dict(), ensure_ascii=False, separators=(",", ":"))
        )
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": "maildoctor",
        "command": "dns",
        "subject": item.domain,
        "exit_code": int(ExitCode.USAGE),
        "error": item.error,
    }
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _load_check_domain() -> Callable[..., Awaitable[Report]]:
    """Import the DNS checks (run in a worker thread: a fifth of the start-up)."""
    from ..dns.check import check_domain

    return check_domain
