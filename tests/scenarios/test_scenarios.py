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
