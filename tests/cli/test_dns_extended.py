"""``maildoctor dns --blocklist/--dnsbl/--discover-selectors/--dnssec/--bimi/--extended``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer, dnsbl_zone

KEY = "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKp1"
ZONE = {
    "example.com": [
        {"MX": [10, "mx.example.com"]},
        {"TXT": "v=spf1 include:_spf.google.com -all"},
    ],
    "_spf.google.com": [{"TXT": "v=spf1 ip4:192.0.2.0/24 ~all"}],
    "mx.example.com": [{"A": "192.0.2.1"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
    "google._domainkey.example.com": [{"TXT": KEY}],
    "default._bimi.example.com": [{"TXT": "v=BIMI1; l=;"}],
    **dnsbl_zone("zen.spamhaus.org", {"198.51.100.25": ["127.0.0.3"]}),
    **dnsbl_zone("dnsbl.example.net", {"example.com": ["127.0.0.2"]}),
    **dnsbl_zone("dbl.example.net", {"example.com": ["127.0.1.2"]}),
}


@pytest.fixture(scope="module")
def server() -> Iterator[DnsServer]:
    with DnsServer(ZONE) as srv:
        yield srv


def _run(server: DnsServer, capsys, *extra: str) -> tuple[int, dict]:
    ns = ["--nameserver", f"127.0.0.1:{server.port}", "--timeout", "1", "--retries", "0"]
    code = main(["dns", "example.com", *ns, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def _checks(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in report["findings"]:
        out.setdefault(f["check"], []).append(f)
    return out


def test_plain_dns_runs_none_of_them(server, capsys) -> None:
    code, report = _run(server, capsys)
    assert code == 0
    assert not [c for c in _checks(report) if c.startswith(("dns.blocklist", "dns.bimi"))]


def test_blocklist_with_ip(server, capsys) -> None:
    code, report = _run(server, capsys, "--ip", "198.51.100.25", "--blocklist")
    checks = _checks(report)
    assert code == 1
    (listed,) = checks["dns.blocklist.ip_listed"]
    assert "CSS" in listed["summary"]
    assert any(f["subject"] == "example.com" for f in checks["dns.blocklist.clean"])


def test_custom_domain_list(server, capsys) -> None:
    # a zone not starting with dbl. is an IP list: the domain is never asked of it
    code, report = _run(server, capsys, "--dnsbl", "dnsbl.example.net")
    assert code == 0 and not _checks(report).get("dns.blocklist.domain_listed")
    code, report = _run(server, capsys, "--dnsbl", "dbl.example.net")
    assert code == 1
    (listed,) = _checks(report)["dns.blocklist.domain_listed"]
    assert listed["data"]["list"] == "dbl.example.net"


def test_extended(server, capsys) -> None:
    code, report = _run(server, capsys, "--extended")
    checks = _checks(report)
    assert code == 0, [f["summary"] for f in report["findings"] if f["status"] != "pass"]
    (found,) = checks["dns.dkim.selector_found"]
    assert found["data"]["provider"] == "Google Workspace"
    assert checks["dns.dnssec.signed"][0]["data"]["signed"] is False
    assert "declines" in checks["dns.bimi.record"][0]["summary"]


def test_bad_zone_is_usage_error(server, capsys) -> None:
    ns = ["--nameserver", f"127.0.0.1:{server.port}"]
    assert main(["dns", "example.com", *ns, "--dnsbl", "not a zone"]) == 2
    assert main(["dns", "--file", "-", *ns, "--bimi"]) == 2
