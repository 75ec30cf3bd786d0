"""Certificate description and name matching."""

from __future__ import annotations

import datetime as dt

import pytest
import trustme

from maildoctor.smtp.tlsinfo import describe_verify_error, hostname_matches, parse_certificate


@pytest.mark.parametrize(
    ("host", "names", "ok"),
    [
        ("mx.example.com", ["mx.example.com"], True),
        ("MX.Example.com.", ["mx.example.com"], True),
        ("mx.example.com", ["*.example.com"], True),
        ("a.mx.example.com", ["*.example.com"], False),
        ("example.com", ["*.example.com"], False),
        ("mx.example.com", ["mx.example.net"], False),
        ("192.0.2.1", ["192.0.2.1"], True),
        ("192.0.2.1", ["*.example.com"], False),
    ],
)
def test_hostname_matches(host, names, ok):
    assert hostname_matches(host, names) is ok


def test_parse_certificate_reads_names_issuer_and_validity():
    ca = trustme.CA()
    not_after = dt.datetime(2030, 1, 2, tzinfo=dt.UTC)
    leaf = ca.issue_cert("mx.example.com", "*.example.net", not_after=not_after)
    der = leaf.cert_chain_pems[0].bytes()
    from cryptography import x509

    info = parse_certificate(
        x509.load_pem_x509_certificate(der).public_bytes(
            __import__(
                "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]
            ).Encoding.DER
        )
    )
    assert info is not None
    assert info.names == ("mx.example.com", "*.example.net")
    assert info.not_after == not_after
    assert not info.self_signed
    now = dt.datetime(2031, 1, 1, tzinfo=dt.UTC).timestamp()
    assert info.expired(now) and info.days_left(now) < 0


def test_parse_certificate_rejects_garbage():
    assert parse_certificate(b"not a certificate") is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [(10, "expired"), (62, "name_mismatch"), (20, "unknown_issuer"), (9999, "invalid")],
)
def test_describe_verify_error(code, reason):
    assert describe_verify_error(code)[0] == reason
