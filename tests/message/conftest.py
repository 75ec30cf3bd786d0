"""Fixtures for the message-layer tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from maildoctor.context import Context
from maildoctor.testing.dnsserver import DnsServer


@pytest.fixture
def served(dns_server: DnsServer, resolver_for: Any) -> Callable[[Mapping[str, Any]], Context]:
    """Load zonedata into the loopback server and return a Context that asks it."""

    def load(zonedata: Mapping[str, Any]) -> Context:
        dns_server.load(zonedata)
        return Context(resolver=resolver_for(dns_server), timeout=1.0)

    return load
