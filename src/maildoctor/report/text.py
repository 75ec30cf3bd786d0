"""Plain-terminal rendering of a :class:`~maildoctor.model.Report` with Rich."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from ..model import Finding, Report, Status

MARKS = {
    Status.PASS: ("[green]PASS[/]", "ok"),
    Status.INFO: ("[cyan]INFO[/]", "info"),
    Status.WARN: ("[yellow]WARN[/]", "warn"),
    Status.FAIL: ("[bold red]FAIL[/]", "fail"),
    Status.ERROR: ("[magenta]ERR [/]", "error"),
    Status.SKIPPED: ("[dim]SKIP[/]", "skip"),
}


def group_key(finding: Finding) -> str:
    """``dns.spf.lookup_limit`` -> ``dns.spf``."""
    parts = finding.check.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def render_text(report: Report, *, verbose: bool = False, file: TextIO | None = None) -> None:
    """Print findings grouped by check family, worst first within each group."""
    console = Console(file=file or sys.stdout, highlight=False, soft_wrap=True)
    console.print(f"[bold]maildoctor {escape(report.command)}[/] {escape(report.subject)}")
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(group_key(f), []).append(f)
    for name, findings in groups.items():
        console.print(f"\n[bold]{escape(name)}[/]")
        for f in _ordered(findings):
            _print_finding(console, f, verbose=verbose)
    counts = {s: len(report.by_status(s)) for s in Status}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    console.print(
        f"\n{summary or 'no findings'} in {report.elapsed_ms:.0f} ms (exit {int(report.exit_code)})"
    )


ORDER = [Status.FAIL, Status.ERROR, Status.WARN, Status.INFO, Status.PASS, Status.SKIPPED]


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: ORDER.index(f.status))


def _print_finding(console: Console, f: Finding, *, verbose: bool) -> None:
    mark = MARKS[f.status][0]
    console.print(f"  {mark} {escape(f.summary)}  [dim]{escape(f.check)}[/]")
    if f.detail and (verbose or f.status in (Status.FAIL, Status.WARN, Status.ERROR)):
        for line in f.detail.splitlines():
            console.print(f"       {escape(line)}")
    if f.fix and f.status in (Status.FAIL, Status.WARN, Status.ERROR):
        console.print(f"       [bold]fix:[/] {escape(f.fix)}")
    if f.reference and (verbose or f.status in (Status.FAIL, Status.WARN)):
        console.print(f"       [dim]ref: {escape(f.reference)}[/]")
    if verbose:
        for ev in f.evidence:
            server = f" @{ev.server}" if ev.server else ""
            console.print(
                f"       [dim]{escape(ev.query)}{escape(server)}: {escape(ev.outcome)}[/]"
            )
            for raw in ev.raw[:10]:
                console.print(f"         [dim]{escape(raw[:300])}[/]")
