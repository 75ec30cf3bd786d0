"""Microsoft 365's and Gmail's rejections, quoted in a bounce by whoever relayed the mail,
name the same causes as when they are met in an SMTP dialogue (the one reply table)."""

from __future__ import annotations

import pytest

from maildoctor.bounce.classify import classify_bytes
from maildoctor.replies import RULES

#: The receiver rows: Exchange Online's and Gmail's authentication and reputation words.
RECEIVER_IDS = (
    "ms.dmarc",
    "ms.auth_level",
    "auth.spf",
    "auth.unauthenticated",
    "receiver.spf",
    "receiver.spam_rate",
)
RECEIVERS = [r for r in RULES if r.id in RECEIVER_IDS]
#: the recipient's MX that said it
REMOTE = {"ms": "example-net.mail.protection.outlook.com"}

DSN = """From: MAILER-DAEMON@{relay}
To: admin@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 30 Nov 2026 09:00:00 +0000
Message-ID: <x1@{relay}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host {relay}.

<user@example.net>: host {remote}[203.0.113.5] said: {text} (in reply to end of DATA
    command)

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; {relay}

Final-Recipient: rfc822; user@example.net
Action: failed
Status: {status}
Remote-MTA: dns; {remote}
Diagnostic-Code: smtp; {text}

--B--
"""


def test_every_receiver_row_is_there():
    assert sorted(r.id for r in RECEIVERS) == sorted(RECEIVER_IDS)


@pytest.mark.parametrize("relay", ["mail.example.com", "o1.ptr1234.sendgrid.net"])
@pytest.mark.parametrize("row", RECEIVERS, ids=lambda r: r.id)
def test_receiver_rejection_in_a_bounce_names_the_rows_cause(row, relay):
    text = row.examples[0].replace("550-", "550 ")
    status = text.split()[1]
    remote = REMOTE.get(row.id.split(".")[0], "gmail-smtp-in.l.google.com")
    raw = DSN.format(relay=relay, text=text, status=status, remote=remote).encode()
    records = classify_bytes(raw)
    assert [r.cause for r in records] == [row.cause]
