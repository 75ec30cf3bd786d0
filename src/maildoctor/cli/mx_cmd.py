"""``maildoctor mx DOMAIN``: can mail reach this domain's servers, over TLS?"""

from __future__ import annotations

import time

import click

from ..dns.resolver import Nameserver
from ..model import Report
from ..smtp.mx_probe import check_mx
from .common import emit, make_context, network_options, run_async, tls_options, with_tls

__all__ = ["command"]


@click.command("mx")
@click.argument("domain")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=25,
    show_default=True,
    help="SMTP port to probe on each MX host.",
)
@click.option(
    "--https-port",
    type=click.IntRange(1, 65535),
    default=443,
    hidden=True,
    help="Port for the MTA-STS policy fetch (tests and the demo).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence and details for every finding.")
@tls_options
@network_options
def command(
    domain: str,
    port: int,
    https_port: int,
    verbose: bool,
    ca_file: str | None,
    no_verify: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Probe every MX host: banner, STARTTLS, certificate; MTA-STS and TLS-RPT."""
    ctx = with_tls(make_context(nameservers, timeout, retries), ca_file, no_verify)
    start = time.perf_counter()
    findings = run_async(check_mx(domain, port=port, ctx=ctx, https_port=https_port))
    report = Report(
        command="mx",
        subject=domain,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
    )
    return emit(report, fmt, verbose=verbose)
