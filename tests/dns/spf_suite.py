"""The RFC 7208 test suite as data: case loading and an in-memory resolver.

:class:`SuiteResolver` answers from a scenario's ``zonedata`` with the suite's
driver rules (REFERENCE.md section 6 and pyspf's ``testspf.py``), written
independently of :class:`~maildoctor.testing.dnsserver.DnsServer` so that each
checks the other:

* an ``SPF`` record is served as TXT too unless the name has its own TXT
  (done by :func:`~maildoctor.testing.dnsserver.load_zone`);
* a bare ``TIMEOUT`` times the name out unless a record of the asked type came
  first; ``{TYPE: TIMEOUT}`` times out that type;
* a name that is not in the zone and begins with ``error.`` times out;
* a label longer than 63 octets is a temporary error; empty labels are dropped
  (the driver emulates pydns's label handling);
* CNAMEs are chased inside the zone; a loop is a DNS error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from maildoctor.dns.resolver import DnsAnswer, Outcome, normalise
from maildoctor.testing.dnsserver import load_zone

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUITE_NAME = "vectors/spf/rfc7208-tests.yml"
TIMEOUT_ROW = ("TIMEOUT", "TIMEOUT")
MAX_CHAIN = 16


def suite_path() -> Path:
    """Where the suite lives (under the ``test_data`` fixture's folder, usable at collection)."""
    return FIXTURES / SUITE_NAME


@dataclass(frozen=True)
class SuiteCase:
    """One test of the suite."""

    scenario: str
    name: str
    host: str
    mailfrom: str
    helo: str
    results: tuple[str, ...]
    explanation: str | None
    zonedata: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{_slug(self.scenario)}/{self.name}"

    @property
    def domain(self) -> str:
        """The domain check_host() starts from (section 4.1, 2.4 for the null sender)."""
        sender = self.mailfrom or f"postmaster@{self.helo}"
        return sender.rpartition("@")[2].rstrip(".").lower()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_scenarios(path: Path | None = None) -> list[dict[str, Any]]:
    """The YAML documents (one per scenario)."""
    with open(path or suite_path(), encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def load_cases(path: Path | None = None) -> list[SuiteCase]:
    """Every test of every scenario, in file order."""
    return [case for doc in load_scenarios(path) for case in _cases(doc)]


def _cases(doc: dict[str, Any]) -> Iterator[SuiteCase]:
    for name, test in doc["tests"].items():
        result = test["result"]
        yield SuiteCase(
            scenario=doc["description"],
            name=name,
            host=str(test["host"]),
            mailfrom=str(test.get("mailfrom") or ""),
            helo=str(test.get("helo") or ""),
            results=tuple(result) if isinstance(result, list) else (result,),
            explanation=test.get("explanation"),
            zonedata=doc["zonedata"],
        )


class SuiteResolver:
    """A :class:`~maildoctor.dns.resolver.Resolver` over one scenario's zone data."""

    def __init__(self, zonedata: dict[str, Any]) -> None:
        self.zone = load_zone(zonedata)
        self.log: list[tuple[str, str]] = []

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        name, rdtype = normalise(name), rdtype.upper()
        self.log.append((name, rdtype))
        base: dict[str, Any] = {"name": name, "rdtype": rdtype, "server": "suite"}
        labels = name.split(".")
        if any(len(label.encode()) > 63 for label in labels):
            return DnsAnswer(outcome=Outcome.TIMEOUT, error="DNS label too long", **base)
        return self._chase(".".join(label for label in labels if label), rdtype, base)

    def _chase(self, key: str, rdtype: str, base: dict[str, Any]) -> DnsAnswer:
        chain: list[str] = []
        for _ in range(MAX_CHAIN):
            rows = self.zone.get(key)
            if rows is None:
                if key.startswith("error."):
                    return DnsAnswer(outcome=Outcome.TIMEOUT, error="error. name", **base)
                return DnsAnswer(outcome=Outcome.NXDOMAIN, cname_chain=tuple(chain), **base)
            found, cname, timeout = _scan(rows, rdtype)
            if timeout:
                return DnsAnswer(outcome=Outcome.TIMEOUT, error="TIMEOUT in zone", **base)
            if found:
                return DnsAnswer(
                    outcome=Outcome.ANSWER, records=tuple(found), cname_chain=tuple(chain), **base
                )
            if cname is None or rdtype == "CNAME":
                return DnsAnswer(outcome=Outcome.NODATA, cname_chain=tuple(chain), **base)
            if cname in chain or cname == base["name"]:
                return DnsAnswer(outcome=Outcome.ERROR, error="CNAME loop", **base)
            chain.append(cname)
            key = cname
        return DnsAnswer(outcome=Outcome.ERROR, error="CNAME chain too long", **base)


def _scan(rows: list[tuple[str, Any]], rdtype: str) -> tuple[list[str], str | None, bool]:
    """(records of the type, CNAME target, timed out) for one name's rows."""
    found: list[str] = []
    cname: str | None = None
    matched = False
    for row in rows:
        if row == TIMEOUT_ROW:
            return found, cname, not matched
        rtype, value = row
        if rtype == rdtype:
            matched = True
            if value == "TIMEOUT":
                return [], None, True
            found.append(_text(rtype, value))
        elif rtype == "CNAME":
            cname = normalise(str(value))
    return found, cname, False


def _text(rtype: str, value: Any) -> str:
    """Record data as :class:`DnsAnswer` holds it (TXT strings joined, MX ``PREF HOST``)."""
    if rtype in ("TXT", "SPF"):
        return "".join(value) if isinstance(value, list | tuple) else str(value)
    if rtype == "MX":
        pref, host = value
        return f"{int(pref)} {str(host).rstrip('.') or '.'}"
    return str(value).rstrip(".")
