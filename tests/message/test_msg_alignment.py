"""DMARC alignment and policy discovery (RFC 7489 sections 3.1 and 6.6.3)."""

from __future__ import annotations

import pytest

from maildoctor.dns.resolver import Outcome, StaticResolver
from maildoctor.message.alignment import (
    aligned,
    evaluate_alignment,
    fetch_dmarc,
    org_domain,
)


@pytest.mark.parametrize(
    ("name", "org"),
    [
        ("mail.example.com", "example.com"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("example.com.", "example.com"),
        ("co.uk", "co.uk"),
        ("EXAMPLE.org", "example.org"),
    ],
)
def test_org_domain(name, org):
    assert org_domain(name) == org


@pytest.mark.parametrize(
    ("a", "b", "mode", "expected"),
    [
        ("mail.example.com", "example.com", "r", True),
        ("mail.example.com", "example.com", "s", False),
        ("example.com", "EXAMPLE.com.", "s", True),
        ("amazonses.com", "example.com", "r", False),
        ("", "example.com", "r", False),
    ],
)
def test_aligned(a, b, mode, expected):
    assert aligned(a, b, mode) is expected


def test_dkim_for_another_domain_does_not_align():
    result = evaluate_alignment(
        "example.com",
        dkim_pass_domains=["amazonses.com"],
        spf_result="pass",
        spf_domain="amazonses.com",
    )
    assert result.result == "fail"
    assert result.dkim_unaligned == ("amazonses.com",)
    assert not result.spf_aligned


def test_spf_alone_aligns_with_a_custom_mail_from():
    result = evaluate_alignment(
        "example.com", dkim_pass_domains=[], spf_result="pass", spf_domain="bounce.example.com"
    )
    assert result.result == "pass" and result.spf_aligned
    strict = evaluate_alignment(
        "example.com",
        dkim_pass_domains=[],
        spf_result="pass",
        spf_domain="bounce.example.com",
        aspf="s",
    )
    assert strict.result == "fail"


async def test_fetch_dmarc_falls_back_to_the_organizational_domain():
    resolver = StaticResolver(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; sp=none"]},
            "news.example.com": {"A": ["192.0.2.1"]},
        }
    )
    policy, answers = await fetch_dmarc("news.example.com", resolver=resolver)
    assert policy is not None and policy.domain == "example.com"
    assert policy.applies_to_subdomain and policy.policy == "none"
    # The RFC 9989 tree walk asks every name up to the top-level domain at once.
    assert [a.name for a in answers] == [
        "_dmarc.news.example.com",
        "_dmarc.example.com",
        "_dmarc.com",
    ]


async def test_fetch_dmarc_lookup_failure_is_not_no_record():
    resolver = StaticResolver({}, failures={"_dmarc.example.com": Outcome.TIMEOUT})
    policy, answers = await fetch_dmarc("example.com", resolver=resolver)
    assert policy is None
    assert answers[0].outcome is Outcome.TIMEOUT


async def test_two_dmarc_records_mean_no_policy():
    resolver = StaticResolver(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject", "v=DMARC1; p=none"]}}
    )
    policy, _ = await fetch_dmarc("example.com", resolver=resolver)
    assert policy is None
