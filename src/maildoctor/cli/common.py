"""Options and output shared by every subcommand."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from ..context import Context
from ..dns.resolver import Nameserver, parse_nameserver
from ..model import Report

T = TypeVar("T")

FORMATS = ("text", "json")


def _nameservers(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> Any:
    try:
        return [parse_nameserver(v) for v in value] or None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def network_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--nameserver`` (repeatable), ``--timeout``, ``--retries`` and ``--format``."""
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)
    func = click.option(
        "--retries",
        type=click.IntRange(0, 10),
        default=1,
        show_default=True,
        help="Extra rounds over the nameservers after a timeout.",
    )(func)
    func = click.option(
        "--timeout",
        type=click.FloatRange(0.05, 120),
        default=5.0,
        show_default=True,
        help="Seconds allowed for each network step.",
    )(func)
    func = click.option(
        "--nameserver",
        "nameservers",
        multiple=True,
        callback=_nameservers,
        metavar="IP[:PORT]",
        help="DNS server to ask (repeatable); default: the system's.",
    )(func)
    return func


def make_context(nameservers: list[Nameserver] | None, timeout: float, retries: int = 1) -> Context:
    return Context.create(nameservers=nameservers, timeout=timeout, retries=retries)


def run_async(coro: Awaitable[T]) -> T:
    """The one place the CLI enters the event loop."""
    return asyncio.run(coro)  # type: ignore[arg-type]


def emit(report: Report, fmt: str, *, verbose: bool = False) -> int:
    """Print a report in the chosen format and return its exit code."""
    if fmt == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        from ..report.text import render_text

        render_text(report, verbose=verbose)
    return int(report.exit_code)
