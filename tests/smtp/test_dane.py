"""DANE/TLSA: records matching and not matching the loopback MX's trustme certificate."""

from __future__ import annotations

import ssl

import pytest

from maildoctor.context import Context
from maildoctor.correlate import correlate
from maildoctor.dns.rdata import MxRecord
from maildoctor.model import Status
from maildoctor.smtp.dane import Tlsa, check_dane, match_tlsa, parse_tlsa, tlsa_name, tlsa_record
from maildoctor.smtp.mx_probe import probe_mx_host
from maildoctor.testing.smtpserver import ExchangeLikeServer

HOST = "mx.example.com"


@pytest.fixture(scope="module")
def mx(pki):
    with ExchangeLikeServer(None, pki=pki, host_name=HOST) as server:
        yield server


def _leaf(pki) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pki.leaves[(HOST,)].decode())


def _ca(pki) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pki.ca.cert_pem.bytes().decode())


def test_parse_and_name() -> None:
    assert tlsa_name("MX.Example.com.") == "_25._tcp.mx.example.com"
    assert parse_tlsa("3 1 1 AB CD") == Tlsa(usage=3, selector=1, mtype=1, data="abcd")
    assert parse_tlsa("3 1 1 xyz") is None and parse_tlsa("3 1") is None
    assert not Tlsa(usage=1, selector=1, mtype=1, data="").usable


@pytest.mark.parametrize(("selector", "mtype"), [(0, 0), (0, 1), (1, 1), (1, 2), (0, 2)])
def test_match_every_selector_and_matching_type(pki, mx, selector, mtype) -> None:
    leaf, ca = _leaf(pki), _ca(pki)
    ee = parse_tlsa(tlsa_record(leaf, usage=3, selector=selector, mtype=mtype))
    assert ee is not None and match_tlsa(ee, [leaf, ca])
    ta = parse_tlsa(tlsa_record(ca, usage=2, selector=selector, mtype=mtype))
    assert ta is not None and match_tlsa(ta, [leaf, ca])
    assert not match_tlsa(ta, [leaf])  # the issuer was not sent
    wrong_usage = parse_tlsa(tlsa_record(ca, usage=3, selector=selector, mtype=mtype))
    assert wrong_usage is not None and not match_tlsa(wrong_usage, [leaf, ca])
    pkix = parse_tlsa(tlsa_record(leaf, usage=1, selector=selector, mtype=mtype))
    assert pkix is not None and not match_tlsa(pkix, [leaf])  # unusable for SMTP


async def _dane(pki, mx, dns_server, resolver_for, tlsa: list[str], secure: bool = False):
    zone = {HOST: [{"A": "127.0.0.1"}]}
    if tlsa:
        zone[tlsa_name(HOST)] = [{"TLSA": t} for t in tlsa]
    dns_server.load(zone)
    dns_server.secure_zones = {"example.com"} if secure else set()
    ctx = Context(resolver=resolver_for(dns_server, timeout=1.0), timeout=2.0, ca_file=pki.ca_file)
    try:
        result = await probe_mx_host(MxRecord(10, HOST), port=mx.port, ctx=ctx)
        assert result.tls is not None and result.tls.chain_der
        return {f.check: f for f in await check_dane([result], ctx=ctx)}
    finally:
        dns_server.secure_zones = set()


async def test_matching_tlsa_over_loopback(pki, mx, dns_server, resolver_for) -> None:
    found = await _dane(pki, mx, dns_server, resolver_for, [tlsa_record(_leaf(pki))], secure=True)
    assert found["transport.dane.match"].status is Status.PASS
    assert "DANE-EE" in found["transport.dane.match"].summary
    assert found["transport.dane.authenticated"].status is Status.PASS


async def test_mismatching_tlsa_is_a_cause(pki, mx, dns_server, resolver_for) -> None:
    stale = "3 1 1 " + "00" * 32
    found = await _dane(pki, mx, dns_server, resolver_for, [stale])
    bad = found["transport.dane.mismatch"]
    assert bad.status is Status.FAIL and bad.cause == "transport.dane.mismatch"
    assert tlsa_record(_leaf(pki)) in bad.fix
    assert found["transport.dane.authenticated"].status is Status.INFO
    (cause,) = correlate(tuple(found.values()))
    assert cause.id == "transport.dane.mismatch"


async def test_no_tlsa_means_no_dane(pki, mx, dns_server, resolver_for) -> None:
    found = await _dane(pki, mx, dns_server, resolver_for, [])
    assert list(found) == ["transport.dane.none"]
    assert found["transport.dane.none"].status is Status.INFO


async def test_only_pkix_records_are_unusable(pki, mx, dns_server, resolver_for) -> None:
    found = await _dane(pki, mx, dns_server, resolver_for, [tlsa_record(_leaf(pki), usage=1)])
    assert found["transport.dane.unusable"].status is Status.WARN


async def test_check_mx_reports_dane(pki, mx, make_ctx) -> None:
    from maildoctor.smtp.mx_probe import check_mx

    records = {
        "example.com": {"MX": [f"10 {HOST}"]},
        HOST: {"A": ["127.0.0.1"]},
        tlsa_name(HOST): {"TLSA": ["3 0 1 " + "ab" * 32]},
    }
    found = await check_mx("example.com", port=mx.port, ctx=make_ctx(records=records))
    (bad,) = [f for f in found if f.check == "transport.dane.mismatch"]
    assert bad.subject == HOST and bad.cause == "transport.dane.mismatch"
