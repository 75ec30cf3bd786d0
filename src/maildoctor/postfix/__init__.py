"""The user's own Postfix as the client: its relayhost, TLS and SASL settings, offline."""

from __future__ import annotations

from .check import check_postfix
from .config import PostfixConfig, read_config

__all__ = ["PostfixConfig", "check_postfix", "read_config"]
