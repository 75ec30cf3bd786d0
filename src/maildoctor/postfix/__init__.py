"""The user's own Postfix as the client: its relayhost, TLS and SASL settings, offline."""

from __future__ import annotations

from pathlib import Path

from ..model import Finding
from ..secrets import Secret
from .check import check_postfix
from .config import PostfixConfig, read_config

__all__ = [
    "PostfixConfig",
    "check_directory",
    "check_postfix",
    "read_config",
    "relay_login",
]


def check_directory(directory: Path, secret: Secret | None = None) -> tuple[Finding, ...]:
    """Read a configuration directory and judge it (:func:`check_postfix`).

    Raises:
        InputError: when the directory or its main.cf cannot be read.
    """
    return check_postfix(read_config(directory), secret=secret)


def relay_login(directory: Path) -> tuple[str, int, str, Secret | None] | None:
    """The relay host, port, username and password a Postfix uses; None without a relayhost.

    The username is "" and the password None when the map holds no entry for the relay.

    Raises:
        InputError: when the directory or its main.cf cannot be read.
    """
    config = read_config(directory)
    relay, credential = config.relayhost, config.credential
    if relay is None:
        return None
    if credential is None:
        return relay.host, relay.port, "", None
    return relay.host, relay.port, credential.user, credential.password
