"""Fixtures for the SMTP layer: a private CA, loopback servers and contexts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
from smtp_data import KEY_ID, SECRET

from maildoctor.context import Context
from maildoctor.dns.resolver import StaticResolver
from maildoctor.secrets import Secret
from maildoctor.testing.smtpserver import ExchangeLikeServer, SesLikeServer, TestPki


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return TestPki()


@pytest.fixture(scope="module")
def ses(pki: TestPki) -> Iterator[SesLikeServer]:
    """An SES-like endpoint for us-east-1 whose current secret is :data:`SECRET`."""
    with SesLikeServer(
        "us-east-1",
        current_secret=Secret(SECRET),
        pki=pki,
        verified=["example.com"],
        access_key_id=KEY_ID,
    ) as server:
        yield server


@pytest.fixture(scope="module")
def exchange(pki: TestPki) -> Iterator[ExchangeLikeServer]:
    """An Exchange-like recipient server that rejects RCPT with the DMARC NDR."""
    with ExchangeLikeServer("rcpt", pki=pki, host_name="mx.example.com") as server:
        yield server


def static(records: Mapping[str, Mapping[str, list[str]]]) -> StaticResolver:
    return StaticResolver(records)


@pytest.fixture
def make_ctx(pki: TestPki):
    """Build a Context over a StaticResolver; every name in ``hosts`` -> 127.0.0.1."""

    def make(
        *hosts: str,
        timeout: float = 3.0,  # generous: a loaded machine must not turn a pass into a timeout
        verify: bool = True,
        records: Mapping[str, Mapping[str, list[str]]] | None = None,
    ) -> Context:
        zone = {h: {"A": ["127.0.0.1"]} for h in hosts}
        zone.update(records or {})
        return Context(
            resolver=static(zone), timeout=timeout, ca_file=pki.ca_file, verify_tls=verify
        )

    return make
