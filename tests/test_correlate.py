"""correlate: one root cause per independent failure, with evidence, confidence, conflicts."""

from __future__ import annotations

import itertools

import pytest

from maildoctor.correlate import (
    RULES,
    ConflictRule,
    MergeRule,
    Relation,
    Verdict,
    analyse,
    correlate,
    source_of,
    supporting_findings,
    verdict,
)
from maildoctor.model import Confidence, Evidence, ExitCode, Finding, Layer, Report, Status


def f(
    check: str,
    cause: str = "",
    *,
    status: Status = Status.FAIL,
    origin: str | None = None,
    subject: str = "example.com",
    source: str = "dns",
    fix: str = "",
) -> Finding:
    layer = Layer(check.split(".")[0]) if check.split(".")[0] in set(Layer) else Layer.CLIENT
    ev = Evidence(id=f"{source}:{check}:{subject}:{origin}", source=source, query=check)
    return Finding(
        check=check,
        layer=layer,
        status=status,
        subject=subject,
        summary=f"{check} {status}",
        evidence=(ev,),
        cause=cause,
        fix=fix,
        data={"origin": origin} if origin else {},
    )


BOUNCE_535 = f("client.smtp_auth.reply", "client.smtp_auth.failed", origin="bounce", source="file")
PROBE_535 = f(
    "client.smtp_auth.login",
    "client.smtp_auth.stale_ses_password",
    origin="relay",
    source="smtp",
    subject="email-smtp.us-east-1.amazonaws.com:587",
)
KEY_DELETED = f(
    "provider.ses.smtp_key",
    "provider.ses.smtp_key_deleted",
    origin="ses",
    source="aws",
    subject="AKIAIOSFODNN7EXAMPLE",
)
DMARC_BOUNCE = f(
    "recipient.bounce.reason",
    "recipient.rejected.dmarc",
    origin="bounce",
    source="file",
    subject="user@example.net",
)


def test_same_failure_seen_by_three_layers_is_one_cause():
    causes = correlate([BOUNCE_535, PROBE_535, KEY_DELETED])
    assert len(causes) == 1
    cause = causes[0]
    # Precedence: a password derived from a rotated key; the deleted key is its evidence.
    assert cause.id == "client.smtp_auth.stale_ses_password"
    assert cause.related == ("provider.ses.smtp_key_deleted", "client.smtp_auth.failed")
    assert set(cause.evidence) == {
        e.id for x in (BOUNCE_535, PROBE_535, KEY_DELETED) for e in x.evidence
    }
    assert set(cause.findings) == {
        "client.smtp_auth.reply",
        "client.smtp_auth.login",
        "provider.ses.smtp_key",
    }
    assert set(cause.sources) == {"bounce", "relay", "ses"}
    assert cause.confidence is Confidence.HIGH
    assert cause.severity is Status.FAIL
    assert cause.fix and cause.does_not_fix
    assert "note.ses_smtp_password_formula" in cause.notes


def test_the_reference_incident_has_two_independent_causes():
    causes = correlate([BOUNCE_535, PROBE_535, KEY_DELETED, DMARC_BOUNCE])
    assert [c.id for c in causes] == [
        "client.smtp_auth.stale_ses_password",
        "recipient.rejected.dmarc",
    ]
    dmarc = causes[1]
    assert dmarc.confidence is Confidence.MEDIUM  # one source: the bounce
    assert dmarc.subjects == ("user@example.net",)
    assert "note.dmarc_quarantine_silent" in dmarc.notes


def test_precedence_without_the_deleted_key():
    causes = correlate([BOUNCE_535, PROBE_535])
    assert [c.id for c in causes] == ["client.smtp_auth.stale_ses_password"]
    assert causes[0].related == ("client.smtp_auth.failed",)


def test_a_sender_side_defect_explains_the_recipients_dmarc_rejection():
    identity = f(
        "provider.ses.identity",
        "provider.ses.email_identity_only",
        origin="ses",
        source="aws",
        status=Status.WARN,
    )
    aligned = f("message.dkim.alignment", "dns.dkim.not_aligned", origin="headers", source="file")
    causes = correlate([DMARC_BOUNCE, aligned, identity])
    assert len(causes) == 1
    assert causes[0].id == "provider.ses.email_identity_only"
    assert causes[0].severity is Status.FAIL  # a failing symptom makes the cause a failure
    assert set(causes[0].related) == {"dns.dkim.not_aligned", "recipient.rejected.dmarc"}
    assert causes[0].confidence is Confidence.HIGH


def test_unrelated_causes_stay_separate():
    drawn = analyse(
        [
            f("dns.spf.lookups", "dns.spf.lookup_limit"),
            f("provider.ses.suppression", "provider.ses.recipient_suppressed", origin="ses"),
            f("dns.dmarc.fo", "dns.dmarc.fo_without_ruf", status=Status.WARN),
        ]
    )
    assert {c.id for c in drawn.causes} == {
        "provider.ses.recipient_suppressed",
        "dns.dmarc.fo_without_ruf",
    }
    # SES mail never has the apex as envelope sender: its SPF record is a defect here
    assert [d.id for d in drawn.defects] == ["dns.spf.lookup_limit"]


