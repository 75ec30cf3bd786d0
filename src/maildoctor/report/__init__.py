"""Renderers: a report in, text for people or data for machines out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..escaping import INVISIBLE, json_safe, printable, printable_lines

__all__ = [
    "INVISIBLE",
    "VERDICT_LINES",
    "coverage",
    "json_safe",
    "printable",
    "printable_lines",
    "reference_link",
    "stamp",
    "verdict_line",
]


def coverage(meta: Mapping[str, Any]) -> str:
    """ "checked N of M layers; not checked: a, b" for a diagnosis that skipped layers.

    A verdict of "no failure found" means little when most layers were not looked at,
    so every renderer puts this next to the verdict. Empty when every layer ran (or
    the report is not a diagnosis).

    Args:
        meta: ``Report.meta``; diagnose puts ``{"layers": {name: {"state": ...}}}`` there.
    """
    layers = meta.get("layers")
    if not isinstance(layers, Mapping) or not layers:
        return ""
    states = {
        name: str(info.get("state", ""))
        for name, info in layers.items()
        if isinstance(info, Mapping)
    }
    missing = [name for name, state in states.items() if state != "done"]
    if not missing:
        return ""
    return (
        f"checked {len(states) - len(missing)} of {len(states)} layers; "
        f"not checked: {', '.join(missing)} (see Layers)"
    )


_URL = re.compile(r"https?://[^\s<>\"'`]+[^\s<>\"'`.,;:)\]]")
_RFC = re.compile(r"\bRFC ?(\d{3,5})(?:,? (?:section|sect\.|§) ?(\d+(?:\.\d+)*))?", re.I)


def reference_link(text: str) -> tuple[str, str | None]:
    """Split a reference into its label and the address it points to, if any.

    ``"AWS: Easy DKIM - https://docs.aws.amazon.com/..."`` gives the title and the URL;
    ``"RFC 7489 section 6.3"`` gives the RFC Editor's page for that section.

    Args:
        text: A catalogue or finding reference.

    Returns:
        ``(label, url)``; ``url`` is None when the reference names no page. Only
        ``http``/``https`` addresses are returned.
    """
    url = _URL.search(text)
    if url:
        label = text[: url.start()].rstrip(" -:") or url[0]
        return label, url[0]
    rfc = _RFC.search(text)
    if rfc:
        anchor = f"#section-{rfc[2]}" if rfc[2] else ""
        return text, f"https://www.rfc-editor.org/rfc/rfc{rfc[1]}{anchor}"
    return text, None


def stamp(report: Any) -> str:
    """``maildoctor 0.1.0, 2026-12-04T16:52:03Z``: which version made a report, and when."""
    return f"maildoctor {report.tool_version}, {report.generated_at}"


#: One line per verdict (``correlate.Verdict``), plain text; renderers style it.
VERDICT_LINES = {
    "problems": "mail is failing",
    "incomplete": "incomplete: some checks could not run, so this is not a clean bill of health",
    "advisories": "no failure found, but see the advisories",
    "healthy": "no problem found in everything that could be checked",
}


def verdict_line(report: Any) -> str:
    """The report's verdict in one line, with what it rests on and the exit code.

    Args:
        report: A :class:`~maildoctor.model.Report`.

    Returns:
        ``"mail is failing: 2 independent root causes (exit 1)"`` and the like.
    """
    from ..correlate import verdict
    from ..model import Status

    outcome = str(verdict(report.findings, report.causes))
    text = VERDICT_LINES[outcome]
    if outcome == "problems" and not report.causes and report.command != "diagnose":
        text = "problems found"  # a layer command: what it checked fails, not "mail"
    if outcome == "problems":
        causes = [c for c in report.causes if c.severity == Status.FAIL]
        failing = report.by_status(Status.FAIL)
        if causes:
            noun = "root cause" if len(causes) == 1 else "independent root causes"
            text += f": {len(causes)} {noun}, each with its own fix"
        else:
            text += f": {len(failing)} failing check{'s' if len(failing) != 1 else ''}"
    return f"{text} (exit {int(report.exit_code)})"
