"""Whole files: outcomes, counts per hour, failure groups with causes, shared paths."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from maildoctor.errors import InputError
from maildoctor.logs import analyze_logs, log_findings
from maildoctor.logs.analyze import classify
from maildoctor.logs.parse import MAX_LINE_BYTES, Reply
from maildoctor.model import Layer, Status
from maildoctor.replies import is_ses_relay

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "logs"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def by_check(findings):
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f)
    return out


def test_ses_relay_with_stale_password():
    summary = analyze_logs([FIXTURES / "postfix-ses-relay.log"], now=NOW)
    found = by_check(log_findings(summary))
    (auth,) = found["client.logs.securityerror"]
    assert auth.status is Status.FAIL
    assert auth.cause == "client.smtp_auth.stale_ses_password"
    assert auth.layer is Layer.CLIENT
    assert auth.data["count"] == 5  # one per delivery line, the bare SASL lines not counted twice
    assert found["client.logs.single_relay"][0].subject == "email-smtp.us-east-1.amazonaws.com"
    (conn,) = found["client.logs.single_connection"]
    assert conn.subject == "postfix/smtp[2211] -> email-smtp.us-east-1.amazonaws.com"
    outcomes = found["recipient.logs.outcomes"][0].data
    assert outcomes["by_status"] == {"deferred": 4, "expired": 1}
    assert outcomes["by_hour"]["2024-03-04T10:00Z"] == {"535 4.7.0 securityerror": 3}
    alice = next(r for r in outcomes["recipients"] if r["recipient"] == "alice@example.net")
    assert (alice["attempts"], alice["last_status"]) == (3, "expired")
    assert summary.files[0].unrecognised == 0


def test_commands_named_in_fixes_exist():
    from maildoctor.cli import COMMANDS

    summary = analyze_logs(sorted(FIXTURES.iterdir()), now=NOW)
    named = {
        word
        for f in log_findings(summary)
        for word in re.findall(r"maildoctor ([a-z][a-z-]+)", f.fix)
    }
    assert "ses-smtp-password" in named
    assert named <= set(COMMANDS)


def test_app_log_single_credential():
    summary = analyze_logs([FIXTURES / "app-python.log"], now=NOW)
    found = by_check(log_findings(summary))
    auth = next(f for f in found["client.logs.securityerror"])
    assert auth.cause == "client.smtp_auth.stale_ses_password"
    assert found["client.logs.single_credential"][0].subject == "AKIAIOSFODNN7EXAMPLE"
    provider = next(f for f in log_findings(summary) if f.layer is Layer.PROVIDER)
    assert provider.cause == "provider.ses.identity_unverified"
    unknown = found["client.logs.unrecognised"][0]
    assert unknown.status is Status.INFO and unknown.data["unrecognised"] == 4


def test_mixed_mta_logs():
    paths = sorted(FIXTURES.glob("*"))
    summary = analyze_logs(paths, now=NOW)
    formats = {f.path.rsplit("/", 1)[1]: set(f.formats) for f in summary.files}
    assert formats["exim-mainlog"] == {"exim"}
    assert formats["sendmail-maillog"] == {"sendmail"}
    assert formats["postfix-mixed.log"] == {"postfix"}
    causes = {f.cause for f in log_findings(summary)}
    assert {
        "recipient.rejected.dmarc",
        "recipient.user_unknown",
        "recipient.mailbox_full",
        "client.smtp_auth.stale_ses_password",
    } <= causes
    assert summary.by_code["550 5.1.1"] == 3


def test_gzip_rotation_and_long_lines(tmp_path):
    text = (FIXTURES / "postfix-mixed.log").read_bytes()
    rotated = tmp_path / "maillog.1.gz"
    rotated.write_bytes(gzip.compress(text))
    long_file = tmp_path / "long.log"
    long_file.write_bytes(b"x" * (MAX_LINE_BYTES * 3) + b"\n" + text)
    a = analyze_logs([rotated], now=NOW)
    b = analyze_logs([long_file], now=NOW)
    assert a.events == b.events == 5  # 4 deliveries + 1 smtpd SASL failure
    assert b.files[0].unrecognised == 1
    assert len(b.files[0].samples[0]) < 300


def test_binary_junk_and_empty_files(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 400)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    summary = analyze_logs([junk], now=NOW)
    found = by_check(log_findings(summary))
    assert found["client.logs.unrecognised"][0].status is Status.WARN
    assert by_check(log_findings(analyze_logs([empty], now=NOW)))["client.logs.empty"]


def test_unreadable_file_is_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        analyze_logs([tmp_path / "missing.log"])
    with pytest.raises(InputError):
        analyze_logs([tmp_path])


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(code=535, text="Authentication Credentials Invalid"), "securityerror"),
        (Reply(code=550, enhanced="5.1.1", text="User unknown"), "userunknown"),
        (Reply(code=250, enhanced="2.0.0", text="Ok"), "delivered"),
        (Reply(code=452, enhanced="4.2.2", text="Mailbox full"), "mailboxfull"),
    ],
)
def test_classify(reply, reason):
    assert classify(reply) == reason


def test_ses_relay_names():
    assert is_ses_relay("email-smtp.eu-central-1.amazonaws.com")
    assert not is_ses_relay("smtp.example.com")


@pytest.mark.parametrize(
    ("reply", "relay", "cause"),
    [
        (
            Reply(code=535, text="Authentication Credentials Invalid"),
            "email-smtp.us-east-1.amazonaws.com",
            "client.smtp_auth.stale_ses_password",
        ),
        (
            Reply(code=535, enhanced="5.7.8", text="Username and Password not accepted"),
            "smtp.example.com",
            "client.smtp_auth.failed",
        ),
        (
            Reply(code=554, text="Message rejected: Email address is not verified."),
            "email-smtp.us-east-1.amazonaws.com",
            "provider.ses.identity_unverified",
        ),
        (
            Reply(code=550, enhanced="5.7.509", text="Access denied, DMARC policy of reject"),
            "mx.example.net",
            "recipient.rejected.dmarc",
        ),
        (
            Reply(code=550, enhanced="5.1.1", text="User unknown"),
            "mx.example.net",
            "recipient.user_unknown",
        ),
    ],
)
def test_cause_for_reads_the_reply_classifier(reply, relay, cause):
    from maildoctor.logs.analyze import cause_for

    assert cause_for(classify(reply), reply, relay)[1] == cause


def test_memory_is_bounded_by_caps_not_by_lines(tmp_path, monkeypatch):
    import maildoctor.logs.analyze as analyze_module
    import maildoctor.logs.parse as parse_module

    monkeypatch.setattr(analyze_module, "MAX_RECIPIENTS", 50)
    monkeypatch.setattr(parse_module, "MAX_TRACKED_IDS", 20)
    path = tmp_path / "many.log"
    with path.open("w") as out:
        for i in range(3000):
            out.write(
                f"Mar  4 10:{i % 60:02d}:00 mx postfix/qmgr[1]: Q{i:09X}: "
                f"from=<s{i}@example.com>, size=1, nrcpt=1 (queue active)\n"
            )
            out.write(
                f"Mar  4 10:{i % 60:02d}:01 mx postfix/smtp[2]: Q{i:09X}: "
                f"to=<r{i}@example.net>, relay=mx.example.net[192.0.2.25]:25, dsn=5.1.1, "
                f"status=bounced (host mx.example.net[192.0.2.25] said: 550 5.1.1 "
                f"unknown user r{i} (in reply to RCPT TO command))\n"
            )
    summary = analyze_module.analyze_logs([path], year=2024)
    assert summary.events == 3000 and summary.failures[0].count == 3000
    assert len(summary.recipients) == 50 and summary.recipients_dropped == 2950
    assert len(summary.by_code) == 1 and len(summary.by_hour) == 1
    state = parse_module.ParseState(year=2024)
    analyze_module._read_file(path, state, analyze_module._Accumulator())
    assert len(state.senders) == 20  # the per-queue-id memory keeps only the newest ids
    assert state.senders.get("Q000000BB7") == "s2999@example.com"
