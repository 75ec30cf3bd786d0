"""``maildoctor postfix [CONFIG_DIR]``: is this Postfix set up for its relay?

Reads main.cf, master.cf and the file behind ``smtp_sasl_password_maps`` (offline; no
Postfix needed): the relay and port, TLS settings the relay will refuse, SMTP AUTH, and
whether the stored credential has the shape the relay's service expects. With
``--check-secret`` the current IAM secret key (``AWS_SECRET_ACCESS_KEY`` or standard
input, never an argument) checks an SES password's derivation. No password is printed.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..correlate import correlate
from ..errors import InputError
from ..model import Report
from ..postfix import check_postfix, read_config
from .common import FORMATS, SecretInput, emit

__all__ = ["command"]

SECRET_ENV = "AWS_SECRET_ACCESS_KEY"


@click.command("postfix")
@click.argument("config_dir", default="/etc/postfix", type=click.Path(path_type=Path))
@click.option(
    "--check-secret",
    is_flag=True,
    help=f"Read the current IAM secret key (${SECRET_ENV} or stdin) to check an SES password.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show details for every finding.")
def command(config_dir: Path, check_secret: bool, fmt: str, verbose: bool) -> int:
    """Check a Postfix relay configuration (default /etc/postfix) offline."""
    start = time.perf_counter()
    config = read_config(config_dir)
    secret = None
    if check_secret:
        secret = SecretInput().read(env=SECRET_ENV, prompt="AWS secret access key")
        if secret is None:
            raise InputError(f"--check-secret: no secret key: set {SECRET_ENV} or pipe it on stdin")
    findings = check_postfix(config, secret=secret)
    report = Report(
        command="postfix",
        subject=str(config_dir),
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"relayhost": config.relayhost.text if config.relayhost else None},
        causes=correlate(findings),
    )
    return emit(report, fmt, verbose=verbose)
