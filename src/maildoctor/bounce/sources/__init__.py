"""The bounce sources: one module per MTA or sending service, in one registry.

Every module here exposes ``NAME`` and ``parse(mail) -> list[DeliveryStatus] | None``
(None means "not mine"). :data:`SOURCES` lists them in the order they are tried:
services and MTAs with distinctive formats first, then the generic RFC 3464
reader, then feedback reports and auto-replies. A test checks that every module
in this package is registered and parses at least one sample.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import DeliveryStatus
from ..parse import Mail
from . import (
    activehunter,
    amavis,
    amazonses,
    amazonworkmail,
    apachejames,
    arf,
    barracuda,
    bigfoot,
    biglobe,
    courier,
    domino,
    dragonfly,
    einsundeins,
    exchange2003,
    exchange2007,
    exim,
    ezweb,
    fallback,
    fml,
    gmail,
    gmx,
    googlegroups,
    googleworkspace,
    imailserver,
    kddi,
    mailfoundry,
    mailmarshal,
    mcafee,
    messagelabs,
    messagingserver,
    mfilter,
    mimecast,
    notes,
    office365,
    opensmtpd,
    outlook,
    postfix,
    powermta,
    qmail,
    receivingses,
    rfc3464,
    rfc3834,
    sendgrid,
    sendmail,
    surfcontrol,
    trendmicro,
    v5sendmail,
    verizon,
    x1,
    x2,
    x3,
    x6,
    yandex,
    zoho,
)

__all__ = ["MODULES", "SOURCES", "Parser"]

Parser = Callable[[Mail], "list[DeliveryStatus] | None"]

#: The source modules, in the order they are tried.
_ORDER = (
    amazonses,
    amazonworkmail,
    messagelabs,
    postfix,
    sendmail,
    exim,
    dragonfly,
    qmail,
    v5sendmail,
    googleworkspace,
    googlegroups,
    gmail,
    opensmtpd,
    x2,
    exchange2003,
    ezweb,
    gmx,
    zoho,
    imailserver,
    mfilter,
    x1,
    x3,
    activehunter,
    einsundeins,
    fml,
    kddi,
    mailfoundry,
    notes,
    verizon,
    x6,
    trendmicro,
    apachejames,
    messagingserver,
    domino,
    courier,
    biglobe,
    mailmarshal,
    mimecast,
    mcafee,
    powermta,
    office365,
    exchange2007,
    outlook,
    receivingses,
    sendgrid,
    yandex,
    amavis,
    barracuda,
    surfcontrol,
    bigfoot,
    rfc3464,
    arf,
    rfc3834,
    fallback,
)

#: Module names, in the order they are tried.
MODULES: tuple[str, ...] = tuple(m.__name__.rpartition(".")[2] for m in _ORDER)

#: (source name, parser) in the order they are tried.
SOURCES: tuple[tuple[str, Parser], ...] = tuple((m.NAME, m.parse) for m in _ORDER)
