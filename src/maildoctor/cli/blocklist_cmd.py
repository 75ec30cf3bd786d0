"""``maildoctor blocklist IP|DOMAIN ...``: is an address or domain on a DNS blocklist?

IPs (IPv4 or IPv6) are looked up on the IP lists, domains on the domain lists (Spamhaus DBL).
A listing names the list, its return code in words and the removal path; a refused query
(a public resolver, a quota) or a timeout is "could not check", never clean. Exit codes: 0 not
listed anywhere, 1 listed somewhere, 3 some lists could not be checked, 2 bad input.
"""

from __future__ import annotations

import time

import click

from ..dns.blocklist import check_blocklists, select_lists
from ..dns.names import parse_domain
from ..dns.resolver import Nameserver
from ..errors import InputError
from ..model import Report
from .common import emit, make_context, network_options, run_async

__all__ = ["command"]

MAX_ARGS = 64


@click.command("blocklist")
@click.argument("subjects", nargs=-1, required=True, metavar="IP|DOMAIN...")
@click.option(
    "--dnsbl",
    "zones",
    multiple=True,
    metavar="ZONE",
    help="Another blocklist zone to ask (repeatable); 'dbl.*' zones are domain lists.",
)
@click.option("--only", is_flag=True, help="Ask only the --dnsbl zones, not the defaults.")
@click.option("-v", "--verbose", is_flag=True, help="Show the DNS answers behind each finding.")
@network_options
def command(
    subjects: tuple[str, ...],
    zones: tuple[str, ...],
    only: bool,
    verbose: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Look IPs and domains up on DNS blocklists (Spamhaus, Barracuda, SpamCop...)."""
    if len(subjects) > MAX_ARGS:
        raise InputError(f"at most {MAX_ARGS} IPs or domains at once")
    if only and not zones:
        raise InputError("--only needs at least one --dnsbl ZONE")
    try:
        lists = select_lists(zones, defaults=not only)
    except ValueError as exc:
        raise InputError(f"--dnsbl: {exc}") from None
    ips, domains = _split(subjects)
    ctx = make_context(nameservers, timeout, retries)
    start = time.perf_counter()
    findings = run_async(check_blocklists(ips, domains, ctx=ctx, lists=lists, limit=MAX_ARGS))
    report = Report(
        command="blocklist",
        subject=" ".join(subjects),
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"lists": [b.zone for b in lists]},
    )
    return emit(report, fmt, verbose=verbose)


def _split(subjects: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """IPs and domains, each validated.

    Raises:
        InputError: for something that is neither.
    """
    import ipaddress

    ips: list[str] = []
    domains: list[str] = []
    for text in subjects:
        try:
            ips.append(str(ipaddress.ip_address(text.strip().strip("[]"))))
        except ValueError:
            domains.append(parse_domain(text, what="IP or domain"))
    return list(dict.fromkeys(ips)), list(dict.fromkeys(domains))
