"""One line at a time: each format's reading of real-looking lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from maildoctor.logs.formats import parse_line
from maildoctor.logs.parse import ParseState, find_reply

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def events(line: str, state: ParseState | None = None):
    parsed = parse_line(line, state or ParseState(now=NOW))
    assert parsed is not None, line
    return parsed


def test_postfix_bounce_with_remote_reply():
    parsed = events(
        "Mar  4 09:00:01 mx1 postfix/smtp[3010]: 7C3D44E0789: to=<nobody@example.net>, "
        "relay=mx.example.net[192.0.2.25]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.1.1, "
        "status=bounced (host mx.example.net[192.0.2.25] said: 550 5.1.1 <nobody@example.net>: "
        "Recipient address rejected: User unknown (in reply to RCPT TO command))"
    )
    (event,) = parsed.events
    assert (parsed.format, event.status, event.recipient) == (
        "postfix",
        "bounced",
        "nobody@example.net",
    )
    assert (event.relay_host, event.relay_ip, event.relay_port) == (
        "mx.example.net",
        "192.0.2.25",
        25,
    )
    assert (event.reply.code, event.reply.enhanced) == (550, "5.1.1")
    assert event.reply.text.endswith("User unknown")
    assert event.connection == "postfix/smtp[3010]"
    assert event.timestamp == datetime(2024, 3, 4, 9, 0, 1, tzinfo=UTC)


def test_postfix_remembers_sender_and_sasl_user_per_queue_id():
    state = ParseState(now=NOW)
    events(
        "Mar  4 09:00:00 mx1 postfix/smtpd[3001]: 7C3D44E0789: client=app.example.com"
        "[192.0.2.50], sasl_method=PLAIN, sasl_username=app@example.com",
        state,
    )
    events(
        "Mar  4 09:00:00 mx1 postfix/qmgr[1990]: 7C3D44E0789: from=<noreply@example.com>, "
        "size=3011, nrcpt=1 (queue active)",
        state,
    )
    (event,) = events(
        "Mar  4 09:00:01 mx1 postfix/smtp[3010]: 7C3D44E0789: to=<a@example.net>, "
        "relay=mx.example.net[192.0.2.25]:25, dsn=2.0.0, status=sent (250 2.0.0 "
        "Ok: queued as 9D8E)",
        state,
    ).events
    assert (event.sender, event.username, event.reply.code) == (
        "noreply@example.com",
        "app@example.com",
        250,
    )


def test_postfix_sasl_failure_counts_once_through_the_delivery_line():
    assert (
        events(
            "Mar  4 10:00:02 relay postfix/smtp[2211]: 4F1A22C0123: SASL authentication "
            "failed; server email-smtp.us-east-1.amazonaws.com[203.0.113.10] said: 535 "
            "Authentication Credentials Invalid"
        ).events
        == ()
    )


def test_postfix_other_lines_are_recognised_without_events():
    parsed = events("Mar  4 09:00:04 mx1 postfix/qmgr[1990]: 7C3D44E0789: removed")
    assert parsed.format == "postfix" and parsed.events == ()


def test_syslog_year_inference_and_override():
    line = (
        "Dec 31 23:59:59 mx1 postfix/smtp[1]: ABCDEF123: to=<a@example.net>, relay=none, "
        "dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.1]:25: Connection "
        "timed out)"
    )
    january = ParseState(now=datetime(2025, 1, 2, tzinfo=UTC))
    assert events(line, january).events[0].timestamp.year == 2024
    assert events(line, ParseState(year=2020)).events[0].timestamp.year == 2020


def test_exim_delivery_bounce_and_deferral():
    state = ParseState(now=NOW)
    events(
        "2024-03-04 10:15:01 1rgXyZ-000123-AB <= admin@example.com H=app.example.com "
        "[192.0.2.50] P=esmtpsa A=dovecot_plain:admin@example.com S=1234",
        state,
    )
    (sent,) = events(
        "2024-03-04 10:15:02 1rgXyZ-000123-AB => user@example.net R=dnslookup "
        'T=remote_smtp H=mx.example.net [192.0.2.25]:25 C="250 2.0.0 OK id=1"',
        state,
    ).events
    assert (sent.status, sent.reply.code, sent.relay_port, sent.sender, sent.username) == (
        "sent",
        250,
        25,
        "admin@example.com",
        "admin@example.com",
    )
    (bounced,) = events(
        "2024-03-04 10:15:03 1rgXyZ-000123-AB ** gone@example.org R=dnslookup "
        "T=remote_smtp H=mx.example.org [198.51.100.25]: SMTP error from remote "
        "mail server after RCPT TO:<gone@example.org>: 550 5.1.1 User unknown",
        state,
    ).events
    assert (bounced.status, bounced.reply.code, bounced.reply.enhanced) == ("bounced", 550, "5.1.1")
    (deferred,) = events(
        "2024-03-04 10:20:01 1rgY00-000200-CD == big@example.org "
        "R=dnslookup T=remote_smtp defer (-53): retry time not reached",
        state,
    ).events
    assert deferred.status == "deferred" and deferred.reply.code is None


def test_exim_authenticator_failure():
    (event,) = events(
        "2024-03-04 10:25:00 dovecot_login authenticator failed for (laptop) "
        "[203.0.113.5]:51234: 535 Incorrect authentication data "
        "(set_id=admin@example.com)"
    ).events
    assert (event.kind, event.username, event.reply.code) == (
        "auth_failure",
        "admin@example.com",
        535,
    )


def test_sendmail_statuses():
    (sent,) = events(
        "Mar  4 12:00:02 gw sendmail[5002]: 424C0F1a005001: to=<c@example.net>, "
        "delay=00:00:02, mailer=esmtp, pri=120401, relay=mx.example.net. "
        "[192.0.2.25], dsn=2.0.0, stat=Sent (Ok: queued as 1A2B3C)"
    ).events
    assert (sent.status, sent.relay_host, sent.relay_ip) == ("sent", "mx.example.net", "192.0.2.25")
    (bounced,) = events(
        "Mar  4 12:10:00 gw sm-mta[5003]: 424C0F1a005002: to=<old@example.net>, "
        "delay=00:00:01, mailer=esmtp, relay=mx.example.net. [192.0.2.25], "
        "dsn=5.1.1, stat=User unknown"
    ).events
    assert (bounced.status, bounced.reply.enhanced) == ("bounced", "5.1.1")


@pytest.mark.parametrize(
    ("line", "kind", "code", "user", "host", "rcpt"),
    [
        (
            "2024-03-04 10:00:01,512 ERROR mailer: send failed "
            "host=email-smtp.us-east-1.amazonaws.com user=AKIAIOSFODNN7EXAMPLE conn=c-17: "
            "smtplib.SMTPAuthenticationError: (535, "
            "b'Authentication Credentials Invalid')",
            "auth_failure",
            535,
            "AKIAIOSFODNN7EXAMPLE",
            "email-smtp.us-east-1.amazonaws.com",
            "",
        ),
        (
            "[2024-03-04T12:00:00.000Z] ERROR Send Error: Invalid login: 535-5.7.8 Username and "
            "Password not accepted code=EAUTH",
            "auth_failure",
            535,
            "",
            "",
            "",
        ),
        (
            '{"level":"error","responseCode":554,"response":"554 Message rejected: Email address '
            'is not verified.","to":"carol@example.org"}',
            "error",
            554,
            "",
            "",
            "carol@example.org",
        ),
        (
            "2024-03-04 11:00:00 WARN mail relay said 421 4.7.0 Try again later",
            "error",
            421,
            "",
            "",
            "",
        ),
    ],
)
def test_application_lines(line, kind, code, user, host, rcpt):
    (event,) = events(line).events
    assert (event.kind, event.reply.code, event.username, event.relay_host, event.recipient) == (
        kind,
        code,
        user,
        host,
        rcpt,
    )


def test_python_recipients_refused_gives_one_event_per_recipient():
    parsed = events(
        "ERROR smtplib.SMTPRecipientsRefused: {'a@example.org': (550, b'5.1.1 "
        "unknown'), 'b@example.org': (452, b'4.2.2 over quota')}"
    )
    assert [(e.recipient, e.reply.code, e.status) for e in parsed.events] == [
        ("a@example.org", 550, "failed"),
        ("b@example.org", 452, "deferred"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "GET /healthz 200 3ms",
        "2024-03-04 13:00:00,000 WARNING worker: took 451 ms to render",
        "HTTP/1.1 500 Internal Server Error",
        "random words",
        "port 587 open",
    ],
)
def test_non_smtp_lines_are_not_recognised(line):
    assert parse_line(line, ParseState(now=NOW)) is None


@pytest.mark.parametrize(
    ("text", "code", "enhanced", "rest"),
    [
        ("said: 550-5.7.26 Unauthenticated email", 550, "5.7.26", "Unauthenticated email"),
        (
            "(535, b'Authentication Credentials Invalid')",
            535,
            "",
            "Authentication Credentials Invalid",
        ),
        (
            "2024-01-01 10:00:00,512 then 454 Throttling failure: Maximum sending rate exceeded.",
            454,
            "",
            "Throttling failure: Maximum sending rate exceeded.",
        ),
        ("queued (250 2.0.0 Ok)", 250, "2.0.0", "Ok"),
    ],
)
def test_find_reply(text, code, enhanced, rest):
    reply = find_reply(text)
    assert reply is not None and (reply.code, reply.enhanced, reply.text) == (code, enhanced, rest)
