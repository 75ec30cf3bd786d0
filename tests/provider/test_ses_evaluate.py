"""The whole SES evaluation: a healthy run, the catalogue, names and endpoints."""

from __future__ import annotations

import pytest
from ses_facts import (
    causes,
    healthy,
)

from maildoctor.model import Layer, Status
from maildoctor.provider.base import (
    EnforcementStatus,
    KeyStatus,
    MxFailureBehavior,
    PermissionDecision,
    Verification,
    parse_enum,
)
from maildoctor.provider.ses.causes import CAUSES
from maildoctor.provider.ses.endpoints import (
    is_smtp_endpoint,
    mentions_smtp_endpoint,
    smtp_endpoint_region,
)
from maildoctor.provider.ses.facts import sender_identities
from maildoctor.provider.ses.findings import evaluate


def test_healthy_has_no_cause_and_every_finding_is_provider_layer():
    found = evaluate(healthy())
    assert causes(found) == set()
    assert {f.status for f in found} <= {Status.PASS, Status.INFO}
    assert all(f.layer is Layer.PROVIDER and f.check.startswith("provider.ses") for f in found)


def test_every_emitted_cause_is_catalogued():
    from maildoctor import catalogue

    assert all(c.startswith("provider.ses.") for c in CAUSES)
    assert "provider.ses.recipient_suppressed" in CAUSES and len(CAUSES) == len(set(CAUSES))
    missing = [c for c in CAUSES if catalogue.canonical(c) not in catalogue.CATALOGUE]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "enum", "expected"),
    [
        ("Success", Verification, Verification.SUCCESS),
        ("SUCCESS", Verification, Verification.SUCCESS),
        ("TemporaryFailure", Verification, Verification.TEMPORARY_FAILURE),
        ("TEMPORARY_FAILURE", Verification, Verification.TEMPORARY_FAILURE),
        ("NotStarted", Verification, Verification.NOT_STARTED),
        ("UseDefaultValue", MxFailureBehavior, MxFailureBehavior.USE_DEFAULT_VALUE),
        ("USE_DEFAULT_VALUE", MxFailureBehavior, MxFailureBehavior.USE_DEFAULT_VALUE),
        ("RejectMessage", MxFailureBehavior, MxFailureBehavior.REJECT_MESSAGE),
        ("implicitDeny", PermissionDecision, PermissionDecision.IMPLICIT_DENY),
        ("PROBATION", EnforcementStatus, EnforcementStatus.PROBATION),
        ("Inactive", KeyStatus, KeyStatus.INACTIVE),
        ("Bogus", Verification, Verification.UNKNOWN),
        (None, Verification, Verification.UNKNOWN),
    ],
)
def test_parse_enum_normalises_v1_and_v2_spellings(text, enum, expected):
    assert parse_enum(text, enum) is expected


def test_sender_identities_most_specific_first():
    assert sender_identities("Admin@Mail.Example.com") == (
        "admin@mail.example.com",
        "mail.example.com",
        "example.com",
    )
    assert sender_identities("example.com") == ("example.com",)


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("email-smtp.us-east-1.amazonaws.com", "us-east-1"),
        ("email-smtp.eu-central-1.amazonaws.com:587", "eu-central-1"),
        ("email-smtp-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("Email-SMTP.EU-West-2.amazonaws.com.", "eu-west-2"),
        ("email-smtp.ap-southeast-10.amazonaws.com", "ap-southeast-10"),
        ("smtp.example.com", None),
        ("email-smtp.amazonaws.com", None),
        ("email-smtp.example.amazonaws.com", None),
        ("email-smtp.us-east-1.amazonaws.com.example.net", None),
        ("", None),
        (None, None),
    ],
)
def test_smtp_endpoint_region(host, region):
    assert smtp_endpoint_region(host) == region
    assert is_smtp_endpoint(host) is (region is not None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("relay=email-smtp.us-west-2.amazonaws.com[198.51.100.7]:587", True),
        ("Reporting-MTA: dns; EMAIL-SMTP.EU-WEST-1.AMAZONAWS.COM", True),
        ("relay=smtp.example.com[192.0.2.1]:25", False),
        ("xemail-smtp.us-west-2.amazonaws.comx", False),
    ],
)
def test_smtp_endpoint_named_in_text(text, expected):
    assert mentions_smtp_endpoint(text) is expected
