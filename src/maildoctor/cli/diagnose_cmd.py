"""``maildoctor diagnose``: every layer the evidence allows, at once, as root causes.

The relay password comes from ``MAILDOCTOR_SMTP_PASSWORD``, ``--password-stdin`` or a
hidden prompt - never from an argument. Exit codes: 0 nothing wrong, 1 at least one
root cause, 2 bad usage or unreadable input, 3 checks could not complete (and no cause).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape as escape_markup

from ..diagnose import ADAPTERS, DiagnoseRequest, ProgressEvent, ProgressState, diagnose
from ..diagnose import parse_relay as _parse_relay
from ..errors import InputError
from ..model import Report
from ..report import printable
from ..secrets import Secret
from ..smtp.profiles import provider_names
from .common import InputPath, brief_wanted, make_context, network_options, run_async

__all__ = ["REPORT_FORMATS", "command", "render_report"]

REPORT_FORMATS = ("text", "json", "markdown", "html")
PASSWORD_ENV = "MAILDOCTOR_SMTP_PASSWORD"
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")
PROVIDERS = provider_names()


def _report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The shared network options, with ``--format`` widened to every report format."""
    func = network_options(func)
    params: list[click.Parameter] = getattr(func, "__click_params__", [])
    for index, param in enumerate(params):
        if param.name == "fmt":
            params[index] = click.Option(
                ["--format", "fmt"],
                type=click.Choice(REPORT_FORMATS),
                default="text",
                show_default=True,
                help="Output format.",
            )
    return func


_FILE = InputPath()


@click.command("diagnose")
@click.option("--from", "sender", required=True, metavar="ADDR", help="The sender address.")
@click.option("--to", "recipients", multiple=True, metavar="ADDR", help="Recipient (repeatable).")
@click.option(
    "--bounce",
    "bounces",
    multiple=True,
    type=InputPath(allow_dir=True, allow_stdin=True),
    help="Bounce message, mbox, maildir or SES notification (repeatable; - reads stdin).",
)
@click.option(
    "--reports",
    "reports",
    multiple=True,
    type=click.Path(exists=True, readable=True, path_type=Path),
    help="DMARC aggregate/failure or SMTP TLS reports: file, archive, mbox, dir (repeatable).",
)
@click.option(
    "--headers",
    type=InputPath(allow_stdin=True),
    help="A received message, or its headers (- reads stdin).",
)
@click.option("--log", "logs", multiple=True, type=_FILE, help="Mail or app log (repeatable).")
@click.option("--relay", metavar="HOST[:PORT]", help="The SMTP relay the client submits to.")
@click.option("--relay-user", metavar="USER", help="Relay username (SES: the access key id).")
@click.option("--password-stdin", is_flag=True, help="Read the relay password from stdin.")
@click.option(
    "--postfix",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The client is this Postfix: check its config; relay and login come from it.",
)
@click.option(
    "--provider",
    type=click.Choice(PROVIDERS),
    help="Sending service behind the relay (default: implied by the relay host).",
)
@click.option("--region", metavar="R", help="AWS region (default: from the relay host).")
@click.option("--profile", metavar="P", help="AWS profile.")
@click.option("--sending-ip", metavar="IP", help="IP the mail left from (PTR, SPF, blocklists).")
@click.option(
    "--dnsbl", "dnsbl", multiple=True, metavar="ZONE", help="Another DNS blocklist zone to ask."
)
@click.option("--selector", "selectors", multiple=True, metavar="S", help="DKIM selector.")
@click.option("--mail-from", metavar="DOMAIN", help="Envelope (MAIL FROM) domain.")
@click.option(
    "--helo", metavar="NAME", help="EHLO name of the sending host (its SPF, with --sending-ip)."
)
@click.option("--no-mx-probe", is_flag=True, help="Do not connect to the recipients' MX.")
@click.option(
    "--mx-port",
    type=click.IntRange(1, 65535),
    default=25,
    show_default=True,
    help="Port to probe the recipients' MX hosts on (a test MX, a redirected network).",
)
@click.option(
    "--client",
    type=click.Choice(["gmail-send-as"]),
    help="The client submitting to --relay, whose constraints the relay probe checks.",
)
@click.option(
    "--regions",
    metavar="R[,R...]",
    help="SES regions to search for the identity (default: every SES region).",
)
@click.option(
    "--secret-stdin",
    is_flag=True,
    help="Read the current IAM secret access key from stdin (after the password, if "
    "--password-stdin too): says exactly why an SES SMTP password does not match.",
)
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice([a.name for a in ADAPTERS]),
    help="A layer not to run (repeatable); it is reported as skipped.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(0.1, 3600),
    default=None,
    metavar="S",
    help="Seconds each layer may take before it is reported as not finished "
    "(default 12 x --timeout, at least 10); diagnose ends within it plus a second.",
)
@click.option("--ca-file", type=_FILE, help="Extra PEM CA bundle to trust for TLS.")
@click.option("--no-verify", is_flag=True, help="Carry on past certificate problems.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("-v", "--verbose", is_flag=True, help="Show evidence for every finding.")
@_report_options
def command(**options: Any) -> int:
    """Find every independent reason mail from --from is not delivered.

    Runs every layer the evidence allows at once (relay, SES, DNS, the recipients' servers,
    bounces, receivers' DMARC and TLS reports, headers, logs), says which could not run and
    why, and reports each independent root cause with its evidence, its fix and what that
    fix does not fix.

    The relay password is read from MAILDOCTOR_SMTP_PASSWORD, --password-stdin or a hidden
    prompt, never from an argument. Exit codes: 0 nothing wrong, 1 at least one root cause,
    2 bad usage, 3 checks could not complete.
    """
    request = _request(options)
    ctx = make_context(options["nameservers"], options["timeout"], options["retries"])
    ctx = dataclasses.replace(
        ctx,
        ca_file=str(options["ca_file"]) if options["ca_file"] else None,
        verify_tls=not options["no_verify"],
    )
    report = _run(request, ctx)
    fmt = _output_format(options["fmt"], options["output"])
    _write(report, fmt, options["output"], verbose=options["verbose"])
    return int(report.exit_code)


#: ``-o FILE``: the format its extension names, unless --format says otherwise.
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".txt": "text",
}


