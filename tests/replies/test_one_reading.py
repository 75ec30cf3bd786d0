"""One table of replies through every surface: bounce, logs, SMTP probe, MX probe, explain.

Each surface reads the reply in its own shape (a DSN, a Postfix log line, an SMTP reply
object, a pasted line) and must come to the same reason and cause (issue 10).
"""

from __future__ import annotations

import pytest

from maildoctor.bounce import classify_bytes
from maildoctor.logs.analyze import analyze_logs
from maildoctor.replies.explain import explain_reply
from maildoctor.smtp.client import make_reply
from maildoctor.smtp.replies import interpret

MS = "example-org.mail.protection.outlook.com"
GMAIL = "gmail-smtp-in.l.google.com"
YAHOO = "mta6.am0.yahoodns.net"
MX = "mx.example.org"

#: (host, code, enhanced status, text, reason, cause)
TABLE = [
    (MS, 550, "5.7.515", "Access denied, sending domain [example.com] doesn't meet the "
     "required authentication level.", "authfailure", "recipient.rejected.authentication_level"),
    (MS, 550, "5.7.509", "Access denied, sending domain [example.com] does not pass DMARC "
     "verification and has a DMARC policy of reject.", "authfailure", "recipient.rejected.dmarc"),
    (MS, 550, "5.7.606", "Access denied, banned sending IP [192.0.2.1].", "blocked",
     "recipient.blocked_ip"),
    (GMAIL, 550, "5.7.26", "This mail has been blocked because the sender is unauthenticated. "
     "Gmail requires all senders to authenticate with either SPF or DKIM.", "authfailure",
     "recipient.rejected.unauthenticated"),
    (GMAIL, 550, "5.1.1", "The email account that you tried to reach does not exist.",
     "userunknown", "recipient.user_unknown"),
    (YAHOO, 421, "4.7.0", "[TSS04] Messages from 192.0.2.25 temporarily deferred due to "
     "unexpected volume or user complaints - 4.16.55.1", "badreputation",
     "recipient.bad_reputation"),
    (MX, 554, "5.7.1", "Service unavailable; Client host [192.0.2.1] blocked using "
     "zen.spamhaus.org", "blocked", "recipient.blocked_ip"),
    (MX, 552, "5.2.2", "Mailbox full", "mailboxfull", "recipient.mailbox_full"),
    (MX, 550, "5.7.25", "The IP address sending this message does not have a PTR record "
     "setup.", "requireptr", "recipient.rejected.ptr"),
]  # fmt: skip
IDS = [f"{row[1]}-{row[2]}-{row[0]}" for row in TABLE]


def _dsn(host: str, line: str, status: str) -> bytes:
    return (
        "From: MAILER-DAEMON@relay.example.com\nTo: sender@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example.com\n\n"
        f"Final-Recipient: rfc822; friend@example.org\nAction: failed\nStatus: {status}\n"
        f"Remote-MTA: dns; {host}\nDiagnostic-Code: smtp; {line}\n\n"
        "--B\nContent-Type: text/rfc822-headers\n\nFrom: sender@example.com\n"
        "To: friend@example.org\nSubject: hello\n\n--B--\n"
    ).encode()


def _log_line(host: str, line: str, status: str) -> str:
    kind = "deferred" if status.startswith("4") else "bounced"
    return (
        "Mar  4 10:00:01 relay postfix/smtp[2]: 4A1B2C3D4E: to=<friend@example.org>, "
        f"relay={host}[192.0.2.25]:25, delay=1, dsn={status}, status={kind} "
        f"(host {host}[192.0.2.25] said: {line} (in reply to end of DATA command))\n"
    )


@pytest.mark.parametrize(("host", "code", "status", "text", "reason", "cause"), TABLE, ids=IDS)
def test_every_surface_reads_the_reply_the_same_way(
    tmp_path, host: str, code: int, status: str, text: str, reason: str, cause: str
) -> None:
    line = f"{code} {status} {text}"
    readings: dict[str, tuple[str, str]] = {}

    (record,) = classify_bytes(_dsn(host, line, status))
    readings["bounce"] = (record.reason, record.cause)

    log = tmp_path / "mail.log"
    log.write_text(_log_line(host, line, status))
    (group,) = analyze_logs([log], year=2024).failures
    readings["logs"] = (group.reason, group.cause)

    reply = make_reply(code, [f"{status} {text}"])
    for context in ("smtp", "mx"):
        seen = interpret(reply, host=host, context=context)
        assert seen.rule is not None
        readings[context] = (seen.rule.reason, seen.cause)

    verdict = explain_reply(line, host=host).verdict
    readings["explain"] = (verdict.reason, verdict.cause)

    assert readings == dict.fromkeys(readings, (reason, cause))
