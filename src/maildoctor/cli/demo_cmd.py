"""``maildoctor demo``: the main job on the embedded default, no network needed."""

from __future__ import annotations

import sys

import click

from ..demo import scenarios
from ..demo.runner import run_scenario
from .common import emit, run_async


@click.command("demo")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@click.option(
    "--scenario",
    default=scenarios.DEFAULT,
    show_default=True,
    metavar="NAME",
    help="Which scenario to replay.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence for every finding.")
def command(list_only: bool, scenario: str, fmt: str, verbose: bool) -> int:
    """Replay a scenario on loopback servers and check the diagnosis.

    Exits 0 when the diagnosis found exactly the scenario's expected causes,
    1 (saying what differed) when it did not.
    """
    if list_only:
        for s in scenarios.SCENARIOS.values():
            click.echo(f"{s.name:20} {s.title}")
        return 0
    try:
        chosen = scenarios.get(scenario)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="--scenario") from None
    result = run_async(run_scenario(chosen))
    emit(result.report, fmt, verbose=verbose)
    if result.matched:
        if fmt == "text":
            click.echo(
                f"demo '{chosen.name}': found exactly the expected causes "
                f"({', '.join(sorted(chosen.expected)) or 'none'})"
            )
        return 0
    click.echo(
        f"demo '{chosen.name}': diagnosis differs from the scenario: "
        f"missing {sorted(result.missing)}, unexpected {sorted(result.unexpected)}",
        err=True,
    )
    sys.stdout.flush()
    return 1
