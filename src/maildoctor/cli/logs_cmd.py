"""``maildoctor logs FILE ...``: what sending logs say happened to the mail."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ..errors import InputError
from ..logs import analyze_logs, log_findings
from ..model import Report
from .common import FORMATS, brief_option, emit


def _check_readable(paths: tuple[str, ...]) -> list[Path]:
    """Fail early, with one line, on a path that cannot be read."""
    checked = []
    for text in paths:
        path = Path(text)
        if not path.is_file() or not os.access(path, os.R_OK):
            reason = "no such file" if not path.exists() else "not a readable file"
            raise InputError(f"cannot read {text}: {reason}")
        checked.append(path)
    return checked


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
@brief_option
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
