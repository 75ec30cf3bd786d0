"""MAIL FROM: the SES custom MAIL FROM setup, SPF on the subdomain, alignment."""

from __future__ import annotations

import pytest

from maildoctor.context import Context
from maildoctor.dns.mailfrom import (
    check_mail_from,
    default_mail_from_finding,
    includes_ses,
    ses_region,
)
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import DnsServer

SES_MX = {"MX": [10, "feedback-smtp.us-east-1.amazonses.com"]}
SES_SPF = {"TXT": "v=spf1 include:amazonses.com ~all"}
#: SES's own record (198.51.100.0/24 stands in for SES's published ranges).
VENDOR = {"amazonses.com": [{"TXT": "v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.128/25 -all"}]}


def _one(findings: tuple[Finding, ...], check: str) -> Finding:
    (finding,) = [f for f in findings if f.check == check]
    return finding


async def _run(
    server: DnsServer,
    resolver_for,
    mail_from: str = "bounce.example.com",
    timeout: float = 2.0,
    ips: tuple[str, ...] = (),
):
    ctx = Context(resolver=resolver_for(server, timeout=timeout))
    return await check_mail_from(mail_from, "example.com", ctx=ctx, ips=ips)


def test_ses_region_and_include() -> None:
    assert ses_region("feedback-smtp.eu-west-1.amazonses.com") == "eu-west-1"
    assert ses_region("feedback-smtp.eu-west-1.amazonses.com.evil.example") is None
    assert includes_ses("v=spf1 include:amazonses.com ~all")
    assert includes_ses("v=spf1 +INCLUDE:amazonses.com -all")
    assert not includes_ses("v=spf1 include:amazonses.com.example.net ~all")
    assert not includes_ses("v=spf1 -include:amazonses.com ~all")


DMARC = {"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject"}]}


async def test_correct_ses_setup_passes(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [SES_MX, SES_SPF], **DMARC, **VENDOR})
    findings = await _run(dns_server, resolver_for)
    assert [f.status for f in findings] == [Status.PASS] * 3
    spf = _one(findings, "dns.mailfrom.spf")
    # evaluated with check_host() for one address of each range SES publishes
    assert spf.data["results"] == {"198.51.100.0": "pass", "203.0.113.128": "pass"}
    assert spf.data["ips_from"] == "SES's published ranges"
    assert _one(findings, "dns.mailfrom.mx").data["ses_regions"] == ["us-east-1"]
    assert _one(findings, "dns.mailfrom.alignment").data["strict"] is False


async def test_second_mx_breaks_ses(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [SES_MX, {"MX": [20, "mx.example.com"]}, SES_SPF]})
    finding = _one(await _run(dns_server, resolver_for), "dns.mailfrom.mx")
    assert finding.status is Status.FAIL and finding.cause == "dns.mailfrom.mx_multiple"


async def test_missing_mx_explains_the_ses_fallback(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [SES_SPF]})
    finding = _one(await _run(dns_server, resolver_for), "dns.mailfrom.mx")
    assert finding.cause == "dns.mailfrom.mx_missing"
    assert "does not align" in finding.detail and "DKIM alone" in finding.detail


async def test_spf_problems(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "bounce.example.com": [SES_MX],
            "two.example.com": [SES_MX, SES_SPF, {"TXT": "v=spf1 -all"}],
            "noses.example.com": [SES_MX, {"TXT": "v=spf1 mx -all"}],
            "example.com": [SES_SPF],  # at the apex: irrelevant for the MAIL FROM
            **VENDOR,
        }
    )
    assert _one(await _run(dns_server, resolver_for), "dns.mailfrom.spf").cause == (
        "dns.mailfrom.spf_missing"
    )
    two = _one(await _run(dns_server, resolver_for, "two.example.com"), "dns.mailfrom.spf")
    assert two.cause == "dns.mailfrom.spf_multiple"
    noses = _one(await _run(dns_server, resolver_for, "noses.example.com"), "dns.mailfrom.spf")
    assert noses.cause == "dns.mailfrom.spf_no_ses"


def _over_limit_zone() -> dict:
    """A MAIL FROM record needing 12 lookups before it reaches include:amazonses.com."""
    includes = " ".join(f"a:h{i}.example.com" for i in range(12))
    zone = {
        "bounce.example.com": [SES_MX, {"TXT": f"v=spf1 {includes} include:amazonses.com ~all"}],
        **VENDOR,
        **DMARC,
    }
    for i in range(12):
        zone[f"h{i}.example.com"] = [{"A": f"192.0.2.{i + 1}"}]
    return zone


async def test_include_after_the_lookup_limit_is_a_permerror(dns_server, resolver_for) -> None:
    dns_server.load(_over_limit_zone())
    spf = _one(await _run(dns_server, resolver_for), "dns.mailfrom.spf")
    assert spf.status is Status.FAIL and spf.cause == "dns.mailfrom.spf_permerror"
    assert spf.data["includes_amazonses"] is True
    assert set(spf.data["results"].values()) == {"permerror"}
    assert "10" in spf.summary or "lookup" in spf.summary.lower()


async def test_ip_from_the_evidence_is_evaluated(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [SES_MX, SES_SPF], **DMARC, **VENDOR})
    passing = await _run(dns_server, resolver_for, ips=("198.51.100.77",))
    spf = _one(passing, "dns.mailfrom.spf")
    assert spf.status is Status.PASS and spf.data["ips_from"] == "the evidence"
    failing = _one(await _run(dns_server, resolver_for, ips=("192.0.2.9",)), "dns.mailfrom.spf")
    assert failing.status is Status.FAIL and failing.cause == "dns.mailfrom.spf_no_ses"
    assert "fail for 192.0.2.9" in failing.summary


async def test_non_ses_mx_is_information(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [{"MX": [10, "mx.example.net"]}, SES_SPF]})
    assert _one(await _run(dns_server, resolver_for), "dns.mailfrom.mx").status is Status.INFO


async def test_without_dmarc_alignment_is_only_predicted(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.com": [SES_MX, SES_SPF]})
    finding = _one(await _run(dns_server, resolver_for), "dns.mailfrom.alignment")
    assert finding.status is Status.INFO and "would align" in finding.summary


async def test_other_organization_does_not_align(dns_server, resolver_for) -> None:
    dns_server.load({"bounce.example.net": [SES_MX, SES_SPF], **DMARC})
    finding = _one(
        await _run(dns_server, resolver_for, "bounce.example.net"), "dns.mailfrom.alignment"
    )
    assert finding.status is Status.FAIL and finding.cause == "dns.mailfrom.not_aligned"
    assert "subdomain of the identity" in finding.detail


async def test_strict_spf_alignment_from_the_dmarc_record(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "bounce.example.com": [SES_MX, SES_SPF],
            "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; aspf=s"}],
        }
    )
    finding = _one(await _run(dns_server, resolver_for), "dns.mailfrom.alignment")
    assert finding.status is Status.FAIL and "aspf=s" in finding.summary
    assert finding.data["relaxed"] is True


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_dns_failures_are_errors(resolver_for, failure: str) -> None:
    with DnsServer({}, **{failure: ["bounce.example.com"]}) as server:
        findings = await _run(server, resolver_for, timeout=0.3)
    assert _one(findings, "dns.mailfrom.mx").status is Status.ERROR
    assert _one(findings, "dns.mailfrom.spf").status is Status.ERROR


def test_default_mail_from_explains_dkim_only() -> None:
    finding = default_mail_from_finding("example.com")
    assert finding.status is Status.INFO and "DKIM alone" in finding.detail
