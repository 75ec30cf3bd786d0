"""DKIM keys: the key-record parser (pure) and selector checks over DNS."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from maildoctor.context import Context
from maildoctor.dns.dkim import check_dkim, parse_dkim_key
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import DnsServer


def _rsa_p(bits: int) -> str:
    """A base64 SubjectPublicKeyInfo of an RSA key with a modulus of ``bits`` bits."""
    modulus = (1 << (bits - 1)) | (1 << (bits // 2)) | 1
    key = rsa.RSAPublicNumbers(65537, modulus).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


RSA_2048 = _rsa_p(2048)
RSA_1024 = _rsa_p(1024)
RSA_512 = _rsa_p(512)


def _ed25519_p() -> str:
    raw = (
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


# -- parser -------------------------------------------------------------------------


def test_rsa_key_size_and_default_tags() -> None:
    key = parse_dkim_key(f"v=DKIM1; k=rsa; p={RSA_2048}")
    assert (key.key_type, key.key_bits, key.errors) == ("rsa", 2048, ())
    assert key.services == ("*",) and not key.testing and not key.revoked


def test_key_split_with_whitespace_and_pkcs1() -> None:
    der = (
        rsa.RSAPublicNumbers(65537, (1 << 1023) | 1)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    )
    p = base64.b64encode(der).decode()
    key = parse_dkim_key(f"k=rsa; p={p[:50]} {p[50:]}")
    assert key.key_bits == 1024 and key.errors == ()


def test_ed25519() -> None:
    key = parse_dkim_key(f"v=DKIM1; k=ed25519; p={_ed25519_p()}")
    assert (key.key_type, key.key_bits, key.errors) == ("ed25519", 256, ())


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ("v=DKIM1; k=rsa", "no p= tag"),
        ("v=DKIM2; p=" + RSA_2048, "v=DKIM2: must be DKIM1"),
        ("k=rsa; v=DKIM1; p=" + RSA_2048, "v=DKIM1 must be the first tag"),
        ("v=DKIM1; p=not base64!!", "p= is not valid base64"),
        ("v=DKIM1; p=AAAA", "p= is not an RSA public key"),
        ("v=DKIM1; k=dsa; p=" + RSA_2048, "k=dsa: unknown key type"),
        ("v=DKIM1; k=ed25519; p=" + RSA_2048, "k=ed25519 but p= holds"),
        ("v=DKIM1; h=sha1; p=" + RSA_2048, "h=sha1: only sha256"),
        ("v=DKIM1; s=tlsrpt; p=" + RSA_2048, "s=tlsrpt: the key is not for email"),
        ("v=DKIM1; p=" + RSA_2048 + "; p=" + RSA_2048, "p= appears twice"),
        ("v=DKIM1; garbage; p=" + RSA_2048, "'garbage' is not a tag=value pair"),
    ],
)
def test_syntax_errors(record: str, error: str) -> None:
    key = parse_dkim_key(record)
    assert any(error in e for e in key.errors), key.errors


def test_ec_key_with_k_rsa_is_rejected() -> None:
    der = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    key = parse_dkim_key("k=rsa; p=" + base64.b64encode(der).decode())
    assert key.errors == ("k=rsa but p= holds a key of another type (ECDSA)",)


def test_revoked_and_testing() -> None:
    assert parse_dkim_key("v=DKIM1; p=").revoked
    assert parse_dkim_key(f"v=DKIM1; t=y:s; p={RSA_2048}").testing


# -- checks over DNS ----------------------------------------------------------------


def _status(findings: tuple[Finding, ...], check: str) -> Status:
    return next(f.status for f in findings if f.check == check)


async def _run(
    server: DnsServer, resolver_for, *selectors: str, timeout: float = 2.0
) -> tuple[Finding, ...]:
    ctx = Context(resolver=resolver_for(server, timeout=timeout))
    return await check_dkim("example.com", selectors, ctx=ctx)


@pytest.mark.parametrize(
    ("p", "status", "cause"),
    [(RSA_2048, Status.PASS, ""), (RSA_1024, Status.WARN, ""), (RSA_512, Status.FAIL, "weak")],
)
async def test_key_length(dns_server, resolver_for, p: str, status: Status, cause: str) -> None:
    dns_server.load({"s1._domainkey.example.com": [{"TXT": f"v=DKIM1; k=rsa; p={p}"}]})
    findings = await _run(dns_server, resolver_for, "s1")
    assert _status(findings, "dns.dkim.key") is Status.PASS
    length = next(f for f in findings if f.check == "dns.dkim.key_length")
    assert length.status is status
    assert length.cause == (f"dns.dkim.key_{cause}" if cause else "")


async def test_ses_easy_dkim_cname_is_followed(dns_server, resolver_for) -> None:
    token = "abcdefghijklmnopqrstuvwxyz234567"
    dns_server.load(
        {
            f"{token}._domainkey.example.com": [{"CNAME": f"{token}.dkim.amazonses.com"}],
            f"{token}.dkim.amazonses.com": [{"TXT": f"p={RSA_2048}"}],
        }
    )
    findings = await _run(dns_server, resolver_for, token)
    key = next(f for f in findings if f.check == "dns.dkim.key")
    assert key.status is Status.PASS and "(SES Easy DKIM)" in key.summary
    assert key.data["cname_chain"] == [f"{token}.dkim.amazonses.com"]
    assert "->" in key.evidence[0].query


async def test_missing_selector_and_dangling_ses_cname(dns_server, resolver_for) -> None:
    dns_server.load({"gone._domainkey.example.com": [{"CNAME": "gone.dkim.amazonses.com"}]})
    findings = await _run(dns_server, resolver_for, "nothere", "gone")
    keys = [f for f in findings if f.check == "dns.dkim.key"]
    assert [f.cause for f in keys] == ["dns.dkim.key_missing"] * 2
    assert "SES Easy DKIM token" in keys[1].detail


async def test_revoked_testing_and_not_a_key(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "old._domainkey.example.com": [{"TXT": "v=DKIM1; k=rsa; p="}],
            "test._domainkey.example.com": [{"TXT": f"v=DKIM1; t=y; p={RSA_2048}"}],
            "spf._domainkey.example.com": [{"TXT": "v=spf1 -all"}],
        }
    )
    findings = await _run(dns_server, resolver_for, "old", "test", "spf")
    by_subject = {f.subject.split(".")[0] + ":" + f.check: f for f in findings}
    assert by_subject["old:dns.dkim.key"].cause == "dns.dkim.key_missing"  # revoked
    assert "revoked" in by_subject["old:dns.dkim.key"].summary
    assert by_subject["test:dns.dkim.testing"].status is Status.WARN
    assert by_subject["spf:dns.dkim.key"].cause == "dns.dkim.key_syntax"


async def test_multiple_keys_warn(dns_server, resolver_for) -> None:
    dns_server.load(
        {"s._domainkey.example.com": [{"TXT": f"p={RSA_2048}"}, {"TXT": f"p={RSA_1024}"}]}
    )
    findings = await _run(dns_server, resolver_for, "s")
    assert _status(findings, "dns.dkim.multiple") is Status.WARN


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_dns_failure_is_error(resolver_for, failure: str) -> None:
    with DnsServer({}, **{failure: ["s._domainkey.example.com"]}) as server:
        findings = await _run(server, resolver_for, "s", timeout=0.3)
    (key,) = findings
    assert key.status is Status.ERROR and not key.cause


async def test_no_selectors_is_skipped(dns_server, resolver_for) -> None:
    (finding,) = await _run(dns_server, resolver_for)
    assert finding.status is Status.SKIPPED
    assert dns_server.log == []


@pytest.mark.parametrize("bits", [512, 1023, 1024, 2048, 2049, 3072, 4096, 8192])
def test_fast_der_reader_agrees_with_cryptography(bits: int) -> None:
    import base64

    from cryptography.hazmat.primitives.serialization import load_der_public_key

    from maildoctor.dns.dkim import _spki_rsa_bits

    der = base64.b64decode(_rsa_p(bits))
    expected = load_der_public_key(der).key_size  # type: ignore[union-attr]
    assert _spki_rsa_bits(der) == expected == bits


@pytest.mark.parametrize(
    "junk", [b"", b"\x30", b"\x30\x82\xff\xff", b"\x30\x03\x02\x01\x05", bytes(range(40))]
)
def test_fast_der_reader_declines_junk(junk: bytes) -> None:
    from maildoctor.dns.dkim import _spki_rsa_bits

    assert _spki_rsa_bits(junk) is None
