"""``maildoctor audit``: many domains, or a bounce or report archive, in partitions, on Dask too.

``maildoctor audit domains.txt -o out/`` runs the ``dns`` checks on every domain
of the list; ``maildoctor audit --bounces ARCHIVE... -o out/`` classifies every
message of an archive (files, maildirs, mbox shards); ``--reports ARCHIVE...``
reads DMARC aggregate (one row per record), failure and TLS reports the same
way. Rows go to ``out/`` as one Parquet (or JSON lines) file per partition,
named by the partition's content, with a summary per partition and
``summary.json`` for the job. ``--resume`` skips partitions already written;
``--dask local:N`` or ``--dask tcp://HOST:PORT`` runs partitions on Dask
workers. Exit codes: 0 nothing failed; 1 a domain failed, a bounced recipient
was found, or a source failed DMARC; 2 bad usage or input (or a line that is
not a domain); 3 items could not be checked and nothing failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ..dns.nameserver import Nameserver
from .common import dns_fixture_in_use, dns_record_in_use, network_options

if TYPE_CHECKING:
    from ..batch import JobSummary, PartitionSummary

__all__ = ["command"]

#: Rows of the per-check table shown in text output.
_TOP_CHECKS = 25


@click.command("audit")
@click.argument("domains", type=click.File("r", encoding="utf-8", errors="replace"), required=False)
@click.option(
    "--bounces",
    "bounce_paths",
    multiple=True,
    type=click.Path(exists=True),
    metavar="PATH",
    help="Classify this bounce archive (file, directory, maildir or mbox; repeatable).",
)
@click.option(
    "--reports",
    "report_paths",
    multiple=True,
    type=click.Path(exists=True),
    metavar="PATH",
    help="Read this archive of DMARC aggregate/failure and TLS reports (repeatable).",
)
@click.option("-o", "--out", "out_dir", required=True, metavar="DIR", help="Output directory.")
@click.option(
    "--output-format",
    type=click.Choice(("parquet", "jsonl")),
    default="parquet",
    show_default=True,
    help="Row file format.",
)
@click.option("--dask", "dask", metavar="local[:N]|tcp://HOST:PORT", help="Run on Dask.")
@click.option("--resume", is_flag=True, help="Skip partitions already written in DIR.")
@click.option(
    "--partition-size",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="Domains (or bounce files) per partition.",
)
@click.option(
    "--mbox-mb",
    type=click.IntRange(1, 4096),
    default=32,
    show_default=True,
    help="Megabytes of mbox per partition.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 10000),
    default=50,
    show_default=True,
    help="Domains in flight at once in each partition.",
)
@click.option(
    "--qps",
    type=click.FloatRange(0, 1_000_000),
    default=0,
    show_default=True,
    help="DNS questions per second per worker at most (0: no limit).",
)
@click.option(
    "--item-timeout",
    type=click.FloatRange(0.1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds one domain may take before it is recorded as a timeout.",
)
@click.option(
    "--selector", "selectors", multiple=True, metavar="S", help="DKIM selector (repeatable)."
)
@network_options
def command(
    domains: IO[str] | None,
    bounce_paths: tuple[str, ...],
    report_paths: tuple[str, ...],
    out_dir: str,
    output_format: str,
    dask: str | None,
    resume: bool,
    partition_size: int,
    mbox_mb: int,
    concurrency: int,
    qps: float,
    item_timeout: float,
    selectors: tuple[str, ...],
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Audit many domains, or classify a bounce archive, in resumable partitions."""
    if (domains is not None) + bool(bounce_paths) + bool(report_paths) != 1:
        raise click.UsageError("give one of: a DOMAINS file, --bounces PATH, --reports PATH")
    if dns_fixture_in_use() or dns_record_in_use():
        raise click.UsageError("--dns-fixture and --dns-record are not supported by audit")
    from ..batch import JobSpec, bounce_partitions, domain_partitions, parse_backend, run_job
    from ..batch.output import require_format

    require_format(output_format)
    backend = parse_backend(dask)
    spec = JobSpec(
        out_dir=str(Path(out_dir).absolute()),
        output_format=output_format,
        nameservers=tuple(str(ns) for ns in nameservers or ()),
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        qps=qps,
        item_timeout=item_timeout,
        selectors=tuple(selectors),
    )
    if domains is not None:
        kind = "domains"
        salt = ",".join(sorted(s.lower() for s in selectors))
        parts = domain_partitions(domains, size=partition_size, salt=salt)
    else:
        kind = "bounces" if bounce_paths else "reports"
        parts = bounce_partitions(
            bounce_paths or report_paths, size=partition_size, mbox_bytes=mbox_mb << 20, kind=kind
        )
    with _progress(kind) as tick:
        job = run_job(spec, parts, kind=kind, backend=backend, resume=resume, on_done=tick)
    _write_summary(Path(out_dir), job)
    click.echo(_json(job, spec) if fmt == "json" else _text(job, spec))
    return _exit_code(job)


