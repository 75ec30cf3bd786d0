"""Every command answers bad usage with one line and exit 2: never a traceback, never a hang."""

from __future__ import annotations

import pytest

from maildoctor.cli import main

BAD = [
    ["dns", "not_a_domain!"],
    ["dns", "bad domain"],
    ["dns", "192.0.2.1"],
    ["dns", "example.com", "--nameserver", "ns_1.example.com"],
    ["dns", "example.com", "--ip", "999.0.0.1"],
    ["dns", "example.com", "--timeout", "-1"],
    ["spf", "--ip", "999.1.1.1", "--sender", "a@example.com"],
    ["spf", "--ip", "192.0.2.1", "--sender", "a@bad domain"],
    ["mx", "bad domain"],
    ["mx", "a@example.com"],
    ["bounce", "/nonexistent/bounce.eml"],
    ["logs", "/nonexistent/mail.log"],
    ["headers", "/nonexistent/message.eml"],
    ["explain", "no.such.cause"],
    ["diagnose", "--from", "not-an-address", "--to", "b@example.net"],
    ["diagnose", "--from", "a@example.com", "--to", "b@example.net", "--relay", "x:99999"],
    ["smtp", "relay.example.com", "--port", "0"],
    ["smtp", "relay.example.com", "--tls", "sometimes"],
    ["demo", "--scenario", "no-such-scenario"],
    ["dns", "--no-such-option"],
]


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_usage_is_one_line_and_exit_2(argv, capsys, monkeypatch):
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", "not-used-here")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.strip(), "the reason goes to stderr"
    assert captured.err.strip().splitlines()[-1].strip()
