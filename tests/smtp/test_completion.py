"""The completion rule, driven by a table: every SMTP step x every reply class.

A scripted loopback relay answers one step with a 2xx (the reply due), a 3xx, a 4xx, a
5xx, silence (timeout) or a hang-up; ``maildoctor smtp`` and ``maildoctor diagnose
--relay`` run against it in-process. A step that did not get the reply it was due is
never ``pass``, the steps after it are never ``pass``, and the exit code is 0 only when
the whole dialogue completed: 1 for a refusal or a broken connection, 3 for a
temporary failure or a dialogue that did not complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from maildoctor.cli import main
from maildoctor.testing.smtpserver import ScriptedSmtpServer, TestPki

PASSWORD = "hostile-table-password"
STEPS = ("banner", "ehlo", "starttls", "auth", "mail_from", "rcpt_to")
#: The dialogue order of the findings each step produces.
ORDER = ("banner", "ehlo", "starttls", "ehlo_tls", "auth", "mail_from", "rcpt_to")

#: reply class -> (scripted behaviour per step, expected status of that step, exit code)
REPLIES: dict[str, tuple[dict[str, str], str, int]] = {
    "2xx": ({}, "pass", 0),
    "3xx": (
        {
            "banner": "354 go ahead",
            "ehlo": "354 go ahead",
            "starttls": "334 VXNlcm5hbWU6",
            "auth": "334 ",
            "mail_from": "354 go ahead",
            "rcpt_to": "354 go ahead",
        },
        "error",
        3,
    ),
    "4xx": (
        {
            "banner": "421 4.3.2 Service not available",
            "ehlo": "421 4.3.2 Service not available",
            "starttls": "454 4.7.0 TLS not available due to temporary reason",
            "auth": "454 4.7.0 Temporary authentication failure",
            "mail_from": "451 4.3.0 Local error in processing",
            "rcpt_to": "450 4.2.1 Mailbox busy, try later",
        },
        "error",
        3,
    ),
    "5xx": (
        {
            "banner": "554 5.7.1 No SMTP service here",
            "ehlo": "550 5.7.1 Go away",
            "starttls": "502 5.5.1 STARTTLS not implemented",
            "auth": "535 5.7.8 Authentication credentials invalid",
            "mail_from": "550 5.7.1 Sender rejected",
            "rcpt_to": "550 5.1.1 User unknown",
        },
        "fail",
        1,
    ),
    "timeout": ({s: "timeout" for s in STEPS}, "fail", 1),
    "hang-up": ({s: "hangup" for s in STEPS}, "fail", 1),
}

CASES = [(step, cls) for step in STEPS for cls in REPLIES]


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


@pytest.fixture
def relay(request, pki) -> Iterator[ScriptedSmtpServer]:
    step, cls = request.param
    behaviours = REPLIES[cls][0]
    script = {step: behaviours[step]} if step in behaviours else {}
    with ScriptedSmtpServer(script, pki=pki, host_name="127.0.0.1") as server:
        server.case = (step, cls)  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", PASSWORD)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)


def _status_of(findings: list[dict], step: str) -> str:
    check = f"client.smtp.{step}"
    return next(f["status"] for f in findings if f["check"] == check)


def _assert_completion(findings: list[dict], step: str, cls: str) -> None:
    _, expected, _ = REPLIES[cls]
    assert _status_of(findings, step) == expected, [
        (f["check"], f["status"], f["summary"]) for f in findings
    ]
    text = json.dumps(findings)
    assert PASSWORD not in text
    assert "accepted" not in _summary(findings, step) or expected == "pass"
    if expected != "pass":
        later = ORDER[ORDER.index(step) + 1 :]
        for f in findings:
            if f["check"].removeprefix("client.smtp.") in later:
                assert f["status"] != "pass", f
    else:
        for name in ORDER:
            assert _status_of(findings, name) == "pass", name


def _summary(findings: list[dict], step: str) -> str:
    return next(f["summary"] for f in findings if f["check"] == f"client.smtp.{step}")


def _smtp_args(relay: ScriptedSmtpServer, pki: TestPki) -> list[str]:
    return [
        "smtp",
        "127.0.0.1",
        "--port",
        str(relay.port),
        "--tls",
        "starttls",
        "--user",
        "someone",
        "--from",
        "sender@example.com",
        "--to",
        "rcpt@example.net",
        "--ca-file",
        pki.ca_file,
        "--timeout",
        "0.4",
        "--format",
        "json",
    ]


@pytest.mark.parametrize("relay", CASES, indirect=True, ids=[f"{s}-{c}" for s, c in CASES])
def test_smtp_command_table(relay, pki, env, capsys):
    step, cls = _case(relay)
    code = main(_smtp_args(relay, pki))
    out = json.loads(capsys.readouterr().out)
    _assert_completion(out["findings"], step, cls)
    assert code == REPLIES[cls][2]


@pytest.mark.parametrize("relay", CASES, indirect=True, ids=[f"{s}-{c}" for s, c in CASES])
def test_diagnose_relay_table(relay, pki, env, capsys):
    step, cls = _case(relay)
    code = main(
        [
            "diagnose",
            "--from",
            "sender@example.com",
            "--to",
            "rcpt@example.net",
            "--relay",
            f"127.0.0.1:{relay.port}",
            "--relay-user",
            "someone",
            "--skip",
            "dns",
            "--skip",
            "recipient",
            "--skip",
            "blocklist",
            "--ca-file",
            pki.ca_file,
            "--timeout",
            "0.4",
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    relay_findings = [f for f in out["findings"] if f["check"].startswith("client.smtp.")]
    _assert_completion(relay_findings, step, cls)
    assert code == REPLIES[cls][2]
    assert out["meta"]["layers"]["relay"]["state"] == "done"


def _case(relay: ScriptedSmtpServer) -> tuple[str, str]:
    return relay.case  # type: ignore[attr-defined, no-any-return]


async def test_stalled_tls_handshake_reports_its_real_time(pki):
    """A server that accepts the connection and never answers the TLS handshake."""
    import re

    from maildoctor.context import Context
    from maildoctor.dns.resolver import StaticResolver
    from maildoctor.smtp.probe import probe_smtp

    ctx = Context(resolver=StaticResolver({}), timeout=0.5)
    with ScriptedSmtpServer({"banner": "timeout"}, pki=pki, host_name="127.0.0.1") as server:
        found = await probe_smtp("127.0.0.1", port=server.port, tls="implicit", ctx=ctx)
    tls = next(f for f in found if f.check == "client.smtp.tls")
    assert tls.status == "fail" and tls.data["error"] == "timeout"
    shown = int(re.search(r"after (\d+) ms", tls.summary)[1])  # type: ignore[index]
    assert 400 <= shown < 5000 and tls.data["elapsed_ms"] >= 400, tls.summary
