"""The non-SES demo scenarios: Microsoft 365 with SMTP AUTH off, Postfix on SendGrid."""

from __future__ import annotations

import json

import pytest

from maildoctor.cli import main
from maildoctor.demo.services import SERVICE_SCENARIOS, run_service

EXPECTED = {
    "m365-smtp-auth-disabled": {"client.smtp_auth.disabled_for_tenant"},
    "postfix-sendgrid-revoked": {"client.smtp_auth.sendgrid_api_key_revoked"},
}


def test_every_service_scenario_is_listed_here():
    assert set(SERVICE_SCENARIOS) == set(EXPECTED)
    for name, causes in EXPECTED.items():
        assert SERVICE_SCENARIOS[name].expected == causes


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_service_scenario_finds_exactly_its_causes(name, tmp_path):
    scenario = SERVICE_SCENARIOS[name]
    result = await run_service(scenario, workdir=tmp_path)
    assert result.matched, result.differences()
    assert result.found == EXPECTED[name] and not result.escaped
    text = result.report.to_json()
    assert scenario.password not in text
    cause = next(c for c in result.report.causes if c.id in EXPECTED[name])
    assert cause.fix and cause.does_not_fix  # the catalogue's fix and what it does not fix


async def test_the_postfix_scenario_reads_the_relay_from_the_config(tmp_path):
    scenario = SERVICE_SCENARIOS["postfix-sendgrid-revoked"]
    result = await run_service(scenario, workdir=tmp_path)
    assert (tmp_path / "postfix" / "main.cf").is_file()
    request = result.report.meta["request"]
    assert request["relay"].startswith("smtp.sendgrid.net:") and request["relay_user"] == "apikey"
    assert request["postfix"] == str(tmp_path / "postfix")
    assert result.report.meta["layers"]["postfix"]["state"] == "done"
    checks = {f.check for f in result.report.findings}
    assert {"client.postfix.relayhost", "client.postfix.tls", "client.postfix.credential"} <= checks


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_demo_command_runs_and_checks_a_service_scenario(name, capsys):
    assert main(["demo", "--scenario", name, "--format", "json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert {c["id"] for c in report["causes"]} >= EXPECTED[name]
    assert SERVICE_SCENARIOS[name].password not in out


def test_demo_list_shows_the_service_scenarios(capsys):
    assert main(["demo", "--list"]) == 0
    out = capsys.readouterr().out
    for name, causes in EXPECTED.items():
        assert name in out and all(c in out for c in causes)