def _output_format(fmt: str, output: Path | None) -> str:
    """``--format`` when given; else, with ``-o report.html``, the extension's format."""
    current = click.get_current_context(silent=True)
    given = current is not None and current.get_parameter_source("fmt") not in (
        click.core.ParameterSource.DEFAULT,
        None,
    )
    if given or output is None:
        return fmt
    return SUFFIX_FORMATS.get(output.suffix.lower(), fmt)


#: The most ``--bounce -`` / ``--headers -`` read from standard input.
MAX_STDIN = 64 * 1024 * 1024


def _stdin_file(options: dict[str, Any]) -> dict[str, Any]:
    """``-`` for --bounce or --headers: standard input, kept in a private temporary file
    (removed when the command ends) so every layer can read it like any other file."""
    dash = Path("-")
    uses = [n for n in options["bounces"] if n == dash] + [options["headers"]] * (
        options["headers"] == dash
    )
    if not uses:
        return options
    if len(uses) > 1 or options["password_stdin"]:
        raise InputError("only one of --bounce -, --headers - and --password-stdin can read stdin")
    import tempfile

    data = sys.stdin.buffer.read(MAX_STDIN + 1)
    if len(data) > MAX_STDIN:
        raise InputError(f"standard input is over {MAX_STDIN // (1024 * 1024)} MB")
    folder = tempfile.TemporaryDirectory(prefix="maildoctor-")
    click.get_current_context().call_on_close(folder.cleanup)
    path = Path(folder.name) / "stdin.eml"
    path.write_bytes(data)
    return {
        **options,
        "bounces": tuple(path if n == dash else n for n in options["bounces"]),
        "headers": path if options["headers"] == dash else options["headers"],
    }


def _request(options: dict[str, Any]) -> DiagnoseRequest:
    options = _stdin_file(options)
    relay = _parse_relay(options["relay"]) if options["relay"] else None
    if options["postfix"] is not None and relay is None:
        from ..diagnose import with_postfix_relay  # the relay and login Postfix holds

        return with_postfix_relay(_base_request(options, relay, None))
    return _base_request(options, relay, _password(options, relay is not None))


