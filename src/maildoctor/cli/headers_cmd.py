"""``maildoctor headers FILE``: what one message's header section says about its delivery."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import InputError
from ..message import check_headers
from ..model import Finding, Report, Status
from .common import check_input, emit, make_context, network_options, run_async

#: Messages are read up to this size; DKIM body hashes of larger ones cannot be checked.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def read_message(source: str) -> tuple[bytes, bool]:
    """The bytes of ``source`` (a path or ``-`` for standard input) and whether they were cut.

    Raises:
        InputError: if the file cannot be read.
    """
    check_input(source, allow_stdin=True)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_MESSAGE_BYTES + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_MESSAGE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    return data[:MAX_MESSAGE_BYTES], len(data) > MAX_MESSAGE_BYTES


@click.command("headers")
@click.argument("source", metavar="FILE")
@network_options
@click.option("-v", "--verbose", is_flag=True, help="Show details and evidence for every finding.")
def command(
    source: str, nameservers: object, timeout: float, retries: int, fmt: str, verbose: bool
) -> int:
    """Read a message (or just its headers) from FILE or - and explain its delivery.

    Received hops and delays, Authentication-Results and ARC, DKIM verified with
    keys fetched now, SPF re-evaluated, DMARC alignment, and the receiver's spam
    verdict in words.
    """
    raw, truncated = read_message(source)
    ctx = make_context(nameservers, timeout, retries)  # type: ignore[arg-type]
    start = time.perf_counter()
    findings = run_async(check_headers(raw, ctx=ctx))
    _require_mail(findings, source)
    report = Report(
        command="headers",
        subject=source,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"bytes": len(raw), "truncated": truncated},
    )
    return emit(report, fmt, verbose=verbose)


def _require_mail(findings: tuple[Finding, ...], source: str) -> None:
    """Input that is no message at all is unusable input (exit 2), not a failed check.

    Raises:
        InputError: when :func:`check_headers` found no message to analyse.
    """
    for f in findings:
        if f.check == "message.headers.parse" and f.status is Status.ERROR:
            name = "standard input" if source == "-" else source
            why = f.data.get("reason", "")
            raise InputError(f"{name} does not look like an email message ({why})")
