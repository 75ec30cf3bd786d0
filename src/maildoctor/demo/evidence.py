"""The evidence a user of the demo's world would hold, written the way it arrives.

Pure builders: each takes what happened (the reply a server actually gave during the
replay) and returns the bytes of the message or notification the user would find in a
mailbox. Formats follow REFERENCE.md:

* :func:`gmail_send_as_notice` - Gmail's "Send mail as" failure notice (section 5):
  human part blaming the alias "settings", quoting the relay's reply; a
  delivery-status part naming the relay as Remote-MTA.
* :func:`ses_dsn` - the RFC 3464 report SES's MTA returns to the envelope sender when
  the recipient's server refused the message in the SMTP transaction: Reporting-MTA is
  SES, Remote-MTA the recipient's MX, Diagnostic-Code its reply, verbatim.
* :func:`ses_suppression_event` - the SES bounce notification (section 4) for a
  recipient on the account-level suppression list: SES never tried to deliver.
* :func:`postfix_log` - the sending server's log of what it handed to the relay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

__all__ = [
    "INCIDENT_TIME",
    "RelayedMessage",
    "Reply",
    "gmail_send_as_notice",
    "postfix_log",
    "received_date",
    "ses_dsn",
    "sent_date",
    "ses_suppression_event",
]

#: When the replayed messages were sent (fixed, so reports are reproducible).
INCIDENT_TIME = datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC)

_GMAIL_HELP = "https://support.google.com/mail/?p=CustomFromDenied"
_SEND_AS = (
    "You're sending this from a different address or alias using the 'Send mail as' "
    "feature. The settings for your 'Send mail as' account are misconfigured or out of "
    "date. Check those settings and try resending."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """A server's reply as the replay saw it."""

    code: int
    text: str  # without the code; may start with an enhanced status code

    @property
    def line(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def status(self) -> str:
        """The enhanced status code (RFC 3463), or one implied by the reply code."""
        first = self.text.split(" ", 1)[0]
        parts = first.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return first
        return "5.7.8" if self.code == 535 else f"{str(self.code)[0]}.0.0"


def _date(offset_s: int) -> str:
    return format_datetime(INCIDENT_TIME + timedelta(seconds=offset_s))


def sent_date(serial: int) -> str:
    """When message ``serial`` was sent (RFC 5322 date)."""
    return _date(120 * serial)


def received_date(serial: int) -> str:
    """When its recipient's server received it."""
    return _date(120 * serial + 1)


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def gmail_send_as_notice(
    *,
    alias: str,
    owner: str,
    recipient: str,
    relay_host: str,
    reply: Reply,
    subject: str,
    serial: int = 1,
) -> bytes:
    """Gmail's notice that a "Send mail as" message was not delivered.

    Args:
        alias: The alias the message was sent as (``admin@example.com``).
        owner: The Gmail account holding the alias (where the notice lands).
        recipient: Whom the message was for.
        relay_host: The alias's SMTP server (``email-smtp.us-east-1.amazonaws.com``).
        reply: What the relay answered.
        subject: The original message's subject.
        serial: Makes the message ids unique.

    Returns:
        The notice, as received.
    """
    boundary, inner = f"0000000000demo{serial:04d}a", f"0000000000demo{serial:04d}b"
    sent, failed = _date(60 * serial), _date(60 * serial + 3)
    return _crlf(
        f"""Delivered-To: {owner}
Return-Path: <>
Auto-Submitted: auto-replied
Message-ID: <demo-send-as-{serial:04d}.GMR@mx.google.com>
Date: {failed}
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: {owner}
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="{boundary}"; report-type=delivery-status

--{boundary}
Content-Type: multipart/alternative; boundary="{inner}"

--{inner}
Content-Type: text/plain; charset="UTF-8"

** Message not delivered **

{_SEND_AS}

Learn more here: {_GMAIL_HELP}

The response was:

{reply.line}

--{inner}--
--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; {owner}
Arrival-Date: {sent}

Final-Recipient: rfc822; {recipient}
Action: failed
Status: {reply.status}
Remote-MTA: dns; {relay_host}.
Diagnostic-Code: smtp; {reply.line}
Last-Attempt-Date: {failed}

--{boundary}
Content-Type: message/rfc822

MIME-Version: 1.0
From: Admin <{alias}>
Date: {sent}
Message-ID: <demo-{serial:04d}@mail.gmail.com>
Subject: {subject}
To: <{recipient}>
Content-Type: text/plain; charset="UTF-8"

Please find the report below.

--{boundary}--
"""
    )


def ses_dsn(
    *,
    sender: str,
    recipient: str,
    remote_mta: str,
    reply: Reply,
    subject: str,
    ses_message_id: str,
    reporting_mta: str = "a25.smtp-out.amazonses.com",
    serial: int = 1,
) -> bytes:
    """The delivery-status report SES returns when the recipient's server refused a message.

    Args:
        sender: The From address (the report goes to it: SES forwards bounces by email).
        recipient: The refused recipient.
        remote_mta: The recipient's MX host that answered.
        reply: Its reply, verbatim.
        subject: The original subject.
        ses_message_id: SES's message id (the original's Message-ID local part).
        reporting_mta: SES's outbound host.
        serial: Makes the message ids unique.

    Returns:
        The report, as received.
    """
    boundary = f"demo-ses-dsn-{serial:04d}"
    sent, failed = sent_date(serial), _date(120 * serial + 2)
    return _crlf(
        f"""Return-Path: <>
From: MAILER-DAEMON@amazonses.com
To: {sender}
Date: {failed}
Subject: Delivery Status Notification (Failure)
Message-ID: <{ses_message_id}-dsn@email.amazonses.com>
Auto-Submitted: auto-replied
X-SES-Outgoing: 2025.03.04-198.51.100.25
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=UTF-8

An error occurred while trying to deliver the mail to the following recipients:
{recipient}

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting_mta}

Action: failed
Final-Recipient: rfc822; {recipient}
Diagnostic-Code: smtp; {reply.line}
Status: {reply.status}
Remote-MTA: dns; {remote_mta}

--{boundary}
Content-Type: text/rfc822-headers

From: Admin <{sender}>
To: {recipient}
Subject: {subject}
Date: {sent}
Message-ID: <{ses_message_id}@email.amazonses.com>

--{boundary}--
"""
    )


def ses_suppression_event(
    *, sender: str, recipient: str, subject: str, ses_message_id: str, region: str
) -> bytes:
    """SES's bounce notification for a recipient on the account's suppression list."""
    when = INCIDENT_TIME.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    event = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "OnAccountSuppressionList",
            "bouncedRecipients": [{"emailAddress": recipient}],
            "timestamp": when,
            "feedbackId": f"{ses_message_id}-suppressed",
            "reportingMTA": "dns; amazonses.com",
        },
        "mail": {
            "timestamp": when,
            "source": f"Admin <{sender}>",
            "sourceArn": f"arn:aws:ses:{region}:123456789012:identity/{sender}",
            "sendingAccountId": "123456789012",
            "messageId": ses_message_id,
            "destination": [recipient],
            "headersTruncated": False,
            "commonHeaders": {"from": [f"Admin <{sender}>"], "to": [recipient], "subject": subject},
        },
    }
    return (json.dumps(event, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayedMessage:
    """One message the sending server handed to its relay, as its log records it."""

    queue_id: str
    sender: str
    recipient: str
    relay_host: str
    relay_address: str
    relay_port: int
    reply: Reply
    after: str = "end of DATA command"


def postfix_log(messages: list[RelayedMessage], *, host: str = "mailer", pid: int = 2211) -> bytes:
    """The sending server's Postfix log: every message through one ``smtp`` process.

    One ``postfix/smtp[pid]`` for every delivery is one cached SMTP connection to the
    relay (Postfix's connection cache), which is what the log layer reports.
    """
    lines: list[str] = []
    for i, m in enumerate(messages):
        when = (INCIDENT_TIME + timedelta(seconds=120 + 2 * i)).strftime("%b %e %H:%M:%S")
        relay = f"{m.relay_host}[{m.relay_address}]:{m.relay_port}"
        size = 1800 + 37 * i
        lines.append(
            f"{when} {host} postfix/qmgr[1990]: {m.queue_id}: from=<{m.sender}>, "
            f"size={size}, nrcpt=1 (queue active)"
        )
        if m.reply.code < 400:
            outcome = f"dsn=2.0.0, status=sent ({m.reply.line})"
        else:
            verdict = "bounced" if m.reply.code >= 500 else "deferred"
            outcome = (
                f"dsn={m.reply.status}, status={verdict} (host {m.relay_host}"
                f"[{m.relay_address}] said: {m.reply.line} (in reply to {m.after}))"
            )
        lines.append(
            f"{when} {host} postfix/smtp[{pid}]: {m.queue_id}: to=<{m.recipient}>, "
            f"relay={relay}, delay=0.4, delays=0.05/0.01/0.2/0.1, {outcome}"
        )
        lines.append(f"{when} {host} postfix/qmgr[1990]: {m.queue_id}: removed")
    return ("\n".join(lines) + "\n").encode("utf-8")
