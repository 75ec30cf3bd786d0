"""``maildoctor explain ID``: one root cause (or note) of the catalogue, with its fix."""

from __future__ import annotations

import json

import click

from .. import catalogue
from ..errors import InputError
from ..report.rootcauses import entry_json, entry_markdown, entry_text

__all__ = ["command"]


@click.command("explain")
@click.argument("cause_id", metavar="ID", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(cause_id: str | None, fmt: str) -> int:
    """Explain a root cause: what is wrong, the fix, and what the fix does not fix.

    Without ID, list every id in the catalogue. An unknown ID exits 2 with the closest ids.
    """
    if not cause_id:
        click.echo(_listing(fmt), nl=False)
        return 0
    try:
        entry = catalogue.get(cause_id)
    except catalogue.UnknownCauseError as exc:
        raise InputError(str(exc)) from None
    render = {"json": entry_json, "markdown": entry_markdown, "text": entry_text}[fmt]
    if fmt == "text" and entry.id != cause_id.strip():
        click.echo(f"({cause_id.strip()} is another name for {entry.id})\n")
    click.echo(render(entry), nl=False)
    return 0


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
