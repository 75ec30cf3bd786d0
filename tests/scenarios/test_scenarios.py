"""The scenario suite: every incident set up on loopback and diagnosed by the real diagnose.

Each incident asserts the exact set of causes (severity fail), advisories (warn), defects
(found on the way, did not stop this mail) and the exit code.
"""

from __future__ import annotations

import pytest
from scenario_incidents import INCIDENTS
from scenario_kit import Incident, run_incident

from maildoctor.model import Status


def _ids(report, severity):
    return {c.id for c in report.causes if c.severity is severity}


@pytest.mark.parametrize("incident", INCIDENTS, ids=lambda i: i.name)
async def test_incident(stage, tmp_path, incident: Incident) -> None:
    report = await run_incident(stage, incident, tmp_path)
    found = {
        "causes": _ids(report, Status.FAIL),
        "advisories": _ids(report, Status.WARN),
        "defects": {c.id for c in report.defects},
        "exit": int(report.exit_code),
    }
    expected = {
        "causes": set(incident.causes),
        "advisories": set(incident.advisories),
        "defects": set(incident.defects),
        "exit": incident.exit,
    }
    errors = {n: i["reason"] for n, i in report.meta["layers"].items() if i["state"] == "error"}
    assert found == expected, (incident.story, errors)


def _by_name(name: str) -> Incident:
    return next(i for i in INCIDENTS if i.name == name)


def test_the_suite_is_large_and_varied() -> None:
    assert len(INCIDENTS) >= 30
    assert len({i.name for i in INCIDENTS}) == len(INCIDENTS)
    assert sum(1 for i in INCIDENTS if len(i.causes) >= 2) >= 1  # several causes at once
    assert sum(1 for i in INCIDENTS if i.defects and not i.causes) >= 5  # healthy-but-imperfect
    assert sum(1 for i in INCIDENTS if i.ses is None) >= 8  # no SES account involved


async def test_either_fix_is_one_cause_with_two_alternatives(stage, tmp_path) -> None:
    report = await run_incident(stage, _by_name("dkim-and-mail-from-spf-both-broken"), tmp_path)
    (cause,) = report.causes
    assert "dns.mailfrom.spf_permerror" in cause.related
    assert [a.id for a in cause.alternatives] == [
        "provider.ses.dkim_cname_missing",
        "dns.mailfrom.spf_permerror",
    ]
    assert all(a.effort == 1 for a in cause.alternatives)
    # computed from the world: the custom MAIL FROM exists and SES verified it
    assert not any("needs a custom MAIL FROM" in n for n in cause.does_not_fix)
    dkim_only, spf_only = cause.alternatives
    assert "SPF still fails for mail.example.com" in dkim_only.leaves[0]
    assert "DKIM is still not aligned" in spf_only.leaves[0]


async def test_default_mail_from_alternative_says_what_it_needs(stage, tmp_path) -> None:
    incident = _by_name("dkim-cname-missing-default-mail-from")
    (cause,) = (await run_incident(stage, incident, tmp_path)).causes
    cheapest, dearer = cause.alternatives
    assert cheapest.id == "provider.ses.dkim_cname_missing" and cheapest.effort < dearer.effort
    assert "custom MAIL FROM" in dearer.title + " ".join(dearer.fix)
    assert "put-email-identity-mail-from-attributes" in " ".join(dearer.fix)
    assert "default MAIL FROM, amazonses.com" in cheapest.leaves[0]
    assert not any("MAIL FROM" in n for n in cause.does_not_fix)  # it is an alternative now


async def test_a_defect_says_why_and_whom_it_hurts(stage, tmp_path) -> None:
    report = await run_incident(stage, _by_name("apex-spf-over-limit-ses"), tmp_path)
    (defect,) = report.defects
    assert defect.kind == "defect" and defect.severity is Status.WARN
    assert "mail.example.com" in defect.demoted_by[0]
    assert "own mail server" in defect.harms
    body = report.to_dict()
    assert body["exit_code"] == 0 and body["defects"][0]["id"] == "dns.spf.lookup_limit"


async def test_the_evaluated_mail_from_record_is_shown(stage, tmp_path) -> None:
    report = await run_incident(stage, _by_name("mail-from-spf-permerror-dkim-works"), tmp_path)
    spf = [f for f in report.findings if f.check == "dns.mailfrom.spf"]
    assert len(spf) == 1 and spf[0].status is Status.FAIL
    assert spf[0].data["includes_amazonses"] is True
    assert set(spf[0].data["results"].values()) == {"permerror"}
    (defect,) = report.defects
    assert "aligned DKIM" in defect.demoted_by[0]


async def test_the_notifications_region_directs_the_suppression_check(stage, tmp_path) -> None:
    incident = _by_name("suppressed-in-the-notifications-region")
    report = await run_incident(stage, incident, tmp_path)
    (cause,) = report.causes
    assert cause.confidence == "high" and cause.conflicts == ()
    assert {"bounce", "ses"} <= set(cause.sources)
    regions = {
        f.summary.rsplit(" in ", 1)[-1].split()[0]
        for f in report.findings
        if f.check == "provider.ses.suppression"
    }
    assert {"us-east-1", "us-west-2"} <= regions


async def test_the_helo_record_is_evaluated(stage, tmp_path) -> None:
    report = await run_incident(stage, _by_name("own-server-helo-spf-fails"), tmp_path)
    (helo,) = [f for f in report.findings if f.check == "dns.spf.helo"]
    assert helo.status is Status.WARN and helo.subject == "mailer.example.com"
    assert helo.data["result"] == "fail" and helo.data["role"] == "helo"
    mail_from = [f for f in report.findings if f.check == "dns.spf.ip_verdict"]
    assert mail_from and all(f.status is Status.PASS for f in mail_from)  # the apex passes


async def test_strict_spf_alignment_leaves_dkim_as_the_only_path(stage, tmp_path) -> None:
    incident = _by_name("dkim-missing-strict-spf-alignment")
    (cause,) = (await run_incident(stage, incident, tmp_path)).causes
    assert [a.id for a in cause.alternatives] == [
        "provider.ses.dkim_cname_missing",
        "dns.mailfrom.not_aligned",
    ]
