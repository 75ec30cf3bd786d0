"""SMTP TLS reports (RFC 8460)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maildoctor.reports.aggregate import ReportError
from maildoctor.reports.tlsrpt import parse_tls_report


def test_fields(sources: Path) -> None:
    report = parse_tls_report((sources / "tlsrpt.json").read_bytes())
    assert report.organization == "Google Inc."
    policy = report.policies[0]
    assert (policy.policy_type, policy.policy_domain) == ("sts", "example.com")
    assert (policy.successful, policy.failed) == (412, 7)
    assert policy.mx_hosts == ("mx1.example.com",)
    failure = policy.failures[0]
    assert (failure.result_type, failure.failed_session_count) == ("certificate-expired", 7)
    assert failure.failure_reason_code == "X509_V_ERR_CERT_HAS_EXPIRED"


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (b"{", "not JSON"),
        (b"[1, 2]", 'no "policies"'),
        (b'{"policies": [5]}', "policy 1 is not an object"),
        (
            json.dumps({"policies": [{"summary": {"total-failure-session-count": -1}}]}).encode(),
            "policy 1 failures is not a non-negative integer",
        ),
        (
            json.dumps(
                {"policies": [{"summary": {"total-successful-session-count": "9"}}]}
            ).encode(),
            "policy 1 successes",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_invalid(document: bytes, words: str) -> None:
    with pytest.raises(ReportError) as info:
        parse_tls_report(document)
    assert words in str(info.value)


def test_summary_without_details_still_counts() -> None:
    doc = {
        "policies": [
            {
                "policy": {"policy-domain": "example.com"},
                "summary": {"total-successful-session-count": 1, "total-failure-session-count": 2},
            }
        ]
    }
    report = parse_tls_report(json.dumps(doc).encode())
    assert report.policies[0].failed == 2 and report.policies[0].failures == ()
