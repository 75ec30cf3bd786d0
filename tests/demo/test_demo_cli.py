"""``maildoctor demo`` as the user runs it: exit codes, formats, the self-check."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from maildoctor.cli import main
from maildoctor.demo import scenarios


def test_list_shows_every_scenario_and_its_causes(capsys):
    assert main(["demo", "--list"]) == 0
    out = capsys.readouterr().out
    for name, scenario in scenarios.SCENARIOS.items():
        assert name in out
        for cause in scenario.expected | scenario.advisories:
            assert cause in out
    assert "(default)" in out.splitlines()[0]


def test_default_demo_replays_the_incident_and_checks_itself(subprocess_env):
    # As `make demo` runs it: the console entry point, in a process with the loopback guard.
    done = subprocess.run(
        [sys.executable, "-m", "maildoctor", "demo"],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Root causes (2, independent)" in out
    assert "client.smtp_auth.stale_ses_password" in out
    assert "provider.ses.email_identity_only" in out
    assert "Advisories (1)" in out and "dns.dmarc.policy_none" in out
    assert "Corrections to common advice" in out
    assert "535 Authentication Credentials Invalid" in out
    assert "found exactly the expected root causes" in out
    assert "Traceback" not in done.stderr


def test_json_format_is_only_the_report(capsys, tmp_path):
    code = main(["demo", "--scenario", "healthy", "--format", "json", "--keep", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert report["causes"] == [] and report["exit_code"] == 0
    assert report["meta"]["demo"]["scenario"] == "healthy"
    assert (tmp_path / "mailer-postfix.log").is_file()


def test_a_diagnosis_that_differs_exits_1_and_says_what(capsys, monkeypatch):
    healthy = scenarios.SCENARIOS["healthy"]
    wrong = dataclasses.replace(healthy, expected=frozenset({"dns.spf.lookup_limit"}))
    monkeypatch.setitem(scenarios.SCENARIOS, "healthy", wrong)
    code = main(["demo", "--scenario", "healthy", "--format", "markdown"])
    captured = capsys.readouterr()
    assert code == 1
    assert "differs from the scenario" in captured.err
    assert "missing cause: dns.spf.lookup_limit" in captured.err
    assert captured.out.lstrip().startswith("#")  # the report is still printed


def test_unknown_scenario_is_a_usage_error(capsys):
    assert main(["demo", "--scenario", "nope"]) == 2
    assert "unknown scenario" in capsys.readouterr().err
