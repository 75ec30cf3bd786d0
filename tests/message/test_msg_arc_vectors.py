"""The ARC validation suite (tests/fixtures/vectors/arc, MIT) run as data through maildoctor's path.

Each test's keys (``txt-records``) are served by the loopback DNS server; the
message goes through :func:`maildoctor.message.dkim_verify.verify_arc` (prefetch
through DnsResolver, then dkimpy's ``arc_verify`` with the prefetched dnsfunc).

Expected ``cv`` values: ``None``/``Pass``/``Fail``; an empty ``cv`` (3 tests:
``cv_fail_i1_as_cv_fail``, ``cv_fail_i2_as2_fail``, ``cv_fail_i2_as1_fail``) is a chain an
earlier sealer already marked ``cv=fail``: RFC 8617 section 5.2 step 2 makes that
``fail``, which is what they are held to. No test is skipped.

The signing suite (``arc-draft-sign-tests.yml``) is for sealers; maildoctor does not
seal, so it is not run (see the report).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from maildoctor.dns.resolver import DnsResolver, Nameserver
from maildoctor.message.dkim_verify import verify_arc
from maildoctor.message.headers import parse_message
from maildoctor.testing.dnsserver import DnsServer

SKIPS: dict[str, str] = {}  # name -> reason; none needed with dkimpy 1.1.8


def load_suite(test_data: Path) -> list[tuple[str, dict[str, str], str, str]]:
    cases = []
    path = test_data / "vectors" / "arc" / "arc-draft-validation-tests.yml"
    for doc in yaml.safe_load_all(path.read_text()):
        for name, test in doc["tests"].items():
            cases.append((name, doc["txt-records"], test["message"], test["cv"] or "Fail"))
    return cases


async def run_suite(cases):
    results = {}
    with DnsServer({}) as server:
        for name, records, message, _expected in cases:
            if name in SKIPS:
                continue
            server.load({k: [{"TXT": v}] for k, v in records.items()})
            resolver = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=1, retries=0)
            raw = message.encode()
            verdict = await verify_arc(raw, parse_message(raw), resolver=resolver)
            results[name] = verdict.cv
    return results


@pytest.fixture(scope="module")
def suite(test_data: Path):
    cases = load_suite(test_data)
    return cases, asyncio.run(run_suite(cases))


def test_whole_validation_suite_passes(suite):
    cases, results = suite
    assert len(cases) == 171
    wrong = {n: (e, results[n]) for n, _, _, e in cases if n in results and results[n] != e.lower()}
    passed = len(results) - len(wrong)
    print(f"ARC validation suite: {passed}/{len(cases)} pass, {len(SKIPS)} skipped")
    assert not wrong, wrong


def test_the_suite_exercises_every_outcome(suite):
    _, results = suite
    assert set(results.values()) == {"none", "pass", "fail"}
