"""A report as one self-contained HTML file, readable without JavaScript.

No script, no outside resource: styles are inline and a Content-Security-Policy forbids
anything else, so a report can be mailed or attached to a ticket safely. Every value
goes through :func:`html.escape` (quotes included) before it reaches the page - bounce
texts, DNS records and server replies are attacker-controlled - and the catalogue's own
text is escaped too, with only its `code` spans turned into ``<code>`` afterwards.
Control characters are shown as ``\\xNN`` (the page may be written to a terminal).
Evidence sits in ``<details>`` elements, which open without JavaScript.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .. import catalogue
from ..correlate import supporting_findings, verdict
from ..model import CauseKind, Evidence, Finding, Layer, Report, RootCause, Status
from . import coverage, printable, printable_lines, reference_link, stamp

__all__ = ["render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;background:#fff}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
code,pre{font-family:ui-monospace,monospace;background:#f3f3f3;border-radius:3px}
code{padding:0 .2rem;overflow-wrap:anywhere}
pre{padding:.6rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
td{overflow-wrap:anywhere}
.cause{border-left:4px solid #b00020;padding:.2rem 1rem;margin:1rem 0;background:#fff7f7}
.cause.warn{border-color:#b36b00;background:#fffaf0}
.meta{color:#555}.conflict{color:#8a4b00}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;
vertical-align:top;text-align:left}
.s-fail{color:#b00020;font-weight:bold}.s-error{color:#7b1fa2;font-weight:bold}
.s-warn{color:#b36b00;font-weight:bold}.s-pass{color:#1b5e20}.s-skipped,.s-info{color:#555}
.summary td:first-child{white-space:nowrap}footer{margin-top:2rem;color:#555;font-size:.85rem}
@media print{body{max-width:none;margin:0;font-size:11pt;color:#000}
a{color:#000}a[href^="http"]::after{content:" <" attr(href) ">";font-size:9pt;word-break:break-all}
details>*{display:block}details>summary{display:none}
.cause,table,pre,tr{break-inside:avoid}h2,h3{break-after:avoid}
code,pre{background:none;border:1px solid #ccc}}
"""

VERDICT = {
    "problems": "Mail is failing: each root cause below needs its own fix.",
    "incomplete": "Incomplete: some checks could not run, so this is not a clean bill of health.",
    "advisories": "No failure found, but see the advisories.",
    "healthy": "No problem found in everything that could be checked.",
}


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute; control characters shown."""
    return html.escape(printable(str(value)), quote=True)


def trusted(text: str) -> str:
    """Catalogue text: escaped like everything else, then `code` spans become <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def render_html(report: Report, *, verbose: bool = False) -> str:
    """Render a report as a complete HTML document.

    Args:
        report: The report.
        verbose: Open every finding's evidence, not only failures and errors.

    Returns:
        The document.
    """
    outcome = verdict(report.findings, report.causes)
    title = f"maildoctor {report.command}: {report.subject}"
    failing = [c for c in report.causes if c.severity == Status.FAIL]
    advisories = [c for c in report.causes if c.severity != Status.FAIL]
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="verdict"><strong>{esc(VERDICT[str(outcome)])}</strong> '
        f"(exit {int(report.exit_code)}, {report.elapsed_ms:.0f} ms)</p>",
        *([f'<p class="coverage">{esc(scope)}</p>'] if (scope := coverage(report.meta)) else []),
        *_summary(report.causes),
        *_causes("Root causes", failing, report),
        *_causes("Advisories", advisories, report),
        *_causes(
            "Defects found on the way (they did not stop this mail)", list(report.defects), report
        ),
        *_notes((*report.causes, *report.defects)),
        *_findings(report, verbose=verbose),
        f"<footer>{esc(stamp(report))}</footer>",
    ]
    return _page(title, "\n".join(body))


def _summary(causes: tuple[RootCause, ...]) -> list[str]:
    """A table of every cause at the top: what, where, and the first step of its fix."""
    if not causes:
        return []
    rows = [
        f'<tr><td class="s-{esc(c.severity)}">{esc(c.severity)}</td>'
        f'<td><a href="#cause-{esc(c.id)}">{esc(c.title)}</a></td><td>{esc(c.layer)}</td>'
        f"<td>{trusted(c.fix[0]) if c.fix else ''}</td></tr>"
        for c in causes
    ]
    head = "<tr><th>severity</th><th>cause</th><th>layer</th><th>first fix</th></tr>"
    return ['<table class="summary">', head, *rows, "</table>"]


def link(text: str) -> str:
    """A reference as a link when it names a page (http/https only), else escaped text."""
    label, url = reference_link(text)
    if url is None:
        return esc(label)
    return f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(label)}</a>'


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _causes(heading: str, causes: list[RootCause], report: Report) -> list[str]:
    if not causes:
        return []
    out = [f"<h2>{esc(heading)} ({len(causes)})</h2>"]
    for number, cause in enumerate(causes, 1):
        out.append(_cause(number, cause, report))
    return out


