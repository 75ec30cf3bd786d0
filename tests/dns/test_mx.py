"""MX: ordering, null MX, CNAME and IP-literal exchanges, implicit MX, DNS failures."""

from __future__ import annotations

import pytest

from maildoctor.context import Context
from maildoctor.dns.mx import check_mx, mx_hosts
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import DnsServer


def _ctx(server: DnsServer, resolver_for, timeout: float = 2.0) -> Context:
    return Context(resolver=resolver_for(server, timeout=timeout))


def _one(findings: tuple[Finding, ...], check: str) -> Finding:
    (finding,) = [f for f in findings if f.check == check]
    return finding


async def test_mx_hosts_ordered_with_addresses(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "example.com": [{"MX": [20, "mx2.example.com"]}, {"MX": [10, "mx1.example.com"]}],
            "mx1.example.com": [{"A": "192.0.2.1"}, {"AAAA": "2001:db8::1"}],
            "mx2.example.com": [{"A": "192.0.2.2"}],
        }
    )
    result = await mx_hosts("example.com", ctx=_ctx(dns_server, resolver_for))
    assert [(h.preference, h.exchange) for h in result.hosts] == [
        (10, "mx1.example.com"),
        (20, "mx2.example.com"),
    ]
    assert result.hosts[0].addresses == ("192.0.2.1", "2001:db8::1")
    assert [h.exchange for h in result.deliverable] == ["mx1.example.com", "mx2.example.com"]
    findings = await check_mx("example.com", ctx=_ctx(dns_server, resolver_for))
    assert [f.status for f in findings] == [Status.PASS]


@pytest.mark.parametrize(("role", "status"), [("domain", Status.WARN), ("mail_from", Status.FAIL)])
async def test_null_mx(dns_server, resolver_for, role: str, status: Status) -> None:
    dns_server.load({"example.com": [{"MX": [0, "."]}]})
    finding = _one(
        await check_mx("example.com", ctx=_ctx(dns_server, resolver_for), role=role),
        "dns.mx.null_mx",
    )
    assert finding.status is status and "accepts no mail" in finding.summary
    assert [e.name for e in dns_server.log] == ["example.com"]  # no A/AAAA for "."


async def test_null_mx_mixed_with_others_fails(dns_server, resolver_for) -> None:
    dns_server.load({"example.com": [{"MX": [0, "."]}, {"MX": [10, "mx.example.com"]}]})
    finding = _one(
        await check_mx("example.com", ctx=_ctx(dns_server, resolver_for)), "dns.mx.null_mx"
    )
    assert finding.status is Status.FAIL and finding.cause == "dns.mx.null_mx_mixed"


async def test_cname_ip_literal_and_addressless_exchanges(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "example.com": [
                {"MX": [10, "alias.example.com"]},
                {"MX": [20, "192.0.2.9"]},
                {"MX": [30, "noaddr.example.com"]},
            ],
            "alias.example.com": [{"CNAME": "real.example.net"}],
            "real.example.net": [{"A": "198.51.100.7"}],
            "noaddr.example.com": [{"TXT": "no address here"}],
        }
    )
    findings = await check_mx("example.com", ctx=_ctx(dns_server, resolver_for))
    assert _one(findings, "dns.mx.cname").status is Status.WARN
    literal = _one(findings, "dns.mx.ip_literal")
    assert literal.status is Status.FAIL and literal.cause == "dns.mx.ip_literal"
    noaddr = _one(findings, "dns.mx.address")
    assert noaddr.cause == "dns.mx.exchange_no_address" and noaddr.subject == "noaddr.example.com"
    assert not any(e.name == "192.0.2.9" for e in dns_server.log)


async def test_implicit_mx_warns(dns_server, resolver_for) -> None:
    dns_server.load({"example.com": [{"A": "192.0.2.5"}]})
    result = await mx_hosts("example.com", ctx=_ctx(dns_server, resolver_for))
    assert result.implicit and result.hosts[0].addresses == ("192.0.2.5",)
    finding = _one(
        await check_mx("example.com", ctx=_ctx(dns_server, resolver_for)), "dns.mx.records"
    )
    assert finding.status is Status.WARN and finding.data["implicit"] is True


async def test_no_mx_no_address_and_nxdomain(dns_server, resolver_for) -> None:
    dns_server.load({"example.com": [{"TXT": "hello"}]})
    finding = _one(
        await check_mx("example.com", ctx=_ctx(dns_server, resolver_for)), "dns.mx.records"
    )
    assert finding.cause == "dns.mx.no_mail_host"
    finding = _one(
        await check_mx("nowhere.example", ctx=_ctx(dns_server, resolver_for)), "dns.mx.records"
    )
    assert finding.cause == "dns.mx.domain_missing"


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_mx_lookup_failure_is_error(resolver_for, failure: str) -> None:
    with DnsServer({}, **{failure: ["example.com"]}) as server:
        findings = await check_mx("example.com", ctx=_ctx(server, resolver_for, 0.3))
    (finding,) = findings
    assert finding.status is Status.ERROR and not finding.cause


async def test_exchange_lookup_failure_is_error(resolver_for) -> None:
    zone = {"example.com": [{"MX": [10, "mx.example.com"]}]}
    with DnsServer(zone, timeout_names=["mx.example.com"]) as server:
        findings = await check_mx("example.com", ctx=_ctx(server, resolver_for, 0.3))
    assert _one(findings, "dns.mx.address").status is Status.ERROR


async def test_cname_loop_exchange_is_error(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "example.com": [{"MX": [10, "a.example.com"]}],
            "a.example.com": [{"CNAME": "b.example.com"}],
            "b.example.com": [{"CNAME": "a.example.com"}],
        }
    )
    finding = _one(
        await check_mx("example.com", ctx=_ctx(dns_server, resolver_for)), "dns.mx.address"
    )
    assert finding.status is Status.ERROR and "CNAME loop" in finding.summary
