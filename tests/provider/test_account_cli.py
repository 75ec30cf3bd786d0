"""maildoctor account: SendGrid and Postmark over their loopback fakes, keys never shown."""

from __future__ import annotations

import io
import json

from maildoctor.cli import main
from maildoctor.secrets import Secret
from maildoctor.testing.httpfakes import PostmarkFake, SendGridFake

KEY = "SG.mdTESTcliKey000000000A.mdTESTcliSecret00000000000000000000000000000000"
ACCOUNT = "5d7f0c1e-mdte-st00-acct-00000000cli1"
SERVER = "5d7f0c1e-mdte-st00-serv-00000000cli2"


def test_sendgrid_account_from_env(monkeypatch, capsys):
    monkeypatch.setenv("SENDGRID_API_KEY", KEY)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with SendGridFake(Secret(KEY)) as fake:
        fake.verify_sender("admin@example.com")
        fake.bounce("gone@example.org")
        code = main(
            [
                "account", "--provider", "sendgrid", "--sender", "admin@example.com",
                "--recipient", "gone@example.org", "--api-url", fake.url, "--format", "json",
            ]
        )  # fmt: skip
    out = capsys.readouterr().out
    report = json.loads(out)
    assert code == 1
    assert {c["id"] for c in report["causes"]} == {"provider.sendgrid.recipient_suppressed"}
    causes = {f["cause"] for f in report["findings"] if f["cause"]}
    assert causes == {"provider.sendgrid.recipient_suppressed"}
    assert KEY not in out and "mdTESTcliSecret" not in out


def test_postmark_tokens_from_stdin(monkeypatch, capsys):
    for name in ("POSTMARK_ACCOUNT_TOKEN", "POSTMARK_SERVER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ACCOUNT}\n{SERVER}\n"))
    with PostmarkFake(Secret(ACCOUNT), Secret(SERVER)) as fake:
        fake.add_signature("admin@example.com", confirmed=False)
        code = main(
            [
                "account", "--provider", "postmark", "--sender", "admin@example.com",
                "--api-url", fake.url,
            ]
        )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "provider.postmark.sender_signature_unconfirmed" in out
    assert ACCOUNT not in out and SERVER not in out


def test_missing_key_is_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("SENDGRID_API_KEY", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["account", "--provider", "sendgrid", "--sender", "admin@example.com"]) == 2
    assert "SENDGRID_API_KEY" in capsys.readouterr().err
