"""Logs read replies through the one classifier: SASL, blocklists and timeouts (issue 10)."""

from __future__ import annotations

from maildoctor.logs.analyze import analyze_logs, log_findings
from maildoctor.model import Layer, Status

LINES = (
    # A client guessing passwords on the user's own server (inbound, smtpd).
    "Mar  4 10:00:01 mx postfix/smtpd[11]: warning: unknown[203.0.113.7]: SASL LOGIN "
    "authentication failed: UGFzc3dvcmQ6\n"
    "Mar  4 10:00:03 mx postfix/smtpd[11]: warning: unknown[203.0.113.7]: SASL LOGIN "
    "authentication failed: UGFzc3dvcmQ6, sasl_username=admin\n"
    # A public blocklist.
    "Mar  4 10:01:00 mx postfix/smtp[12]: 1A2B3C4D5E: to=<a@example.org>, "
    "relay=mx.example.org[192.0.2.25]:25, delay=1, dsn=5.7.1, status=bounced (host "
    "mx.example.org[192.0.2.25] said: 554 5.7.1 Service unavailable; Client host "
    "[198.51.100.4] blocked using zen.spamhaus.org (in reply to RCPT TO command))\n"
    # The network: a timeout is not an expiry.
    "Mar  4 10:02:00 mx postfix/smtp[13]: 2B3C4D5E6F: to=<b@example.net>, relay=none, "
    "delay=30, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.26]:25: "
    "Connection timed out)\n"
)


def _summary(tmp_path):
    path = tmp_path / "mail.log"
    path.write_text(LINES)
    return analyze_logs([path], year=2024)


def test_each_line_gets_its_own_reading(tmp_path) -> None:
    groups = {(g.reason, g.cause, g.note): g for g in _summary(tmp_path).failures}
    assert set(groups) == {
        ("securityerror", "", "note.inbound_auth_failures"),
        ("blocked", "recipient.blocked_ip", ""),
        ("networkerror", "transport.network_error", ""),
    }
    assert groups[("networkerror", "transport.network_error", "")].layer is Layer.TRANSPORT


def test_inbound_sasl_is_a_security_note_not_the_relay_credential(tmp_path) -> None:
    findings = log_findings(_summary(tmp_path))
    notes = [f for f in findings if f.check == "client.logs.inbound_auth_failures"]
    assert len(notes) == 1 and notes[0].status is Status.INFO and not notes[0].cause
    assert "203.0.113.7" in notes[0].subject
    assert not any(f.cause.startswith("client.smtp_auth") for f in findings)
    assert not any(f.check == "client.logs.single_credential" for f in findings)
