"""``maildoctor logs FILE ...``: what sending logs say happened to the mail."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..logs import analyze_logs, log_findings
from ..model import Report
from .common import FORMATS, check_input, emit


def _check_readable(paths: tuple[str, ...]) -> list[Path]:
    """Fail early, with one line, on a path that cannot be read."""
    return [Path(text) for text in paths if check_input(text) is not None]


@click.command("logs")
@click.argument("paths", metavar="FILE...", nargs=-1, required=True)
@click.option(
    "--year",
    type=click.IntRange(1990, 2200),
    default=None,
    help="Year for syslog time stamps, which carry none (default: inferred).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show details and evidence for every finding.")
def command(paths: tuple[str, ...], year: int | None, fmt: str, verbose: bool) -> int:
    """Summarise Postfix, Exim, Sendmail or application logs that record SMTP replies.

    Per-recipient outcomes, counts by reply code and reason per hour, failures
    grouped by cause, and whether every message went through one relay, one
    connection or one credential. Lines in unknown formats are counted, not fatal.
    """
    files = _check_readable(paths)
    start = time.perf_counter()
    summary = analyze_logs(files, year=year)
    report = Report(
        command="logs",
        subject=", ".join(paths),
        findings=log_findings(summary),
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={
            "files": [
                {
                    "path": f.path,
                    "lines": f.lines,
                    "recognised": f.recognised,
                    "events": f.events,
                    "formats": dict(f.formats),
                }
                for f in summary.files
            ]
        },
    )
    return emit(report, fmt, verbose=verbose)
