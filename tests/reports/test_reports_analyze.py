"""Why a record fails DMARC, which service sent it, and what the digest counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from maildoctor.correlate import correlate
from maildoctor.model import Finding, Layer, Status
from maildoctor.reports.analyze import Digest, aligned, explain_record
from maildoctor.reports.check import check_reports, read_digest
from maildoctor.reports.findings import digest_findings
from maildoctor.reports.model import (
    DkimResult,
    PolicyPublished,
    Reason,
    Record,
    ReportItem,
    SpfResult,
)
from maildoctor.reports.providers import provider_of

POLICY = PolicyPublished(domain="example.com", p="none", adkim="r", aspf="r")


def _record(**fields: object) -> Record:
    base: dict[str, object] = {
        "source_ip": "198.51.100.25",
        "count": 3,
        "disposition": "none",
        "dkim": "fail",
        "spf": "fail",
        "header_from": "example.com",
    }
    base.update(fields)
    return Record(**base)  # type: ignore[arg-type]


def test_ses_signing_as_amazonses_is_dkim_not_aligned() -> None:
    record = _record(
        dkim_results=(DkimResult(domain="amazonses.com", result="pass"),),
        spf_results=(SpfResult(domain="us-east-1.amazonses.com", result="pass"),),
    )
    why = explain_record(record, POLICY)
    assert not why.passed
    assert why.why == (
        "DKIM pass for amazonses.com, not aligned; SPF pass for us-east-1.amazonses.com, "
        "not aligned"
    )
    assert (why.cause, why.service, why.service_domain) == (
        "dns.dkim.not_aligned",
        "Amazon SES",
        "amazonses.com",
    )


def test_own_signature_failing_is_dkim_failing() -> None:
    record = _record(dkim_results=(DkimResult(domain="example.com", selector="s1", result="fail"),))
    why = explain_record(record, POLICY)
    assert why.cause == "recipient.report.dkim_failing"
    assert "DKIM fail for example.com (selector s1)" in why.why


def test_unknown_source_with_spf_fail() -> None:
    record = _record(spf_results=(SpfResult(domain="example.com", result="fail"),))
    why = explain_record(record, POLICY)
    assert why.cause == "recipient.report.unknown_source"
    assert why.why == "no DKIM signature; SPF fail for example.com"


def test_known_service_without_dkim_and_aligned_spf_fail() -> None:
    record = _record(
        envelope_from="example.com",
        spf_results=(SpfResult(domain="example.com", result="softfail"),),
        dkim_results=(DkimResult(domain="sendgrid.net", result="fail"),),
    )
    why = explain_record(record, POLICY)
    assert why.service == "SendGrid"
    assert why.cause == "dns.spf.ip_not_permitted"


def test_forwarded_failure_is_expected_not_a_cause() -> None:
    record = _record(
        reasons=(Reason(type="mailing_list"),),
        dkim_results=(DkimResult(domain="example.com", result="fail"),),
    )
    why = explain_record(record, POLICY)
    assert why.expected == ("mailing_list",) and why.cause == ""


def test_passing_record() -> None:
    record = _record(dkim="pass", dkim_results=(DkimResult(domain="example.com", result="pass"),))
    why = explain_record(record, POLICY)
    assert why.passed and why.cause == ""


def test_strict_alignment_mode() -> None:
    assert aligned("mail.example.com", "example.com", "r")
    assert not aligned("mail.example.com", "example.com", "s")
    assert not aligned("example.net", "example.com", "r")
    strict = PolicyPublished(domain="example.com", adkim="s")
    record = _record(dkim_results=(DkimResult(domain="mail.example.com", result="pass"),))
    assert "not aligned" in explain_record(record, strict).why
    assert "not aligned" not in explain_record(record, POLICY).why


@pytest.mark.parametrize(
    ("domains", "expected"),
    [
        (["amazonses.com"], ("amazonses.com", "Amazon SES")),
        (["eu-west-1.amazonses.com"], ("eu-west-1.amazonses.com", "Amazon SES")),
        (["example.com", "bounces.sendgrid.net"], ("bounces.sendgrid.net", "SendGrid")),
        (["example.com", "notamazonses.com"], None),
        ([""], None),
    ],
)
def test_provider_of(domains: list[str], expected: tuple[str, str] | None) -> None:
    assert provider_of(domains) == expected


def test_digest_counts_dedupes_and_filters(built: Path) -> None:
    digest = read_digest([built])
    # google (3 copies), microsoft (3), yahoo, fastmail, mimecast, smallreceiver
    assert digest.reports["aggregate"] == 6 and digest.duplicates == 5
    assert digest.messages == 162 + 17 + 11 + 26 + 65 + 1
    failing = digest.failing_sources()
    top = failing[0]
    assert (top.source_ip, top.messages) == ("198.51.100.25", 37 + 14 + 9 + 4 + 11 + 1)
    assert len(top.reporters) == 6
    other = read_digest([built], domain="example.net")
    assert other.messages == 0 and other.other_domains == digest.messages


def test_findings_name_the_source_and_cause(built: Path) -> None:
    findings = digest_findings(read_digest([built], domain="example.com"))
    by_subject = {(f.check, f.subject): f for f in findings}
    ses = by_subject[("recipient.report.source_failing", "198.51.100.25")]
    assert ses.status == Status.FAIL and ses.cause == "dns.dkim.not_aligned"
    assert ses.summary.startswith("198.51.100.25 (amazonses.com): DKIM pass for amazonses.com")
    assert "create-email-identity --email-identity example.com" in ses.fix
    forwarded = by_subject[("recipient.report.source_failing", "203.0.113.5")]
    assert forwarded.status == Status.INFO and not forwarded.cause
    unknown = by_subject[("recipient.report.source_failing", "203.0.113.77")]
    assert unknown.status == Status.WARN
    tls = by_subject[("transport.tls_report.failures", "example.com")]
    assert tls.status == Status.WARN and "certificate-expired: 7" in tls.summary
    failure = by_subject[("recipient.report.failure_report", "198.51.100.25")]
    assert failure.cause == "dns.dkim.not_aligned"


def test_unreadable_input_is_an_error_finding_never_a_pass() -> None:
    digest = Digest()
    digest.add(ReportItem(origin="bad.xml", error="not well-formed XML: x"))
    findings = digest_findings(digest)
    assert any(
        f.check == "recipient.report.unreadable" and f.status == Status.ERROR for f in findings
    )
    assert not any(f.status == Status.PASS for f in findings)


async def test_report_evidence_supports_the_ses_cause(built: Path) -> None:
    result = await check_reports([built / "microsoft-report.eml"], sender_domain="example.com")
    findings = result.findings
    assert result.facts is not None and result.facts.reports["aggregate"] == 1
    tagged = [Finding(**{**_fields(f), "data": {**f.data, "origin": "reports"}}) for f in findings]
    ses = Finding(
        check="provider.ses.identity",
        layer=Layer.PROVIDER,
        status=Status.FAIL,
        subject="example.com",
        summary="only admin@example.com is verified",
        cause="provider.ses.email_identity_only",
        data={"origin": "ses"},
    )
    causes = correlate([*tagged, ses])
    (cause,) = [c for c in causes if c.id == "provider.ses.email_identity_only"]
    assert "dns.dkim.not_aligned" in cause.related
    assert set(cause.sources) == {"ses", "reports"}
    assert str(cause.confidence) == "high"
    alone = correlate([ses])
    assert str(alone[0].confidence) == "medium"


def _fields(f: Finding) -> dict[str, object]:
    return {name: getattr(f, name) for name in Finding.__dataclass_fields__}


async def test_reports_of_ses_passing_contradict_the_alignment_cause(tmp_path: Path) -> None:
    xml = (
        "<feedback><report_metadata><org_name>r</org_name><report_id>p1</report_id>"
        "</report_metadata><policy_published><domain>example.com</domain><p>none</p>"
        "</policy_published><record><row><source_ip>198.51.100.25</source_ip><count>8</count>"
        "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>"
        "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"
        "</identifiers><auth_results><dkim><domain>example.com</domain><result>pass</result>"
        "</dkim><spf><domain>amazonses.com</domain><result>pass</result></spf></auth_results>"
        "</record></feedback>"
    )
    (tmp_path / "pass.xml").write_text(xml)
    findings = (await check_reports([tmp_path], sender_domain="example.com")).findings
    passing = [f for f in findings if f.check == "recipient.report.source_passing"]
    assert [f.status for f in passing] == [Status.PASS]
    assert "Amazon SES" in passing[0].summary
    tagged = [Finding(**{**_fields(f), "data": {**f.data, "origin": "reports"}}) for f in findings]
    bounce = Finding(
        check="recipient.bounce.rejected",
        layer=Layer.RECIPIENT,
        status=Status.FAIL,
        subject="user@example.net",
        summary="550 5.7.515",
        cause="recipient.rejected.dmarc",
        data={"origin": "bounce"},
    )
    (cause,) = correlate([*tagged, bounce])
    assert any("passing DMARC at receivers" in c for c in cause.conflicts)
    assert str(cause.confidence) == "low"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("amazonses.com", "example.com"),
        ("mail.example.co.uk", "example.co.uk"),
        ("a.example.co.uk", "b.example.co.uk"),
        ("example.co.uk", "other.co.uk"),
        ("com", "example.com"),
        ("co.uk", "example.co.uk"),
        ("news.example.com", "example.com"),
        ("example.com.", "EXAMPLE.com"),
        ("lists.example.org", "example.com"),
        ("x.s3.amazonaws.com", "y.s3.amazonaws.com"),
        ("localhost", "example.com"),
    ],
)
def test_relaxed_alignment_agrees_with_the_public_suffix_list(a: str, b: str) -> None:
    from maildoctor.message.alignment import org_domain

    expected = a.rstrip(".").lower() == b.rstrip(".").lower() or org_domain(a) == org_domain(b)
    assert aligned(a, b, "r") is expected
