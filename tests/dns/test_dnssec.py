"""DNSSEC over loopback: signed, unsigned, bogus (expired, wrong DS, tampered), AD."""

from __future__ import annotations

import time

import dns.rdata
import dns.rdataclass
import dns.rdatatype
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from maildoctor.context import Context
from maildoctor.correlate import correlate
from maildoctor.dns.dnssec import check_dnssec
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import sign_zonedata

ZONE = {
    "example.com": [{"MX": [10, "mx.example.com"]}, {"TXT": "v=spf1 -all"}],
    "mx.example.com": [{"A": "192.0.2.25"}],
}


@pytest.fixture(scope="module")
def key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def _signed(key, **kwargs) -> tuple[dict, str]:
    return sign_zonedata("example.com", ZONE, key, **kwargs)


def _with_ds(zone: dict, ds: str) -> dict:
    # The loopback server is authoritative for every name, so the parent's DS sits in the zone.
    return {**zone, "example.com": [*zone["example.com"], {"DS": ds}]}


async def _check(dns_server, resolver_for, zone, **server) -> dict[str, Finding]:
    dns_server.load(zone)
    dns_server.secure_zones = set(server.get("secure", ()))
    dns_server.bogus_zones = set(server.get("bogus", ()))
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5), timeout=0.5)
    try:
        found = await check_dnssec("example.com", ctx=ctx, trust_anchor=server.get("anchor"))
    finally:
        dns_server.secure_zones = set()
        dns_server.bogus_zones = set()
    return {f.check: f for f in found}


async def test_unsigned_zone(dns_server, resolver_for) -> None:
    found = await _check(dns_server, resolver_for, ZONE)
    assert list(found) == ["dns.dnssec.signed"]
    assert found["dns.dnssec.signed"].status is Status.INFO
    assert found["dns.dnssec.signed"].data["signed"] is False


async def test_signed_with_ds_validates_and_ad(dns_server, resolver_for, key) -> None:
    zone, ds = _signed(key)
    found = await _check(dns_server, resolver_for, _with_ds(zone, ds), secure=["example.com"])
    assert found["dns.dnssec.signed"].status is Status.PASS
    assert "ED25519" in found["dns.dnssec.signed"].summary
    chain = found["dns.dnssec.chain"]
    assert chain.status is Status.PASS, chain.summary
    assert "example.com MX signature validates" in chain.summary
    assert found["dns.dnssec.ad"].status is Status.PASS


async def test_trust_anchor_supplied(dns_server, resolver_for, key) -> None:
    zone, ds = _signed(key)
    anchor = [dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DS, ds)]
    found = await _check(dns_server, resolver_for, zone, anchor=anchor)
    assert found["dns.dnssec.chain"].status is Status.PASS
    assert found["dns.dnssec.ad"].status is Status.INFO  # this resolver does not validate


async def test_no_ds_is_an_island_not_bogus(dns_server, resolver_for, key) -> None:
    zone, _ds = _signed(key)
    found = await _check(dns_server, resolver_for, zone)
    assert found["dns.dnssec.chain"].status is Status.INFO
    assert "island" in found["dns.dnssec.chain"].summary
    assert correlate(tuple(found.values())) == ()


async def test_expired_signatures_are_bogus(dns_server, resolver_for, key) -> None:
    past = time.time() - 86400
    zone, ds = _signed(key, inception=past - 86400, expiration=past)
    found = await _check(dns_server, resolver_for, _with_ds(zone, ds))
    chain = found["dns.dnssec.chain"]
    assert chain.status is Status.FAIL and chain.cause == "dns.dnssec.bogus"
    assert "expired" in chain.summary
    (cause,) = correlate(tuple(found.values()))
    assert cause.id == "dns.dnssec.bogus"


async def test_ds_matching_no_key_is_bogus(dns_server, resolver_for, key) -> None:
    zone, _ds = _signed(key)
    _other, other_ds = _signed(ed25519.Ed25519PrivateKey.generate())
    found = await _check(dns_server, resolver_for, _with_ds(zone, other_ds))
    assert found["dns.dnssec.chain"].status is Status.FAIL
    assert "matches a DNSKEY" in found["dns.dnssec.chain"].summary


async def test_tampered_record_is_bogus(dns_server, resolver_for, key) -> None:
    zone, ds = _signed(key)
    rows = [r if "MX" not in r else {"MX": [20, "evil.example.com"]} for r in zone["example.com"]]
    found = await _check(dns_server, resolver_for, _with_ds({**zone, "example.com": rows}, ds))
    chain = found["dns.dnssec.chain"]
    assert chain.status is Status.FAIL and "example.com MX" in chain.summary


async def test_validating_resolver_servfail_is_bogus(dns_server, resolver_for, key) -> None:
    zone, ds = _signed(key)
    found = await _check(dns_server, resolver_for, _with_ds(zone, ds), bogus=["example.com"])
    # the loopback resolver refuses every name under the zone unless CD is set
    ad = found["dns.dnssec.ad"]
    assert ad.status is Status.FAIL and ad.cause == "dns.dnssec.bogus"
    assert "checking disabled" in ad.summary
    assert found["dns.dnssec.chain"].status is Status.PASS  # the data itself validates here


async def test_timeout_is_could_not_check(dns_server, resolver_for) -> None:
    dns_server.load(ZONE)
    dns_server.timeout_names = {"example.com"}
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.2), timeout=0.2)
    try:
        found = await check_dnssec("example.com", ctx=ctx)
    finally:
        dns_server.timeout_names = set()
    assert [f.check for f in found] == ["dns.dnssec.not_checked"]
    assert found[0].status is Status.ERROR
