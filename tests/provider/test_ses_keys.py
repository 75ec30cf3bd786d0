"""SES suppression list, SMTP key and region topics."""

from __future__ import annotations

from dataclasses import replace

from ses_facts import (
    causes,
    fail,
    healthy,
    ok,
    one,
)

from maildoctor.model import Status
from maildoctor.provider.base import (
    FailureKind,
    PermissionDecision,
)
from maildoctor.provider.ses.findings import evaluate


def test_no_recipient_is_a_skip():
    facts = healthy()
    facts = replace(facts, query=replace(facts.query, recipients=()), suppressions={})
    assert one(evaluate(facts), "provider.ses.suppression").status is Status.SKIPPED


def test_temporary_key_is_never_looked_up():
    facts = healthy(key_owner=None, access_keys=None, permission=None)
    facts = replace(facts, query=replace(facts.query, smtp_user="ASIAIOSFODNN7EXAMPLE"))
    assert causes(evaluate(facts)) == {"provider.ses.smtp_key_temporary"}


def test_user_without_send_permission():
    found = evaluate(healthy(permission=ok(PermissionDecision.IMPLICIT_DENY)))
    assert causes(found) == {"provider.ses.send_permission_missing"}


def test_permission_simulation_unsupported_is_a_skip():
    unsupported = fail(
        FailureKind.UNSUPPORTED, "iam.SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy"
    )
    finding = one(evaluate(healthy(permission=unsupported)), "provider.ses.smtp_key.permission")
    assert finding.status is Status.SKIPPED


def test_key_missing_from_its_owners_list_is_deleted():
    found = evaluate(healthy(access_keys=ok(())))
    assert causes(found) == {"provider.ses.smtp_key_deleted"}


def test_smtp_endpoint_that_is_not_ses():
    facts = healthy()
    facts = replace(
        facts, query=replace(facts.query, smtp_endpoint="smtp.example.com", smtp_region=None)
    )
    assert one(evaluate(facts), "provider.ses.region").status is Status.WARN


def test_region_summary_never_reads_a_failed_lookup_as_none():
    region = one(evaluate(healthy()), "provider.ses.region")
    assert region.summary.endswith("identity verified in: us-east-1; suppression list checked: "
                                   "us-east-1")  # fmt: skip
    broken = healthy(
        here=fail(FailureKind.NETWORK, "ses.GetIdentityVerificationAttributes", "ses:Get"),
        suppressions={"u@example.org": fail(FailureKind.NETWORK)},
    )
    region = one(evaluate(broken), "provider.ses.region")
    assert "identity verified in: unknown (the identity lookup failed)" in region.summary
    assert region.summary.endswith("suppression list checked: us-east-1 (some lookups failed)")
    quiet = healthy()
    quiet = replace(quiet, query=replace(quiet.query, sender=None, recipients=()))
    region = one(evaluate(quiet), "provider.ses.region")
    assert "verified in: not checked (no --sender)" in region.summary
    assert region.summary.endswith("checked: not checked (no --recipient)")


def test_username_that_is_not_a_key_id_is_not_echoed():
    facts = healthy(key_owner=None, access_keys=None, permission=None)
    facts = replace(facts, query=replace(facts.query, smtp_user="admin@example.com"))
    finding = one(evaluate(facts), "provider.ses.smtp_key")
    assert finding.status is Status.WARN and "admin@example.com" not in finding.summary


def test_username_of_a_non_ses_relay_is_skipped():
    facts = healthy(key_owner=None, access_keys=None, permission=None)
    query = replace(
        facts.query, smtp_user="me@example.com", smtp_endpoint="smtp.example.com", smtp_region=None
    )
    finding = one(evaluate(replace(facts, query=query)), "provider.ses.smtp_key")
    assert finding.status is Status.SKIPPED
