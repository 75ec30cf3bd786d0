"""``maildoctor ses``: the sending-service layer for Amazon SES, read-only.

Credentials come from boto3's standard chain (``--profile`` / ``AWS_PROFILE``,
environment, SSO, roles), never from the command line; endpoints from the
standard ``AWS_ENDPOINT_URL`` variables (which is how it runs against moto).
No usable credentials, an unknown profile, no region or an SMTP username that
is not an access key id exit 2 with one line.
"""

from __future__ import annotations

import re
import time

import click

from ..dns.resolver import Nameserver
from ..errors import InputError
from ..model import Report
from ..provider.aws import credentials_problem, default_region
from ..provider.ses.driver import check_ses
from ..provider.ses.endpoints import smtp_endpoint_region
from ..provider.ses.facts import is_access_key_id
from .common import emit, make_context, network_options, run_async

__all__ = ["command"]

_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")


def _smtp_user(value: str | None) -> str | None:
    """The SMTP username must be an access key id; never echo the value (it may be a secret)."""
    if value is None:
        return None
    text = value.strip()
    if is_access_key_id(text):
        return text
    looks_secret = len(text) == 40 or "/" in text or "+" in text
    hint = (
        " - it looks like a secret access key: never put one on a command line"
        if looks_secret
        else ""
    )
    raise InputError(
        "--smtp-user must be the SMTP username, an access key id (20 characters starting AKIA); "
        f"the value given is not one (not shown){hint}"
    )


def _region(region: str | None, profile: str | None, smtp_endpoint: str | None) -> str:
    chosen = region or smtp_endpoint_region(smtp_endpoint) or default_region(profile)
    if not chosen:
        raise InputError("no AWS region: give --region (or set AWS_REGION / AWS_DEFAULT_REGION)")
    if not _REGION.match(chosen):
        raise InputError(f"{chosen!r} is not an AWS region name (like us-east-1)")
    return chosen


@click.command("ses")
@click.option("--region", metavar="R", help="SES region mail is sent through.")
@click.option("--profile", metavar="P", help="AWS named profile (default: the standard chain).")
@click.option("--sender", metavar="ADDR", help="From address (or domain) to check.")
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="ADDR",
    help="Recipient to check against the suppression list and sandbox (repeatable).",
)
@click.option("--smtp-user", metavar="AKIA...", help="SMTP username (an access key id).")
@click.option(
    "--smtp-endpoint", metavar="HOST", help="SMTP host the client uses, to compare regions."
)
@click.option(
    "--scan-region",
    "scan_regions",
    multiple=True,
    metavar="R",
    help="Region to search for the identity (repeatable; default: every SES region).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence and details for every finding.")
@network_options
def command(
    region: str | None,
    profile: str | None,
    sender: str | None,
    recipients: tuple[str, ...],
    smtp_user: str | None,
    smtp_endpoint: str | None,
    scan_regions: tuple[str, ...],
    verbose: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Check the SES account, the sender's identity, DKIM, MAIL FROM, suppression and SMTP key."""
    key_id = _smtp_user(smtp_user)
    problem = credentials_problem(profile)
    if problem:
        raise InputError(problem)
    chosen = _region(region, profile, smtp_endpoint)
    ctx = make_context(nameservers, timeout, retries)
    start = time.perf_counter()
    result = run_async(
        check_ses(
            ctx=ctx,
            region=chosen,
            profile=profile,
            sender=sender,
            recipients=recipients,
            smtp_user=key_id,
            smtp_endpoint=smtp_endpoint,
            scan_regions=scan_regions or None,
        )
    )
    report = Report(
        command="ses",
        subject=sender or chosen,
        findings=result.findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"region": chosen, "profile": profile, "smtp_user": key_id},
    )
    return emit(report, fmt, verbose=verbose)
