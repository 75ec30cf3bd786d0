"""Yandex.Mail bounce reports: ``X-Yandex-Uniq`` from ``mailer-daemon@yandex.ru``.

The report is RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "yandex"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not ("x-yandex-uniq" in mail.headers and mail.sender == "mailer-daemon@yandex.ru"):
        return None
    return finish(rfc3464.drafts(mail), NAME)
