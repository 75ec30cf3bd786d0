"""The work of one partition, the same on every back end.

:func:`run_partition` is what a Dask worker (or the in-process back end) runs: it
reads one :class:`~maildoctor.batch.partition.Partition`, does the per-item work
with the functions the single commands use (``check_domain`` for a domain,
``classify_item`` for a message) in its own bounded asyncio batch, and writes the
rows and a small summary atomically under names taken from the partition's key.
It returns only the summary, so nothing large crosses the network.

Everything it needs is in a :class:`JobSpec`, which pickles: nameservers are
``host:port`` strings and each worker builds its own resolver.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .output import write_partition
from .partition import Partition
from .rows import (
    bounce_error_row,
    bounce_rows,
    domain_error_row,
    domain_rows,
    report_error_row,
    report_rows,
)
from .summary import PartitionSummary, summarise

__all__ = ["JobSpec", "run_partition"]

Row = dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSpec:
    """Everything a worker needs to run a partition (picklable).

    Attributes:
        out_dir: Where partition files go (shared storage for a real cluster).
        output_format: ``parquet`` or ``jsonl``.
        nameservers: ``host[:port]`` strings; empty for the worker's system resolvers.
        timeout: Seconds per network step.
        retries: Extra rounds over the nameservers after a timeout.
        concurrency: Items in flight at once inside one partition.
        qps: DNS questions per second per worker at most (0: unlimited).
        item_timeout: Seconds one item may take before it becomes a ``timeout`` row.
        selectors: DKIM selectors checked on every domain.
    """

    out_dir: str
    output_format: str = "parquet"
    nameservers: tuple[str, ...] = ()
    timeout: float = 5.0
    retries: int = 1
    concurrency: int = 50
    qps: float = 0.0
    item_timeout: float = 30.0
    selectors: tuple[str, ...] = ()


def run_partition(spec: JobSpec, partition: Partition) -> PartitionSummary:
    """Do one partition's work and write its files; return its summary.

    Never raises for an item: each failure is a row with its status. Writing is
    atomic, so a worker killed half-way leaves no partial file behind.
    """
    start = time.perf_counter()
    if partition.kind == "domains":
        rows = asyncio.run(_domains(spec, partition.items))
    elif partition.kind == "reports":
        rows = list(_reports(partition.items))
    else:
        rows = list(_bounces(partition.items))
    summary = summarise(partition, rows, seconds=time.perf_counter() - start)
    write_partition(Path(spec.out_dir), partition, rows, summary, spec.output_format)
    return summary


# -- domains ------------------------------------------------------------------------


async def _domains(spec: JobSpec, domains: tuple[str, ...]) -> list[Row]:
    from ..context import Context
    from ..dns.nameserver import parse_nameserver
    from ..dns.ratelimit import RateLimitedResolver
    from ..dns.resolver import DnsResolver
    from ..dns.udpmux import UdpPool

    servers = [parse_nameserver(text) for text in spec.nameservers] or None
    udp = UdpPool()  # one set of sockets for the partition
    limiter = RateLimitedResolver.limiter(spec.qps)

    def context() -> Context:
        resolver = DnsResolver(servers, timeout=spec.timeout, retries=spec.retries, udp=udp)
        ctx = Context(resolver=resolver, timeout=spec.timeout)
        if limiter is None:
            return ctx
        return dataclasses.replace(ctx, resolver=RateLimitedResolver(ctx.resolver, limiter))

    gate = asyncio.Semaphore(max(1, spec.concurrency))
    results = await asyncio.gather(*(_domain(d, context, spec, gate) for d in domains))
    return [row for rows in results for row in rows]


async def _domain(domain: str, context: Any, spec: JobSpec, gate: asyncio.Semaphore) -> list[Row]:
    from ..dns.check import check_domain
    from ..errors import InputError

    async with gate:
        try:
            report = await asyncio.wait_for(
                check_domain(domain, ctx=context(), selectors=spec.selectors), spec.item_timeout
            )
        except InputError as exc:
            return [domain_error_row(domain, "invalid", str(exc))]
        except TimeoutError:
            return [domain_error_row(domain, "timeout", f"not finished in {spec.item_timeout:g} s")]
        except Exception as exc:  # noqa: BLE001 - one domain's failure is a row, not a lost job
            return [domain_error_row(domain, "error", f"{type(exc).__name__}: {exc}")]
    return domain_rows(report)


# -- bounces ------------------------------------------------------------------------


def _bounces(items: tuple[str, ...]) -> Iterator[Row]:
    from ..bounce.classify import classify_item

    for source in items:
        try:
            inputs = list(_inputs(source))
        except OSError as exc:
            yield bounce_error_row(source, "error", f"cannot read: {exc.strerror or exc}")
            continue
        for item in inputs:
            result = classify_item(item)
            if result.records:
                yield from bounce_rows(result.records, item.origin)
            else:
                detail = "; ".join(result.warnings) or "not a bounce"
                yield bounce_error_row(item.origin, "none", detail)


def _inputs(source: str) -> Iterator[Any]:
    """The items of one partition entry: a file, or an mbox byte range ``PATH@A-B``."""
    from ..bounce.readers import iter_inputs, read_stream

    path, span = _split_range(source)
    if span is None:
        yield from iter_inputs(source)
        return
    yield from read_stream(io.BytesIO(_read_range(path, span)), source)


# -- reports ------------------------------------------------------------------------


def _reports(items: tuple[str, ...]) -> Iterator[Row]:
    from ..errors import InputError
    from ..reports.reader import iter_reports, read_stream

    for source in items:
        path, span = _split_range(source)
        try:
            if span is None:
                found = list(iter_reports(source))
            else:
                found = list(read_stream(io.BytesIO(_read_range(path, span)), source))
        except (OSError, InputError) as exc:
            yield report_error_row(source, "error", f"cannot read: {exc}")
            continue
        for item in found:
            yield from report_rows(item)


def _split_range(source: str) -> tuple[str, tuple[int, int] | None]:
    """``PATH@A-B`` -> (PATH, (A, B)); a plain path -> (path, None)."""
    path, _, span = source.rpartition("@")
    if not path or not _is_range(span):
        return source, None
    start, end = (int(n) for n in span.split("-"))
    return path, (start, end)


def _read_range(path: str, span: tuple[int, int]) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(span[0])
        return handle.read(span[1] - span[0])  # at most the partition's mbox size


def _is_range(span: str) -> bool:
    first, dash, second = span.partition("-")
    return bool(dash) and first.isdigit() and second.isdigit()
