"""DKIM verification with keys prefetched through maildoctor's resolver (real DNS on loopback)."""

from __future__ import annotations

from msg_helpers import DKIMPY_DATA, KEY_RECORD, SES_BODY_HEADERS, sign

from maildoctor.message.dkim_verify import key_names, verify_dkim
from maildoctor.message.headers import parse_message

MESSAGE = SES_BODY_HEADERS.encode()


async def verdicts(raw: bytes, served, zone):
    ctx = served(zone)
    return await verify_dkim(raw, parse_message(raw), resolver=ctx.resolver)


async def test_valid_signature_passes_with_key_size(served):
    raw = sign(MESSAGE, domain="example.com")
    (verdict,) = await verdicts(raw, served, {"test._domainkey.example.com": [{"TXT": KEY_RECORD}]})
    assert verdict.result == "pass"
    assert verdict.key_bits == 2048
    assert verdict.key_answer is not None and verdict.key_answer.server is not None
    assert (verdict.domain, verdict.selector) == ("example.com", "test")


async def test_modified_body_fails_with_body_hash_reason(served):
    raw = sign(MESSAGE, domain="example.com") + b"a footer added by a gateway\r\n"
    (verdict,) = await verdicts(raw, served, {"test._domainkey.example.com": [{"TXT": KEY_RECORD}]})
    assert verdict.result == "fail"
    assert "body hash mismatch" in verdict.reason


async def test_modified_header_fails(served):
    raw = sign(MESSAGE, domain="example.com").replace(b"Quarterly report", b"Quarterly rep0rt")
    (verdict,) = await verdicts(raw, served, {"test._domainkey.example.com": [{"TXT": KEY_RECORD}]})
    assert verdict.result == "fail"


async def test_missing_key_is_permerror(served):
    raw = sign(MESSAGE, domain="example.com")
    (verdict,) = await verdicts(raw, served, {"example.com": [{"A": "192.0.2.1"}]})
    assert verdict.result == "permerror"
    assert "no key published at test._domainkey.example.com" in verdict.reason


async def test_revoked_key_is_permerror(served):
    raw = sign(MESSAGE, domain="example.com")
    zone = {"test._domainkey.example.com": [{"TXT": "v=DKIM1; k=rsa; p="}]}
    (verdict,) = await verdicts(raw, served, zone)
    assert verdict.result == "permerror"


async def test_key_timeout_is_temperror_not_fail(served):
    raw = sign(MESSAGE, domain="example.com")
    (verdict,) = await verdicts(raw, served, {"test._domainkey.example.com": ["TIMEOUT"]})
    assert verdict.result == "temperror"
    assert "timeout" in verdict.reason


async def test_every_signature_gets_a_verdict_and_keys_are_asked_once(served, dns_server):
    raw = sign(sign(MESSAGE, domain="example.com"), domain="example.org")
    zone = {"test._domainkey.example.com": [{"TXT": KEY_RECORD}]}
    result = await verdicts(raw, served, zone)
    assert [(v.domain, v.result) for v in result] == [
        ("example.org", "permerror"),
        ("example.com", "pass"),
    ]
    asked = [e.name for e in dns_server.log]
    assert sorted(asked) == ["test._domainkey.example.com", "test._domainkey.example.org"]


def test_key_names_cover_dkim_and_arc():
    raw = (
        b"DKIM-Signature: v=1; d=Example.COM; s=s1; b=x\r\n"
        b"ARC-Seal: i=1; d=example.org; s=arc; cv=none; b=x\r\n"
        b"ARC-Message-Signature: i=1; d=example.org; s=arc; b=x\r\n\r\n"
    )
    assert key_names(parse_message(raw)) == (
        "s1._domainkey.example.com",
        "arc._domainkey.example.org",
    )


async def test_ed25519_without_pynacl_is_skipped_not_failed(served, monkeypatch):
    import dkim

    # dkimpy binds PyNaCl at import when it is installed (it is a dependency); take it
    # away to exercise the path of an install without it.
    monkeypatch.delattr(dkim, "nacl", raising=False)
    raw = (DKIMPY_DATA / "ed25519test2.msg").read_bytes()
    zone = {"sed._domainkey.test.ex": [{"TXT": (DKIMPY_DATA / "eximtest.dns").read_text().strip()}]}
    (verdict,) = await verdicts(raw, served, zone)
    assert verdict.result == "skipped"
