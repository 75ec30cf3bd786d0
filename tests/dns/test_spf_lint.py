"""SPF lint: the tree, per-branch counts, void readings and the findings."""

from __future__ import annotations

import time

import pytest

from maildoctor.context import Context
from maildoctor.dns.resolver import DnsResolver, Nameserver, Outcome, StaticResolver
from maildoctor.dns.spf import build_tree, check_spf, record_findings, spf_for_ip
from maildoctor.model import Finding, Layer, Status
from maildoctor.testing.dnsserver import DnsServer


def ctx(zone, failures=None) -> Context:
    return Context(resolver=StaticResolver(zone, failures))


def by_check(findings: tuple[Finding, ...], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def one(findings: tuple[Finding, ...], check: str) -> Finding:
    (found,) = by_check(findings, check)
    return found


HEALTHY = {
    "example.com": {
        "TXT": ["v=spf1 include:_spf.example.net a mx -all"],
        "A": ["192.0.2.1"],
        "AAAA": ["2001:db8::1"],
        "MX": ["10 mx.example.com"],
    },
    "mx.example.com": {"A": ["192.0.2.2"], "AAAA": ["2001:db8::2"]},
    "_spf.example.net": {"TXT": ["v=spf1 ip4:198.51.100.0/24 include:more.example.net ~all"]},
    "more.example.net": {"TXT": ["v=spf1 ip6:2001:db8:9::/48 ~all"]},
}


async def test_healthy_tree():
    findings = await check_spf("example.com", ctx=ctx(HEALTHY))
    assert {f.status for f in findings} == {Status.PASS}
    assert all(f.layer is Layer.DNS and f.check.startswith("dns.spf.") for f in findings)
    record = one(findings, "dns.spf.record")
    assert record.data["record"] == "v=spf1 include:_spf.example.net a mx -all"
    assert record.evidence[0].id == "dns:TXT:example.com"
    lookups = one(findings, "dns.spf.lookup_limit")
    assert lookups.data["total"] == 4 and lookups.data["complete"]
    assert [(b["domain"], b["own"], b["total"]) for b in lookups.data["branches"]] == [
        ("example.com", 3, 4),
        ("_spf.example.net", 1, 1),
        ("more.example.net", 0, 0),
    ]
    assert one(findings, "dns.spf.void_lookups").data["strict"] == 0
    assert one(findings, "dns.spf.all").summary == (
        "SPF policy of example.com: hosts not listed fail (-all)"
    )


@pytest.mark.parametrize(("required", "status"), [(False, Status.WARN), (True, Status.FAIL)])
async def test_missing_record(required, status):
    zone = {"example.com": {"TXT": ["google-site-verification=abc"]}}
    findings = await check_spf("example.com", ctx=ctx(zone), required=required)
    (record,) = findings
    assert (record.check, record.status, record.cause) == (
        "dns.spf.record",
        status,
        "dns.spf.missing",
    )
    assert "v=spf1" in record.fix and record.reference


@pytest.mark.parametrize("outcome", [Outcome.TIMEOUT, Outcome.SERVFAIL, Outcome.REFUSED])
async def test_dns_failure_is_error_never_no_record(outcome):
    findings = await check_spf("example.com", ctx=ctx(HEALTHY, {"example.com": outcome}))
    (record,) = findings
    assert record.status is Status.ERROR
    assert "no SPF record" not in record.summary and str(outcome) in record.summary
    assert record.evidence[0].outcome.startswith(str(outcome))


async def test_multiple_records():
    zone = {"example.com": {"TXT": ["v=spf1 -all", "v=spf1 include:x.example.net -all"]}}
    found = one(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.multiple")
    assert (found.status, found.cause) == (Status.FAIL, "dns.spf.permerror")
    assert len(found.data["records"]) == 2


async def test_syntax_errors_have_positions_and_the_walk_continues():
    zone = {
        "example.com": {
            "TXT": ["v=spf1 ip4:192.0.2.300 include:a.example.net include:b.example.net -all"]
        },
        "a.example.net": {"TXT": ["v=spf1 mx:foo -all"]},
        "b.example.net": {"TXT": ["hello"]},
    }
    findings = await check_spf("example.com", ctx=ctx(zone))
    syntax = by_check(findings, "dns.spf.syntax")
    assert [(f.subject, f.data["column"]) for f in syntax] == [
        ("example.com", 12),
        ("a.example.net", 11),
    ]
    assert all(f.status is Status.FAIL and f.cause == "dns.spf.permerror" for f in syntax)
    assert "reached through include:a.example.net" in syntax[1].summary
    missing = one(findings, "dns.spf.include_missing")
    assert missing.subject == "b.example.net" and "no v=spf1 record" in missing.summary
    assert "reached through" not in missing.summary


async def test_include_nxdomain_and_redirect_missing():
    zone = {"example.com": {"TXT": ["v=spf1 include:gone.example.net redirect=nx.example.org"]}}
    findings = await check_spf("example.com", ctx=ctx(zone))
    assert "NXDOMAIN" in one(findings, "dns.spf.include_missing").summary
    assert one(findings, "dns.spf.redirect_missing").status is Status.FAIL


async def test_include_loop_is_found_and_the_walk_ends():
    zone = {
        "a.example.com": {"TXT": ["v=spf1 include:b.example.com -all"]},
        "b.example.com": {"TXT": ["v=spf1 redirect=c.example.com"]},
        "c.example.com": {"TXT": ["v=spf1 include:a.example.com"]},
    }
    findings = await check_spf("a.example.com", ctx=ctx(zone))
    loop = one(findings, "dns.spf.include_loop")
    assert loop.status is Status.FAIL
    assert "a.example.com -> b.example.com -> c.example.com -> a.example.com" in loop.summary
    assert not one(findings, "dns.spf.lookup_limit").data["complete"]


def _wide(n: int) -> dict[str, dict[str, list[str]]]:
    zone = {
        "example.com": {
            "TXT": ["v=spf1 " + " ".join(f"include:i{i}.example.net" for i in range(n)) + " -all"]
        }
    }
    for i in range(n):
        zone[f"i{i}.example.net"] = {
            "TXT": [f"v=spf1 ip4:192.0.2.{i % 250} a:h{i}.example.net"],
        }
        zone[f"h{i}.example.net"] = {"A": ["192.0.2.1"], "AAAA": ["2001:db8::1"]}
    return zone


@pytest.mark.parametrize(("n", "status"), [(4, Status.WARN), (3, Status.PASS), (6, Status.FAIL)])
async def test_lookup_count_thresholds(n, status):
    # each include costs 1 + 1 (its a:) lookups
    found = one(await check_spf("example.com", ctx=ctx(_wide(n))), "dns.spf.lookup_limit")
    assert (found.status, found.data["total"]) == (status, 2 * n)
    assert found.cause == ("dns.spf.lookup_limit" if status is Status.FAIL else "")


async def test_the_tree_is_bounded():
    resolver = StaticResolver(_wide(200))
    start = time.perf_counter()
    findings = await check_spf("example.com", ctx=Context(resolver=resolver))
    assert time.perf_counter() - start < 5
    assert by_check(findings, "dns.spf.tree_bound")
    assert one(findings, "dns.spf.lookup_limit").status is Status.FAIL
    assert sum(1 for _, t in resolver.log if t == "TXT") <= 80


async def test_deep_chain_is_bounded():
    zone = {
        f"l{i}.example.com": {"TXT": [f"v=spf1 include:l{i + 1}.example.com"]} for i in range(40)
    }
    tree = await build_tree("l0.example.com", resolver=StaticResolver(zone))
    assert max(n.depth for n in tree.walk()) <= 12


async def test_void_lookups_strict_and_dual_stack():
    zone = {
        "example.com": {
            "TXT": ["v=spf1 a:v6.example.com a:v6b.example.com mx:v4mx.example.com -all"]
        },
        "v6.example.com": {"AAAA": ["2001:db8::1"]},
        "v6b.example.com": {"AAAA": ["2001:db8::2"]},
        "v4mx.example.com": {"MX": ["10 v6.example.com"]},
    }
    found = one(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.void_lookups")
    assert found.data == {
        "strict": 3,
        "dual_stack": 0,
        "ipv4_clients": 3,
        "ipv6_clients": 0,
        "limit": 2,
    }
    assert found.status is Status.WARN and found.cause == ""


async def test_void_lookups_over_the_limit_in_both_readings():
    zone = {
        "example.com": {
            "TXT": ["v=spf1 a:n1.example.com exists:n2.example.com mx:n3.example.com ?all"]
        }
    }
    found = one(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.void_lookups")
    assert (found.status, found.cause, found.data["dual_stack"]) == (
        Status.FAIL,
        "dns.spf.lookup_limit",
        3,
    )


@pytest.mark.parametrize(
    ("record", "status", "text"),
    [
        ("v=spf1 +all", Status.WARN, "every host on the Internet"),
        ("v=spf1 a ?all", Status.WARN, "neutral"),
        ("v=spf1 a", Status.WARN, "no all mechanism"),
        ("v=spf1 a ~all", Status.PASS, "softfail"),
    ],
)
async def test_all_policy(record, status, text):
    zone = {"example.com": {"TXT": [record], "A": ["192.0.2.1"]}}
    found = one(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.all")
    assert found.status is status and text in found.summary


async def test_all_policy_follows_redirect_and_flags_plus_all_in_includes():
    zone = {
        "example.com": {"TXT": ["v=spf1 include:open.example.net redirect=p.example.org"]},
        "open.example.net": {"TXT": ["v=spf1 +all"]},
        "p.example.org": {"TXT": ["v=spf1 ?all"]},
    }
    found = by_check(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.all")
    assert {(f.subject, f.status) for f in found} == {
        ("example.com", Status.WARN),
        ("open.example.net", Status.WARN),
    }
    assert any(f.data.get("decided_at") == "p.example.org" for f in found)


async def test_ptr_and_ignored_redirect_and_macro_targets():
    zone = {
        "example.com": {
            "TXT": [
                "v=spf1 ptr exists:%{i}.bl.example.net "
                "include:%{d}.spf.example.net redirect=x.example.org -all"
            ]
        },
        "example.com.spf.example.net": {"TXT": ["v=spf1 -all"]},
    }
    findings = await check_spf("example.com", ctx=ctx(zone))
    assert one(findings, "dns.spf.ptr").status is Status.WARN
    assert one(findings, "dns.spf.redirect_ignored").status is Status.WARN
    assert not by_check(findings, "dns.spf.redirect_missing")
    tree = await build_tree("example.com", resolver=StaticResolver(zone))
    assert [c.domain for c in tree.children] == ["example.com.spf.example.net"]
    assert tree.own_lookups == 3


async def test_dns_errors_below_the_root_are_errors():
    zone = {"example.com": {"TXT": ["v=spf1 include:slow.example.net a:slow2.example.net -all"]}}
    failures = {"slow.example.net": Outcome.TIMEOUT, "slow2.example.net": Outcome.SERVFAIL}
    findings = await check_spf("example.com", ctx=ctx(zone, failures))
    errors = by_check(findings, "dns.spf.dns_error")
    assert errors and all(f.status is Status.ERROR for f in errors)
    assert not by_check(findings, "dns.spf.include_missing")


async def test_mx_limit():
    zone = {
        "example.com": {
            "TXT": ["v=spf1 mx -all"],
            "MX": [f"{i} m{i}.example.com" for i in range(12)],
        }
    }
    found = one(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.mx_limit")
    assert (found.status, found.cause) == (Status.FAIL, "dns.spf.permerror")


@pytest.mark.parametrize(
    "text",
    [
        "v=spf1 " + "x" * 65529,
        "v=spf1 " + " ".join(["a:\x00\xff", "%{", "ip4:::", "=="] * 4000)[:65529],
        "v=spf1 " + "include:" + "a." * 32000,
    ],
)
async def test_64k_garbage_gives_findings(text):
    findings = await check_spf("example.com", ctx=ctx({"example.com": {"TXT": [text]}}))
    failed = {f.check for f in findings if f.status is Status.FAIL}
    assert failed & {"dns.spf.syntax", "dns.spf.include_missing"}
    assert len(by_check(findings, "dns.spf.syntax")) <= 20


def test_record_findings_without_dns():
    findings = record_findings("example.com", "v=spf1 ptr a:museum +all")
    assert {f.check for f in findings} == {"dns.spf.ptr", "dns.spf.syntax", "dns.spf.all"}


async def test_over_loopback_dns_with_a_big_record_over_tcp():
    big = "v=spf1 " + " ".join(f"ip6:2001:db8::{i:x}" for i in range(2500)) + " -all"
    zone = {"example.com": [{"TXT": big}, {"A": "192.0.2.1"}], "slow.example.net": ["TIMEOUT"]}
    with DnsServer(zone) as server:
        resolver = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=2.0, retries=0)
        findings = await check_spf("example.com", ctx=Context(resolver=resolver))
        assert one(findings, "dns.spf.record").data["record"] == big
        assert any(e.transport == "tcp" for e in server.log)
        verdict = await spf_for_ip("2001:db8::9c3", "example.com", ctx=Context(resolver=resolver))
        assert verdict.status is Status.PASS


@pytest.mark.parametrize(("octets", "flagged"), [(300, False), (450, False), (451, True)])
async def test_record_size_over_450_octets_is_a_warning(octets, flagged):
    # Over 255 octets only needs several strings; over 450 risks the 512-octet UDP answer.
    head, tail = "v=spf1 ip4:192.0.2.1", " -all"
    text = head + " " * (octets - len(head) - len(tail)) + tail
    assert len(text) == octets
    findings = await check_spf("example.com", ctx=ctx({"example.com": {"TXT": [text]}}))
    sized = by_check(findings, "dns.spf.record_size")
    assert bool(sized) is flagged
    if flagged:
        (found,) = sized
        assert found.status is Status.WARN and not found.cause
        assert "451 octets" in found.summary and "RFC 7208 3.4" in found.summary
        assert found.reference.startswith("RFC 7208 section 3.4") and found.fix
        assert found.evidence
        assert by_check(record_findings("example.com", text), "dns.spf.record_size")


async def test_record_size_of_an_include_names_the_way_there():
    long_include = "v=spf1 " + " ".join(f"ip4:198.51.100.{i}" for i in range(40)) + " ~all"
    zone = {
        "example.com": {"TXT": ["v=spf1 include:_spf.example.net -all"]},
        "_spf.example.net": {"TXT": [long_include]},
    }
    (found,) = by_check(await check_spf("example.com", ctx=ctx(zone)), "dns.spf.record_size")
    assert found.subject == "_spf.example.net"
    assert "reached through include:_spf.example.net" in found.summary


async def test_a_huge_record_is_cut_on_its_summary_line():
    big = "v=spf1 " + " ".join(f"ip6:2001:db8::{i:x}" for i in range(3200)) + " -all"
    assert len(big) > 56_000
    findings = await check_spf("example.com", ctx=ctx({"example.com": {"TXT": [big]}}))
    record = one(findings, "dns.spf.record")
    assert record.data["record"] == big  # the whole record stays in the data
    assert record.summary == f"SPF record: {big[:200]}... ({len(big)} octets)"
    assert f"is {len(big)} octets" in one(findings, "dns.spf.record_size").summary


async def test_every_finding_has_evidence_a_reference_and_a_fix_when_wrong():
    zone = {
        "example.com": {
            "TXT": [
                "v=spf1 ptr a:museum include:gone.example.net include:loop.example.net mx ?all"
            ],
            "MX": ["0 ."],
        },
        "loop.example.net": {"TXT": ["v=spf1 include:loop.example.net +all"]},
    }
    findings = await check_spf("example.com", ctx=ctx(zone))
    assert {f.check for f in findings} >= {
        "dns.spf.record",
        "dns.spf.syntax",
        "dns.spf.ptr",
        "dns.spf.include_missing",
        "dns.spf.include_loop",
        "dns.spf.all",
        "dns.spf.lookup_limit",
        "dns.spf.void_lookups",
    }
    for f in findings:
        assert f.evidence and f.reference.startswith("RFC 7208"), f
        assert f.fix or f.status in (Status.PASS, Status.INFO), f
