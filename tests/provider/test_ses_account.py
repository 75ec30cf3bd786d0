"""SES account topic: who the checks ran as, sandbox, sending, enforcement, quota, reputation."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ses_facts import (
    R,
    account,
    fail,
    healthy,
    ident,
    ok,
    one,
)

from maildoctor.model import Status
from maildoctor.provider.base import (
    EnforcementStatus,
    FailureKind,
    Reputation,
    SendQuota,
)
from maildoctor.provider.ses.findings import evaluate


@pytest.mark.parametrize(
    ("change", "check", "status", "cause"),
    [
        (
            {"sending_enabled": False},
            "provider.ses.account.sending",
            Status.FAIL,
            "provider.ses.sending_paused",
        ),
        (
            {"enforcement": EnforcementStatus.PROBATION},
            "provider.ses.account.enforcement",
            Status.WARN,
            "provider.ses.account_probation",
        ),
        (
            {"enforcement": EnforcementStatus.SHUTDOWN},
            "provider.ses.account.enforcement",
            Status.FAIL,
            "provider.ses.account_shutdown",
        ),
        (
            {"quota": SendQuota(max_24_hour_send=200, max_send_rate=1, sent_last_24_hours=200)},
            "provider.ses.account.quota",
            Status.FAIL,
            "provider.ses.quota_exceeded",
        ),
        (
            {"quota": SendQuota(max_24_hour_send=200, max_send_rate=1, sent_last_24_hours=170)},
            "provider.ses.account.quota",
            Status.WARN,
            "",
        ),
        (
            {"quota": SendQuota(max_24_hour_send=-1, max_send_rate=50, sent_last_24_hours=9)},
            "provider.ses.account.quota",
            Status.PASS,
            "",
        ),
    ],
)
def test_account_states(change, check, status, cause):
    found = evaluate(healthy(account=ok(account(**change))))
    finding = one(found, check)
    assert (finding.status, finding.cause) == (status, cause)


@pytest.mark.parametrize(
    ("bounce", "complaint", "expected"),
    [
        (0.049, 0.0009, {}),
        (0.05, 0.0, {"bounce": (Status.WARN, "provider.ses.bounce_rate_high")}),
        (0.10, 0.0, {"bounce": (Status.FAIL, "provider.ses.bounce_rate_high")}),
        (0.0, 0.001, {"complaint": (Status.WARN, "provider.ses.complaint_rate_high")}),
        (0.0, 0.005, {"complaint": (Status.FAIL, "provider.ses.complaint_rate_high")}),
    ],
)
def test_reputation_thresholds(bounce, complaint, expected):
    rep = Reputation(region=R, bounce_rate=bounce, complaint_rate=complaint)
    found = evaluate(healthy(reputation=ok(rep)))
    for name in ("bounce", "complaint"):
        finding = one(found, f"provider.ses.account.{name}_rate")
        assert (finding.status, finding.cause) == expected.get(name, (Status.PASS, ""))


def test_no_reputation_data_is_not_healthy():
    found = evaluate(
        healthy(reputation=ok(Reputation(region=R, bounce_rate=None, complaint_rate=None)))
    )
    finding = one(found, "provider.ses.account.bounce_rate")
    assert finding.status is Status.INFO and "no data" in finding.summary


def test_sandbox_without_recipients_is_a_warning():
    facts = healthy(account=ok(account(production_access=False)))
    facts = replace(facts, query=replace(facts.query, recipients=()), suppressions={})
    assert one(evaluate(facts), "provider.ses.account.sandbox").cause == "provider.ses.sandbox"


def test_sandbox_summary_agrees_with_the_number_of_recipients():
    facts = healthy(account=ok(account(production_access=False)))
    two = ("a@example.net", "b@example.net")
    for recipients, words in (
        (two[:1], "a@example.net is not a verified identity there: SES rejects mail to it"),
        (two, "b@example.net are not verified identities there: SES rejects mail to them"),
    ):
        query = replace(facts.query, recipients=recipients)
        found = one(evaluate(replace(facts, query=query)), "provider.ses.account.sandbox")
        assert found.summary.endswith(words)


def test_sandbox_recipient_covered_by_verified_domain_is_allowed():
    facts = healthy(
        account=ok(account(production_access=False)),
        here=ok({"example.com": ident("example.com"), "example.org": ident("example.org")}),
    )
    assert one(evaluate(facts), "provider.ses.account.sandbox").status is Status.WARN


@pytest.mark.parametrize("kind", [FailureKind.NO_CREDENTIALS, FailureKind.BAD_CREDENTIALS])
def test_broken_credentials_give_one_finding(kind):
    found = evaluate(healthy(caller=fail(kind, "sts.GetCallerIdentity", "sts:GetCallerIdentity")))
    assert [f.check for f in found] == ["provider.ses.caller"]
    assert found[0].status is Status.ERROR
