"""SES identity topic: which identity covers the sender, and where."""

from __future__ import annotations

import pytest
from ses_facts import (
    fail,
    healthy,
    ident,
    ok,
    one,
)

from maildoctor.model import Status
from maildoctor.provider.base import (
    FailureKind,
    Verification,
)
from maildoctor.provider.ses.findings import evaluate


@pytest.mark.parametrize(
    "status",
    [
        Verification.PENDING,
        Verification.FAILED,
        Verification.TEMPORARY_FAILURE,
        Verification.NOT_STARTED,
    ],
)
def test_identity_not_verified(status):
    facts = healthy(here=ok({"example.com": ident("example.com", status)}))
    finding = one(evaluate(facts), "provider.ses.identity")
    assert finding.cause == "provider.ses.identity_unverified"
    assert str(status) in finding.summary


def test_pending_here_but_verified_elsewhere_is_wrong_region():
    facts = healthy(
        here=ok({"example.com": ident("example.com", Verification.PENDING)}),
        elsewhere={
            "eu-west-1": ok({"example.com": ident("example.com", region="eu-west-1")}),
            "us-west-2": fail(FailureKind.BAD_CREDENTIALS),
        },
    )
    finding = one(evaluate(facts), "provider.ses.identity")
    assert finding.cause == "provider.ses.identity_wrong_region"
    assert "pending" in finding.detail
    assert finding.data["unchecked_regions"] == {"us-west-2": "bad_credentials"}


def test_email_identity_only_mentions_pending_domain_identity():
    facts = healthy(
        here=ok(
            {
                "admin@example.com": ident("admin@example.com"),
                "example.com": ident("example.com", Verification.PENDING),
            }
        )
    )
    found = evaluate(facts)
    kind = one(found, "provider.ses.identity.kind")
    assert kind.cause == "provider.ses.email_identity_only"
    assert "exists but is pending" in kind.summary


def test_identity_lookup_denied_names_the_permission():
    denied = fail(
        FailureKind.ACCESS_DENIED,
        "ses.GetIdentityVerificationAttributes",
        "ses:GetIdentityVerificationAttributes",
    )
    finding = one(evaluate(healthy(here=denied)), "provider.ses.identity")
    assert finding.status is Status.ERROR
    assert "ses:GetIdentityVerificationAttributes" in finding.summary
