"""The catalogue as documents: ``docs/root-causes.md`` and ``maildoctor explain``.

``python -m maildoctor.report.rootcauses > docs/root-causes.md`` regenerates the docs
page; ``tests/test_catalogue.py`` fails when the page and the catalogue differ.
"""

from __future__ import annotations

import json
import sys
import textwrap

from .. import catalogue
from ..catalogue import Entry, Kind
from ..correlate import CONFLICTS, RULES
from ..model import Layer

__all__ = ["entry_json", "entry_markdown", "entry_text", "render_catalogue"]

WIDTH = 96


def entry_text(entry: Entry) -> str:
    """One entry as plain text, wrapped for a terminal (``maildoctor explain ID``)."""
    lines = [f"{entry.id}  [{entry.kind} - layer {entry.layer}]", entry.title, ""]
    if entry.aliases:
        lines += _wrap("Also reported as: " + ", ".join(entry.aliases)) + [""]
    lines += _wrap(entry.explanation)
    lines += _section("Fix", [f"{i}. {step}" for i, step in enumerate(entry.fix, 1)])
    lines += _section("Does not fix", [f"- {item}" for item in entry.does_not_fix])
    lines += _section("References", [f"- {ref}" for ref in entry.references])
    notes = [catalogue.CATALOGUE[n] for n in entry.notes if n in catalogue.CATALOGUE]
    lines += _section("Notes", [f"- {n.title} ({n.id})" for n in notes])
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str = "") -> list[str]:
    return _fill(text, indent, indent) or [""]


def _fill(text: str, first: str, rest: str) -> list[str]:
    """Wrap without splitting commands, URLs or ids at their hyphens."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    out = ["", f"{title}:"]
    for item in items:
        head, _, _rest = item.partition(" ")
        out += _fill(item, "  ", "  " + " " * (len(head) + 1))
    return out


def entry_json(entry: Entry) -> str:
    """One entry as JSON (``maildoctor explain ID --format json``)."""
    return json.dumps(entry.to_dict(), indent=2, ensure_ascii=False) + "\n"


def entry_markdown(entry: Entry, *, level: int = 3) -> str:
    """One entry as Markdown, under a heading of the given level."""
    hashes = "#" * level
    parts = [f"{hashes} `{entry.id}`", "", f"**{entry.title}**", ""]
    if entry.aliases:
        parts += ["Also reported as: " + ", ".join(f"`{a}`" for a in entry.aliases), ""]
    parts += [entry.explanation, ""]
    if entry.fix:
        parts += ["Fix:", ""] + [f"{i}. {step}" for i, step in enumerate(entry.fix, 1)] + [""]
    if entry.does_not_fix:
        parts += ["Does not fix:", ""] + [f"- {x}" for x in entry.does_not_fix] + [""]
    if entry.references:
        parts += ["References:", ""] + [f"- {x}" for x in entry.references] + [""]
    if entry.notes:
        links = ", ".join(f"[`{n}`](#{_anchor(n)})" for n in entry.notes)
        parts += [f"See also: {links}", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def _anchor(entry_id: str) -> str:
    """GitHub's heading anchor for ``### `id` `` (dots and backticks dropped)."""
    return entry_id.replace(".", "").replace("`", "")


_INTRO = """\
# Root causes

Generated from `src/maildoctor/catalogue/` by
`python -m maildoctor.report.rootcauses > docs/root-causes.md`; do not edit by hand.

Every root cause maildoctor can report has a stable id, used in the JSON report
(`causes[].id`, `findings[].cause`) and by `maildoctor explain ID`. Each one says what
is wrong, how to fix it, and what that fix does **not** fix: real incidents often have
more than one independent cause, and fixing one does nothing for the other.
"""


def _rules_markdown() -> str:
    lines = [
        "## How findings become root causes",
        "",
        "Findings that name the same cause id are one root cause. Ids listed in one rule",
        "below are merged into one root cause named by the first id present (most specific",
        "first); ids in different rules stay separate causes. `error` and `skipped` findings",
        "never become causes. Confidence is *high* with two or more independent sources",
        "(bounce, live relay probe, AWS, DNS, headers, logs), *medium* with one, one step",
        'lower when other evidence conflicts. Ids listed as "also reported as" under an',
        "entry are other layers' names for the same cause and always merge into it.",
        "",
        "| rule | relation | ids, by precedence | why |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        ids = " > ".join(f"`{i}`" for i in rule.ids)
        lines.append(f"| {rule.name} | {rule.relation} | {ids} | {rule.why} |")
    lines += ["", "Conflicting evidence is reported when:", ""]
    for conflict in CONFLICTS:
        ids = ", ".join(f"`{i}`" for i in sorted(conflict.causes))
        lines.append(f"- {ids}: {conflict.message.replace(' ({summary})', '')}")
    return "\n".join(lines + _judging_markdown()) + "\n"


def _judging_markdown() -> list[str]:
    """How causes are judged against the mail's path (:mod:`maildoctor.reasoning`)."""
    from ..reasoning import APEX_SPF, CONTRADICTIONS, DKIM_SIDE, SPF_SIDE

    def ids(values: frozenset[str]) -> str:
        return ", ".join(f"`{i}`" for i in sorted(values))

    lines = [
        "",
        "### Causes and defects",
        "",
        "DMARC fails only when aligned SPF *and* aligned DKIM both fail. When both sides",
        "are broken the two are one cause with two alternative fixes, cheapest first;",
        "when one side is known to work (SES signs with the domain, the custom MAIL FROM's",
        "SPF passes, a delivered copy passed), the other side's defects did not stop this",
        "mail and are reported as *defects* (with whom they hurt), never exit code 1. An",
        "apex SPF defect is a defect when the mail's envelope sender is another domain (a",
        "custom MAIL FROM, or SES's amazonses.com). A cause resting on an observed refusal",
        "(a bounce, a log, the relay's reply) is never demoted.",
        "",
        f"- DKIM side: {ids(DKIM_SIDE)}",
        f"- SPF side (the MAIL FROM domain): {ids(SPF_SIDE)}",
        f"- the apex record: {ids(APEX_SPF)}",
        "",
        "### Contradictions",
        "",
        "Two causes read from one exchange (the same evidence, the same source about the",
        "same subject, or the same relay seen by the live probe and a client's notice)",
        "that cannot both hold: the one with more independent sources stays, the other",
        "is listed under conflicting evidence (`overruled`).",
        "",
    ]
    for rule in CONTRADICTIONS:
        lines.append(f"- {ids(rule.first)} against {ids(rule.second)}: {rule.why}.")
    return lines


def render_catalogue() -> str:
    """The whole catalogue as the Markdown page ``docs/root-causes.md``."""
    parts = [_INTRO, _rules_markdown(), _index()]
    for layer in Layer:
        chosen = [e for e in catalogue.entries(Kind.CAUSE) if e.layer == layer]
        if chosen:
            parts.append(f"## Layer `{layer}`\n")
            parts += [entry_markdown(e) for e in chosen]
    parts.append(
        "## Notes: corrections to common advice\n\n"
        "Attached to the causes that list them; never a cause by themselves.\n"
    )
    parts += [entry_markdown(e) for e in catalogue.entries(Kind.NOTE)]
    return "\n".join(parts).rstrip("\n") + "\n"


def _index() -> str:
    lines = ["## Index", "", "| id | layer | title |", "|---|---|---|"]
    for e in catalogue.entries():
        lines.append(f"| [`{e.id}`](#{_anchor(e.id)}) | {e.layer} | {e.title} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - `python -m maildoctor.report.rootcauses`
    sys.stdout.write(render_catalogue())