def _base_request(options: dict[str, Any], relay: Any, password: Secret | None) -> DiagnoseRequest:
    return DiagnoseRequest(
        sender=options["sender"],
        recipients=tuple(options["recipients"]),
        bounces=tuple(options["bounces"]),
        reports=tuple(options["reports"]),
        headers=options["headers"],
        logs=tuple(options["logs"]),
        relay=relay,
        relay_user=options["relay_user"],
        relay_password=password,
        relay_secret=_secret(options),
        provider=options["provider"],
        region=options["region"],
        profile=options["profile"],
        sending_ip=options["sending_ip"],
        selectors=tuple(options["selectors"]),
        mail_from=options["mail_from"],
        probe_mx=not options["no_mx_probe"],
        mx_port=options["mx_port"],
        client=options["client"],
        helo=options["helo"],
        scan_regions=_regions(options["regions"]),
        dnsbl=tuple(options["dnsbl"]),
        skip=frozenset(options["skip"]),
        layer_timeout=options["deadline"],
        postfix=options["postfix"],
    )


def _regions(text: str | None) -> tuple[str, ...] | None:
    """``us-east-1,eu-west-1`` -> a tuple; ``None`` searches every region."""
    if text is None:
        return None
    regions = tuple(dict.fromkeys(r.strip().lower() for r in text.split(",") if r.strip()))
    if not regions or not all(_REGION.match(r) for r in regions):
        raise InputError(f"--regions {text!r}: expected AWS region names such as us-east-1")
    return regions


def _secret(options: dict[str, Any]) -> Secret | None:
    """The current IAM secret key, from stdin only (never an argument or the report)."""
    if not options["secret_stdin"]:
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("--secret-stdin: no secret access key on standard input")
    return Secret(line)


def _password(options: dict[str, Any], has_relay: bool) -> Secret | None:
    """The relay password: stdin, the environment, or a hidden prompt on a terminal."""
    if options["password_stdin"]:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("--password-stdin: no password on standard input")
        return Secret(line)
    if os.environ.get(PASSWORD_ENV):
        return Secret(os.environ[PASSWORD_ENV])
    user = options["relay_user"]
    if not (has_relay and user):
        return None
    if not sys.stdin.isatty():
        # Probing without it would blame the client for not logging in (530).
        raise InputError(
            f"no password for --relay-user: set {PASSWORD_ENV} or pipe it with --password-stdin"
        )
    typed = click.prompt(f"SMTP password for {user}", hide_input=True, err=True, default="")
    if not typed:
        raise InputError("no password for --relay-user: the prompt was answered empty")
    return Secret(typed)


def _run(request: DiagnoseRequest, ctx: Any) -> Report:
    err = Console(stderr=True)
    if not err.is_terminal:
        return run_async(diagnose(request, ctx=ctx))
    with err.status("running checks...") as status:
        display = _Progress(err, status)
        return run_async(diagnose(request, ctx=ctx, progress=display))


class _Progress:
    """Shows which layers are running, and each layer's outcome as it ends (stderr only)."""

    def __init__(self, console: Console, status: Any) -> None:
        self.console = console
        self.status = status
        self.running: set[str] = set()

    def __call__(self, event: ProgressEvent) -> None:
        if event.state == ProgressState.RUNNING:
            self.running.add(event.adapter)
        else:
            self.running.discard(event.adapter)
            detail = f": {event.detail}" if event.detail else f" ({event.findings} findings)"
            detail = escape_markup(printable(detail))  # a layer's reason can quote outside text
            self.console.print(
                f"[dim]{event.adapter} {event.state}{detail}[/]", markup=True, highlight=False
            )
        names = ", ".join(sorted(self.running)) or "correlating"
        self.status.update(f"checking {names}...")


def render_report(report: Report, fmt: str, *, verbose: bool = False, brief: bool = False) -> str:
    """A report as text (no colour), JSON, Markdown or HTML (``brief``: text only)."""
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "markdown":
        from ..report.markdown import render_markdown

        return render_markdown(report, verbose=verbose)
    if fmt == "html":
        from ..report.html import render_html

        return render_html(report, verbose=verbose)
    import io

    from ..report.text import render_text

    buffer = io.StringIO()
    render_text(report, verbose=verbose, file=buffer, brief=brief)
    return buffer.getvalue()


def _write(report: Report, fmt: str, output: Path | None, *, verbose: bool) -> None:
    brief = brief_wanted()
    if output is None and fmt == "text":
        from ..report.text import render_text

        render_text(report, verbose=verbose, brief=brief)  # colours when on a terminal
        return
    text = render_report(report, fmt, verbose=verbose, brief=brief)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"maildoctor: report written to {output}", err=True)
