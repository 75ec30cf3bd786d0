"""check_headers end to end, keys and policies served by the loopback DNS server."""

from __future__ import annotations

from msg_helpers import KEY_RECORD, SES_BODY_HEADERS, ses_message, sign

from maildoctor.message import check_headers
from maildoctor.model import Status

DMARC_QUARANTINE = {
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=quarantine; rua=mailto:d@example.com"}]
}
SES_KEY = {"test._domainkey.amazonses.com": [{"TXT": KEY_RECORD}]}
SES_SPF = {"amazonses.com": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}]}


def by_check(findings):
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f)
    return out


async def test_reference_incident_message(served):
    ctx = served({**DMARC_QUARANTINE, **SES_KEY, **SES_SPF})
    found = by_check(await check_headers(ses_message(), ctx=ctx))
    (dkim_sig,) = found["message.dkim.signature"]
    assert dkim_sig.status is Status.PASS and dkim_sig.data["d"] == "amazonses.com"
    (dmarc,) = found["message.dmarc.alignment"]
    assert dmarc.status is Status.FAIL
    assert dmarc.cause == "dns.dkim.not_aligned"
    (spf,) = found["message.spf.reevaluated"]
    assert spf.status is Status.PASS
    assert spf.data["ip"] == "198.51.100.30" and spf.data["ip_source"] == "Received-SPF"
    (boundary,) = found["message.received.boundary"]
    assert boundary.data["connecting_ip"] == "198.51.100.30"
    (spam,) = found["message.antispam.microsoft"]
    assert spam.status is Status.FAIL and spam.cause == "recipient.filtered.spoof"
    (compauth,) = found["message.antispam.compauth"]
    assert "explicit authentication failure" in compauth.summary
    assert "message.dmarc.disagrees" not in found  # the receiver said dmarc=fail too


async def test_aligned_dkim_passes_dmarc(served):
    raw = b"Return-Path: <bounce@mail.example.com>\r\n" + sign(
        SES_BODY_HEADERS.encode(), domain="example.com"
    )
    ctx = served({**DMARC_QUARANTINE, "test._domainkey.example.com": [{"TXT": KEY_RECORD}]})
    found = by_check(await check_headers(raw, ctx=ctx))
    (dmarc,) = found["message.dmarc.alignment"]
    assert dmarc.status is Status.PASS and dmarc.data["dkim_aligned"] == ["example.com"]
    assert found["message.received.chain"][0].summary.startswith("No Received fields")
    assert found["message.spf.skipped"]  # no connecting IP in an unsent message


async def test_receiver_disagreement_after_key_rotation(served):
    raw = (
        b"Authentication-Results: mx.example.net; dkim=pass header.d=example.com "
        b"header.s=test; dmarc=pass header.from=example.com\r\n"
        + sign(SES_BODY_HEADERS.encode(), domain="example.com")
    )
    ctx = served({**DMARC_QUARANTINE, "test._domainkey.example.com": [{"TXT": "v=DKIM1; p="}]})
    found = by_check(await check_headers(raw, ctx=ctx))
    (sig,) = found["message.dkim.signature"]
    assert sig.status is Status.FAIL and sig.cause == "dns.dkim.key_revoked"
    assert found["message.dkim.disagrees"][0].status is Status.WARN
    assert found["message.dmarc.disagrees"][0].status is Status.WARN


async def test_unsigned_message_without_dmarc_record(served):
    raw = SES_BODY_HEADERS.encode()
    found = by_check(await check_headers(raw, ctx=served({})))
    assert found["message.dkim.unsigned"][0].cause == "dns.dkim.unsigned"
    assert found["message.dmarc.policy"][0].cause == "dns.dmarc.missing"
    assert found["message.dmarc.alignment"][0].status is Status.WARN


async def test_dns_failure_is_error_not_no_record(served, dns_server):
    ctx = served({**SES_KEY})
    dns_server.timeout_names = {"_dmarc.example.com", "test._domainkey.amazonses.com"}
    found = by_check(await check_headers(ses_message(), ctx=ctx))
    assert found["message.dmarc.policy"][0].status is Status.ERROR
    assert found["message.dkim.signature"][0].status is Status.ERROR


async def test_dmarc_is_not_failed_when_an_aligned_key_lookup_times_out(served, dns_server):
    raw = sign(SES_BODY_HEADERS.encode(), domain="example.com")
    ctx = served({**DMARC_QUARANTINE, "test._domainkey.example.com": [{"TXT": KEY_RECORD}]})
    dns_server.timeout_names = {"test._domainkey.example.com"}
    (dmarc,) = by_check(await check_headers(raw, ctx=ctx))["message.dmarc.alignment"]
    assert dmarc.status is Status.ERROR and not dmarc.cause
    assert "d=example.com s=test" in dmarc.summary and "temperror" in dmarc.summary


