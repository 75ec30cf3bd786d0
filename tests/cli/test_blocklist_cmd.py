"""``maildoctor blocklist``: listed, clean, refused, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer, dnsbl_zone

ZONE = {
    **dnsbl_zone(
        "zen.spamhaus.org", {"198.51.100.25": ["127.0.0.10"], "198.51.100.27": ["127.255.255.254"]}
    ),
    **dnsbl_zone("dbl.spamhaus.org", {"bad.example": ["127.0.1.2"]}),
    **dnsbl_zone("dnsbl.example.net", {"198.51.100.26": ["127.0.0.2"]}),
}


@pytest.fixture
def server() -> Iterator[DnsServer]:
    with DnsServer(ZONE) as srv:
        yield srv


def _ns(port: int) -> list[str]:
    return ["--nameserver", f"127.0.0.1:{port}", "--timeout", "1", "--retries", "0"]


def test_listed_ip_and_domain_exit_1(server: DnsServer, capsys) -> None:
    argv = ["blocklist", "198.51.100.25", "bad.example", *_ns(server.port), "--format", "json"]
    code = main(argv)
    report = json.loads(capsys.readouterr().out)
    assert code == report["exit_code"] == 1
    listed = {f["subject"]: f for f in report["findings"] if f["status"] == "fail"}
    assert set(listed) == {"198.51.100.25", "bad.example"}
    assert "PBL" in listed["198.51.100.25"]["summary"]
    assert listed["bad.example"]["cause"] == "dns.blocklist.domain_listed"


def test_clean_exit_0_text(server: DnsServer, capsys) -> None:
    code = main(["blocklist", "198.51.100.26", *_ns(server.port)])
    out = capsys.readouterr().out
    assert code == 0
    assert "198.51.100.26 is not listed on Spamhaus ZEN" in out


def test_custom_zone_only(server: DnsServer, capsys) -> None:
    argv = ["blocklist", "198.51.100.26", "--dnsbl", "dnsbl.example.net", "--only"]
    code = main([*argv, *_ns(server.port), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["meta"]["lists"] == ["dnsbl.example.net"]


def test_refused_is_exit_3(server: DnsServer, capsys) -> None:
    code = main(["blocklist", "198.51.100.27", *_ns(server.port), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 3
    (refused,) = [f for f in report["findings"] if f["status"] == "error"]
    assert "could not check" in refused["summary"] and "public/open resolver" in refused["summary"]


@pytest.mark.parametrize(
    "argv",
    [
        ["blocklist", "not a domain!"],
        ["blocklist", "192.0.2.1", "--dnsbl", "bad zone"],
        ["blocklist", "192.0.2.1", "--only"],
    ],
)
def test_bad_input_exit_2(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
