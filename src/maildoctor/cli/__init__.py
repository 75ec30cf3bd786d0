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

#: Subcommands: name -> (module, one line for ``--help``), in help order. Modules are
#: imported only when their command runs, so ``maildoctor dns`` does not pay for boto3.
COMMANDS: dict[str, tuple[str, str]] = {
    "diagnose": ("diagnose_cmd", "Run every layer the evidence allows; report root causes."),
    "demo": ("demo_cmd", "Replay a scenario on loopback servers and check the diagnosis."),
    "dns": ("dns_cmd", "Check a sending domain's DNS: SPF, DMARC, DKIM, MX, MAIL FROM, PTR."),
    "blocklist": ("blocklist_cmd", "Look IPs and domains up on DNS blocklists (DNSBL)."),
    "spf": ("spf_cmd", "Evaluate SPF check_host() for an IP and sender, with the path."),
    "smtp": ("smtp_cmd", "Probe an SMTP relay: TLS, certificate, AUTH, envelope."),
    "mx": ("mx_cmd", "Probe a domain's MX hosts: port 25, STARTTLS, MTA-STS, TLS-RPT."),
    "ses-smtp-password": ("ses_password_cmd", "Derive or check an SES SMTP password."),
    "ses": ("ses_cmd", "Check the Amazon SES account, identities, DKIM, suppression, keys."),
    "account": (
        "account_cmd",
        "Check a SendGrid or Postmark account: senders, DKIM, suppressions.",
    ),
    "postfix": ("postfix_cmd", "Check a Postfix relayhost: TLS, SASL, the stored credential."),
    "bounce": ("bounce_cmd", "Classify bounces, DSNs, ARF reports and SES notifications."),
    "headers": ("headers_cmd", "Read a message's headers: hops, DKIM, SPF, DMARC, spam verdicts."),
    "reports": ("reports_cmd", "Read DMARC aggregate/failure and SMTP TLS reports."),
    "logs": ("logs_cmd", "Summarise mail logs: outcomes, reply codes, relay patterns."),
    "explain": (
        "explain_cmd",
        "Explain a root cause, a server's reply, or a whole non-delivery report.",
    ),
    "serve": ("serve_cmd", "Serve the Diagnose, Explain, Domain and Headers pages locally."),
    "audit": ("audit_cmd", "Audit many domains or a bounce archive in partitions (Dask)."),
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"{__name__}.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="maildoctor")
def cli() -> None:
    """Find out why email is not being delivered."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn every failure into an exit code."""
    if os.environ.get("MAILDOCTOR_DEBUG"):
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
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
