"""``maildoctor bounce FILE|DIR|- ...``: classify bounces, DSNs, ARF reports and SES events.

Output is streamed: one record per bounced recipient as it is read (text, or JSON
lines with ``--format json``), or with ``--summary`` only the counts by reason,
layer and receiving domain. Exit codes follow DESIGN.md: 0 when no recipient
failed, 1 when at least one did, 2 when a path cannot be read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import click

from ..bounce.classify import Result, classify_inputs
from ..bounce.model import DeliveryStatus
from ..escaping import json_safe, printable
from .common import FORMATS, check_input

#: Reasons that are not failures: they do not make the exit code 1.
_NOT_FAILURES = frozenset(("delivered", "vacation", "feedback"))
#: Receiving domains listed in the text summary.
TOP_DOMAINS = 20
#: Characters of the remote text shown per record in text output.
TEXT_WIDTH = 200


@dataclass(slots=True)
class Tally:
    """Counts kept while streaming (constant memory apart from the domain table)."""

    messages: int = 0
    records: int = 0
    not_bounces: int = 0
    with_warnings: int = 0
    failures: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    hard: Counter[str] = field(default_factory=Counter)
    layers: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)

    def add(self, result: Result) -> None:
        """Count one input item and its records."""
        self.messages += 1
        self.not_bounces += not result.records
        self.with_warnings += bool(result.warnings)
        for record in result.records:
            self.records += 1
            self.failures += record.reason not in _NOT_FAILURES
            self.reasons[record.reason] += 1
            self.hard[record.reason] += record.hard_bounce
            self.layers[str(record.layer)] += 1
            self.domains[record.domain] += 1
            if record.cause:
                self.causes[record.cause] += 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "messages": self.messages,
            "records": self.records,
            "not_bounces": self.not_bounces,
            "with_warnings": self.with_warnings,
            "by_reason": dict(self.reasons.most_common()),
            "hard_by_reason": {k: v for k, v in self.hard.most_common() if v},
            "by_layer": dict(self.layers.most_common()),
            "by_domain": dict(self.domains.most_common()),
            "by_cause": dict(self.causes.most_common()),
        }


def check_paths(paths: Iterable[str]) -> None:
    """Fail early, with one line, on a path that cannot be read.

    Raises:
        InputError: For a missing or unreadable path.
    """
    for text in paths:
        check_input(text, allow_dir=True, allow_stdin=True)


def _results(paths: Iterable[str]) -> Iterator[Result]:
    for path in paths:
        yield from classify_inputs(path)


@click.command("bounce")
@click.argument("paths", metavar="FILE|DIR|-...", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text, or json: one JSON object per bounced recipient (JSON lines).",
)
@click.option("--summary", is_flag=True, help="Only counts by reason, layer and receiving domain.")
@click.option("-v", "--verbose", is_flag=True, help="Also list non-bounces and parse warnings.")
def command(paths: tuple[str, ...], fmt: str, summary: bool, verbose: bool) -> int:
    """Classify bounces: .eml files, mbox files, maildirs, SES JSON notifications.

    For every bounced recipient: the reason (Sisimai's vocabulary), hard or soft,
    enhanced status and reply code, the remote server's words, and the layer and
    root cause it points to. Directories are walked; ``-`` reads standard input.
    """
    check_paths(paths)
    tally = Tally()
    out = sys.stdout
    for result in _results(paths):
        tally.add(result)
        if verbose:
            _warn(result)
        if summary:
            continue
        for record in result.records:
            out.write(_json_line(record) if fmt == "json" else _text(record))
    if summary:
        out.write(_summary_json(tally) if fmt == "json" else _summary_text(tally))
    elif fmt == "text":
        out.write(_footer(tally))
    return 1 if tally.failures else 0


def _warn(result: Result) -> None:
    if not result.records:
        click.echo(f"{result.origin}: not a bounce", err=True)
    for warning in result.warnings:
        click.echo(f"{result.origin}: warning: {warning}", err=True)


def _json_line(record: DeliveryStatus) -> str:
    return json_safe(json.dumps(record.to_dict(), ensure_ascii=False)) + "\n"


def _text(record: DeliveryStatus) -> str:
    kind = "hard" if record.hard_bounce else "soft"
    codes = " ".join(c for c in (record.reply_code, record.status) if c) or "-"
    cause = record.cause or "-"
    head = (
        f"{record.origin}: {record.recipient}  {record.reason} ({kind})  {codes}  "
        f"{record.layer} -> {cause}"
    )
    lines = [head]
    if record.action == "delayed":
        until = f"; retries end: {record.retry_until}" if record.retry_until else ""
        lines.append(f"    delayed, not failed: the sender is still trying{until}")
    if record.outbound_ban:
        lines.append("    Microsoft outbound-only ban: cannot apply to mail arriving from SES")
    hosts = " ".join(
        f"{label}={host}"
        for label, host in (
            ("remote", record.remote_mta),
            ("reporting", record.reporting_mta),
            ("generated-by", record.generating_server),
        )
        if host
    )
    if hosts or record.command:
        lines.append(f"    {hosts}" + (f" command={record.command}" if record.command else ""))
    if record.bounce_type or record.bounce_subtype:
        lines.append(f"    SES {record.bounce_type}/{record.bounce_subtype}")
    if record.diagnostic:
        text = record.diagnostic
        if len(text) > TEXT_WIDTH:
            text = text[: TEXT_WIDTH - 3] + "..."
        lines.append(f'    "{text}"')
    return "\n".join(printable(line) for line in lines) + "\n"  # remote servers' words


def _footer(tally: Tally) -> str:
    return (
        f"{tally.messages} message(s), {tally.records} recipient record(s), "
        f"{tally.not_bounces} not a bounce\n"
    )


def _summary_json(tally: Tally) -> str:
    return json_safe(json.dumps(tally.to_dict(), ensure_ascii=False)) + "\n"


def _summary_text(tally: Tally) -> str:
    lines = [
        f"messages: {tally.messages}   recipient records: {tally.records}   "
        f"not bounces: {tally.not_bounces}   with warnings: {tally.with_warnings}",
        "",
        _table("reason", tally.reasons, extra=("hard", tally.hard)),
        _table("layer", tally.layers),
        _table("root cause", tally.causes),
        _table("receiving domain", tally.domains, limit=TOP_DOMAINS),
    ]
    return "\n".join(lines)


def _table(
    title: str,
    counts: Counter[str],
    *,
    extra: tuple[str, Counter[str]] | None = None,
    limit: int | None = None,
) -> str:
    rows = counts.most_common(limit)
    if not rows:
        return f"{title}: none\n"
    width = max(len(title), *(len(k) for k, _ in rows))
    header = f"{title:<{width}}  {'count':>7}" + (f"  {extra[0]:>7}" if extra else "")
    lines = [header, "-" * len(header)]
    for key, count in rows:
        line = f"{key:<{width}}  {count:>7}"
        if extra:
            line += f"  {extra[1][key]:>7}"
        lines.append(line)
    if limit and len(counts) > limit:
        lines.append(f"... and {len(counts) - limit} more")
    return "\n".join(lines) + "\n"
