"""``maildoctor dns``: the DNS layer for one domain, or for a list of domains.

One domain prints the full report (text or JSON). ``--file`` checks a list
concurrently (``--concurrency`` in flight) and prints one result per domain in
input order: a line of counts in text, a JSON object per line in JSON, a row in
CSV; then a summary line (on stderr for JSON and CSV). On a terminal a progress
bar runs on stderr while the list is checked. Exit
codes: 0 nothing wrong, 1 a failure, 2 bad usage or input, 3 incomplete (for a
list: 1 if any domain failed, else 2 if a line was not a domain, else 3 if any
check could not complete).
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import IO, TYPE_CHECKING, Any

import click

from ..dns.nameserver import Nameserver
from ..dns.udpmux import UdpPool
from ..escaping import json_safe
from .common import emit, make_context, network_options, progress_bar, run_async

if TYPE_CHECKING:
    from ..dns.check import BatchItem
    from ..model import Report

__all__ = ["command"]


def _dns_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The shared network options, with ``--format`` widened to ``csv`` (a row per domain)."""
    func = network_options(func)
    params: list[click.Parameter] = getattr(func, "__click_params__", [])
    for index, param in enumerate(params):
        if param.name == "fmt":
            params[index] = click.Option(
                ["--format", "fmt"],
                type=click.Choice(("text", "json", "csv")),
                default="text",
                show_default=True,
                help="Output format; csv gives one row per domain (with --file, in input order).",
            )
    return func


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
@_dns_options
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
    if fmt == "csv":
        from ..dns.check import BatchItem

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([CSV_COLUMNS, _csv_row(BatchItem(domain=domain, report=report))])
        return int(report.exit_code)
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
    from ..dns.check import check_domain

    ctx = make_context(nameservers, timeout, retries)
    report = await check_domain(domain, ctx=ctx, ip=ip, mail_from=mail_from, selectors=selectors)
    if extras is None:
        return report
    from dataclasses import replace

    from ..dns.extras import check_extras

    more = await check_extras(report.subject, extras, ctx=ctx, ip=ip, selectors=selectors)
    return replace(report, findings=report.findings + more)


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
        with progress_bar("checking domains", _count_domains(stream)) as advance:
            return await _print_items(_in_input_order(items, advance), fmt)

    return run_async(run())


async def _in_input_order(
    items: AsyncIterator[BatchItem], advance: Callable[[], None]
) -> AsyncIterator[BatchItem]:
    """Items as they complete, released in input order (later ones wait for earlier)."""
    waiting: dict[int, BatchItem] = {}
    following = 0
    async for item in items:
        advance()
        waiting[item.index] = item
        while following in waiting:
            yield waiting.pop(following)
            following += 1
    for index in sorted(waiting):  # not reached: every index arrives once
        yield waiting[index]


def _count_domains(stream: IO[str]) -> int | None:
    """How many domains a regular file lists (for the progress bar); None for a pipe."""
    try:
        if not stream.seekable():
            return None
        start = stream.tell()
    except (OSError, ValueError):
        return None
    from ..dns.check import domains_from_lines

    total = sum(1 for _ in domains_from_lines(stream))
    stream.seek(start)
    return total


async def _print_items(items: AsyncIterator[BatchItem], fmt: str) -> int:
    """Print each item in input order, then a summary; keep only counts."""
    from ..model import ExitCode

    codes: Counter[int] = Counter()
    writer = csv.writer(sys.stdout, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    async for item in items:
        if writer is not None:
            writer.writerow(_csv_row(item))
        else:
            click.echo(_json_line(item) if fmt == "json" else _text_line(item))
        codes[int(ExitCode.USAGE) if item.report is None else int(item.report.exit_code)] += 1
    summary = _summary(codes)
    click.echo(summary, err=fmt != "text")  # data formats keep stdout to their rows
    return _batch_exit(set(codes))


def _summary(codes: Counter[int]) -> str:
    from ..model import ExitCode

    parts = [
        f"{codes[int(ExitCode.OK)]} without problems",
        f"{codes[int(ExitCode.PROBLEMS)]} with problems",
        f"{codes[int(ExitCode.INCOMPLETE)]} incomplete",
        f"{codes[int(ExitCode.USAGE)]} not domains",
    ]
    total = sum(codes.values())
    return f"{total} domain{'s' if total != 1 else ''}: {', '.join(parts)}"


#: ``--format csv``: one row per domain, in input order.
CSV_COLUMNS = (
    "domain",
    "exit_code",
    "pass",
    "info",
    "warn",
    "fail",
    "error",
    "skipped",
    "causes",
    "error_message",
)


def _csv_row(item: BatchItem) -> list[str | int]:
    from ..model import ExitCode, Status

    if item.report is None:
        return [item.domain, int(ExitCode.USAGE), 0, 0, 0, 0, 0, 0, "", item.error]
    report = item.report
    counts = [len(report.by_status(s)) for s in Status]
    causes = sorted({f.cause for f in report.by_status(Status.FAIL, Status.WARN) if f.cause})
    return [report.subject, int(report.exit_code), *counts, " ".join(causes), ""]


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
