"""Build a non-SES :class:`~maildoctor.provider.base.SenderAccount` from the environment.

``diagnose`` asks SendGrid or Postmark only when their keys are in the environment
(``SENDGRID_API_KEY``; ``POSTMARK_ACCOUNT_TOKEN`` and ``POSTMARK_SERVER_TOKEN``), like the
AWS credentials for SES; ``maildoctor account`` also reads them from standard input.
"""

from __future__ import annotations

import os
from typing import Any

from ..model import Finding
from ..secrets import Secret

__all__ = ["KEYS", "check_from_environment", "from_environment", "missing_keys"]

#: service -> the environment variables holding its keys
KEYS: dict[str, tuple[str, ...]] = {
    "sendgrid": ("SENDGRID_API_KEY",),
    "postmark": ("POSTMARK_ACCOUNT_TOKEN", "POSTMARK_SERVER_TOKEN"),
}


def missing_keys(service: str | None) -> str:
    """Why the account of ``service`` cannot be asked, for people."""
    names = KEYS.get(service or "", ())
    return f"no {service} API key: set {' and '.join(names)}" if names else "no such service"


def from_environment(service: str | None, *, timeout: float) -> Any:
    """The service's account client, or None when a key is missing.

    Args:
        service: ``sendgrid`` or ``postmark``.
        timeout: Seconds per request.

    Returns:
        A ``SendGridAccount`` or ``PostmarkAccount`` (close it), or None.
    """
    names = KEYS.get(service or "", ())
    values = [os.environ.get(name, "").strip() for name in names]
    if not names or not all(values):
        return None
    keys = [Secret(v) for v in values]
    if service == "sendgrid":
        from .sendgrid import SendGridAccount

        return SendGridAccount(keys[0], timeout=timeout)
    from .postmark import PostmarkAccount

    return PostmarkAccount(keys[0], keys[1], timeout=timeout)


async def check_from_environment(
    service: str | None, sender: str, recipients: tuple[str, ...], timeout: float
) -> tuple[Finding, ...] | None:
    """The account checks of ``service`` with the keys from the environment.

    Returns:
        The findings, or None when a key is missing (:func:`missing_keys` says which).
    """
    from .account_checks import check_account

    account = from_environment(service, timeout=timeout)
    if account is None:
        return None
    try:
        return await check_account(account, sender=sender, recipients=recipients)
    finally:
        await account.close()
