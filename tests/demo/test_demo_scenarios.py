"""Every demo scenario end to end: loopback world, replay, the real diagnose, exact causes.

One stage (moto, DNS, CA) serves the whole module; each scenario builds its own world on
it, which resets AWS and reloads DNS first.
"""

from __future__ import annotations

import dataclasses
import email
from collections.abc import Iterator
from pathlib import Path

import pytest

from maildoctor import catalogue
from maildoctor.cli.diagnose_cmd import render_report
from maildoctor.demo import scenarios
from maildoctor.demo.replay import replay
from maildoctor.demo.runner import DemoResult, build_request, run_on
from maildoctor.demo.scenarios import SCENARIOS
from maildoctor.demo.stage import Stage
from maildoctor.diagnose import diagnose
from maildoctor.model import Report, Status

#: The catalogue's corrections to the incident write-up (other notes, such as inbound
#: login failures, are about other situations).
NOTES = {
    "note.ses_smtp_password_formula",
    "note.email_vs_domain_identity",
    "note.spf_on_mail_from_domain",
    "note.dmarc_fo_needs_ruf",
    "note.dmarc_quarantine_silent",
}

#: The exact root causes (severity fail) and advisories (warn) each scenario must produce,
#: written out here rather than read from the scenario, so a change to either shows.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "incident": (
        {"client.smtp_auth.stale_ses_password", "provider.ses.email_identity_only"},
        {"dns.dmarc.policy_none"},
    ),
    "healthy": (set(), set()),
    "recipient-suppressed": ({"provider.ses.recipient_suppressed"}, set()),
    "spf-lookup-limit": (set(), set()),
    "wrong-region": ({"provider.ses.identity_wrong_region"}, set()),
    "dkim-cname-missing": ({"provider.ses.dkim_cname_missing"}, set()),
    "blocklisted-ip": ({"dns.blocklist.ip_listed"}, set()),
}

#: Defects found on the way that did not stop the mail (never exit code 1).
DEFECTS: dict[str, set[str]] = {"spf-lookup-limit": {"dns.spf.lookup_limit"}}


@pytest.fixture(scope="module")
def stage() -> Iterator[Stage]:
    with Stage() as running:
        yield running


@pytest.fixture(scope="module")
def results() -> dict[str, DemoResult]:
    """Results by scenario name, filled by test_scenario (the incident tests reuse it)."""
    return {}


async def _result(stage: Stage, results: dict[str, DemoResult], name: str) -> DemoResult:
    if name not in results:
        results[name] = await run_on(stage, SCENARIOS[name])
    return results[name]


def test_every_scenario_is_listed_here():
    assert set(SCENARIOS) == set(EXPECTED)
    assert scenarios.DEFAULT == "incident"
    for name, (causes, advisories) in EXPECTED.items():
        assert SCENARIOS[name].expected == causes, name
        assert SCENARIOS[name].advisories == advisories, name


@pytest.mark.parametrize("name", list(EXPECTED))
async def test_scenario(stage, results, name):
    result = await _result(stage, results, name)
    causes, advisories = EXPECTED[name]
    report = result.report
    assert {c.id for c in report.causes if c.severity is Status.FAIL} == causes
    assert {c.id for c in report.causes if c.severity is Status.WARN} == advisories
    assert {c.id for c in report.defects} == DEFECTS.get(name, set())
    assert result.errors == ()
    assert result.matched and result.differences() == []
    layers = report.meta["layers"]
    for adapter in ("relay", "ses", "dns", "recipient", "blocklist"):
        assert layers[adapter]["state"] == "done", (adapter, layers[adapter])
    assert report.exit_code == (1 if causes else 0)


async def test_incident_names_both_causes_with_fixes_that_do_not_cross(stage, results):
    report = (await _result(stage, results, "incident")).report
    by_id = {c.id: c for c in report.causes}
    creds = by_id["client.smtp_auth.stale_ses_password"]
    dmarc = by_id["provider.ses.email_identity_only"]
    # One credential failure seen three ways: the live probe, IAM, and Gmail's notice.
    assert {"relay", "ses", "bounce"} <= set(creds.sources)
    assert "provider.ses.smtp_key_deleted" in creds.related
    assert any("Send mail as" in step for step in creds.fix)
    # The recipient's rejection, explained by the email-only identity.
    assert {"ses", "bounce", "headers"} <= set(dmarc.sources)
    assert "recipient.rejected.authentication_level" in dmarc.related
    assert "dns.dkim.not_aligned" in dmarc.related  # the delivered copy's headers
    assert any("create-email-identity" in step for step in dmarc.fix)
    assert any("CNAME" in step for step in dmarc.fix)
    # Fixing one does not fix the other, and the report says so both ways.
    assert any("password" in text.lower() for text in dmarc.does_not_fix)
    assert any("DMARC" in text for text in creds.does_not_fix)
    # DNS shows the Easy DKIM keys published, and the report explains why that is not enough.
    assert any("amazonses.com" in text for text in dmarc.conflicts)


async def test_incident_report_carries_every_correction_to_the_write_up(stage, results):
    report = (await _result(stage, results, "incident")).report
    assert NOTES <= {e.id for e in catalogue.entries(catalogue.Kind.NOTE)}
    assert {n for c in report.causes for n in c.notes} == NOTES
    for fmt in ("text", "markdown", "html"):
        rendered = render_report(report, fmt)
        for note in NOTES:
            assert note in rendered, (fmt, note)


