"""``maildoctor ses-smtp-password``: derive, or check, an Amazon SES SMTP password.

The secret access key comes from ``AWS_SECRET_ACCESS_KEY`` or the first line of
standard input (a hidden prompt on a terminal) - never from an argument. Without
``--check`` the derived password is printed on stdout (that is the point); the
secret never is. With ``--check`` a stored SMTP password is read too
(``MAILDOCTOR_SMTP_PASSWORD``, the next stdin line, or a hidden prompt) and the
report says whether it matches, and if not, the most likely reason.
"""

from __future__ import annotations

import re
import time

import click

from ..errors import InputError
from ..model import Report
from ..secrets import Secret
from ..smtp.ses_password import (
    check_credentials_shape,
    check_stored_password,
    configured_regions,
    derive_smtp_password,
    password_check_finding,
)
from .common import FORMATS, SecretInput, emit

__all__ = ["command"]

SECRET_ENV = "AWS_SECRET_ACCESS_KEY"
PASSWORD_ENV = "MAILDOCTOR_SMTP_PASSWORD"
#: The shape of a region name (not a list of regions: new ones must keep working). A V4
#: password is derived for whatever string is given, so a typo would give a wrong password.
_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+$")


def _check_region(region: str) -> None:
    if not _REGION.match(region):
        raise InputError(f"{region!r} is not an AWS region name (like us-east-1)")


@click.command("ses-smtp-password")
@click.option("--region", metavar="REGION", help="SES region, e.g. us-east-1 (V4 passwords).")
@click.option("--legacy-v2", is_flag=True, help="Derive a legacy V2 password (not region-bound).")
@click.option("--check", is_flag=True, help="Check a stored SMTP password instead of printing.")
@click.option("--user", metavar="AKIA...", help="With --check: the SMTP username to check too.")
@click.option("--regions", metavar="R1,R2", help="Regions to try with --check (default: table).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format (--check).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show details for every finding.")
def command(
    region: str | None,
    legacy_v2: bool,
    check: bool,
    user: str | None,
    regions: str | None,
    fmt: str,
    verbose: bool,
) -> int:
    """Print the SES SMTP password for a secret key, or check a stored one."""
    if not region and (check or not legacy_v2):
        raise click.UsageError("--region is required (except for --legacy-v2 without --check)")
    for name in (region or "", *(regions or "").split(",")):
        if name.strip():
            _check_region(name.strip())
    source = SecretInput()
    secret = source.read(env=SECRET_ENV, prompt="AWS secret access key")
    if secret is None:
        raise InputError(f"no secret access key: set {SECRET_ENV} or pipe it on stdin")
    if check:
        assert region is not None
        return _check(secret, region, user, regions, source, fmt, verbose)
    password = derive_smtp_password(secret, region, version=2 if legacy_v2 else 4)
    kind = "legacy V2" if legacy_v2 else f"V4 ({region})"
    click.echo(f"SES SMTP password, {kind}, from the secret access key given:", err=True)
    click.echo(password.reveal())
    return 0


def _check(
    secret: Secret,
    region: str,
    user: str | None,
    regions: str | None,
    source: SecretInput,
    fmt: str,
    verbose: bool,
) -> int:
    start = time.perf_counter()
    stored = source.read(env=PASSWORD_ENV, prompt="Stored SMTP password")
    if stored is None:
        raise InputError(
            f"no stored SMTP password: set {PASSWORD_ENV} or pipe it as the second line of stdin"
        )
    table = tuple(r.strip() for r in regions.split(",") if r.strip()) if regions else None
    result = check_stored_password(secret, stored, region, regions=table or configured_regions())
    findings = check_credentials_shape(user, stored, region=region)
    report = Report(
        command="ses-smtp-password",
        subject=region,
        findings=(*findings, password_check_finding(result)),
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"user": user},
    )
    return emit(report, fmt, verbose=verbose)
