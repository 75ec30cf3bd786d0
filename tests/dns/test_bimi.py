"""BIMI: the record, SVG Tiny PS checks on a logo fetched over loopback HTTPS, the VMC."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from maildoctor.context import Context
from maildoctor.correlate import correlate
from maildoctor.dns import bimi
from maildoctor.model import Status
from maildoctor.testing.httpsfiles import FilesHttpsServer
from maildoctor.testing.smtpserver import TestPki

GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" '
    b'viewBox="0 0 100 100"><title>Example</title><circle cx="50" cy="50" r="40"/></svg>'
)
BAD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'x="0" viewBox="0 0 100 100"><script>alert(1)</script>'
    b'<image xlink:href="https://tracker.example.net/p.png"/><rect onclick="x()"/></svg>'
)
BOMB = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'


def _vmc(*, bimi_eku: bool = True) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example VMC")])
    now = dt.datetime.now(dt.UTC)
    eku = x509.ObjectIdentifier(bimi.BIMI_EKU_OID if bimi_eku else "1.3.6.1.5.5.7.3.1")
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    )
    if bimi_eku:
        logotype = x509.UnrecognizedExtension(x509.ObjectIdentifier(bimi.LOGOTYPE_OID), b"\x30\x00")
        builder = builder.add_extension(logotype, critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def test_record_parsing() -> None:
    good = bimi.parse_bimi(
        "v=BIMI1; l=https://bimi.example.com/l.svg; a=https://bimi.example.com/v.pem"
    )
    assert good.logo.endswith("l.svg") and good.authority.endswith("v.pem") and not good.problems
    assert bimi.parse_bimi("v=BIMI1; l=; a=;").declined
    bad = bimi.parse_bimi("v=BIMI2; l=http://bimi.example.com/l.svg")
    assert len(bad.problems) == 2


def test_svg_tiny_ps_checks() -> None:
    assert bimi.svg_problems(GOOD_SVG) == ()
    problems = " | ".join(bimi.svg_problems(BAD_SVG))
    for word in ("baseProfile", 'version="1.2"', "x= or y=", "<title>", "<script>", "<image>"):
        assert word in problems
    assert "external reference" in problems and "onclick" in problems
    assert "DOCTYPE" in bimi.svg_problems(BOMB)[0]
    assert "not well-formed" in bimi.svg_problems(b"<svg")[0]
    assert "limit" in bimi.svg_problems(b" " * (bimi.MAX_SVG_BYTES + 1))[0]


def test_vmc_checks() -> None:
    assert bimi.vmc_summary(_vmc()) == ()
    assert len(bimi.vmc_summary(_vmc(bimi_eku=False))) == 2
    assert "not a PEM" in bimi.vmc_summary(b"junk")[0]


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


@pytest.fixture(scope="module")
def web(pki):
    files = {
        "/good.svg": (GOOD_SVG, "image/svg+xml"),
        "/bad.svg": (BAD_SVG, "image/svg+xml"),
        "/big.svg": (b"<svg>" + b" " * 40000 + b"</svg>", "image/svg+xml"),
        "/vmc.pem": (_vmc(), "application/x-pem-file"),
    }
    with FilesHttpsServer(files, pki=pki, host_name="bimi.example.com") as server:
        yield server


async def _check(dns_server, resolver_for, pki, web, record: str, dmarc: str = "p=reject"):
    dns_server.load(
        {
            "default._bimi.example.com": [{"TXT": record}],
            "_dmarc.example.com": [{"TXT": f"v=DMARC1; {dmarc}"}],
            "bimi.example.com": [{"A": "127.0.0.1"}],
        }
    )
    ctx = Context(resolver=resolver_for(dns_server, timeout=1.0), timeout=3.0, ca_file=pki.ca_file)
    found = await bimi.check_bimi("example.com", ctx=ctx, https_port=web.port)
    return {f.check: f for f in found}


async def test_good_logo_and_vmc_over_https(dns_server, resolver_for, pki, web) -> None:
    record = "v=BIMI1; l=https://bimi.example.com/good.svg; a=https://bimi.example.com/vmc.pem"
    found = await _check(dns_server, resolver_for, pki, web, record)
    assert {f.status for f in found.values()} == {Status.PASS}, [f.summary for f in found.values()]
    assert "GET /good.svg HTTP/1.1" in web.requests


async def test_bad_logo_no_vmc_weak_dmarc(dns_server, resolver_for, pki, web) -> None:
    record = "v=BIMI1; l=https://bimi.example.com/bad.svg"
    found = await _check(dns_server, resolver_for, pki, web, record, dmarc="p=none")
    assert found["dns.bimi.svg"].status is Status.WARN
    assert "<script>" in found["dns.bimi.svg"].summary
    assert found["dns.bimi.vmc"].status is Status.INFO
    assert found["dns.bimi.dmarc"].status is Status.WARN
    assert correlate(tuple(found.values())) == ()  # BIMI never stops delivery
    assert not any("tracker" in r for r in web.requests)  # the SVG's links are never fetched


async def test_size_cap_and_missing_file(dns_server, resolver_for, pki, web) -> None:
    record = "v=BIMI1; l=https://bimi.example.com/big.svg; a=https://bimi.example.com/none.pem"
    found = await _check(dns_server, resolver_for, pki, web, record)
    assert "over 32768 bytes" in found["dns.bimi.svg"].summary
    assert "HTTP 404" in found["dns.bimi.vmc"].summary


async def test_untrusted_certificate_is_not_fetched(dns_server, resolver_for, web) -> None:
    record = "v=BIMI1; l=https://bimi.example.com/good.svg"
    other = TestPki()  # the context trusts another CA
    found = await _check(dns_server, resolver_for, other, web, record)
    assert found["dns.bimi.svg"].status is Status.WARN
    assert "could not be fetched" in found["dns.bimi.svg"].summary


async def test_no_record(dns_server, resolver_for) -> None:
    dns_server.load({})
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    (only,) = await bimi.check_bimi("example.com", ctx=ctx)
    assert only.status is Status.INFO and "no BIMI record" in only.summary
