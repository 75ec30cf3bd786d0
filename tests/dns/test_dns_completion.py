"""The completion rule in the DNS layer: a lookup that did not finish is never a pass.

A healthy zone is served; one name at a time times out, answers SERVFAIL or answers
garbage. The checks that depend on that name must not pass, and the exit code must say
the run was incomplete (3) or found a problem (1), never 0.
"""

from __future__ import annotations

import json

import pytest

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer

ZONE = {
    "example.com": [
        {"MX": [10, "mx.example.com"]},
        {"TXT": "v=spf1 include:_spf.example.net -all"},
    ],
    "mx.example.com": [{"A": "192.0.2.1"}],
    "_spf.example.net": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
}
#: name made to fail -> the check family that depends on it
DEPENDS = {
    "example.com": ("dns.spf", "dns.mx"),
    "_spf.example.net": ("dns.spf",),
    "_dmarc.example.com": ("dns.dmarc",),
}
FAILURES = ("timeout_names", "servfail_names", "garbage_names")


#: the record check of each family (SPF's own record is found when only an include fails)
RECORD = {"dns.mx": "dns.mx.records", "dns.dmarc": "dns.dmarc.record"}


def _run(server: DnsServer) -> int:
    return main(
        ["dns", "example.com", "--nameserver", f"127.0.0.1:{server.port}", "--timeout", "0.3",
         "--retries", "0", "--format", "json"]
    )  # fmt: skip


@pytest.mark.parametrize("name", list(DEPENDS))
@pytest.mark.parametrize("failure", FAILURES)
def test_unfinished_lookup_is_never_pass(name, failure, capsys):
    with DnsServer(ZONE, **{failure: [name]}) as server:
        code = _run(server)
    report = json.loads(capsys.readouterr().out)
    assert code in (1, 3), code
    for family in DEPENDS[name]:
        statuses = {
            f["check"]: f["status"] for f in report["findings"] if f["check"].startswith(family)
        }
        assert statuses, family
        assert "error" in statuses.values() or "fail" in statuses.values(), statuses
        key = {
            "dns.spf": "dns.spf.record",
            "dns.mx": "dns.mx.records",
            "dns.dmarc": "dns.dmarc.record",
        }
        assert statuses.get(key[family]) != "pass" or family == "dns.spf", statuses


def test_healthy_zone_passes(capsys):
    with DnsServer(ZONE) as server:
        code = _run(server)
    report = json.loads(capsys.readouterr().out)
    statuses = {f["check"]: f["status"] for f in report["findings"]}
    assert code == report["exit_code"] and code in (0, 1)  # no error: everything answered
    assert statuses["dns.mx.records"] == "pass" and statuses["dns.dmarc.record"] == "pass"
    assert "error" not in statuses.values()