async def test_incident_dmarc_advice_does_not_recommend_silent_quarantine(stage, results):
    report = (await _result(stage, results, "incident")).report
    [advice] = [f for f in report.findings if f.check == "dns.dmarc.recommendation"]
    # The recipients are on Exchange Online and alignment is not proven: p=quarantine
    # would hide the very failure being debugged, so the advice holds p=none.
    assert advice.data["next_policy"] == "none"
    assert advice.data["microsoft365"] is True


async def test_incident_evidence_is_what_the_servers_said(stage, results):
    result = await _result(stage, results, "incident")
    request = result.report.meta["request"]
    bounces = [Path(p).name for p in request["bounces"]]
    assert bounces == ["01-gmail-send-as-notice.eml", "02-ses-dsn.eml", "03-ses-dsn.eml"]
    assert [Path(p).name for p in request["logs"]] == ["mailer-postfix.log"]
    assert Path(request["headers"]).name == "04-delivered-copy.eml"
    assert "dave@example.org" not in request["recipients"]  # it arrived: evidence only
    events = "\n".join(result.events)
    assert "535 Authentication Credentials Invalid" in events
    assert events.count("550 5.7.515") == 2
    # The Exchange-like rejection is realistic for p=none (5.7.509 needs p=reject).
    assert "5.7.509" not in events
    by_check = {f.check: f for f in result.report.findings}
    assert by_check["client.logs.single_connection"].status is Status.INFO
    # SES's d=amazonses.com signature, verified against the key the stage published.
    signature = by_check["message.dkim.signature"]
    assert signature.status is Status.PASS and "d=amazonses.com" in signature.summary
    assert by_check["message.dmarc.alignment"].status is Status.FAIL


async def test_no_secret_in_any_rendering(stage, tmp_path):
    with stage.world(SCENARIOS["incident"].world) as built:
        stored = built.keys.password(built.keys.gmail, built.world.region)
        secrets = (
            stored.reveal(),
            built.keys.current.secret.reveal(),
            built.keys.gmail.secret.reveal(),
        )
        replayed = await replay(built, tmp_path)
        report = await diagnose(build_request(built, replayed), ctx=built.ctx)
    assert report.meta["request"]["relay_password"] == "given"
    for fmt in ("json", "text", "markdown", "html"):
        rendered = render_report(report, fmt, verbose=True)
        assert not any(secret in rendered for secret in secrets), fmt
    assert replayed.headers is not None
    for path in (*replayed.bounces, *replayed.logs, replayed.headers):
        assert not any(secret.encode() in path.read_bytes() for secret in secrets), path


async def test_evidence_can_be_kept(stage, tmp_path):
    result = await run_on(stage, SCENARIOS["dkim-cname-missing"], workdir=tmp_path)
    assert result.matched
    dsn = email.message_from_bytes((tmp_path / "01-ses-dsn.eml").read_bytes())
    assert dsn["From"] == "MAILER-DAEMON@amazonses.com"
    assert "5.7.509" in dsn.as_string()


def test_a_diagnosis_that_differs_says_how():
    healthy = SCENARIOS["healthy"]
    wrong = dataclasses.replace(
        healthy,
        expected=frozenset({"dns.spf.lookup_limit"}),
        advisories=frozenset({"dns.dmarc.policy_none"}),
    )
    report = Report(command="diagnose", subject="admin@example.com", findings=())
    result = DemoResult(
        scenario=wrong,
        report=report,
        found=frozenset({"provider.ses.sandbox"}),
        advisories=frozenset(),
        errors=("ses: moto did not answer",),
    )
    assert not result.matched
    assert result.differences() == [
        "missing cause: dns.spf.lookup_limit",
        "unexpected cause: provider.ses.sandbox",
        "missing advisory: dns.dmarc.policy_none",
        "layer not checked: ses: moto did not answer",
    ]
    exact = DemoResult(scenario=healthy, report=report, found=frozenset(), advisories=frozenset())
    assert exact.matched and exact.differences() == []


async def test_blocklisted_ip_names_the_list_and_the_removal_path(stage, results):
    result = await _result(stage, results, "blocklisted-ip")
    (cause,) = [c for c in result.report.causes if c.severity is Status.FAIL]
    # the bounce's "blocked using zen.spamhaus.org" and the lookup are one cause
    assert "recipient.blocked_ip" in cause.related
    assert {"blocklist", "bounce"} <= set(cause.sources)
    (listed,) = [f for f in result.report.findings if f.check == "dns.blocklist.ip_listed"]
    assert listed.subject == "198.51.100.25" and "CSS" in listed.summary
    assert "quoted in the bounce" in listed.detail
    assert "check.spamhaus.org" in listed.fix


async def test_clean_ips_in_other_scenarios_produce_no_cause(stage, results):
    result = await _result(stage, results, "incident")
    clean = [f for f in result.report.findings if f.check == "dns.blocklist.clean"]
    assert any(f.subject == "198.51.100.25" for f in clean)  # from the Received chain
    assert not [c for c in result.report.causes if c.id.startswith("dns.blocklist")]
