"""PTR: reverse names, forward confirmation, the SPF verdict hand-off."""

from __future__ import annotations

import pytest

from maildoctor.context import Context
from maildoctor.dns.ptr import check_ptr, forward_confirmed, reverse_name
from maildoctor.dns.resolver import DnsAnswer, Outcome
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import DnsServer


def _one(findings: tuple[Finding, ...], check: str) -> Finding:
    (finding,) = [f for f in findings if f.check == check]
    return finding


async def _run(server: DnsServer, resolver_for, ip: str, timeout: float = 2.0):
    ctx = Context(resolver=resolver_for(server, timeout=timeout))
    return await check_ptr(ip, "example.com", ctx=ctx)


def test_reverse_names() -> None:
    assert reverse_name("192.0.2.1") == "1.2.0.192.in-addr.arpa"
    assert reverse_name("2001:db8::1").endswith(".8.b.d.0.1.0.0.2.ip6.arpa")
    assert reverse_name("2001:db8::1").startswith("1.0.0.0.")


def test_forward_confirmed_compares_addresses() -> None:
    answer = DnsAnswer(
        name="h.example.com", rdtype="AAAA", outcome=Outcome.ANSWER, records=("2001:db8:0:0::1",)
    )
    assert forward_confirmed("2001:db8::1", answer)
    assert not forward_confirmed("2001:db8::2", answer)


async def test_ipv4_forward_confirmed(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "10.2.0.192.in-addr.arpa": [{"PTR": "mail.example.com"}],
            "mail.example.com": [{"A": "192.0.2.10"}],
        }
    )
    findings = await _run(dns_server, resolver_for, "192.0.2.10")
    assert _one(findings, "dns.ptr.record").status is Status.PASS
    assert _one(findings, "dns.ptr.fcrdns").status is Status.PASS


async def test_ipv6_not_forward_confirmed(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            reverse_name("2001:db8::25"): [{"PTR": "mail.example.com"}],
            "mail.example.com": [{"AAAA": "2001:db8::26"}],
        }
    )
    findings = await _run(dns_server, resolver_for, "2001:db8::25")
    fcrdns = _one(findings, "dns.ptr.fcrdns")
    assert fcrdns.status is Status.FAIL and fcrdns.cause == "dns.ptr.not_forward_confirmed"
    assert ("mail.example.com", "AAAA") in [(e.name, e.rdtype) for e in dns_server.log]


async def test_missing_ptr(dns_server, resolver_for) -> None:
    findings = await _run(dns_server, resolver_for, "203.0.113.5")
    record = _one(findings, "dns.ptr.record")
    assert record.status is Status.FAIL and record.cause == "dns.ptr.missing"
    assert "5.7.25" in record.detail
    assert not [f for f in findings if f.check == "dns.ptr.fcrdns"]


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_ptr_failure_is_error(resolver_for, failure: str) -> None:
    with DnsServer({}, **{failure: ["1.2.0.192.in-addr.arpa"]}) as server:
        findings = await _run(server, resolver_for, "192.0.2.1", timeout=0.3)
    assert _one(findings, "dns.ptr.record").status is Status.ERROR


async def test_forward_failure_is_error(resolver_for) -> None:
    zone = {"1.2.0.192.in-addr.arpa": [{"PTR": "slow.example.com"}]}
    with DnsServer(zone, timeout_names=["slow.example.com"]) as server:
        findings = await _run(server, resolver_for, "192.0.2.1", timeout=0.3)
    assert _one(findings, "dns.ptr.fcrdns").status is Status.ERROR


@pytest.mark.parametrize(
    ("ip", "expected"),
    [("192.0.2.1", Status.PASS), ("198.51.100.9", Status.FAIL)],
)
async def test_spf_verdict_for_the_ip_comes_with_the_ptr(
    dns_server, resolver_for, ip, expected
) -> None:
    dns_server.load({"example.com": [{"TXT": "v=spf1 ip4:192.0.2.1 -all"}]})
    findings = await _run(dns_server, resolver_for, ip)
    verdict = _one(findings, "dns.spf.ip_verdict")
    assert verdict.status is expected and ip in verdict.summary
