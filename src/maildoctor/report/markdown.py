"""A report as Markdown, for pasting into a ticket.

Root causes first (title, confidence, evidence, fix, what the fix does not fix), then
the corrections to common advice, then every finding in a table by layer. Values from
outside (bounce texts, DNS records, server replies) are escaped, so they show as typed
and cannot add links, images or HTML to the ticket; raw evidence goes in code blocks.
Control characters in them are shown as ``\\xNN``: the Markdown often goes to a terminal.
The catalogue's own text is trusted Markdown (its `code` spans are kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import catalogue
from ..correlate import supporting_findings, verdict
from ..model import Alternative, Finding, Layer, Report, RootCause, Status
from . import coverage, printable, reference_link, stamp

__all__ = ["escape_md", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")

VERDICT = {
    "problems": "**mail is failing** - each root cause below needs its own fix",
    "incomplete": "**incomplete** - some checks could not run; not a clean bill of health",
    "advisories": "no failure found, but see the advisories",
    "healthy": "no problem found in everything that could be checked",
}


def escape_md(text: object) -> str:
    """Escape an outside value for inline Markdown: one line, every markup character quoted."""
    flat = " ".join(printable(str(text)).split())
    return _SPECIAL.sub(r"\\\1", flat)


def _code_block(lines: Iterable[str]) -> list[str]:
    body = "\n".join(printable(line) for line in lines)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", body, fence]


def render_markdown(report: Report, *, verbose: bool = False) -> str:
    """Render a report as Markdown.

    Args:
        report: The report.
        verbose: Also include raw evidence of every finding.

    Returns:
        The Markdown text, ending with a newline.
    """
    outcome = verdict(report.findings, report.causes)
    lines = [
        f"# maildoctor {escape_md(report.command)}: {escape_md(report.subject)}",
        "",
        f"**Verdict:** {VERDICT[str(outcome)]} (exit {int(report.exit_code)}).",
        "",
    ]
    if scope := coverage(report.meta):
        lines += [f"_{escape_md(scope)}_", ""]
    failing = [c for c in report.causes if c.severity == Status.FAIL]
    advisories = [c for c in report.causes if c.severity != Status.FAIL]
    lines += _causes("Root causes", failing, report)
    lines += _causes("Advisories", advisories, report)
    lines += _causes(
        "Defects found on the way (they did not stop this mail)", list(report.defects), report
    )
    lines += _notes((*report.causes, *report.defects))
    lines += _findings(report, verbose=verbose)
    lines += ["---", "", f"_{escape_md(stamp(report))}_"]
    return "\n".join(lines).rstrip("\n") + "\n"


def _reference(text: str) -> str:
    """A catalogue reference as a Markdown link when it names a page."""
    label, url = reference_link(text)
    if url is None:
        return escape_md(label)
    return f"[{escape_md(label)}](<{url}>)"


def _causes(title: str, causes: list[RootCause], report: Report) -> list[str]:
    if not causes:
        return []
    lines = [f"## {title} ({len(causes)})", ""]
    for number, cause in enumerate(causes, 1):
        lines += _cause(number, cause, report)
    return lines


def _cause(number: int, cause: RootCause, report: Report) -> list[str]:
    lines = [
        f"### {number}. {escape_md(cause.title)}",
        "",
        f"`{cause.id}` - layer **{cause.layer}**, confidence **{cause.confidence}**, seen by "
        f"{escape_md(', '.join(cause.sources) or '-')}",
        "",
        cause.explanation,
        "",
    ]
    lines += _list("Did not stop this mail", [escape_md(x) for x in cause.demoted_by])
    lines += _list("Hurts", [escape_md(cause.harms)] if cause.harms else [])
    evidence = supporting_findings(cause, report.findings)
    lines += _list("Evidence", [_finding_line(f) for f in evidence])
    lines += _list("For this case", [escape_md(x) for x in cause.specific_fix])
    if cause.alternatives:
        lines += _list(
            "Fix - either one is enough (cheapest first)",
            [_alternative(a) for a in cause.alternatives],
            numbered=True,
        )
    else:
        lines += _list("Fix", list(cause.fix), numbered=True)
    lines += _list("Does not fix", [_catalogue_or_escaped(x) for x in cause.does_not_fix])
    lines += _list("Conflicting evidence", [escape_md(x) for x in cause.conflicts])
    lines += _list("Merged with", [f"`{x}`" for x in cause.related])
    lines += _list("References", [_reference(r) for r in cause.references])
    return lines


def _catalogue_or_escaped(text: str) -> str:
    """Catalogue text as written (trusted Markdown); computed text (it may name outside
    values such as a MAIL FROM domain) escaped."""
    known = {t for e in catalogue.entries() for t in (*e.does_not_fix, *e.fix)}
    return text if text in known else escape_md(text)


def _alternative(alt: Alternative) -> str:
    effort = f" - effort {alt.effort}: {alt.effort_note}" if alt.effort_note else ""
    steps = " ".join(_catalogue_or_escaped(x) for x in alt.fix)
    return f"{escape_md(alt.title)} (`{alt.id}`){effort}. {steps}"


def _finding_line(f: Finding) -> str:
    return f"{f.status.upper()} `{f.check}` ({escape_md(f.subject)}): {escape_md(f.summary)}"


def _list(title: str, items: list[str], *, numbered: bool = False) -> list[str]:
    if not items:
        return []
    body = [f"{i}. {x}" if numbered else f"- {x}" for i, x in enumerate(items, 1)]
    return [f"**{title}:**", "", *body, ""]


def _notes(causes: Iterable[RootCause]) -> list[str]:
    ids = dict.fromkeys(n for c in causes for n in c.notes)
    notes = [catalogue.CATALOGUE[n] for n in ids if n in catalogue.CATALOGUE]
    if not notes:
        return []
    lines = ["## Corrections to common advice", ""]
    for note in notes:
        lines += [f"- **{note.title}** (`{note.id}`): {note.explanation}"]
    return [*lines, ""]


def _findings(report: Report, *, verbose: bool) -> list[str]:
    lines = ["## Findings by layer", ""]
    for layer in Layer:
        chosen = [f for f in report.findings if f.layer == layer]
        if not chosen:
            continue
        lines += [f"### {layer}", "", "| status | check | subject | summary |", "|---|---|---|---|"]
        lines += [
            f"| {f.status} | `{f.check}` | {escape_md(f.subject)} | {escape_md(f.summary)} |"
            for f in chosen
        ]
        lines.append("")
        lines += _raw_evidence(chosen, verbose=verbose)
    return lines


def _raw_evidence(findings: list[Finding], *, verbose: bool) -> list[str]:
    lines: list[str] = []
    for f in findings:
        if not f.evidence or not (verbose or f.status in (Status.FAIL, Status.ERROR)):
            continue
        raw = [f"{e.query} @{e.server or '-'}: {e.outcome}" for e in f.evidence]
        raw += ["  " + r[:500] for e in f.evidence for r in e.raw[:10]]
        lines += [f"Evidence for `{f.check}` ({escape_md(f.subject)}):", "", *_code_block(raw), ""]
    return lines
