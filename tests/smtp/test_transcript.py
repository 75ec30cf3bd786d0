"""``--smtp-transcript`` records a relay conversation; ``--smtp-transcript-replay`` judges it.

The file never holds the password or the AUTH payload, and the replay, offline, gives
the same findings and exit code as the live run.
"""

from __future__ import annotations

import base64
import json

import pytest

from maildoctor.cli import main
from maildoctor.smtp.transcript import Step, Transcript
from maildoctor.testing.smtpserver import ScriptedSmtpServer, TestPki

PASSWORD = "transcript-password-9"
USER = "someone"


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


def _run(pki: TestPki, script: dict[str, str], tmp_path, capsys) -> tuple[int, dict, str]:
    out = tmp_path / "relay.json"
    with ScriptedSmtpServer(script, pki=pki, host_name="127.0.0.1") as relay:
        code = main(
            [
                "smtp",
                "127.0.0.1",
                "--port",
                str(relay.port),
                "--user",
                USER,
                "--from",
                "sender@example.com",
                "--to",
                "rcpt@example.net",
                "--ca-file",
                pki.ca_file,
                "--timeout",
                "0.5",
                "--format",
                "json",
                "--smtp-transcript",
                str(out),
            ]
        )
    return code, json.loads(capsys.readouterr().out), out.read_text()


def _verdicts(report: dict) -> list[tuple[str, str, str]]:
    return [(f["check"], f["status"], f.get("cause", "")) for f in report["findings"]]


@pytest.mark.parametrize(
    "script",
    [{}, {"auth": "535 5.7.8 Authentication credentials invalid"}, {"rcpt_to": "450 4.2.1 busy"}],
    ids=["healthy", "auth-535", "rcpt-450"],
)
def test_replay_gives_the_live_verdicts(pki, tmp_path, capsys, monkeypatch, script):
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", PASSWORD)
    code, live, text = _run(pki, script, tmp_path, capsys)
    token = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    assert PASSWORD not in text and token not in text
    assert base64.b64encode(PASSWORD.encode()).decode() not in text
    monkeypatch.delenv("MAILDOCTOR_SMTP_PASSWORD")
    replay_code = main(
        ["smtp", "--smtp-transcript-replay", str(tmp_path / "relay.json"), "--format", "json"]
    )
    replayed = json.loads(capsys.readouterr().out)
    assert replay_code == code
    assert _verdicts(replayed) == _verdicts(live)


def test_auth_login_payload_never_recorded(pki, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", PASSWORD)
    script = {"ehlo_tls": "250-h\n250 AUTH LOGIN", "auth": "334 VXNlcm5hbWU6"}
    code, live, text = _run(pki, script, tmp_path, capsys)
    steps = Transcript.from_json(text).steps
    auth = [s for s in steps if s.step == "auth"]
    # AUTH LOGIN, the username, the password: three 334s, and never "accepted"
    assert [s.code for s in auth] == [334, 334, 334]
    assert auth[-1].command == "[password redacted]"
    assert base64.b64encode(PASSWORD.encode()).decode() not in text
    assert code == 3
    assert {f["status"] for f in live["findings"] if f["check"] == "client.smtp.auth"} == {"error"}


@pytest.mark.parametrize(
    "content",
    [
        "{",
        "[]",
        '{"transcript_version": 99}',
        '{"transcript_version": 1, "steps": [1]}',
        '{"transcript_version": 1, "host": "h", "steps": [{"step": "auth", "code": 99}]}',
    ],
)
def test_bad_transcript_is_one_line_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["smtp", "--smtp-transcript-replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("maildoctor: ") and err.count("\n") == 1


def test_step_round_trips_through_json():
    step = Step(
        step="rcpt_to",
        key="rcpt_to:1",
        command="RCPT TO:<a@example.net>",
        code=450,
        enhanced_status="4.2.1",
        lines=("4.2.1 busy",),
        elapsed_ms=12.5,
        data={"rcpt": "a@example.net"},
    )
    t = Transcript(host="relay.example.com", port=587, steps=(step,))
    assert Transcript.from_json(t.to_json()) == t