def _cause(number: int, cause: RootCause, report: Report) -> str:
    kind = "cause" if cause.severity == Status.FAIL else "cause warn"
    if cause.kind is CauseKind.DEFECT:
        kind = "cause warn defect"
    evidence = [_finding_item(f) for f in supporting_findings(cause, report.findings)]
    parts = [
        f'<section class="{kind}" id="cause-{esc(cause.id)}">',
        f"<h3>{number}. {esc(cause.title)}</h3>",
        f'<p class="meta"><code>{esc(cause.id)}</code> - layer {esc(cause.layer)}, confidence '
        f"<strong>{esc(cause.confidence)}</strong>, seen by "
        f"{esc(', '.join(cause.sources) or '-')}</p>",
        f"<p>{trusted(cause.explanation)}</p>",
        _list("Did not stop this mail", [esc(x) for x in cause.demoted_by]),
        _list("Hurts", [esc(cause.harms)] if cause.harms else []),
        _list("Evidence", evidence),
        _list("For this case", [esc(x) for x in cause.specific_fix]),
        _fixes(cause),
        _list("Does not fix", [trusted(x) for x in cause.does_not_fix]),
        _list("Conflicting evidence", [esc(x) for x in cause.conflicts], css="conflict"),
        _list("Merged with", [f"<code>{esc(x)}</code>" for x in cause.related]),
        _list("References", [link(x) for x in cause.references]),
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _fixes(cause: RootCause) -> str:
    if not cause.alternatives:
        return _list("Fix", [trusted(x) for x in cause.fix], ordered=True)
    items = [
        f"{esc(a.title)} (<code>{esc(a.id)}</code>)"
        + (f" - effort {a.effort}: {esc(a.effort_note)}" if a.effort_note else "")
        + "<ul>"
        + "".join(f"<li>{trusted(step)}</li>" for step in a.fix)
        + "</ul>"
        for a in cause.alternatives
    ]
    return _list("Fix - either one is enough (cheapest first)", items, ordered=True)


def _finding_item(f: Finding) -> str:
    return (
        f'<span class="s-{esc(f.status)}">{esc(f.status.upper())}</span> '
        f"<code>{esc(f.check)}</code> ({esc(f.subject)}): {esc(f.summary)}"
    )


def _list(title: str, items: list[str], *, ordered: bool = False, css: str = "") -> str:
    """A titled list of items that are already escaped HTML."""
    if not items:
        return ""
    tag = "ol" if ordered else "ul"
    cls = f' class="{esc(css)}"' if css else ""
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<h4>{esc(title)}</h4><{tag}{cls}>{rows}</{tag}>"


def _notes(causes: Iterable[RootCause]) -> list[str]:
    ids = dict.fromkeys(n for c in causes for n in c.notes)
    notes = [catalogue.CATALOGUE[n] for n in ids if n in catalogue.CATALOGUE]
    if not notes:
        return []
    items = [
        f"<li><strong>{trusted(n.title)}</strong> (<code>{esc(n.id)}</code>): "
        f"{trusted(n.explanation)}</li>"
        for n in notes
    ]
    return ["<h2>Corrections to common advice</h2>", f"<ul>{''.join(items)}</ul>"]


def _findings(report: Report, *, verbose: bool) -> list[str]:
    out = ["<h2>Findings by layer</h2>"]
    for layer in Layer:
        chosen = [f for f in report.findings if f.layer == layer]
        if chosen:
            out.append(f"<h3>{esc(layer)}</h3>")
            out.append(_table(chosen, verbose=verbose))
    return out


def _table(findings: list[Finding], *, verbose: bool) -> str:
    head = "<tr><th>status</th><th>check</th><th>subject</th><th>summary</th></tr>"
    rows = [_row(f, verbose=verbose) for f in findings]
    return f"<table>{head}{''.join(rows)}</table>"


def _row(f: Finding, *, verbose: bool) -> str:
    details = _details(f, opened=verbose or f.status in (Status.FAIL, Status.ERROR))
    return (
        f'<tr><td class="s-{esc(f.status)}">{esc(f.status)}</td><td><code>{esc(f.check)}</code>'
        f"</td><td>{esc(f.subject)}</td><td>{esc(f.summary)}{details}</td></tr>"
    )


def _details(f: Finding, *, opened: bool) -> str:
    parts = []
    if f.detail:
        parts.append(f"<p>{'<br>'.join(html.escape(x) for x in printable_lines(f.detail))}</p>")
    if f.fix:
        parts.append(f"<p><strong>fix:</strong> {esc(f.fix)}</p>")
    if f.reference:
        parts.append(f"<p>ref: {link(f.reference)}</p>")
    parts += [_evidence(e) for e in f.evidence]
    if not parts:
        return ""
    attr = " open" if opened else ""
    return f"<details{attr}><summary>details</summary>{''.join(parts)}</details>"


def _evidence(e: Evidence) -> str:
    head = f"{e.query} @{e.server or '-'}: {e.outcome}"
    raw = "\n".join(esc(r[:2000]) for r in e.raw[:20])
    return f"<pre>{esc(head)}\n{raw}</pre>"