class _progress:
    """A Rich progress line on a terminal (stderr), nothing when piped."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task(f"{self.kind}: starting", total=None)
        items = 0

        def tick(summary: PartitionSummary) -> None:
            nonlocal items
            items += summary.items
            self.bar.update(task, description=f"{self.kind}: {items:,} done", advance=1)

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _write_summary(out_dir: Path, job: JobSummary) -> None:
    from ..batch.output import write_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(job.to_dict(), indent=2) + "\n"
    write_atomic(out_dir / "summary.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _json(job: JobSummary, spec: Any) -> str:
    data = job.to_dict()
    data.update(out_dir=spec.out_dir, output_format=spec.output_format)
    return json.dumps(data, indent=2)


_NOUNS = {"domains": "domains", "bounces": "messages", "reports": "inputs"}


def _text(job: JobSummary, spec: Any) -> str:
    noun = _NOUNS[job.kind]
    rate = job.items / job.seconds if job.seconds > 0 else 0.0
    lines = [
        f"audit: {job.items:,} {noun} in {job.partitions} partitions"
        f" ({job.resumed} resumed), {job.seconds:.1f} s, {rate:,.0f} {noun}/s",
        "  " + " · ".join(f"{k} {v:,}" for k, v in sorted(job.statuses.items())),
        f"  {job.rows:,} rows in {spec.out_dir} ({spec.output_format}), summary.json",
    ]
    lines += _table(job)
    return "\n".join(lines)


def _table(job: JobSummary) -> list[str]:
    nested = job.to_dict()["counts"]
    if job.kind == "domains":
        ranked = sorted(nested.items(), key=lambda kv: -kv[1].get("fail", 0))[:_TOP_CHECKS]
        return ["", "  check: statuses"] + [
            f"    {check}: " + ", ".join(f"{s} {n:,}" for s, n in sorted(by.items()))
            for check, by in ranked
        ]
    if job.kind == "reports":
        return _failing_sources(nested)
    totals = {reason: sum(_leaves(by)) for reason, by in nested.items()}
    ranked_reasons = sorted(totals.items(), key=lambda kv: -kv[1])[:_TOP_CHECKS]
    return ["", "  reason: recipients"] + [f"    {r}: {n:,}" for r, n in ranked_reasons]


def _failing_sources(nested: dict[str, Any]) -> list[str]:
    """Sources by messages failing DMARC, most first."""
    failing = [
        (by_verdict.get("fail", 0), ip, service)
        for ip, by_service in nested.items()
        for service, by_verdict in by_service.items()
    ]
    ranked = sorted((f for f in failing if f[0]), reverse=True)[:_TOP_CHECKS]
    lines = ["", "  sources failing DMARC: messages"]
    return lines + [f"    {ip} ({service}): {n:,}" for n, ip, service in ranked]


def _leaves(node: Any) -> list[int]:
    if isinstance(node, dict):
        return [n for child in node.values() for n in _leaves(child)]
    return [int(node)]


def _exit_code(job: JobSummary) -> int:
    failed = {
        "domains": job.statuses.get("fail", 0),
        "bounces": job.statuses.get("ok", 0),
        "reports": any(k.endswith("\tfail") for k in job.counts),
    }[job.kind]
    if failed:
        return 1
    if job.statuses.get("invalid", 0):
        return 2
    if any(job.statuses.get(s, 0) for s in ("error", "timeout")):
        return 3
    return 0