@pytest.mark.parametrize("status", [Status.ERROR, Status.SKIPPED, Status.PASS, Status.INFO])
def test_only_failures_and_warnings_make_causes(status):
    assert correlate([f("client.smtp_auth.login", "client.smtp_auth.failed", status=status)]) == ()


def test_findings_without_a_cause_make_no_cause():
    assert correlate([f("dns.spf.record"), f("dns.spf.all", status=Status.WARN)]) == ()


def test_dns_says_dkim_fine_but_the_bounce_says_dmarc_failed():
    dkim_ok = f(
        "dns.dkim.key", status=Status.PASS, origin="dns", subject="token._domainkey.example.com"
    )
    causes = correlate([DMARC_BOUNCE, dkim_ok])
    (cause,) = causes
    assert cause.conflicts and "dns.dkim.key" in cause.conflicts[0]
    assert "amazonses.com" in cause.conflicts[0]
    # a caveat about the explanation, not about the recipient's verdict: confidence stays
    assert cause.confidence is Confidence.MEDIUM


def test_a_working_live_login_weakens_a_credential_cause():
    login_ok = f("client.smtp_auth.auth", status=Status.PASS, origin="relay")
    (cause,) = correlate([BOUNCE_535, login_ok])
    assert cause.conflicts and "logged in" in cause.conflicts[0]
    assert cause.confidence is Confidence.LOW  # one source, and contradicted


def test_a_pass_from_the_family_that_failed_is_not_a_conflict():
    causes = correlate(
        [
            f("dns.spf.lookup_count", "dns.spf.lookup_limit"),
            f("dns.spf.syntax", status=Status.PASS),
            f("recipient.bounce.reason", "recipient.rejected.spf", origin="bounce"),
        ]
    )
    (cause,) = causes
    assert cause.id == "dns.spf.lookup_limit"
    assert cause.conflicts == ()


def test_the_same_check_passing_elsewhere_is_a_conflict():
    passed = f(
        "client.smtp_auth.login",
        status=Status.PASS,
        origin="relay",
        subject="email-smtp.us-east-1.amazonaws.com:587",
    )
    (cause,) = correlate([PROBE_535, passed])
    assert any("passed for email-smtp" in c for c in cause.conflicts)


def test_p_none_conflicts_with_a_dmarc_rejection():
    p_none = f("dns.dmarc.policy", "dns.dmarc.policy_none", status=Status.WARN, origin="dns")
    causes = {c.id: c for c in correlate([DMARC_BOUNCE, p_none])}
    assert "5.7.515" in causes["recipient.rejected.dmarc"].conflicts[0]
    assert causes["dns.dmarc.policy_none"].severity is Status.WARN


def test_specific_fixes_and_subjects_are_kept():
    a = f("dns.spf.lookups", "dns.spf.lookup_limit", fix="remove include:_spf.example.net")
    b = f("dns.spf.lookups", "dns.spf.lookup_limit", subject="example.org", fix="")
    (cause,) = correlate([a, b])
    assert cause.specific_fix == ("remove include:_spf.example.net",)
    assert cause.subjects == ("example.com", "example.org")


def test_result_does_not_depend_on_input_order():
    items = [
        BOUNCE_535,
        PROBE_535,
        KEY_DELETED,
        DMARC_BOUNCE,
        f("dns.dmarc.policy", "dns.dmarc.policy_none", status=Status.WARN),
    ]
    first = correlate(items)
    for perm in itertools.islice(itertools.permutations(items), 0, None, 7):
        again = correlate(perm)
        assert [(c.id, c.related, c.confidence, c.severity) for c in again] == [
            (c.id, c.related, c.confidence, c.severity) for c in first
        ]


def test_failures_come_before_advisories():
    causes = correlate(
        [f("dns.dmarc.policy", "dns.dmarc.policy_none", status=Status.WARN), DMARC_BOUNCE]
    )
    assert [c.severity for c in causes] == [Status.FAIL, Status.WARN]


def test_an_uncatalogued_id_still_becomes_a_cause(caplog):
    (cause,) = correlate([f("client.smtp.odd", "client.smtp.not_in_catalogue")])
    assert cause.title == "client.smtp.odd fail"
    assert cause.layer is Layer.CLIENT
    assert "not in the catalogue" in caplog.text


def test_custom_rules_and_conflicts():
    rule = MergeRule(
        name="x", relation=Relation.SAME, ids=("dns.spf.missing", "dns.dmarc.missing"), why="test"
    )
    conflict = ConflictRule(
        causes=frozenset({"dns.spf.missing"}),
        passed_checks=("dns.mx",),
        message="mx passed: {summary}",
    )
    causes = correlate(
        [
            f("dns.dmarc.r", "dns.dmarc.missing"),
            f("dns.spf.r", "dns.spf.missing"),
            f("dns.mx.records", status=Status.PASS, origin="recipient"),
        ],
        rules=[rule],
        conflicts=[conflict],
    )
    assert [(c.id, c.related) for c in causes] == [("dns.spf.missing", ("dns.dmarc.missing",))]
    assert causes[0].conflicts == ("mx passed: dns.mx.records: dns.mx.records pass",)


