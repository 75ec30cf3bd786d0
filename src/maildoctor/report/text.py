"""Plain-terminal rendering of a :class:`~maildoctor.model.Report` with Rich.

Layer commands get their findings grouped by check family. A report with root causes
(``maildoctor diagnose``) gets the causes first - title, evidence, fix, what the fix
does not fix, confidence - then the corrections to common advice, then the findings
by layer. Every value from outside is passed through :func:`escape`: Rich markup is
escaped and control characters are shown, not sent to the terminal.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape as escape_markup

from ..model import Finding, Layer, Report, RootCause, Status
from . import coverage, printable, printable_lines, stamp, verdict_line


def escape(text: str) -> str:
    """Outside text made safe to print: Rich markup escaped, control characters shown."""
    return escape_markup(printable(text))


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


def render_text(
    report: Report, *, verbose: bool = False, file: TextIO | None = None, brief: bool = False
) -> None:
    """Print a report: the verdict line first, root causes when it has any, then findings.

    Args:
        report: The report.
        verbose: Also show details, references and evidence of passing checks.
        file: Where to print (default stdout); colours only on a terminal.
        brief: Only the verdict and the causes (for a layer command without catalogued
            causes: its failures and warnings, one line each).
    """
    console = Console(file=file or sys.stdout, highlight=False, soft_wrap=True)
    console.print(f"[bold]Verdict:[/] {_styled_verdict(report)}")
    console.print(f"[bold]maildoctor {escape(report.command)}[/] {escape(report.subject)}")
    if scope := coverage(report.meta):
        console.print(f"[dim]{escape(scope)}[/]")
    if brief:
        _print_brief(console, report)
        return
    diagnosis = bool(report.causes) or report.command == "diagnose"
    findings: Sequence[Finding] = report.findings
    if diagnosis:
        render_causes(console, report)
        _print_layers(console, report)
        console.print("\n[bold underline]Findings by layer[/]")
        findings = tuple(f for f in _layer_ordered(findings) if not _layer_skip(f))
    groups: dict[str, list[Finding]] = {}
    for f in findings:
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
    console.print(f"[dim]{escape(stamp(report))}[/]")


_VERDICT_STYLE = {
    "problems": "bold red",
    "incomplete": "magenta",
    "advisories": "yellow",
    "healthy": "green",
}


def _styled_verdict(report: Report) -> str:
    from ..correlate import verdict

    style = _VERDICT_STYLE[str(verdict(report.findings, report.causes))]
    return f"[{style}]{escape(verdict_line(report))}[/]"


def _print_brief(console: Console, report: Report) -> None:
    """The causes, one line each with the first fix; else the failing and warning checks."""
    if report.causes:
        for number, cause in enumerate(report.causes, 1):
            mark = MARKS[cause.severity][0]
            console.print(f" {number}. {mark} {escape(cause.title)}  [dim]{escape(cause.id)}[/]")
            if cause.fix:
                _para(console, f"fix: {cause.fix[0]}", indent=6)
        return
    shown = _ordered(report.by_status(Status.FAIL, Status.ERROR, Status.WARN))
    for f in shown:
        console.print(f"  {MARKS[f.status][0]} {escape(f.summary)}  [dim]{escape(f.check)}[/]")


def _layer_skip(finding: Finding) -> bool:
    """A layer diagnose did not run: already listed under "Layers"."""
    return finding.check.startswith("diagnose.") and finding.status == Status.SKIPPED


def _print_layers(console: Console, report: Report) -> None:
    """One line per layer adapter of a diagnosis: ran, skipped or failed, and why."""
    layers = report.meta.get("layers") if report.meta else None
    if not isinstance(layers, dict) or not layers:
        return
    console.print("\n[bold underline]Layers[/]")
    for name, info in layers.items():
        state = str(info.get("state", ""))
        mark = LAYER_MARKS.get(state, state)
        if state == "done":
            detail = f"{info.get('findings', 0)} findings in {info.get('elapsed_ms', 0):.0f} ms"
        else:
            detail = str(info.get("reason", ""))
        console.print(f"  {mark} {escape(str(name)):10} {escape(detail)}")


LAYER_MARKS = {
    "done": "[green]ran [/]",
    "skipped": "[dim]skip[/]",
    "error": "[magenta]ERR [/]",
}


def _layer_ordered(findings: Iterable[Finding]) -> list[Finding]:
    layers = list(Layer)
    return sorted(findings, key=lambda f: layers.index(f.layer))


def render_causes(console: Console, report: Report) -> None:
    """Print the root causes, the advisories and the notes they carry."""
    failing = [c for c in report.causes if c.severity == Status.FAIL]
    advisories = [c for c in report.causes if c.severity != Status.FAIL]
    if failing:
        console.print(f"\n[bold underline]Root causes ({len(failing)}, independent)[/]")
        for number, cause in enumerate(failing, 1):
            _print_cause(console, report, cause, number)
    _print_uncatalogued(console, report)
    if advisories:
        console.print(f"\n[bold underline]Advisories ({len(advisories)})[/]")
        for number, cause in enumerate(advisories, 1):
            _print_cause(console, report, cause, number)
    if report.defects:
        console.print(
            f"\n[bold underline]Defects found on the way ({len(report.defects)}) - "
            "they did not stop this mail[/]"
        )
        for number, cause in enumerate(report.defects, 1):
            _print_cause(console, report, cause, number)
    _print_notes(console, (*report.causes, *report.defects))


def _print_cause(console: Console, report: Report, cause: RootCause, number: int) -> None:
    from ..correlate import supporting_findings

    mark = MARKS[cause.severity][0]
    console.print(f"\n {number}. {mark} [bold]{escape(cause.title)}[/]  [dim]{escape(cause.id)}[/]")
    sources = ", ".join(cause.sources) or "-"
    console.print(
        f"    layer {cause.layer} - confidence [bold]{cause.confidence}[/] - "
        f"seen by {escape(sources)}"
    )
    _block(console, "why", [cause.explanation])
    _block(console, "did not stop this mail", list(cause.demoted_by), bullet="-")
    _block(console, "hurts", [cause.harms] if cause.harms else [])
    evidence = [
        f"{f.status.upper()} {f.check} ({f.subject}): {f.summary}"
        for f in supporting_findings(cause, report.findings)
    ]
    _block(console, "evidence", evidence, bullet="-")
    _block(console, "for this case", list(cause.specific_fix), bullet="-")
    if cause.alternatives:
        _print_alternatives(console, cause)
    else:
        _block(console, "fix", list(cause.fix), numbered=True)
    _block(console, "does not fix", list(cause.does_not_fix), bullet="-")
    _block(console, "[yellow]conflicting evidence[/]", list(cause.conflicts), bullet="!")
    if cause.related:
        _block(console, "merged with", [", ".join(cause.related)])


def _print_alternatives(console: Console, cause: RootCause) -> None:
    """Fixes of which any one is enough, cheapest first."""
    console.print("    [bold]fix - either one is enough (cheapest first):[/]")
    for index, alt in enumerate(cause.alternatives, 1):
        effort = f" (effort {alt.effort}: {alt.effort_note})" if alt.effort_note else ""
        _para(console, f"{index}. {alt.title} [{alt.id}]{effort}", indent=6)
        for step in alt.fix:
            _para(console, f"- {step}", indent=9)
        for left in alt.leaves:
            _para(console, f"leaves: {left}", indent=9)


def _block(
    console: Console, label: str, lines: list[str], *, bullet: str = "", numbered: bool = False
) -> None:
    if not lines:
        return
    console.print(f"    [bold]{label}:[/]")
    for index, line in enumerate(lines, 1):
        prefix = f"{index}." if numbered else bullet
        _para(console, f"{prefix} {line}" if prefix else line, indent=6)


def _para(console: Console, text: str, *, indent: int) -> None:
    """A paragraph wrapped to the console's width, indented; outside text is never markup."""
    width = max(console.width - indent, 40)
    shown = printable(text)  # before wrapping: textwrap would turn a newline into a space
    lines = textwrap.wrap(shown, width, break_on_hyphens=False, break_long_words=False)
    for line in lines or [""]:
        console.print(" " * indent + escape_markup(line))


