"""Twilio SendGrid bounce reports.

``Return-Path: <apps@sendgrid.net>`` and the Postfix-style subject "Undelivered Mail
Returned to Sender" (as Sisimai's SendGrid module recognises them); the report is
RFC 3464.
"""

from __future__ import annotations

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from . import rfc3464

NAME = "sendgrid"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read a report from this source; None for other messages."""
    if not (
        mail.header("return-path") == "<apps@sendgrid.net>"
        and mail.subject == "Undelivered Mail Returned to Sender"
    ):
        return None
    return finish(rfc3464.drafts(mail), NAME)
