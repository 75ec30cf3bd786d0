"""DMARC: the record parser (pure) and the checks over real DNS on loopback."""

from __future__ import annotations

import time

import pytest

from maildoctor.context import Context
from maildoctor.dns.dmarc import check_dmarc
from maildoctor.dns.dmarc_record import (
    MAX_PROBLEMS,
    ProblemKind,
    Severity,
    is_dmarc_record,
    parse_dmarc,
)
from maildoctor.model import Finding, Status, exit_code_for
from maildoctor.testing.dnsserver import DnsServer

# -- parser -------------------------------------------------------------------------


def _messages(text: str, severity: Severity | None = None) -> list[str]:
    record = parse_dmarc(text)
    return [
        f"{p.tag}: {p.message}"
        for p in record.problems
        if severity is None or p.severity is severity
    ]


def test_full_record_effective_values() -> None:
    record = parse_dmarc(
        "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; t=n; psd=n; "
        "rua=mailto:agg@example.com; ruf=mailto:fail@example.com; fo=d:s"
    )
    assert record.is_dmarc and record.problems == ()
    assert (record.policy, record.subdomain_policy, record.nonexistent_policy) == (
        "reject",
        "quarantine",
        "reject",
    )
    assert (record.adkim, record.aspf, record.t, record.psd) == ("s", "r", "n", "n")
    assert record.fo == ("d", "s")
    assert [u.domain for u in (*record.rua, *record.ruf)] == ["example.com", "example.com"]


def test_defaults_inherit_sp_from_p_and_np_from_sp() -> None:
    record = parse_dmarc("v=DMARC1; p=reject; sp=none")
    assert record.nonexistent_policy == "none"
    assert parse_dmarc("v=DMARC1; p=quarantine").nonexistent_policy == "quarantine"


@pytest.mark.parametrize(
    "text",
    ["v=dmarc1; p=none", "p=none; v=DMARC1", "v=DMARC2; p=none", "v = DMARC1x; p=none", ""],
)
def test_version_must_be_first_and_exact(text: str) -> None:
    assert not is_dmarc_record(text)
    record = parse_dmarc(text)
    assert not record.is_dmarc
    assert any(p.tag == "v" and p.severity is Severity.ERROR for p in record.problems)


def test_whitespace_around_equals_and_trailing_separator_are_fine() -> None:
    record = parse_dmarc("v = DMARC1 ;p = reject ;")
    assert record.is_dmarc and record.policy == "reject" and record.problems == ()


def test_invalid_policy_is_an_error_and_reads_as_none() -> None:
    record = parse_dmarc("v=DMARC1; p=block")
    assert record.p is None and record.policy == "none"
    assert _messages("v=DMARC1; p=block", Severity.ERROR) == [
        "p: p=block is not one of none, quarantine, reject; receivers discard it and use p=none"
    ]


def test_duplicate_tag_is_an_error_and_first_wins() -> None:
    record = parse_dmarc("v=DMARC1; p=none; p=reject")
    assert record.policy == "none"
    assert any(p.kind is ProblemKind.DUPLICATE and p.tag == "p" for p in record.problems)


def test_unknown_tag_and_bad_pairs() -> None:
    errors = _messages("v=DMARC1; p=none; foo=bar; nonsense; 9x=1", None)
    assert "foo: unknown tag foo= is ignored by receivers (a typo?)" in errors
    assert ": 'nonsense' is not a tag=value pair" in errors
    assert ": '9x' is not a tag name (letters only)" in errors


@pytest.mark.parametrize(
    ("fo", "ok"), [("1", True), ("d:s", True), ("0:1", False), ("2", False), ("1:1", True)]
)
def test_fo_values(fo: str, ok: bool) -> None:
    record = parse_dmarc(f"v=DMARC1; p=none; fo={fo}")
    errors = [p for p in record.problems if p.severity is Severity.ERROR]
    assert (errors == []) is ok


