"""``maildoctor explain``: a root cause by id, any reply line, or a whole NDR on stdin.

``explain ID`` prints one catalogue entry. ``explain "550 5.7.515 Access denied, ..."``
and ``explain -`` (an NDR pasted on stdin) read the reply through the same classifier as
``bounce``, ``logs`` and the probes, and print what it means, who can fix it, the fix
and what the fix does not fix.
"""

from __future__ import annotations

import json
import sys
import textwrap

import click

from .. import catalogue
from ..errors import InputError
from ..report import printable
from ..report.rootcauses import entry_json, entry_markdown, entry_text

__all__ = ["command"]

#: A pasted NDR larger than this is refused (a bounce is a few hundred kilobytes).
MAX_STDIN = 8 * 1024 * 1024


@click.command("explain")
@click.argument("what", metavar="ID|REPLY|-", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--host", default="", help="The server that gave the reply (its vendor's rules).")
def command(what: str | None, fmt: str, host: str) -> int:
    """Explain a root cause, a server's reply, or a whole non-delivery report.

    ID is a catalogue id (without it, every id is listed; an unknown id exits 2 with the
    closest ids). REPLY is a reply line in quotes ("550 5.7.515 Access denied, ...").
    "-" reads a whole NDR (or reply lines) from stdin.
    """
    if not what:
        click.echo(_listing(fmt), nl=False)
        return 0
    from ..replies.explain import explain_notice, explain_reply, looks_like_reply

    if what.strip() == "-":
        raw = sys.stdin.buffer.read(MAX_STDIN + 1)
        if len(raw) > MAX_STDIN:
            raise InputError(f"stdin is over {MAX_STDIN // (1024 * 1024)} MB; not a bounce")
        if not raw.strip():
            raise InputError("nothing on stdin to explain")
        found = explain_notice(raw)
        if not found:
            raise InputError("stdin holds no bounce and no line starting with an SMTP reply code")
        click.echo(_render("notice", found, fmt), nl=False)
        return 0
    if looks_like_reply(what) and what.strip() not in catalogue.ALIASES:
        click.echo(_render("reply", (explain_reply(what, host=host),), fmt), nl=False)
        return 0
    return _cause(what, fmt)


def _cause(cause_id: str, fmt: str) -> int:
    try:
        entry = catalogue.get(cause_id)
    except catalogue.UnknownCauseError as exc:
        raise InputError(str(exc)) from None
    render = {"json": entry_json, "markdown": entry_markdown, "text": entry_text}[fmt]
    if fmt == "text" and entry.id != cause_id.strip():
        click.echo(f"({cause_id.strip()} is another name for {entry.id})\n")
    click.echo(render(entry), nl=False)
    return 0


def _render(kind: str, items: tuple[object, ...], fmt: str) -> str:
    if fmt == "json":
        rows = [item.to_dict() for item in items]  # type: ignore[attr-defined]
        return json.dumps({"input": kind, "replies": rows}, indent=2, ensure_ascii=True) + "\n"
    return "\n".join(_text(item, fmt) for item in items)


def _text(item: object, fmt: str) -> str:
    data = item.to_dict()  # type: ignore[attr-defined]
    bullet = "- " if fmt == "markdown" else "  "
    lines = [f"Reply: {printable(data['text'])[:600]}"]
    if data["recipient"]:
        lines.insert(0, f"Recipient: {printable(data['recipient'])}")
    lines.append(f"Means: {data['meaning']} ({data['reason']}, "
                 f"{'temporary' if data['temporary'] else 'permanent'}"
                 f"{', hard bounce' if data['hard'] else ''})")  # fmt: skip
    if data["provider"]:
        lines.append(
            f"Said by: {data['provider']}" + (f" ({data['host']})" if data["host"] else "")
        )
    if data["blocklist"]:
        lines.append(f"Blocklist: {data['blocklist']}")
    cause = data["cause"] or data["note"]
    lines.append(f"Cause: {cause or 'none catalogued'} (layer {data['layer']})"
                 + (f" - {data['title']}" if data["title"] else ""))  # fmt: skip
    lines.append(f"Who can fix it: {data['who']}")
    steps = ([data["fix"]] if data["fix"] else []) + data["fix_steps"]
    lines += _block("Fix", [f"{n}. {s}" for n, s in enumerate(steps, 1)], bullet)
    lines += _block("Does not fix", [f"- {s}" for s in data["does_not_fix"]], bullet)
    lines.append(f"Source: {data['source']}")
    if cause:
        lines.append(f"More: maildoctor explain {cause}")
    return "\n".join(lines) + "\n"


def _block(title: str, items: list[str], bullet: str) -> list[str]:
    if not items:
        return []
    out = [f"{title}:"]
    for item in items:
        out += textwrap.wrap(item, 96, initial_indent=bullet, subsequent_indent=bullet + "   ",
                             break_on_hyphens=False, break_long_words=False)  # fmt: skip
    return out


def _listing(fmt: str) -> str:
    entries = catalogue.entries()
    if fmt == "json":
        rows = [
            {k: v for k, v in e.to_dict().items() if k in ("id", "kind", "layer", "title")}
            for e in entries
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = max(len(e.id) for e in entries)
    return "".join(f"{e.id:{width}}  {e.title}\n" for e in entries)
