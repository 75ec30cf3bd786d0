"""The pure evaluation: hand-built facts in, findings out - no sockets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from maildoctor.dns.resolver import DnsAnswer, Outcome
from maildoctor.model import Evidence, Finding, Layer, Status
from maildoctor.provider.base import (
    AccessKey,
    AccountStatus,
    Caller,
    CallFailure,
    CredentialOwner,
    DkimSetup,
    EnforcementStatus,
    FailureKind,
    Fetched,
    Identity,
    IdentityKind,
    KeyStatus,
    MailFromSetup,
    MxFailureBehavior,
    PermissionDecision,
    Reputation,
    SendQuota,
    Verification,
    parse_enum,
)
from maildoctor.provider.ses import smtp_endpoint_region
from maildoctor.provider.ses_checks import (
    CAUSES,
    MailFromDns,
    SesFacts,
    SesQuery,
    evaluate,
    sender_identities,
)

R = "us-east-1"
EV = Evidence(id="aws:test", source="aws", query="test")
TOKENS = ("aaa111", "bbb222", "ccc333")


def ok(value: Any) -> Fetched[Any]:
    return Fetched(evidence=EV, value=value)


def fail(kind: FailureKind, op: str = "sesv2.GetAccount", perm: str = "ses:GetAccount"):
    failure = CallFailure(kind=kind, operation=op, permission=perm, code=str(kind), message="m")
    return Fetched(evidence=EV, failure=failure)


def ident(name: str, status: Verification = Verification.SUCCESS, region: str = R) -> Identity:
    kind = IdentityKind.EMAIL_ADDRESS if "@" in name else IdentityKind.DOMAIN
    return Identity(name=name, kind=kind, region=region, verification=status)


def answer(name: str, rdtype: str, *records: str, outcome: Outcome | None = None) -> DnsAnswer:
    chosen = outcome or (Outcome.ANSWER if records else Outcome.NXDOMAIN)
    return DnsAnswer(name=name, rdtype=rdtype, outcome=chosen, records=records, server="test")


def dkim_dns(domain: str = "example.com", skip: Sequence[int] = ()) -> dict[str, DnsAnswer]:
    out = {}
    for i, t in enumerate(TOKENS):
        name = f"{t}._domainkey.{domain}"
        target = () if i in skip else (f"{t}.dkim.amazonses.com",)
        out[name] = answer(name, "CNAME", *target)
    return out


def account(**kw: Any) -> AccountStatus:
    base: dict[str, Any] = dict(
        region=R,
        production_access=True,
        sending_enabled=True,
        enforcement=EnforcementStatus.HEALTHY,
        quota=SendQuota(max_24_hour_send=50000, max_send_rate=14, sent_last_24_hours=10),
    )
    return AccountStatus(**{**base, **kw})


def mail_from(domain: str = "mail.example.com", **kw: Any) -> MailFromSetup:
    base: dict[str, Any] = dict(
        identity="example.com",
        region=R,
        domain=domain,
        status=Verification.SUCCESS,
        behavior=MxFailureBehavior.USE_DEFAULT_VALUE,
    )
    return MailFromSetup(**{**base, **kw})


def good_mail_from_dns(domain: str = "mail.example.com") -> MailFromDns:
    return MailFromDns(
        mx=answer(domain, "MX", f"10 feedback-smtp.{R}.amazonses.com"),
        txt=answer(domain, "TXT", "v=spf1 include:amazonses.com ~all"),
    )


def healthy(**over: Any) -> SesFacts:
    """Everything fine for admin@example.com in us-east-1."""
    facts = SesFacts(
        query=SesQuery(
            region=R,
            sender="admin@example.com",
            recipients=("u@example.org",),
            smtp_user="AKIAIOSFODNN7EXAMPLE",
            smtp_region=R,
            smtp_endpoint="email-smtp.us-east-1.amazonaws.com",
        ),
        caller=ok(Caller(account="123456789012", arn="arn:aws:iam::123456789012:user/me")),
        account=ok(account()),
        reputation=ok(
            Reputation(
                region=R,
                bounce_rate=0.01,
                complaint_rate=0.0001,
                bounce_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
        ),
        here=ok({"example.com": ident("example.com")}),
        dkim=ok(
            {
                "example.com": DkimSetup(
                    identity="example.com",
                    region=R,
                    enabled=True,
                    status=Verification.SUCCESS,
                    tokens=TOKENS,
                )
            }
        ),
        dkim_dns=dkim_dns(),
        mail_from=ok({"example.com": mail_from()}),
        mail_from_dns={"mail.example.com": good_mail_from_dns()},
        suppressions={"u@example.org": ok(None)},
        key_owner=ok(CredentialOwner(key_id="AKIAIOSFODNN7EXAMPLE", user="smtp")),
        access_keys=ok((AccessKey(key_id="AKIAIOSFODNN7EXAMPLE", status=KeyStatus.ACTIVE),)),
        permission=ok(PermissionDecision.ALLOWED),
    )
    return replace(facts, **over)


def causes(findings: Sequence[Finding]) -> set[str]:
    return {f.cause for f in findings if f.cause}


def one(findings: Sequence[Finding], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, (check, found)
    return found[0]


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
        ("smtp.example.com", None),
        ("email-smtp.amazonaws.com", None),
    ],
)
def test_smtp_endpoint_region(host, region):
    assert smtp_endpoint_region(host) == region


# -- account ---------------------------------------------------------------------------------


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


# -- credentials -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [FailureKind.NO_CREDENTIALS, FailureKind.BAD_CREDENTIALS])
def test_broken_credentials_give_one_finding(kind):
    found = evaluate(healthy(caller=fail(kind, "sts.GetCallerIdentity", "sts:GetCallerIdentity")))
    assert [f.check for f in found] == ["provider.ses.caller"]
    assert found[0].status is Status.ERROR


# -- identities ------------------------------------------------------------------------------


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


# -- DKIM ------------------------------------------------------------------------------------


def _dkim(**kw: Any) -> Fetched[Mapping[str, DkimSetup]]:
    base: dict[str, Any] = dict(
        identity="example.com", region=R, enabled=True, status=Verification.SUCCESS, tokens=TOKENS
    )
    return ok({"example.com": DkimSetup(**{**base, **kw})})


def test_dkim_disabled():
    found = evaluate(healthy(dkim=_dkim(enabled=False)))
    assert causes(found) == {"provider.ses.dkim_disabled"}


def test_dkim_pending_with_cnames_present_is_pending():
    found = evaluate(healthy(dkim=_dkim(status=Verification.PENDING)))
    assert causes(found) == {"provider.ses.dkim_pending"}


def test_dkim_failed_with_missing_cname_blames_the_cname():
    found = evaluate(healthy(dkim=_dkim(status=Verification.FAILED), dkim_dns=dkim_dns(skip=[0])))
    assert causes(found) == {"provider.ses.dkim_cname_missing"}
    assert one(found, "provider.ses.dkim").status is Status.FAIL


def test_dkim_cname_pointing_elsewhere():
    dns = dkim_dns()
    name = f"{TOKENS[1]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", "bbb222.dkim.example.net")
    assert causes(evaluate(healthy(dkim_dns=dns))) == {"provider.ses.dkim_cname_wrong"}


def test_dkim_cname_to_regional_target_is_accepted():
    dns = dkim_dns()
    name = f"{TOKENS[0]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", f"{TOKENS[0]}.dkim.{R}.amazonses.com")
    assert causes(evaluate(healthy(dkim_dns=dns))) == set()


def test_dkim_cname_lookup_timeout_is_error_not_missing():
    dns = dkim_dns()
    name = f"{TOKENS[2]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", outcome=Outcome.TIMEOUT)
    found = evaluate(healthy(dkim_dns=dns))
    assert causes(found) == set()
    assert Status.ERROR in {f.status for f in found if f.check == "provider.ses.dkim.cname"}


# -- MAIL FROM -------------------------------------------------------------------------------


def _mf_dns(
    mx: Sequence[str] = (f"10 feedback-smtp.{R}.amazonses.com",),
    txt: Sequence[str] = ("v=spf1 include:amazonses.com ~all",),
) -> dict[str, MailFromDns]:
    d = "mail.example.com"
    return {
        d: MailFromDns(
            mx=answer(d, "MX", *mx, outcome=None if mx else Outcome.NODATA),
            txt=answer(d, "TXT", *txt, outcome=None if txt else Outcome.NODATA),
        )
    }


@pytest.mark.parametrize(
    ("dns", "expected"),
    [
        (_mf_dns(mx=()), {"provider.ses.mail_from_mx_missing"}),
        (
            _mf_dns(mx=("10 feedback-smtp.eu-west-1.amazonses.com",)),
            {"provider.ses.mail_from_mx_wrong_region"},
        ),
        (
            _mf_dns(mx=(f"10 feedback-smtp.{R}.amazonses.com", "20 mx.example.com")),
            {"provider.ses.mail_from_mx_multiple"},
        ),
        (_mf_dns(mx=("10 mx.example.com",)), {"provider.ses.mail_from_mx_wrong"}),
        (_mf_dns(txt=()), {"provider.ses.mail_from_spf_missing"}),
        (
            _mf_dns(txt=("v=spf1 -all", "v=spf1 include:amazonses.com ~all")),
            {"provider.ses.mail_from_spf_multiple"},
        ),
        (
            _mf_dns(txt=("v=spf1 ip4:192.0.2.1 -all", "unrelated")),
            {"provider.ses.mail_from_spf_incomplete"},
        ),
    ],
)
def test_mail_from_dns(dns, expected):
    assert causes(evaluate(healthy(mail_from_dns=dns))) == expected


def test_mail_from_pending_without_dns_problem_is_its_own_cause():
    facts = healthy(mail_from=ok({"example.com": mail_from(status=Verification.PENDING)}))
    assert causes(evaluate(facts)) == {"provider.ses.mail_from_unverified"}


def test_email_identity_mail_from_takes_precedence():
    facts = healthy(
        here=ok(
            {"admin@example.com": ident("admin@example.com"), "example.com": ident("example.com")}
        ),
        mail_from=ok(
            {
                "admin@example.com": mail_from("bounce.example.com", identity="admin@example.com"),
                "example.com": mail_from(),
            }
        ),
        mail_from_dns={
            **_mf_dns(),
            "bounce.example.com": MailFromDns(
                mx=answer("bounce.example.com", "MX", outcome=Outcome.NXDOMAIN),
                txt=answer("bounce.example.com", "TXT", outcome=Outcome.NXDOMAIN),
            ),
        },
    )
    found = evaluate(facts)
    assert one(found, "provider.ses.mail_from.mx").subject == "bounce.example.com"


def test_default_mail_from_with_aligned_dkim_is_info():
    facts = healthy(mail_from=ok({"example.com": mail_from("", status=Verification.NOT_STARTED)}))
    finding = one(evaluate(facts), "provider.ses.mail_from")
    assert finding.status is Status.INFO and "does not align" in finding.summary


# -- suppression, key, regions ---------------------------------------------------------------


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
