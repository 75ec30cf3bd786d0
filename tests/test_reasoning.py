"""reasoning: conditions over findings, defects vs causes, contradictions, refinements."""

from __future__ import annotations

from maildoctor.correlate import Verdict, analyse, verdict
from maildoctor.model import CauseKind, Evidence, ExitCode, Finding, Layer, Report, Status
from maildoctor.reasoning import refine_findings, world_of


def f(
    check: str,
    cause: str = "",
    *,
    status: Status = Status.FAIL,
    origin: str = "dns",
    subject: str = "example.com",
    server: str | None = None,
    raw: tuple[str, ...] = (),
    data: dict | None = None,
) -> Finding:
    source = {"relay": "smtp", "bounce": "bounce", "logs": "file", "ses": "aws"}.get(origin, "dns")
    ev = Evidence(
        id=f"{origin}:{check}:{subject}", source=source, query=check, server=server, raw=raw
    )
    return Finding(
        check=check,
        layer=Layer(check.split(".")[0]),
        status=status,
        subject=subject,
        summary=f"{check} {status}",
        evidence=(ev,),
        cause=cause,
        data={"origin": origin, **(data or {})},
    )


SES_MAIL_FROM_OK = f(
    "provider.ses.mail_from",
    status=Status.PASS,
    origin="ses",
    subject="mail.example.com",
    data={"mail_from_domain": "mail.example.com", "behavior": "UseDefaultValue"},
)
SES_DKIM_OK = f("provider.ses.dkim", status=Status.PASS, origin="ses")
APEX_LIMIT = f("dns.spf.lookup_limit", "dns.spf.lookup_limit")
MF_PERM = f("dns.mailfrom.spf", "dns.mailfrom.spf_permerror", subject="mail.example.com")
CNAME = f("provider.ses.dkim.cname", "provider.ses.dkim_cname_missing", origin="ses")
DSN_509 = f(
    "recipient.bounce.authfailure",
    "recipient.rejected.dmarc",
    origin="bounce",
    subject="alice@example.net",
    server="example-net.mail.protection.outlook.com",
)


def test_an_apex_record_off_the_path_is_a_defect_not_a_cause() -> None:
    drawn = analyse([SES_MAIL_FROM_OK, SES_DKIM_OK, APEX_LIMIT], sender_domain="example.com")
    assert drawn.causes == ()
    (defect,) = drawn.defects
    assert defect.kind is CauseKind.DEFECT and defect.id == "dns.spf.lookup_limit"
    assert "mail.example.com" in defect.demoted_by[0] and defect.harms


def test_the_apex_record_is_a_cause_when_the_mail_uses_the_apex() -> None:
    drawn = analyse([APEX_LIMIT], sender_domain="example.com")  # no SES: MAIL FROM unknown
    assert [c.id for c in drawn.causes] == ["dns.spf.lookup_limit"] and drawn.defects == ()


def test_both_dmarc_sides_broken_make_one_cause_with_alternatives() -> None:
    drawn = analyse([SES_MAIL_FROM_OK, CNAME, MF_PERM, DSN_509], sender_domain="example.com")
    (cause,) = drawn.causes
    assert cause.id == "provider.ses.dkim_cname_missing"
    assert {a.id for a in cause.alternatives} == {
        "provider.ses.dkim_cname_missing",
        "dns.mailfrom.spf_permerror",
    }
    assert "recipient.rejected.dmarc" in cause.related
    assert "dns.mailfrom.spf_permerror" in cause.related
    assert drawn.defects == ()


def test_one_working_dmarc_side_demotes_the_other() -> None:
    drawn = analyse([SES_MAIL_FROM_OK, SES_DKIM_OK, MF_PERM], sender_domain="example.com")
    assert drawn.causes == ()
    assert [d.id for d in drawn.defects] == ["dns.mailfrom.spf_permerror"]
    assert "aligned DKIM" in drawn.defects[0].demoted_by[0]


def test_an_observed_refusal_is_never_demoted() -> None:
    drawn = analyse([SES_MAIL_FROM_OK, SES_DKIM_OK, CNAME, DSN_509], sender_domain="example.com")
    assert [c.id for c in drawn.causes] == ["provider.ses.dkim_cname_missing"]


def test_a_copy_that_passed_dmarc_demotes_authentication_defects() -> None:
    copy = f(
        "message.dmarc.alignment",
        status=Status.PASS,
        origin="headers",
        data={"dkim_aligned": ["example.com"], "spf_aligned": False},
    )
    drawn = analyse([APEX_LIMIT, copy], sender_domain="example.com")
    assert drawn.causes == () and [d.id for d in drawn.defects] == ["dns.spf.lookup_limit"]
    report = Report(
        command="diagnose",
        subject="x",
        findings=(APEX_LIMIT, copy),
        defects=drawn.defects,
        correlated=True,
    )
    assert report.exit_code is ExitCode.OK
    assert verdict(report.findings, report.causes) is Verdict.ADVISORIES


def test_an_uncatalogued_failure_still_fails_a_correlated_report() -> None:
    loose = f("dns.mx.records")
    report = Report(command="diagnose", subject="x", findings=(loose,), correlated=True)
    assert report.exit_code is ExitCode.PROBLEMS
    uncorrelated = Report(command="dns", subject="x", findings=(APEX_LIMIT,))
    assert uncorrelated.exit_code is ExitCode.PROBLEMS  # single commands are unchanged