def test_report_uris() -> None:
    record = parse_dmarc(
        "v=DMARC1; p=none; rua=mailto:a@example.com!10m, https://example.net/r, "
        "dmarc@example.org, mailto:nobody, mailto:x@not_a_domain"
    )
    assert [u.uri for u in record.rua] == ["mailto:a@example.com", "https://example.net/r"]
    assert record.rua[0].size_limit == "10m"
    kinds = {(p.severity, p.kind) for p in record.problems}
    assert (Severity.NOTE, ProblemKind.URI) in kinds  # obsolete !10m
    assert (Severity.WARNING, ProblemKind.URI) in kinds  # https: not used by receivers
    assert len([p for p in record.problems if p.severity is Severity.ERROR]) == 3


def test_removed_tags_are_noted_and_pct_below_100_warns() -> None:
    record = parse_dmarc("v=DMARC1; p=quarantine; pct=20; rf=afrf; ri=3600")
    assert (record.pct, record.rf, record.ri) == (20, "afrf", 3600)
    removed = {p.tag for p in record.problems if p.kind is ProblemKind.REMOVED_TAG}
    assert removed == {"pct", "rf", "ri"}
    assert any(p.tag == "pct" and p.severity is Severity.WARNING for p in record.problems)


def test_missing_p_warns_about_both_readings() -> None:
    messages = _messages("v=DMARC1; rua=mailto:a@example.com", Severity.WARNING)
    assert any("RFC 9989 receivers read p=none" in m for m in messages)


def test_64k_of_garbage_is_parsed_quickly_with_bounded_problems() -> None:
    text = "v=DMARC1; p=none; " + "; ".join(f"junk{i}" for i in range(13000))
    assert len(text) > 64000
    start = time.perf_counter()
    record = parse_dmarc(text)
    assert time.perf_counter() - start < 2
    assert len(record.problems) == MAX_PROBLEMS
    assert record.extra_problems > 12000


# -- checks over DNS ----------------------------------------------------------------


def _by(findings: tuple[Finding, ...], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


async def _check(
    server: DnsServer, resolver_for, domain: str = "example.com", *, timeout: float = 2.0
):
    return await check_dmarc(domain, ctx=Context(resolver=resolver_for(server, timeout=timeout)))


async def test_missing_record_is_a_failure_with_cause(dns_server, resolver_for) -> None:
    dns_server.load({"example.com": [{"A": "192.0.2.1"}]})
    findings = await _check(dns_server, resolver_for)
    (record,) = _by(findings, "dns.dmarc.record")
    assert record.status is Status.FAIL and record.cause == "dns.dmarc.missing"
    assert exit_code_for(findings) == 1
    assert record.evidence and record.evidence[0].query == "_dmarc.example.com TXT"


async def test_near_miss_is_explained(dns_server, resolver_for) -> None:
    dns_server.load({"_dmarc.example.com": [{"TXT": "v=dmarc1; p=reject"}]})
    (record,) = _by(await _check(dns_server, resolver_for), "dns.dmarc.record")
    assert record.cause == "dns.dmarc.missing"
    assert "does not start with v=DMARC1" in record.detail


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_dns_failure_is_an_error_never_no_record(resolver_for, failure: str) -> None:
    with DnsServer({}, **{failure: ["_dmarc.example.com"]}) as server:
        start = time.perf_counter()
        findings = await _check(server, resolver_for, timeout=0.3)
        assert time.perf_counter() - start < 3
    (record,) = _by(findings, "dns.dmarc.record")
    assert record.status is Status.ERROR
    assert not any(f.cause == "dns.dmarc.missing" for f in findings)
    assert exit_code_for(findings) == 3
    (advice,) = _by(findings, "dns.dmarc.recommendation")
    assert advice.status is Status.SKIPPED and "record" not in advice.data


async def test_cname_loop_is_an_error(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "_dmarc.example.com": [{"CNAME": "loop.example.com"}],
            "loop.example.com": [{"CNAME": "_dmarc.example.com"}],
        }
    )
    (record,) = _by(await _check(dns_server, resolver_for), "dns.dmarc.record")
    assert record.status is Status.ERROR and "CNAME loop" in record.summary


