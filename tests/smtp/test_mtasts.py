"""MTA-STS and TLS-RPT: parsing as data, and the policy fetched from a loopback HTTPS server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from maildoctor.model import Status
from maildoctor.smtp.mtasts import (
    HttpResult,
    check_mta_sts,
    check_tls_rpt,
    mx_matches,
    parse_policy,
    parse_sts_record,
    parse_tlsrpt_record,
    policy_mx_findings,
)
from maildoctor.testing.smtpserver import ConnectProxy, PolicyHttpsServer, TestPki

POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 604800\r\n"  # noqa: E501
STS = {"_mta-sts.example.com": {"TXT": ["v=STSv1; id=20240101T000000"]}}


@pytest.mark.parametrize(
    ("records", "policy_id"),
    [
        (["v=STSv1; id=20160831085700Z;"], "20160831085700Z"),
        (["v=STSv1; id=abc", "v=spf1 -all"], "abc"),
        (["v=STSv1; id=a", "v=STSv1; id=b"], None),
        (["v=STSv1; id=not-alnum"], None),
        (["v=STSv1;"], None),
        ([], None),
    ],
)
def test_parse_sts_record(records, policy_id):
    assert parse_sts_record(records)[0] == policy_id


def test_parse_policy():
    policy = parse_policy(POLICY)
    assert policy.valid
    assert (policy.mode, policy.mx, policy.max_age) == (
        "enforce",
        ("mx1.example.com", "*.mail.example.com"),
        604800,
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 1\n", "version"),
        ("version: STSv1\nmode: strict\nmx: a.example.com\nmax_age: 1\n", "mode"),
        ("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 99999999\n", "max_age"),
        ("version: STSv1\nmode: enforce\nmax_age: 1\n", "mx"),
    ],
)
def test_invalid_policies(text, error):
    policy = parse_policy(text)
    assert not policy.valid and any(error in e for e in policy.errors)


@pytest.mark.parametrize(
    ("host", "pattern", "ok"),
    [
        ("mx1.example.com", "mx1.example.com", True),
        ("MX1.example.com.", "mx1.example.com", True),
        ("a.mail.example.com", "*.mail.example.com", True),
        ("b.a.mail.example.com", "*.mail.example.com", False),
        ("mail.example.com", "*.mail.example.com", False),
        ("mx2.example.com", "mx1.example.com", False),
    ],
)
def test_mx_matches(host, pattern, ok):
    assert mx_matches(host, pattern) is ok


def test_mx_mismatch_under_enforce_is_a_failure():
    findings = policy_mx_findings(
        parse_policy(POLICY), ["mx1.example.com", "mx9.example.org"], "example.com"
    )
    assert [f.status for f in findings] == [Status.PASS, Status.FAIL]
    assert findings[1].cause == "transport.mtasts.mx_mismatch"
    testing = parse_policy(POLICY.replace("enforce", "testing"))
    assert policy_mx_findings(testing, ["mx9.example.org"], "example.com")[0].status is Status.WARN


@pytest.mark.parametrize(
    ("records", "rua"),
    [
        (["v=TLSRPTv1; rua=mailto:tls@example.com"], ("mailto:tls@example.com",)),
        (
            ["v=TLSRPTv1;rua=mailto:a@example.com,https://r.example.com/x"],
            ("mailto:a@example.com", "https://r.example.com/x"),
        ),
        (["v=TLSRPTv1; rua=ftp://example.com"], ()),
        (["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"], ()),
    ],
)
def test_parse_tlsrpt_record(records, rua):
    assert parse_tlsrpt_record(records)[0] == rua


@pytest.fixture(scope="module")
def policy_server(pki: TestPki) -> Iterator[PolicyHttpsServer]:
    with PolicyHttpsServer(POLICY, pki=pki, host_name="mta-sts.example.com") as server:
        yield server


async def test_policy_fetched_over_https(policy_server, make_ctx):
    ctx = make_ctx("mta-sts.example.com", records=STS)
    findings, policy = await check_mta_sts("example.com", ctx=ctx, https_port=policy_server.port)
    assert [f.status for f in findings] == [Status.PASS, Status.PASS]
    assert policy is not None and policy.mode == "enforce"
    assert policy_server.requests[-1] == "GET /.well-known/mta-sts.txt HTTP/1.1"


async def test_policy_fetch_goes_through_https_proxy(policy_server, make_ctx, monkeypatch):
    # The proxy gets the host name to resolve; our resolver is not asked for it at all.
    with ConnectProxy({443: policy_server.port}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
        ctx = make_ctx(records=STS)  # no address for mta-sts.example.com in this DNS
        findings, policy = await check_mta_sts("example.com", ctx=ctx)
        assert proxy.targets == ["mta-sts.example.com:443"]
        assert policy is not None and findings[1].status is Status.PASS
        monkeypatch.setenv("NO_PROXY", "example.com")  # exempt: straight to DNS, which fails
        findings, policy = await check_mta_sts("example.com", ctx=ctx)
        assert proxy.targets == ["mta-sts.example.com:443"]
        assert policy is None and "cannot resolve mta-sts.example.com" in findings[1].summary


async def test_policy_certificate_must_name_the_policy_host(pki, make_ctx):
    with PolicyHttpsServer(
        POLICY, pki=pki, host_name="mta-sts.example.com", cert_names=["www.example.com"]
    ) as server:
        ctx = make_ctx("mta-sts.example.com", records=STS)
        findings, policy = await check_mta_sts("example.com", ctx=ctx, https_port=server.port)
    assert policy is None
    assert findings[1].cause == "transport.mtasts.policy_unavailable"


@pytest.mark.parametrize(
    ("status", "content_type", "problem"),
    [
        (404, "text/plain", "HTTP 404"),
        (301, "text/plain", "redirects"),
        (200, "text/html", "Content-Type"),
    ],
)
async def test_policy_fetch_problems(pki, make_ctx, status, content_type, problem):
    with PolicyHttpsServer(
        POLICY, pki=pki, host_name="mta-sts.example.com", status=status, content_type=content_type
    ) as server:
        ctx = make_ctx("mta-sts.example.com", records=STS)
        findings, policy = await check_mta_sts("example.com", ctx=ctx, https_port=server.port)
    assert policy is None and problem in findings[1].summary


async def test_fetch_is_injectable(make_ctx):
    asked: list[str] = []

    async def fetch(url: str) -> HttpResult:
        asked.append(url)
        return HttpResult(
            url=url, status=200, content_type="text/plain; charset=utf-8", body=POLICY
        )

    findings, policy = await check_mta_sts("example.com", ctx=make_ctx(records=STS), fetch=fetch)
    assert asked == ["https://mta-sts.example.com/.well-known/mta-sts.txt"]
    assert policy is not None and findings[1].status is Status.PASS


async def test_no_record_means_no_fetch(make_ctx):
    async def fetch(url: str) -> HttpResult:
        raise AssertionError("must not fetch without a _mta-sts record")

    findings, policy = await check_mta_sts("example.com", ctx=make_ctx(), fetch=fetch)
    assert policy is None and findings[0].status is Status.INFO


async def test_tls_rpt(make_ctx):
    ctx = make_ctx(
        records={"_smtp._tls.example.com": {"TXT": ["v=TLSRPTv1; rua=mailto:t@example.com"]}}
    )  # noqa: E501
    assert (await check_tls_rpt("example.com", ctx=ctx))[0].status is Status.PASS
    assert (await check_tls_rpt("example.net", ctx=ctx))[0].status is Status.INFO
