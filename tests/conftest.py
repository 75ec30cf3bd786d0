"""Session-wide test setup: the loopback guard, the path to test data, a DNS server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from maildoctor.dns.resolver import DnsResolver, Nameserver
from maildoctor.testing import netguard
from maildoctor.testing.dnsserver import DnsServer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GUARD_DIR = Path(__file__).resolve().parent / "guard"

netguard.install()


@pytest.fixture(autouse=True)
def _no_network_beyond_loopback():
    """Fail any test that tried to leave loopback, even where the error was swallowed."""
    netguard.violations.clear()
    yield
    tried = list(netguard.violations)
    netguard.violations.clear()
    if tried:
        pytest.fail(f"test tried to leave loopback: {tried[:5]}")


@pytest.fixture(scope="session")
def test_data() -> Path:
    """``tests/fixtures``: vectors and corpora, each with its origin and licence (README there)."""
    return FIXTURES


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    """An empty authoritative server on loopback; call ``.load(zonedata)``."""
    with DnsServer({}) as server:
        yield server


@pytest.fixture
def resolver_for():
    """Build a resolver pointed at a DnsServer, with a short timeout."""

    def make(server: DnsServer, *, timeout: float = 1.0, retries: int = 0) -> DnsResolver:
        return DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=timeout, retries=retries)

    return make


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """Environment for subprocesses: the loopback guard loaded through sitecustomize."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD_DIR), env.get("PYTHONPATH", "")) if p)
    return env