async def test_p_none_without_rua(dns_server, resolver_for) -> None:
    dns_server.load({"_dmarc.example.com": [{"TXT": "v=DMARC1; p=none"}]})
    findings = await _check(dns_server, resolver_for)
    (policy,) = _by(findings, "dns.dmarc.policy")
    assert policy.status is Status.WARN and "monitoring only" in policy.summary
    assert policy.cause == "dns.dmarc.policy_none"
    (rua,) = _by(findings, "dns.dmarc.rua")
    assert rua.status is Status.WARN and rua.fix
    (advice,) = _by(findings, "dns.dmarc.recommendation")
    assert "rua=mailto:dmarc-reports@example.com" in advice.data["record"]


async def test_fo_without_ruf(dns_server, resolver_for) -> None:
    record = "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com; fo=1"
    dns_server.load({"_dmarc.example.com": [{"TXT": record}]})
    findings = await _check(dns_server, resolver_for)
    (fo,) = _by(findings, "dns.dmarc.fo_without_ruf")
    assert fo.cause == "dns.dmarc.fo_without_ruf" and fo.status is Status.WARN
    (advice,) = _by(findings, "dns.dmarc.recommendation")
    assert "fo=" not in advice.data["record"]
    assert any("add ruf=" in c for c in advice.data["changes"])


async def test_fo_with_ruf_is_fine(dns_server, resolver_for) -> None:
    record = "v=DMARC1; p=reject; rua=mailto:a@example.com; ruf=mailto:f@example.com; fo=1"
    dns_server.load({"_dmarc.example.com": [{"TXT": record}]})
    assert _by(await _check(dns_server, resolver_for), "dns.dmarc.fo_without_ruf") == []


async def test_multiple_records_fail(dns_server, resolver_for) -> None:
    dns_server.load(
        {"_dmarc.example.com": [{"TXT": "v=DMARC1; p=none"}, {"TXT": "v=DMARC1; p=reject"}]}
    )
    findings = await _check(dns_server, resolver_for)
    (multiple,) = _by(findings, "dns.dmarc.multiple")
    assert multiple.cause == "dns.dmarc.multiple_records"
    (record,) = _by(findings, "dns.dmarc.record")
    assert record.cause == "dns.dmarc.missing"  # both discarded, nothing above


async def test_syntax_errors_are_precise(dns_server, resolver_for) -> None:
    record = "v=DMARC1; p=rejct; adkim=x; rua=mailto:dmarc@example.com"
    dns_server.load({"_dmarc.example.com": [{"TXT": record}]})
    (syntax,) = _by(await _check(dns_server, resolver_for), "dns.dmarc.syntax")
    assert syntax.status is Status.FAIL and syntax.cause == "dns.dmarc.syntax_error"
    assert "p=rejct is not one of none, quarantine, reject" in syntax.detail
    assert "adkim=x is not one of r, s" in syntax.detail
    assert {p["tag"] for p in syntax.data["problems"]} == {"p", "adkim"}


async def test_inherited_record_uses_sp(dns_server, resolver_for) -> None:
    record = "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com"
    dns_server.load({"_dmarc.example.com": [{"TXT": record}]})
    findings = await _check(dns_server, resolver_for, "mail.example.com")
    (found,) = _by(findings, "dns.dmarc.record")
    assert found.status is Status.PASS and found.data["policy_domain"] == "example.com"
    (policy,) = _by(findings, "dns.dmarc.policy")
    assert policy.data["tag"] == "sp" and policy.status is Status.WARN
    (sub,) = _by(findings, "dns.dmarc.subdomain_policy")
    assert sub.status is Status.WARN


