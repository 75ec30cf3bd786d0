"""Microsoft 365's and Gmail's rejections, quoted in a bounce by whoever relayed the mail,
name the same causes as when they are met in an SMTP dialogue (provider_replies RECEIVERS)."""

from __future__ import annotations

import pytest

from maildoctor.bounce.classify import classify_bytes
from maildoctor.smtp.provider_replies import RECEIVERS, match_receiver_text

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

<user@example.net>: host mx.example.net[203.0.113.5] said: {text} (in reply to end of DATA
    command)

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; {relay}

Final-Recipient: rfc822; user@example.net
Action: failed
Status: {status}
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; {text}

--B--
"""


@pytest.mark.parametrize("relay", ["mail.example.com", "relay.example.org"])
@pytest.mark.parametrize("row", RECEIVERS, ids=lambda r: r.example[:14])
def test_receiver_rejection_in_a_bounce_names_the_rows_cause(row, relay):
    status = row.example.split()[1]
    raw = DSN.format(relay=relay, text=row.example, status=status).encode()
    records = classify_bytes(raw)
    assert [r.cause for r in records] == [row.cause]


def test_text_without_codes_matches_nothing():
    assert match_receiver_text("the message failed DMARC") is None
    assert match_receiver_text("550 no enhanced code here but DMARC policy") is None