NOTICE_READ_AS_REFUSED_MESSAGE = f(
    "client.bounce.rejected",
    "client.relay.message_rejected",
    origin="bounce",
    subject="alice@example.net",
    server="smtp.gmail.com.",
)
PROBE_534 = f(
    "client.smtp_auth.login",
    "client.smtp_auth.app_password_required",
    origin="relay",
    subject="smtp.gmail.com:587",
    server="smtp.gmail.com:587",
)


def test_login_refused_and_login_worked_cannot_both_stand() -> None:
    drawn = analyse([NOTICE_READ_AS_REFUSED_MESSAGE, PROBE_534], sender_domain="example.com")
    (cause,) = drawn.causes
    assert cause.id == "client.smtp_auth.app_password_required"
    assert cause.overruled == ("client.relay.message_rejected",)
    assert any("Conflicting evidence set aside" in c for c in cause.conflicts)


def test_the_stronger_evidence_wins_a_contradiction() -> None:
    second_source = f(
        "provider.ses.identity",
        "provider.ses.identity_unverified",
        origin="ses",
        subject="alice@example.net",
    )
    refused = f(
        "client.bounce.securityerror",
        "client.smtp_auth.failed",
        origin="bounce",
        subject="alice@example.net",
        server="email-smtp.us-east-1.amazonaws.com",
    )
    worked = f(
        "client.bounce.rejected",
        "provider.ses.identity_unverified",
        origin="bounce",
        subject="alice@example.net",
        server="email-smtp.us-east-1.amazonaws.com",
    )
    (cause,) = analyse([refused, worked, second_source]).causes
    assert cause.id == "provider.ses.identity_unverified"  # two sources against one
    assert "client.smtp_auth.failed" in cause.overruled


def test_another_clients_log_does_not_contradict_the_alias() -> None:
    server_log = f(
        "provider.logs.norelaying",
        "provider.ses.identity_unverified",
        origin="logs",
        subject="norelaying",
        server="email-smtp.us-east-1.amazonaws.com",
    )
    alias = f(
        "client.bounce.securityerror",
        "client.smtp_auth.stale_ses_password",
        origin="bounce",
        subject="carol@example.net",
        server="email-smtp.us-east-1.amazonaws.com",
    )
    ids = {c.id for c in analyse([server_log, alias]).causes}
    assert ids == {"provider.ses.identity_unverified", "client.smtp_auth.stale_ses_password"}


def test_ses_naming_a_recipient_is_the_sandbox() -> None:
    text = (
        "554 Message rejected: Email address is not verified. The following identities failed "
        "the check in region US-EAST-1: alice@example.net",
    )
    about_recipient = f("provider.logs.x", "provider.ses.identity_unverified", raw=text)
    about_sender = f(
        "provider.logs.y",
        "provider.ses.identity_unverified",
        raw=(text[0].replace("alice@example.net", "admin@example.com"),),
    )
    refined = refine_findings([about_recipient, about_sender], "example.com")
    assert refined[0].cause == "provider.ses.sandbox_recipient_unverified"
    assert refined[1].cause == "provider.ses.identity_unverified"


def test_the_world_is_read_from_the_findings() -> None:
    world = world_of([SES_MAIL_FROM_OK, SES_DKIM_OK], "example.com")
    assert world.ses and world.mail_from == "mail.example.com" and world.mail_from_verified
    assert world.envelope == "mail.example.com" and world.dkim_works
    default = f("provider.ses.mail_from", status=Status.WARN, origin="ses")
    assert world_of([default], "example.com").envelope == "amazonses.com"
    assert world_of([APEX_LIMIT], "example.com").envelope == ""


def test_who_refused_decides_the_layer() -> None:
    denied = f(
        "recipient.logs.norelaying",
        "recipient.rejected.relay_denied",
        origin="logs",
        subject="smtp.example.net",
    )
    (own,) = refine_findings([denied], "example.com", "smtp.example.net:587")
    assert own.cause == "client.smtp_auth.required" and own.layer is Layer.CLIENT
    (other,) = refine_findings([denied], "example.com", "smtp.example.org")
    assert other.cause == "recipient.rejected.relay_denied"


def test_ses_mail_never_uses_the_apex_as_envelope_sender() -> None:
    probe = f(
        "client.smtp_auth.login",
        status=Status.PASS,
        origin="relay",
        subject="email-smtp.eu-west-1.amazonaws.com:587",
    )
    world = world_of([probe, APEX_LIMIT], "example.com")
    assert world.ses and not world.mail_from_known
    assert world.envelope and world.envelope != "example.com"
    drawn = analyse([probe, APEX_LIMIT], sender_domain="example.com")
    assert drawn.causes == () and [d.id for d in drawn.defects] == ["dns.spf.lookup_limit"]


def test_a_check_that_could_not_complete_still_says_so_when_correlated() -> None:
    transient = f("client.smtp.banner", "client.smtp.unreachable", status=Status.ERROR)
    report = Report(command="diagnose", subject="x", findings=(transient,), correlated=True)
    assert report.exit_code is ExitCode.INCOMPLETE
