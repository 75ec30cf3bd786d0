"""``maildoctor spf``: evaluate SPF for one sending IP and MAIL FROM address.

Prints the result, the explanation (for ``fail``), the path that decided it
(domain -> record -> matching term, through includes and redirects) and the
lookup counts; ``-v`` adds the reference and every DNS answer consulted. Record
text and explanations come from DNS: control characters in them are shown, never
sent to the terminal. Exit codes follow the verdict finding's status: 0 for pass
(and neutral/none, which are warnings), 1 for fail, softfail and permerror,
3 for temperror, 2 for a bad IP or address.
"""

from __future__ import annotations

import time

import click

from ..dns.names import parse_domain, parse_ip
from ..dns.resolver import Nameserver
from ..dns.spf import MAX_LOOKUPS, MAX_VOID_LOOKUPS, SpfStep, format_path, spf_for_ip
from ..errors import InputError
from ..model import Finding, Report
from ..report import printable
from .common import emit, make_context, network_options, run_async


@click.command("spf")
@click.option("--ip", "ip", required=True, metavar="IP", help="The sending (SMTP client) IP.")
@click.option(
    "--sender",
    required=True,
    metavar="ADDRESS",
    help="The MAIL FROM address; '<>' for the null sender (then postmaster@HELO is checked).",
)
@click.option("--helo", default=None, metavar="NAME", help="The HELO/EHLO name given.")
@click.option("-v", "--verbose", is_flag=True, help="Show the reference and every DNS answer.")
@network_options
def command(
    ip: str,
    sender: str,
    helo: str | None,
    verbose: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Evaluate SPF (RFC 7208 check_host) for a sending IP and MAIL FROM address."""
    address = parse_ip(ip)
    mail_from, domain = _parse_sender(sender, helo)
    ctx = make_context(nameservers, timeout, retries)
    start = time.perf_counter()
    finding = run_async(spf_for_ip(address, domain, ctx=ctx, helo=helo, sender=mail_from))
    report = Report(
        command="spf",
        subject=f"{address} {mail_from}",
        findings=(finding,),
        elapsed_ms=(time.perf_counter() - start) * 1000,
    )
    if fmt == "json":
        return emit(report, fmt)
    lines = _text_lines(finding) + (_evidence_lines(finding) if verbose else [])
    for line in lines:
        click.echo(printable(line))
    return int(report.exit_code)


def _parse_sender(sender: str, helo: str | None) -> tuple[str, str]:
    """(MAIL FROM as checked, its domain); the null sender uses postmaster@HELO (2.4).

    Raises:
        InputError: for an address whose domain is not a domain name.
    """
    text = sender.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        if not helo:
            raise InputError("the null sender '<>' needs --helo: SPF then checks the HELO name")
        text = f"postmaster@{helo}"
    local, at, domain = text.rpartition("@")
    if not at:
        raise InputError(f"--sender {sender!r} is not an address (local@domain)")
    domain = parse_domain(domain, what="sender domain")
    return f"{local or 'postmaster'}@{domain}", domain


def _text_lines(finding: Finding) -> list[str]:
    data = finding.data
    lines = [f"SPF {data['result']} for {data['ip']} sending as {data['sender']}"]
    if data["explanation"]:
        lines.append(f"  explanation: {data['explanation']}")
    lines.append("  decided by:")
    path = format_path(tuple(SpfStep(**step) for step in data["path"]))
    lines += [f"    {line}" for line in path or ["(no SPF record was evaluated)"]]
    lines.append(
        f"  DNS lookups: {data['lookups']} of {MAX_LOOKUPS}; "
        f"void lookups: {data['void_lookups']} of {MAX_VOID_LOOKUPS}"
    )
    lines += [f"  problem: {problem}" for problem in data["problems"]]
    if finding.fix and data["result"] != "pass":
        lines.append(f"  fix: {finding.fix}")
    return lines


def _evidence_lines(finding: Finding) -> list[str]:
    """``-v``: the reference and every DNS exchange, as the other commands show them."""
    lines = [f"  ref: {finding.reference}", "  evidence:"]
    for ev in finding.evidence:
        server = f" @{ev.server}" if ev.server else ""
        lines.append(f"    {ev.query}{server}: {ev.outcome}")
        lines += [f"      {raw[:300]}" for raw in ev.raw[:10]]
    return lines
