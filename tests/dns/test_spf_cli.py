"""``maildoctor spf`` in-process against a loopback DNS server: output and exit codes."""

from __future__ import annotations

import json

import pytest

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer

ZONE = {
    "example.com": [
        {"TXT": "v=spf1 include:_spf.example.net mx -all exp=why.example.com"},
        {"MX": [10, "mx.example.com"]},
    ],
    "why.example.com": [{"TXT": "%{i} is not one of %{d}'s designated mail servers."}],
    "mx.example.com": [{"A": "192.0.2.10"}],
    "_spf.example.net": [{"TXT": "v=spf1 ip4:198.51.100.0/24 ~all"}],
    "soft.example.org": [{"TXT": "v=spf1 ~all"}],
    "open.example.org": [{"TXT": "v=spf1 ?all"}],
    "broken.example.org": [{"TXT": "v=spf1 ip4:192.0.2.300 -all"}],
    "slow.example.org": ["TIMEOUT"],
    "mail.example.org": [{"TXT": "v=spf1 a -all"}, {"A": "203.0.113.25"}],
    # Control characters from DNS: in the record itself and in its explanation.
    "esc.example.org": [{"TXT": "v=spf1 -all \x1b[2J\x1b]0;pwned\x07"}],
    "exp.example.org": [{"TXT": "v=spf1 -all exp=why.esc.example.org"}],
    "why.esc.example.org": [{"TXT": "\x1b[31mnot\x00 allowed\x9b1m \x08\x7f"}],
}


@pytest.fixture
def server(dns_server: DnsServer) -> DnsServer:
    dns_server.load(ZONE)
    return dns_server


def spf(server: DnsServer, *args: str) -> int:
    return main(
        ["spf", *args, "--nameserver", server.address, "--timeout", "0.3", "--retries", "1"]
    )


def test_pass_prints_the_path_through_the_include(server, capsys):
    assert spf(server, "--ip", "198.51.100.7", "--sender", "alice@example.com") == 0
    out = capsys.readouterr().out
    assert out.startswith("SPF pass for 198.51.100.7 sending as alice@example.com")
    lines = out.splitlines()
    assert any(
        line.strip().startswith('example.com: "v=spf1 include:_spf.example.net')
        and line.endswith("-> include:_spf.example.net (pass)")
        for line in lines
    )
    assert any(
        line.startswith("      _spf.example.net:") and "-> ip4:198.51.100.0/24 (pass)" in line
        for line in lines
    )
    assert "DNS lookups: 1 of 10; void lookups: 0 of 2" in out


def test_fail_prints_the_explanation_and_exits_1(server, capsys):
    assert spf(server, "--ip", "203.0.113.9", "--sender", "alice@example.com") == 1
    out = capsys.readouterr().out
    assert "SPF fail for 203.0.113.9" in out
    assert "explanation: 203.0.113.9 is not one of example.com's designated mail servers." in out
    assert "-> -all (fail)" in out and "fix: " in out


@pytest.mark.parametrize(
    ("sender", "code", "result"),
    [
        ("a@soft.example.org", 1, "softfail"),
        ("a@broken.example.org", 1, "permerror"),
        ("a@slow.example.org", 3, "temperror"),
        ("a@open.example.org", 0, "neutral"),
        ("a@nothing.example.org", 0, "none"),
    ],
)
def test_exit_codes_follow_the_result(server, capsys, sender, code, result):
    assert spf(server, "--ip", "192.0.2.1", "--sender", sender) == code
    assert capsys.readouterr().out.startswith(f"SPF {result} for 192.0.2.1")


def test_permerror_names_the_broken_term(server, capsys):
    spf(server, "--ip", "192.0.2.1", "--sender", "a@broken.example.org")
    out = capsys.readouterr().out
    assert "character 12, term 'ip4:192.0.2.300'" in out


def test_json_report_holds_the_verdict_and_path(server, capsys):
    assert (
        spf(server, "--ip", "198.51.100.7", "--sender", "alice@example.com", "--format", "json")
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert (report["command"], report["exit_code"]) == ("spf", 0)
    (finding,) = report["findings"]
    assert (finding["check"], finding["status"], finding["layer"]) == (
        "dns.spf.ip_verdict",
        "pass",
        "dns",
    )
    data = finding["data"]
    assert [(s["domain"], s["term"]) for s in data["path"]] == [
        ("example.com", "include:_spf.example.net"),
        ("_spf.example.net", "ip4:198.51.100.0/24"),
    ]
    assert (data["lookups"], data["void_lookups"], data["result"]) == (1, 0, "pass")
    assert {e["id"] for e in finding["evidence"]} >= {"dns:TXT:example.com"}


def test_json_temperror_is_exit_3(server, capsys):
    assert (
        spf(server, "--ip", "192.0.2.1", "--sender", "a@slow.example.org", "--format", "json") == 3
    )
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["status"] == "error" and finding["data"]["result"] == "temperror"


def test_null_sender_uses_the_helo(server, capsys):
    assert spf(server, "--ip", "203.0.113.25", "--sender", "<>", "--helo", "mail.example.org") == 0
    assert "sending as postmaster@mail.example.org" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ip", "192.0.2.300", "--sender", "a@example.com"], "is not an IP address"),
        (["--ip", "192.0.2.1", "--sender", "example.com"], "is not an address"),
        (["--ip", "192.0.2.1", "--sender", "a@bad_domain!"], "sender domain"),
        (["--ip", "192.0.2.1", "--sender", "<>"], "needs --helo"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(server, capsys, args, message):
    assert spf(server, *args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and message in captured.err


@pytest.mark.parametrize("domain", ["esc.example.org", "exp.example.org"])
def test_control_characters_from_dns_are_shown_not_sent(server, capsys, domain):
    assert spf(server, "--ip", "192.0.2.1", "--sender", f"a@{domain}", "-v") == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x00\x08\x7f\x9b")
    if domain == "esc.example.org":  # the record, in the path and the -v evidence
        assert out.count("-all \\x1b[2J\\x1b]0;pwned\\x07") == 2
    else:  # the explanation's TXT, in the -v evidence
        assert "\\x1b[31mnot\\x00 allowed\\x9b1m \\x08\\x7f" in out


def test_verbose_shows_the_reference_and_every_dns_answer(server, capsys):
    args = ("--ip", "198.51.100.7", "--sender", "alice@example.com")
    assert spf(server, *args) == 0
    plain = capsys.readouterr().out
    assert "evidence:" not in plain and "ref:" not in plain
    assert spf(server, *args, "--verbose") == 0
    out = capsys.readouterr().out
    assert out.startswith(plain)  # the same report, then the evidence
    assert "  ref: RFC 7208 section 2.6" in out
    assert f"    example.com TXT @{server.address}: answer" in out
    assert f"    _spf.example.net TXT @{server.address}: answer\n      v=spf1 ip4:" in out
