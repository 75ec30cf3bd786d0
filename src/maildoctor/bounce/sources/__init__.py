"""The bounce sources: one module per MTA or sending service, in one registry.

Every module here exposes ``NAME`` and ``parse(mail) -> list[DeliveryStatus] | None``
(None means "not mine"). :data:`SOURCES` lists them in the order they are tried:
services and MTAs with distinctive formats first, then the generic RFC 3464
reader, then feedback reports and auto-replies. A test checks that every module
in this package is registered and parses at least one sample.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..model import DeliveryStatus
from ..parse import Mail

__all__ = ["MODULES", "SOURCES", "Parser"]

Parser = Callable[[Mail], "list[DeliveryStatus] | None"]

#: Module names, in the order they are tried.
MODULES: tuple[str, ...] = (
    "amazonses",
    "amazonworkmail",
    "messagelabs",
    "postfix",
    "sendmail",
    "exim",
    "dragonfly",
    "qmail",
    "v5sendmail",
    "googleworkspace",
    "googlegroups",
    "gmail",
    "opensmtpd",
    "x2",
    "exchange2003",
    "ezweb",
    "gmx",
    "zoho",
    "imailserver",
    "mfilter",
    "x1",
    "x3",
    "activehunter",
    "einsundeins",
    "fml",
    "kddi",
    "mailfoundry",
    "notes",
    "verizon",
    "x6",
    "trendmicro",
    "apachejames",
    "messagingserver",
    "domino",
    "courier",
    "biglobe",
    "mailmarshal",
    "mimecast",
    "mcafee",
    "powermta",
    "office365",
    "exchange2007",
    "outlook",
    "receivingses",
    "sendgrid",
    "yandex",
    "amavis",
    "barracuda",
    "surfcontrol",
    "bigfoot",
    "rfc3464",
    "arf",
    "rfc3834",
    "fallback",
)


def _load() -> tuple[tuple[str, Parser], ...]:
    table = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        table.append((module.NAME, module.parse))
    return tuple(table)


#: (source name, parser) in the order they are tried.
SOURCES: tuple[tuple[str, Parser], ...] = _load()
