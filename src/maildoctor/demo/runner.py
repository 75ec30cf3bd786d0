"""Run a scenario: build its world on loopback, replay it, diagnose it, check the result.

The diagnosis is the real one - :func:`maildoctor.diagnose.diagnose` with every default
layer - given what a user would give it: the sender and recipients, the bounces and the
mail server's log from the replay, the relay with the username and password stored in
Gmail, SES as the provider, and the DKIM selectors they published. Only the Context
differs from a real run: its resolver, CA bundle and AWS clients point at the stage.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnose import DiagnoseRequest, Relay, diagnose
from ..model import Report, Status
from ..testing import netguard
from . import zones
from .replay import Replayed, replay
from .scenarios import SENDER, Scenario
from .stage import SCAN_REGIONS, Built, Stage

__all__ = ["DemoResult", "build_request", "found_causes", "run_on", "run_scenario"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoResult:
    """A scenario's diagnosis, and how it compares with what the scenario expects.

    Attributes:
        scenario: The scenario run.
        report: The diagnosis (its ``meta["demo"]`` says what was replayed).
        found: Ids of the root causes with severity fail.
        advisories: Ids of the root causes with severity warn.
        defects: Ids of the defects that did not stop this mail.
        errors: Layers that could not be checked, with the reason (a demo has none).
        escaped: Attempts to leave loopback that the network guard refused (if installed).
        events: What the replay did, for people.
        timings: Seconds spent building the world, replaying and diagnosing.
    """

    scenario: Scenario
    report: Report
    found: frozenset[str]
    advisories: frozenset[str]
    defects: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()
    escaped: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def missing(self) -> frozenset[str]:
        return self.scenario.expected - self.found

    @property
    def unexpected(self) -> frozenset[str]:
        return self.found - self.scenario.expected

    @property
    def missing_advisories(self) -> frozenset[str]:
        return self.scenario.advisories - self.advisories

    @property
    def unexpected_advisories(self) -> frozenset[str]:
        return self.advisories - self.scenario.advisories

    @property
    def matched(self) -> bool:
        """True when :meth:`differences` finds nothing."""
        return not self.differences()

    def differences(self) -> list[str]:
        """What differs from the scenario, one line each (empty when matched)."""
        lines = [f"missing cause: {c}" for c in sorted(self.missing)]
        lines += [f"unexpected cause: {c}" for c in sorted(self.unexpected)]
        lines += [f"missing advisory: {c}" for c in sorted(self.missing_advisories)]
        lines += [f"unexpected advisory: {c}" for c in sorted(self.unexpected_advisories)]
        lines += [f"missing defect: {c}" for c in sorted(self.scenario.defects - self.defects)]
        lines += [f"unexpected defect: {c}" for c in sorted(self.defects - self.scenario.defects)]
        lines += [f"layer not checked: {e}" for e in self.errors]
        lines += [f"tried to leave loopback: {e}" for e in self.escaped]
        return lines


def found_causes(report: Report, severity: Status = Status.FAIL) -> frozenset[str]:
    """Ids of the report's root causes with the given severity."""
    return frozenset(c.id for c in report.causes if c.severity == severity)


def _layer_errors(report: Report) -> tuple[str, ...]:
    layers: Mapping[str, Any] = report.meta.get("layers", {})
    return tuple(
        f"{name}: {info.get('reason', '')}"
        for name, info in layers.items()
        if info.get("state") == "error"
    )


def build_request(built: Built, replayed: Replayed) -> DiagnoseRequest:
    """What a user of this world would hand ``maildoctor diagnose``."""
    key = built.keys.gmail
    return DiagnoseRequest(
        sender=SENDER,
        recipients=built.world.recipients,
        bounces=tuple(replayed.bounces),
        logs=tuple(replayed.logs),
        headers=replayed.headers,
        relay=Relay(host=built.relay_host, port=built.relay.port),
        relay_user=key.key_id,
        relay_password=built.keys.password(key, built.world.region),
        provider="ses",
        region=built.world.region,
        selectors=zones.DKIM_TOKENS,
        mx_port=built.mx.port,
        scan_regions=SCAN_REGIONS,
    )


async def run_on(stage: Stage, scenario: Scenario, *, workdir: Path | None = None) -> DemoResult:
    """Run a scenario on a started stage.

    Args:
        stage: The loopback servers (reused across scenarios).
        scenario: What to set up, replay and expect.
        workdir: Where to keep the evidence files; None: a temporary directory,
            removed afterwards.

    Returns:
        The result, with the report and the comparison.
    """
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="maildoctor-demo-") as tmp:
            return await run_on(stage, scenario, workdir=Path(tmp))
    guarded = len(netguard.violations)
    start = time.perf_counter()
    with stage.world(scenario.world) as built:
        built_at = time.perf_counter()
        replayed = await replay(built, workdir)
        replayed_at = time.perf_counter()
        report = await diagnose(build_request(built, replayed), ctx=built.ctx)
        done_at = time.perf_counter()
    timings = {
        "world_s": built_at - start,
        "replay_s": replayed_at - built_at,
        "diagnose_s": done_at - replayed_at,
    }
    report = _with_meta(report, scenario, replayed, stage, timings)
    return DemoResult(
        scenario=scenario,
        report=report,
        found=found_causes(report),
        advisories=found_causes(report, Status.WARN),
        defects=frozenset(c.id for c in report.defects),
        errors=_layer_errors(report),
        escaped=tuple(netguard.violations[guarded:]),
        events=tuple(replayed.events),
        timings=timings,
    )


async def run_scenario(
    scenario: Scenario, *, latency: float = 0.0, workdir: Path | None = None
) -> DemoResult:
    """Start the loopback servers, run one scenario, stop them."""
    with Stage(latency=latency) as stage:
        return await run_on(stage, scenario, workdir=workdir)


def _with_meta(
    report: Report,
    scenario: Scenario,
    replayed: Replayed,
    stage: Stage,
    timings: Mapping[str, float],
) -> Report:
    meta = dict(report.meta)
    meta["demo"] = {
        "scenario": scenario.name,
        "expected": sorted(scenario.expected),
        "advisories": sorted(scenario.advisories),
        "defects": sorted(scenario.defects),
        "replayed": list(replayed.events),
        "dns_server": stage.dns.address,
        "dns_queries": len(stage.dns.log),
        "latency_ms": round(stage.latency * 1000, 1),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    return Report(
        command=report.command,
        subject=report.subject,
        findings=report.findings,
        elapsed_ms=report.elapsed_ms,
        meta=meta,
        causes=report.causes,
        defects=report.defects,
        correlated=report.correlated,
    )