def test_an_id_in_two_rules_is_refused():
    twice = [
        MergeRule(name=n, relation=Relation.SAME, ids=("dns.spf.missing",), why="") for n in "ab"
    ]
    with pytest.raises(ValueError, match="dns.spf.missing"):
        correlate([], rules=twice)


def test_rule_table_is_consistent():
    assert all(len(rule.ids) >= 2 for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_source_of():
    assert source_of(BOUNCE_535) == "bounce"
    bare = Finding(check="dns.x.y", layer=Layer.DNS, status=Status.FAIL, subject="", summary="")
    assert source_of(bare) == "dns"
    assert source_of(f("dns.x.y", source="smtp")) == "smtp"


def test_supporting_findings():
    (cause,) = correlate([BOUNCE_535, PROBE_535])
    assert supporting_findings(cause, [BOUNCE_535, PROBE_535, DMARC_BOUNCE]) == (
        BOUNCE_535,
        PROBE_535,
    )


@pytest.mark.parametrize(
    ("findings", "expected", "code"),
    [
        ([], Verdict.INCOMPLETE, ExitCode.OK),
        ([f("dns.spf.record", status=Status.SKIPPED)], Verdict.INCOMPLETE, ExitCode.OK),
        ([f("dns.spf.record", status=Status.PASS)], Verdict.HEALTHY, ExitCode.OK),
        (
            [f("dns.spf.record", status=Status.PASS), f("x.y", status=Status.ERROR)],
            Verdict.INCOMPLETE,
            ExitCode.INCOMPLETE,
        ),
        (
            [f("dns.dmarc.policy", "dns.dmarc.policy_none", status=Status.WARN)],
            Verdict.ADVISORIES,
            ExitCode.OK,
        ),
        (
            [
                f("dns.dmarc.policy", "dns.dmarc.policy_none", status=Status.WARN),
                f("x.y", status=Status.ERROR),
            ],
            Verdict.INCOMPLETE,
            ExitCode.INCOMPLETE,
        ),
        ([DMARC_BOUNCE, f("x.y", status=Status.ERROR)], Verdict.PROBLEMS, ExitCode.PROBLEMS),
        ([f("dns.spf.record")], Verdict.PROBLEMS, ExitCode.PROBLEMS),
    ],
)
def test_verdict_and_exit_code(findings, expected, code):
    causes = correlate(findings)
    assert verdict(findings, causes) is expected
    report = Report(command="diagnose", subject="s", findings=tuple(findings), causes=causes)
    assert report.exit_code is code


def test_report_json_carries_causes():
    causes = correlate([BOUNCE_535, PROBE_535])
    data = Report(
        command="diagnose", subject="s", findings=(BOUNCE_535, PROBE_535), causes=causes
    ).to_dict()
    assert data["exit_code"] == 1
    assert data["causes"][0]["id"] == "client.smtp_auth.stale_ses_password"
    assert data["causes"][0]["confidence"] == "high"
    assert data["causes"][0]["related"] == ["client.smtp_auth.failed"]


def test_aliases_from_different_layers_are_one_cause():
    log_ptr = f("client.logs.requireptr", "recipient.rejected.ptr", origin="logs")
    bounce_ptr = f("recipient.bounce.requireptr", "recipient.rejected.no_ptr", origin="bounce")
    (cause,) = correlate([log_ptr, bounce_ptr])
    assert cause.id == "recipient.rejected.ptr"
    assert cause.related == ("recipient.rejected.no_ptr",)
    assert cause.confidence is Confidence.HIGH
    assert supporting_findings(cause, [log_ptr, bounce_ptr]) == (log_ptr, bounce_ptr)


def test_an_alias_joins_a_merge_rule():
    dns_mx = f("dns.mailfrom.mx", "dns.mailfrom.mx_missing", origin="dns")
    ses = f("provider.ses.mail_from", "provider.ses.mail_from_unverified", origin="ses")
    (cause,) = correlate([ses, dns_mx])
    assert cause.id == "provider.ses.mail_from_mx_missing"
    assert set(cause.related) == {"provider.ses.mail_from_unverified", "dns.mailfrom.mx_missing"}


def test_many_contradicting_findings_make_one_conflict():
    passes = [
        f("dns.dkim.key", status=Status.PASS, origin="dns", subject=f"s{i}._domainkey.example.com")
        for i in range(4)
    ]
    (cause,) = correlate([DMARC_BOUNCE, *passes])
    assert len(cause.conflicts) == 1
    assert cause.conflicts[0].count("dns.dkim.key:") == 2 and "and 2 more" in cause.conflicts[0]
