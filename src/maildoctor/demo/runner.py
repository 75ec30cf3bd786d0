"""Run a scenario: start the loopback servers, run the real checks, compare causes."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..context import Context
from ..dns.resolver import DnsResolver, Nameserver
from ..model import Report, Status
from ..testing.dnsserver import DnsServer
from .scenarios import Scenario

__all__ = ["DemoResult", "found_causes", "run_scenario"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoResult:
    scenario: Scenario
    report: Report
    found: frozenset[str]

    @property
    def missing(self) -> frozenset[str]:
        return self.scenario.expected - self.found

    @property
    def unexpected(self) -> frozenset[str]:
        return self.found - self.scenario.expected

    @property
    def matched(self) -> bool:
        return not self.missing and not self.unexpected


def found_causes(report: Report) -> frozenset[str]:
    """Cause ids named by failing or warning findings."""
    return frozenset(
        f.cause for f in report.findings if f.cause and f.status in (Status.FAIL, Status.WARN)
    )


async def run_scenario(scenario: Scenario, *, delay: float = 0.0) -> DemoResult:
    """Serve the scenario's zone on loopback and run ``maildoctor dns`` against it."""
    from ..dns.check import check_domain

    with DnsServer(scenario.zone(), delay=delay) as server:
        resolver = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=2.0, retries=0)
        ctx = Context(resolver=resolver, timeout=2.0)
        start = time.perf_counter()
        report = await check_domain(
            scenario.domain,
            ctx=ctx,
            ip=scenario.ip,
            mail_from=scenario.mail_from,
            selectors=scenario.selectors,
        )
        report = _with_meta(report, scenario, server, time.perf_counter() - start)
    return DemoResult(scenario=scenario, report=report, found=found_causes(report))


def _with_meta(report: Report, scenario: Scenario, server: DnsServer, elapsed: float) -> Report:
    meta = dict(report.meta)
    meta.update(scenario=scenario.name, dns_server=server.address, dns_queries=len(server.log))
    return Report(
        command=report.command,
        subject=report.subject,
        findings=report.findings,
        elapsed_ms=report.elapsed_ms or elapsed * 1000,
        meta=meta,
    )