async def test_unaligned_key_timeout_leaves_a_definite_dmarc_fail(served, dns_server):
    ctx = served({**DMARC_QUARANTINE, **SES_KEY, **SES_SPF})
    dns_server.timeout_names = {"test._domainkey.amazonses.com"}
    (dmarc,) = by_check(await check_headers(ses_message(), ctx=ctx))["message.dmarc.alignment"]
    assert dmarc.status is Status.FAIL  # only an amazonses.com signature was in doubt


async def test_not_a_message(served):
    for junk in (b"", b"\x00\x01\x02" * 100, b"just some text\nwith lines\n", b"%PDF-1.4\n"):
        findings = await check_headers(junk, ctx=served({}))
        assert [f.check for f in findings] == ["message.headers.parse"]
        assert findings[0].status is Status.ERROR


async def test_not_a_message_says_what_was_wrong(served):
    said = {}
    for name, junk in (("empty", b""), ("binary", b"\x00\x01\x02" * 100), ("text", b"hi\n")):
        (finding,) = await check_headers(junk, ctx=served({}))
        said[name] = finding.summary
    assert said["empty"].endswith("(empty input)")
    assert said["binary"].endswith("(no header fields)")
    assert said["text"].endswith("(no header fields)")


async def test_truncated_and_8bit_message_gives_partial_parse(served):
    raw = (
        b"From: J\xe9r\xf4me <jerome@example.com>\nSubject: =?utf-8?q?broken\n"
        b"Content-Type: multipart/mixed; boundary=XX\nDate: Mon, 4 Mar 2024 18:00:00 +0000\n"
        b"\n--XX\nContent-Type: text/plain; charset=nonexistent\n\npartial bo"
    )
    found = by_check(await check_headers(raw, ctx=served({})))
    assert found["message.headers.parse"][0].status is Status.WARN
    assert "message.dmarc.alignment" in found


async def test_slow_and_out_of_order_hops(served):
    raw = (
        b"Received: from b.example.net ([192.0.2.2]) by c.example.org with ESMTP; "
        b"Mon, 4 Mar 2024 17:00:00 +0000\n"
        b"Received: from a.example.com ([192.0.2.1]) by b.example.net with ESMTPS; "
        b"Mon, 4 Mar 2024 18:30:00 +0000\n"
        b"Received: by a.example.com with HTTP; Mon, 4 Mar 2024 18:00:00 +0000\n"
        b"From: a@example.com\nDate: Mon, 4 Mar 2024 18:00:00 +0000\n\nbody\n"
    )
    found = by_check(await check_headers(raw, ctx=served({})))
    assert found["message.received.delay"][0].data["delay_s"] == 1800.0
    assert found["message.received.out_of_order"][0].data["positions"] == [3]
    (boundary,) = found["message.received.boundary"]
    assert boundary.data["connecting_ip"] == "192.0.2.1"


async def test_plaintext_boundary_hop_is_flagged(served):
    raw = (
        b"Received: from out.example.com (out.example.com [192.0.2.9]) by mx.example.net "
        b"with ESMTP id 1; Mon, 4 Mar 2024 18:00:00 +0000\nFrom: a@example.com\n\nx\n"
    )
    found = by_check(await check_headers(raw, ctx=served({})))
    assert found["message.received.tls"][0].status is Status.WARN


async def test_arc_chain_from_the_vectors(served, test_data):
    import yaml

    doc = next(
        yaml.safe_load_all(
            (test_data / "vectors" / "arc" / "arc-draft-validation-tests.yml").read_text()
        )
    )
    raw = doc["tests"]["cv_pass_i2_1"]["message"].encode()
    ctx = served({k: [{"TXT": v}] for k, v in doc["txt-records"].items()})
    found = by_check(await check_headers(raw, ctx=ctx))
    (arc,) = found["message.arc.chain"]
    assert arc.status is Status.PASS
    assert [s["instance"] for s in arc.data["sets"]] == [1, 2]
    assert "i=1 cv=none by lists.example.org" in arc.detail


async def test_receiver_arc_verdict_disagreement(served, test_data):
    import yaml

    doc = next(
        yaml.safe_load_all(
            (test_data / "vectors" / "arc" / "arc-draft-validation-tests.yml").read_text()
        )
    )
    message = doc["tests"]["cv_pass_i1_1"]["message"].encode()
    raw = b"Authentication-Results: mx.example.net; arc=pass\r\n" + message
    found = by_check(await check_headers(raw, ctx=served({})))  # the sealer's key is gone
    assert found["message.arc.chain"][0].data["cv"] == "fail"
    assert found["message.arc.disagrees"][0].status is Status.WARN