def _print_uncatalogued(console: Console, report: Report) -> None:
    loose = [f for f in report.findings if f.status == Status.FAIL and not f.cause]
    if loose:
        console.print("\n[bold underline]Other failures (no catalogued cause)[/]")
        for f in loose:
            console.print(f"  {MARKS[f.status][0]} {escape(f.summary)}  [dim]{escape(f.check)}[/]")


def _print_notes(console: Console, causes: Iterable[RootCause]) -> None:
    from .. import catalogue

    ids = dict.fromkeys(n for c in causes for n in c.notes)
    notes = [catalogue.CATALOGUE[n] for n in ids if n in catalogue.CATALOGUE]
    if not notes:
        return
    console.print("\n[bold underline]Corrections to common advice[/]")
    for note in notes:
        console.print(f"\n  [bold]{escape(note.title)}[/]  [dim]{escape(note.id)}[/]")
        _para(console, note.explanation, indent=4)


ORDER = [Status.FAIL, Status.ERROR, Status.WARN, Status.INFO, Status.PASS, Status.SKIPPED]


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: ORDER.index(f.status))


def _print_finding(console: Console, f: Finding, *, verbose: bool) -> None:
    mark = MARKS[f.status][0]
    console.print(f"  {mark} {escape(f.summary)}  [dim]{escape(f.check)}[/]")
    if f.detail and (verbose or f.status in (Status.FAIL, Status.WARN, Status.ERROR)):
        for line in printable_lines(f.detail):
            console.print(f"       {escape_markup(line)}")
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
