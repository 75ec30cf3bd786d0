"""``maildoctor demo``: the main job on the embedded default, no network needed.

Builds a scenario's world on loopback (DNS, an SES-like SMTP relay, an Exchange-like
MX, moto for the SES account), replays what the sender did, runs the real ``diagnose``
on the evidence and prints the report. The network guard the tests use is installed
first, so any attempt to leave loopback fails instead of leaking.

Exit codes: 0 when the diagnosis found exactly the scenario's expected root causes and
advisories, 1 (saying what differed, on stderr) when it did not.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from ..demo import scenarios
from ..demo.needs import require_demo_packages

try:
    from ..demo.runner import DemoResult, run_scenario
    from ..demo.services import SERVICE_SCENARIOS, ServiceScenario, run_service
except ModuleNotFoundError:  # the `demo` extra is missing: `command` names the install command
    pass
from ..testing import netguard
from .common import run_async
from .diagnose_cmd import REPORT_FORMATS, render_report

__all__ = ["command"]


@click.command("demo")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@click.option(
    "--scenario",
    default=scenarios.DEFAULT,
    show_default=True,
    metavar="NAME",
    help="Which scenario to replay (see --list).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Report format; with anything but text only the report goes to stdout.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence for every finding.")
@click.option(
    "--latency",
    type=click.FloatRange(0, 1000),
    default=0.0,
    metavar="MS",
    help="Delay every DNS answer and SMTP reply of the loopback servers by MS milliseconds.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the replayed evidence (bounces, mail server log) to DIR and keep it.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Build the scenario's world and open it in the web page (maildoctor serve) instead.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8025, show_default=True)
def command(
    list_only: bool,
    scenario: str,
    fmt: str,
    verbose: bool,
    latency: float,
    keep: Path | None,
    serve: bool,
    port: int,
) -> int:
    """Replay a scenario on loopback servers, diagnose it, and check the diagnosis.

    The default scenario is the reference incident: a stale SES SMTP password in a Gmail
    alias and, independently, a DMARC rejection by Exchange Online. Exits 0 when the
    diagnosis found exactly the scenario's expected causes, 1 (saying what differed)
    when it did not.
    """
    require_demo_packages()  # the loopback servers are the `demo` extra: say how to add it
    if list_only:
        _list()
        return 0
    chosen = _chosen(scenario)
    netguard.install()  # the demo never leaves loopback: fail loudly if anything tries
    if serve:
        if isinstance(chosen, ServiceScenario):
            raise click.UsageError("--serve replays the SES scenarios only")
        return _serve(chosen.name, port, keep)
    if fmt == "text":
        _preface(chosen)
    if isinstance(chosen, ServiceScenario):
        result = run_async(run_service(chosen, workdir=keep))
    else:
        result = run_async(run_scenario(chosen, latency=latency / 1000, workdir=keep))
    _show(result, fmt, verbose=verbose)
    return _check(result, fmt, keep)


def _chosen(name: str) -> scenarios.Scenario:
    if name in SERVICE_SCENARIOS:
        return SERVICE_SCENARIOS[name]
    try:
        return scenarios.get(name)
    except KeyError as exc:
        known = ", ".join([*scenarios.SCENARIOS, *SERVICE_SCENARIOS])
        message = f"unknown scenario {name!r}; known: {known}"
        raise click.BadParameter(message, param_hint="--scenario") from exc


def _serve(name: str, port: int, keep: Path | None) -> int:
    """The scenario's world on loopback and the web page in front of it, until Ctrl-C."""
    import tempfile
    from contextlib import ExitStack

    from .serve_cmd import missing_web_extra, serve

    missing_web_extra()
    from ..web.demo import demo_world_in_thread

    workdir = keep or Path(tempfile.mkdtemp(prefix="maildoctor-demo-"))
    with ExitStack() as stack:
        try:
            world = stack.enter_context(demo_world_in_thread(name, workdir))
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"maildoctor demo --serve: scenario '{name}' is running on loopback.")
        click.echo(f"  The Diagnose form is filled in; drop the evidence from {workdir} on it:")
        for path in (*world.replayed.bounces, *world.replayed.logs):
            click.echo(f"    {path}")
        click.echo("  (the stored relay password is held by the server: leave the field empty)")
        serve(world.settings, host="127.0.0.1", port=port)
    return 0


