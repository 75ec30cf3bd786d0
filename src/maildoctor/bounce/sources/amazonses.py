"""Amazon SES: its DSN e-mails, and event notifications delivered by e-mail.

SES returns bounces to the sender as RFC 3464 reports from
``MAILER-DAEMON@*.amazonses.com`` with an ``X-SES-Outgoing`` header; those are read
by the RFC 3464 reader. An SNS topic subscribed with the "email" or "email-json"
protocol instead mails the notification itself ("AWS Notification Message" from
``no-reply@sns.amazonaws.com``): its body is the JSON event, or the SNS envelope
around it, read by :mod:`maildoctor.bounce.ses_events`.
"""

from __future__ import annotations

import json

from .._scan import finish
from ..model import DeliveryStatus
from ..parse import Mail
from ..ses_events import notifications, records
from . import rfc3464

NAME = "amazonses"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an SES notification or DSN; None when the message is not from SES."""
    if _is_notification_mail(mail):
        return _from_json(mail) or None
    if not _is_ses_dsn(mail):
        return None
    return finish(rfc3464.drafts(mail), NAME)


def _is_notification_mail(mail: Mail) -> bool:
    if "x-amz-sns-message-id" in mail.headers or "no-reply@sns.amazonaws.com" in mail.sender:
        return True
    body = mail.flat.lstrip()
    return body.startswith("{") and ('"notificationType"' in body or '"eventType"' in body)


def _is_ses_dsn(mail: Mail) -> bool:
    if "amazon workmail" in mail.header("x-mailer").lower():
        return False
    sender = mail.sender.lower()
    if "mailer-daemon@" in sender and sender.rstrip(">").endswith("amazonses.com"):
        return True
    return "x-ses-outgoing" in mail.headers and "mailer-daemon" in sender


def _from_json(mail: Mail) -> list[DeliveryStatus]:
    body = mail.flat
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        return []
    text = body[start : end + 1]
    try:
        obj = json.loads(text)
    except ValueError:
        try:  # a notification line-wrapped by a mail client
            obj = json.loads(text.replace("\n", ""))
        except ValueError:
            mail.warnings.append("SES notification body is not valid JSON")
            return []
    return [row for note in notifications(obj) for row in records(note)]
