"""``maildoctor account --provider sendgrid|postmark``: the sending account, read-only.

Asks the service's API what every sending service answers (``SenderAccount``): does it send
from the sender (verified sender / sender signature, or an authenticated domain), is the
sender's domain's DKIM and return path verified there, is a recipient suppressed. Keys come
from the environment (``SENDGRID_API_KEY``; ``POSTMARK_ACCOUNT_TOKEN`` and
``POSTMARK_SERVER_TOKEN``) or standard input, one per line in that order - never from an
argument. ``--api-url`` (or ``MAILDOCTOR_SENDGRID_URL`` / ``MAILDOCTOR_POSTMARK_URL``) points
the client at another base URL. For Amazon SES use ``maildoctor ses``.
"""

from __future__ import annotations

import time
from typing import Any

import click

from ..correlate import correlate
from ..errors import InputError
from ..model import Report
from ..secrets import Secret
from .common import FORMATS, SecretInput, emit, run_async

__all__ = ["command"]


@click.command("account")
@click.option(
    "--provider", type=click.Choice(["sendgrid", "postmark"]), required=True, help="The service."
)
@click.option("--sender", required=True, metavar="ADDR", help="The From address.")
@click.option(
    "--recipient", "recipients", multiple=True, metavar="ADDR", help="Look up on suppressions."
)
@click.option("--stream", default="outbound", show_default=True, help="Postmark message stream.")
@click.option("--api-url", metavar="URL", help="The API's base URL (default: the service's).")
@click.option("--timeout", type=click.FloatRange(0.1, 120), default=10.0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence for every finding.")
def command(
    provider: str,
    sender: str,
    recipients: tuple[str, ...],
    stream: str,
    api_url: str | None,
    timeout: float,
    fmt: str,
    verbose: bool,
) -> int:
    """Check a SendGrid or Postmark account for a sender and recipients, read-only."""
    for address in (sender, *recipients):
        if "@" not in address or any(c.isspace() for c in address):
            raise InputError(f"bad address {address!r}")
    start = time.perf_counter()
    account = _account(provider, stream=stream, api_url=api_url, timeout=timeout)
    findings = run_async(_run(account, sender, recipients))
    report = Report(
        command="account",
        subject=sender,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"provider": provider, "recipients": list(recipients)},
        causes=correlate(findings),
    )
    return emit(report, fmt, verbose=verbose)


def _key(source: SecretInput, env: str, what: str) -> Secret:
    key: Secret | None = source.read(env=env, prompt=what)
    if key is None:
        raise InputError(f"no {what}: set {env} or pipe it on standard input")
    return key


def _account(provider: str, *, stream: str, api_url: str | None, timeout: float) -> Any:
    source = SecretInput()
    if provider == "sendgrid":
        from ..provider.sendgrid import KEY_ENV, SendGridAccount

        key = _key(source, KEY_ENV, "SendGrid API key")
        return SendGridAccount(key, timeout=timeout, base_url=api_url)
    from ..provider.postmark import ACCOUNT_TOKEN_ENV, SERVER_TOKEN_ENV, PostmarkAccount

    account_token = _key(source, ACCOUNT_TOKEN_ENV, "Postmark account token")
    server_token = _key(source, SERVER_TOKEN_ENV, "Postmark server token")
    return PostmarkAccount(
        account_token, server_token, stream=stream, timeout=timeout, base_url=api_url
    )


async def _run(account: Any, sender: str, recipients: tuple[str, ...]) -> Any:
    from ..provider.account_checks import check_account

    try:
        return await check_account(account, sender=sender, recipients=recipients)
    finally:
        await account.close()
