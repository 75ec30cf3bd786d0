"""--dns-record writes what a run saw; --dns-fixture replays it without the network."""

from __future__ import annotations

import json

from maildoctor.cli import main
from maildoctor.dns.record import zonedata_from_answers
from maildoctor.dns.resolver import DnsAnswer, Outcome

ZONE = {
    "example.com": [
        {"TXT": "v=spf1 include:_spf.example.com -all"},
        {"MX": [10, "mx.example.com"]},
    ],
    "_spf.example.com": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    "mx.example.com": [{"A": "192.0.2.25"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
    "sel._domainkey.example.com": [{"CNAME": "sel.dkim.example.net"}],
    "sel.dkim.example.net": [{"TXT": "p="}],
}


def _findings(out: str) -> list[tuple[str, str, str]]:
    data = json.loads(out)
    return [(f["check"], f["status"], f["summary"]) for f in data["findings"]]


def test_record_then_replay_gives_the_same_findings(dns_server, tmp_path, capsys):
    dns_server.load(ZONE)
    dns_server.timeout_names = {"_dmarc.com"}
    fixture = tmp_path / "dns.json"
    args = [
        "dns",
        "example.com",
        "--selector",
        "sel",
        "--format",
        "json",
        "--timeout",
        "0.5",
        "--retries",
        "0",
    ]
    live_code = main([*args, "--nameserver", dns_server.address, "--dns-record", str(fixture)])
    live = _findings(capsys.readouterr().out)
    recorded = json.loads(fixture.read_text())
    assert recorded["sel._domainkey.example.com"] == [{"CNAME": "sel.dkim.example.net"}]
    assert recorded["example.com"].count({"MX": [10, "mx.example.com"]}) == 1
    assert {"TXT": "TIMEOUT"} in recorded["_dmarc.com"]  # the failure is kept, not dropped

    dns_server.log.clear()
    replay_code = main([*args, "--dns-fixture", str(fixture)])
    assert _findings(capsys.readouterr().out) == live
    assert replay_code == live_code
    assert dns_server.log == []  # nothing asked of the live server


def test_fixture_and_nameserver_together_is_usage_error(tmp_path, capsys):
    fixture = tmp_path / "dns.json"
    fixture.write_text("{}")
    assert (
        main(["dns", "example.com", "--dns-fixture", str(fixture), "--nameserver", "127.0.0.1"])
        == 2
    )
    assert "cannot be combined" in capsys.readouterr().err


def test_unreadable_fixture_is_usage_error(tmp_path, capsys):
    fixture = tmp_path / "dns.json"
    fixture.write_text("[1, 2")
    assert main(["dns", "example.com", "--dns-fixture", str(fixture)]) == 2
    assert "cannot read DNS fixture" in capsys.readouterr().err


def test_zonedata_keeps_nodata_and_drops_nxdomain():
    def ans(name, rdtype, outcome, *records):
        return DnsAnswer(name=name, rdtype=rdtype, outcome=outcome, records=records)

    zone = zonedata_from_answers(
        [
            ans("a.example.com", "MX", Outcome.NODATA),
            ans("b.example.com", "TXT", Outcome.NXDOMAIN),
            ans("c.example.com", "TXT", Outcome.SERVFAIL),
            ans("d.example.com", "MX", Outcome.ANSWER, "0 ."),
        ]
    )
    assert zone == {
        "a.example.com": [],
        "c.example.com": [{"TXT": "TIMEOUT"}],
        "d.example.com": [{"MX": [0, "."]}],
    }
