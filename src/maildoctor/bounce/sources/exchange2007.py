"""Microsoft Exchange Server 2007 and later (on premises) non-delivery reports.

The same NDR layout as Exchange Online (``Generating server:``, then the recipient,
the remote host and ``Remote Server returned '...'``), with a ``Content-Language``
header and a localised "Undeliverable:" subject; recognised as Sisimai's
Exchange2007 module does. Exchange Online messages are left to ``office365``.
"""

from __future__ import annotations

import re

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464
from .office365 import with_ndr_details

NAME = "exchange2007"

_SUBJECT = re.compile(r"\A(?:Undeliverable|Non_remis_|Non recapitabile):")
_LANGUAGE = re.compile(r"\A[a-z]{2}(?:-[A-Z]{2})?\Z")


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Exchange Server NDR; None for other messages."""
    if not _SUBJECT.match(mail.subject) or not _LANGUAGE.match(mail.header("content-language")):
        return None
    if "x-ms-exchange-crosstenant-originalarrivaltime" in mail.headers:
        return None
    return finish(with_ndr_details(rfc3464.drafts(mail), mail.report), NAME)
