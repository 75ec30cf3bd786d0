"""The RFC 7208 test suite (tests/fixtures/vectors/spf/rfc7208-tests.yml), run as data.

Every case runs twice: through :class:`SuiteResolver` (in memory, the suite's
driver rules) and through the real loopback :class:`DnsServer` with
:class:`DnsResolver` (one server for the module, reloaded per case; 0.2 s
timeout and one retry, so ``TIMEOUT`` names stay cheap and a reply delayed by a
loaded machine is asked again rather than read as a timeout). A case passes when the
result is one of the acceptable results and, where the case gives one, the
explanation is exactly the expected text (the driver's default explanation is
``DEFAULT``, as in pyspf's ``testspf.py``).

Skipped cases: none.

The lint is checked against the same data. Records are grouped by the suite's
own expectations, per scenario and domain:

* a domain's record is a **permerror record** when a test whose only acceptable
  result is ``permerror`` starts its evaluation there (the sender's domain, or
  the HELO name for ``<>``): 74 of them;
* it is a **valid record** when a test whose acceptable results do not include
  ``permerror`` starts there and the domain serves at least one ``v=spf1`` TXT
  record: 92 of them.

Tests that accept permerror among other results (4) count in neither group;
no record is in both. Every permerror record must get a ``fail`` finding whose
check matches the evaluator's reason; no valid record may get one, except the
cases in :data:`LINT_STRICTER`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spf_suite import SUITE_NAME, SuiteCase, SuiteResolver, load_cases, suite_path

from maildoctor.context import Context
from maildoctor.dns.resolver import DnsResolver, Nameserver
from maildoctor.dns.spf import check_host, check_spf
from maildoctor.dns.spf_eval import SpfResult
from maildoctor.model import Status
from maildoctor.testing.dnsserver import DnsServer, load_zone

CASES = load_cases() if suite_path().is_file() else []
IDS = [case.id for case in CASES]
#: Cases not run, with the reason. Target: none.
SKIPS: dict[str, str] = {}

#: Valid records the lint fails on purpose, with the check and the reason.
LINT_STRICTER = {
    # include-at-limit: "a include:inc ip4:1.2.3.4 mx -all" with inc holding 8 "a" terms
    # costs 11 lookups. The test's client matches ip4:1.2.3.4 after the 10th, so it passes;
    # every other client reaches "mx", the 11th, and gets permerror. A linter must say so.
    ("Processing limits", "e8.example.com"): "dns.spf.lookup_limit",
}


def _served_spf(case: SuiteCase) -> list[str]:
    rows = load_zone(case.zonedata).get(case.domain, [])
    texts = ["".join(v) if isinstance(v, list) else str(v) for t, v in rows if t == "TXT"]
    return [t for t in texts if t.lower().startswith("v=spf1") and t[6:7] in ("", " ")]


def _groups() -> tuple[dict[tuple[str, str], SuiteCase], dict[tuple[str, str], SuiteCase]]:
    permerror: dict[tuple[str, str], SuiteCase] = {}
    valid: dict[tuple[str, str], SuiteCase] = {}
    for case in CASES:
        key = (case.scenario, case.domain)
        if case.results == ("permerror",):
            permerror.setdefault(key, case)
        elif "permerror" not in case.results and _served_spf(case):
            valid.setdefault(key, case)
    return permerror, valid


PERMERROR, VALID = _groups()


def _assert_expected(case: SuiteCase, result: SpfResult) -> None:
    assert str(result.result) in case.results, (
        f"{case.id}: {result.result}, expected one of {case.results}; {result.problems}"
    )
    if case.explanation is not None:
        assert result.explanation == case.explanation, case.id


def _skip(case: SuiteCase) -> None:
    if case.id in SKIPS:
        pytest.skip(SKIPS[case.id])


def test_suite_is_all_there(test_data):
    assert suite_path() == test_data / SUITE_NAME
    assert len(CASES) == 203
    assert len(set(IDS)) == 203
    assert len(PERMERROR) == 74
    assert len(VALID) == 92
    assert not set(PERMERROR) & set(VALID)


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_in_memory(case: SuiteCase):
    _skip(case)
    resolver = SuiteResolver(case.zonedata)
    result = await check_host(
        case.host, case.mailfrom, case.helo, resolver=resolver, default_explanation="DEFAULT"
    )
    _assert_expected(case, result)


@pytest.fixture(scope="module")
def suite_server() -> Iterator[DnsServer]:
    with DnsServer({}) as server:
        yield server


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_over_loopback_dns(case: SuiteCase, suite_server: DnsServer):
    _skip(case)
    suite_server.load(case.zonedata)
    resolver = DnsResolver([Nameserver("127.0.0.1", suite_server.port)], timeout=0.2, retries=1)
    result = await check_host(
        case.host, case.mailfrom, case.helo, resolver=resolver, default_explanation="DEFAULT"
    )
    _assert_expected(case, result)


def _lint_checks_for(problem: str) -> set[str]:
    """The lint checks that name the evaluator's permerror reason."""
    table = {
        "syntax error": {"dns.spf.syntax"},
        "SPF records (RFC 7208 4.5)": {"dns.spf.multiple"},
        "(RFC 7208 5.2)": {"dns.spf.include_missing"},
        "(RFC 7208 6.1)": {"dns.spf.redirect_missing"},
        "MX records, over the limit": {"dns.spf.mx_limit"},
        "void lookups": {"dns.spf.void_lookups"},
        "DNS-querying terms": {"dns.spf.lookup_limit", "dns.spf.include_loop"},
    }
    return next(checks for text, checks in table.items() if text in problem)


def _key_id(key: tuple[str, str]) -> str:
    return f"{key[0]}/{key[1]}"


@pytest.mark.parametrize("key", sorted(PERMERROR), ids=_key_id)
async def test_lint_flags_every_permerror_record(key: tuple[str, str]):
    case = PERMERROR[key]
    ctx = Context(resolver=SuiteResolver(case.zonedata))
    findings = await check_spf(case.domain, ctx=ctx)
    failed = {f.check for f in findings if f.status is Status.FAIL}
    result = await check_host(
        case.host, case.mailfrom, case.helo, resolver=SuiteResolver(case.zonedata)
    )
    assert str(result.result) == "permerror"
    assert failed & _lint_checks_for(result.problems[0]), (failed, result.problems)


@pytest.mark.parametrize("key", sorted(VALID), ids=_key_id)
async def test_lint_passes_every_valid_record(key: tuple[str, str]):
    case = VALID[key]
    findings = await check_spf(case.domain, ctx=Context(resolver=SuiteResolver(case.zonedata)))
    failed = {f.check for f in findings if f.status is Status.FAIL}
    record = next(f for f in findings if f.check == "dns.spf.record")
    assert record.status is Status.PASS
    assert failed == ({LINT_STRICTER[key]} if key in LINT_STRICTER else set()), findings
