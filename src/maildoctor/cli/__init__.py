"""The ``maildoctor`` command line: a thin layer over the library.

Each subcommand lives in its own module and exposes ``command``; the modules
are listed in :data:`COMMANDS`. Errors the user can fix exit 2 with one line;
nothing ever prints a traceback (set MAILDOCTOR_DEBUG=1 to see one).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__
from ..errors import InputError

#: Subcommand modules, in help order.
COMMANDS = [
    "diagnose_cmd",
    "demo_cmd",
    "dns_cmd",
    "spf_cmd",
    "smtp_cmd",
    "mx_cmd",
    "ses_password_cmd",
    "ses_cmd",
    "bounce_cmd",
    "headers_cmd",
    "logs_cmd",
    "explain_cmd",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="maildoctor")
def cli() -> None:
    """Find out why email is not being delivered."""


for _name in COMMANDS:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a command still being written
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    cli.add_command(_module.command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn every failure into an exit code."""
    try:
        result = cli.main(args=argv, prog_name="maildoctor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("maildoctor: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except InputError as exc:
        click.echo(f"maildoctor: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("maildoctor: interrupted", err=True)
        return 3
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("MAILDOCTOR_DEBUG"):
            raise
        click.echo(f"maildoctor: internal error: {type(exc).__name__}: {exc}"[:300], err=True)
        return 3
    return int(result or 0)


def run() -> None:  # pragma: no cover - console script wrapper
    sys.exit(main())
