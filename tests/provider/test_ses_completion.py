"""The completion rule in the SES layer: calls that did not complete are never a pass.

Every AWS endpoint points at a loopback port nothing listens on; every check that needs
an answer from SES must say it could not be made, and ``maildoctor ses`` exits 3.
"""

from __future__ import annotations

import json
import socket

from maildoctor.cli import main


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_ses_is_never_pass(monkeypatch, dns_server, capsys):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    code = main(
        ["ses", "--sender", "admin@example.com", "--recipient", "someone@example.org",
         "--nameserver", f"127.0.0.1:{dns_server.port}", "--timeout", "1",
         "--scan-region", "us-east-1", "--format", "json"]
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    ses = [f for f in report["findings"] if f["check"].startswith("provider.ses")]
    assert ses, report["findings"]
    assert not [f for f in ses if f["status"] == "pass"], ses
    assert {f["status"] for f in ses} & {"error"}
    assert code == 3, [(f["check"], f["status"]) for f in ses]