async def test_legacy_tags_and_testing(dns_server, resolver_for) -> None:
    record = "v=DMARC1; p=reject; t=y; pct=100; ri=86400; rua=mailto:d@example.com"
    dns_server.load({"_dmarc.example.com": [{"TXT": record}]})
    findings = await _check(dns_server, resolver_for)
    (legacy,) = _by(findings, "dns.dmarc.legacy_tags")
    assert legacy.status is Status.INFO and legacy.data["tags"] == ["pct", "ri"]
    assert _by(findings, "dns.dmarc.testing")[0].status is Status.WARN


async def test_psd_y_at_own_domain_warns(dns_server, resolver_for) -> None:
    dns_server.load({"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; psd=y"}]})
    assert _by(await _check(dns_server, resolver_for), "dns.dmarc.psd")[0].status is Status.WARN


# -- external report authorization --------------------------------------------------


async def test_external_destinations(dns_server, resolver_for) -> None:
    record = (
        "v=DMARC1; p=reject; rua=mailto:a@reports.example.com,mailto:b@example.net,"
        "mailto:c@example.org; ruf=mailto:d@example.test"
    )
    dns_server.load(
        {
            "_dmarc.example.com": [{"TXT": record}],
            "example.com._report._dmarc.example.net": [{"TXT": "v=DMARC1"}],
            "*._report._dmarc.example.org": [{"TXT": "v=DMARC1"}],
            "example.com._report._dmarc.example.test": [{"TXT": "something else"}],
        }
    )
    findings = await _check(dns_server, resolver_for)
    auth = {f.subject: f for f in _by(findings, "dns.dmarc.report_auth")}
    assert set(auth) == {"example.net", "example.org", "example.test"}  # not the subdomain
    assert auth["example.net"].status is Status.PASS
    assert auth["example.org"].status is Status.PASS  # wildcard
    assert auth["example.test"].status is Status.FAIL
    assert auth["example.test"].cause == "dns.dmarc.report_destination_unauthorized"
    (advice,) = _by(findings, "dns.dmarc.recommendation")
    assert "example.test" not in advice.data["record"]
    assert "mailto:b@example.net" in advice.data["record"]


async def test_authorization_lookup_failure_is_error(resolver_for) -> None:
    zone = {"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:a@example.net"}]}
    with DnsServer(zone, timeout_names=["example.com._report._dmarc.example.net"]) as server:
        findings = await _check(server, resolver_for, timeout=0.3)
    (auth,) = _by(findings, "dns.dmarc.report_auth")
    assert auth.status is Status.ERROR and not auth.cause


# -- readings and bad input ---------------------------------------------------------


async def test_readings_differ_is_reported(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "_dmarc.b.example.com": [{"TXT": "v=DMARC1; p=reject; psd=n"}],
            "_dmarc.example.com": [{"TXT": "v=DMARC1; p=none"}],
        }
    )
    findings = await _check(dns_server, resolver_for, "a.b.example.com")
    (org,) = _by(findings, "dns.dmarc.org_domain")
    assert org.status is Status.WARN
    assert org.data["org_domain"] == "b.example.com"
    assert org.data["psl_org_domain"] == "example.com"
    assert org.data["reading"] == "RFC 9989"


async def test_parent_failure_leaves_org_domain_uncertain(resolver_for) -> None:
    zone = {"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:a@example.com"}]}
    with DnsServer(zone, servfail_names=["_dmarc.com"]) as server:
        findings = await _check(server, resolver_for)
    assert _by(findings, "dns.dmarc.record")[0].status is Status.PASS
    assert _by(findings, "dns.dmarc.org_domain")[0].status is Status.ERROR


async def test_huge_txt_record_is_a_finding(dns_server, resolver_for) -> None:
    huge = "v=DMARC1; p=none; " + "garbage" * 8000  # ~56 KB: truncated over UDP, TCP fallback
    dns_server.load({"_dmarc.example.com": [{"TXT": huge}]})
    findings = await _check(dns_server, resolver_for)
    (syntax,) = _by(findings, "dns.dmarc.syntax")
    assert syntax.status is Status.FAIL
    assert len(syntax.detail) < 5000
    assert any(e.transport == "tcp" for e in dns_server.log)