def _list() -> None:
    for s in [*scenarios.SCENARIOS.values(), *SERVICE_SCENARIOS.values()]:
        default = " (default)" if s.name == scenarios.DEFAULT else ""
        click.echo(f"{s.name:21} {s.title}{default}")
        click.echo(f"{'':21}   causes: {', '.join(sorted(s.expected)) or 'none'}")
        if s.advisories:
            click.echo(f"{'':21}   advisories: {', '.join(sorted(s.advisories))}")
        if s.defects:
            click.echo(f"{'':21}   defects: {', '.join(sorted(s.defects))}")


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def _preface(chosen: scenarios.Scenario) -> None:
    click.echo(f"maildoctor demo: scenario '{chosen.name}' - {chosen.title}\n")
    click.echo(_wrap(chosen.story))
    if isinstance(chosen, ServiceScenario):
        click.echo(
            "\n"
            + _wrap(
                f"Building it on loopback: a DNS server and a {chosen.provider} relay answering "
                "with that service's own texts (STARTTLS, private CA); nothing leaves "
                "127.0.0.1.",
                indent="",
            )
        )
        sys.stdout.flush()
        return
    click.echo(
        "\n"
        + _wrap(
            "Building it on loopback: a DNS server, an SES-like SMTP relay (STARTTLS, private "
            "CA), the recipients' MX hosts (one Exchange Online-like), moto for the SES "
            "account; nothing leaves 127.0.0.1.",
            indent="",
        )
    )
    sys.stdout.flush()


def _show(result: DemoResult, fmt: str, *, verbose: bool) -> None:
    if fmt != "text":
        sys.stdout.write(render_report(result.report, fmt, verbose=verbose))
        return
    click.echo("\nWhat happened (replayed; every quoted reply is a loopback server's):")
    for number, event in enumerate(result.events, 1):
        click.echo(
            textwrap.fill(event, 96, initial_indent=f"  {number}. ", subsequent_indent="     ")
        )
    click.echo(f"\nDiagnosing with what the user has: {_evidence(result)}.\n")
    sys.stdout.flush()
    from ..report.text import render_text

    render_text(result.report, verbose=verbose)


def _evidence(result: DemoResult) -> str:
    """The request handed to diagnose, in words (never the password or a function of it)."""
    request = result.report.meta.get("request", {})
    if isinstance(result.scenario, ServiceScenario):
        return (
            f"relay {request.get('relay')} as {request.get('relay_user')} with the stored password"
        )
    parts = [f"{len(request.get('bounces', []))} bounce(s)"]
    if request.get("logs"):
        parts.append("the mail server's log")
    if request.get("headers"):
        parts.append("the headers of a message that arrived")
    parts.append(
        f"relay {request.get('relay')} as {request.get('relay_user')} with the password "
        "stored in Gmail"
    )
    parts.append(f"SES in {request.get('region')}")
    parts.append(f"DKIM selectors {', '.join(request.get('selectors', []))}")
    return ", ".join(parts)


def _check(result: DemoResult, fmt: str, keep: Path | None) -> int:
    name = result.scenario.name
    if keep is not None:
        click.echo(f"demo '{name}': evidence kept in {keep}", err=fmt != "text")
    if result.matched:
        if fmt == "text":
            t = result.timings
            click.echo(
                f"\ndemo '{name}': the diagnosis found exactly the expected root causes "
                f"({', '.join(sorted(result.found)) or 'none'}), advisories "
                f"({', '.join(sorted(result.advisories)) or 'none'}) and defects "
                f"({', '.join(sorted(result.defects)) or 'none'}); world "
                f"{t['world_s']:.2f} s, replay {t['replay_s']:.2f} s, diagnosis "
                f"{t['diagnose_s']:.2f} s"
            )
        return 0
    click.echo(f"demo '{name}': the diagnosis differs from the scenario:", err=True)
    for line in result.differences():
        click.echo(f"  {line}", err=True)
    return 1
