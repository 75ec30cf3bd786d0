"""DKIM selector discovery: signatures, providers in use, common names; found, never missing."""

from __future__ import annotations

from maildoctor.context import Context
from maildoctor.dns import selectors as sel
from maildoctor.model import Status

KEY = (
    "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMu0b7w0s3"
    "FvR0e4N3hAYf8k8Yf4lWm2nQm3QkqQ2bJ8Bq0Zb7l5fJd0zKQ3sJmQk3tQmQ"
    "bJ8Bq0Zb7l5fJd0zKQ3sCAwEAAQ=="
)
MESSAGE = (
    b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=custom2024;\r\n"
    b" h=from:to; bh=x; b=y\r\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=news.example.com; s=gone; bh=x; b=y\r\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=amazonses.com; s=ses1; bh=x; b=y\r\n"
    b"From: a@example.com\r\n\r\nbody\r\n"
)


def test_signature_selectors_only_for_the_domain() -> None:
    assert sel.signature_selectors(MESSAGE, "example.com") == ("custom2024", "gone")
    assert sel.signature_selectors(MESSAGE, "example.org") == ()


def test_providers_from_spf_and_mx() -> None:
    spf = ["v=spf1 include:sendgrid.net include:_spf.google.com ~all", "other"]
    names = [p.name for p in sel.providers_in_use(spf, ["example-com.mail.protection.outlook.com"])]
    assert names == ["Microsoft 365", "Google Workspace", "SendGrid"]
    assert [
        p.name for p in sel.providers_in_use(["v=spf1 redirect=spf.messagingengine.com"], [])
    ] == ["Fastmail"]
    assert sel.providers_in_use(["v=spf1 include:notsendgrid.net -all"], []) == ()


def test_candidates_ordered_and_bounded() -> None:
    (m365,) = [p for p in sel.PROVIDERS if p.name == "Microsoft 365"]
    got = sel.candidates(signatures=["selector1"], given=["x"], providers=[m365])
    assert [(c.selector, c.source) for c in got[:3]] == [
        ("selector1", "signature"),
        ("x", "given"),
        ("selector2", "provider"),
    ]
    many = sel.candidates(signatures=[f"s{i}x" for i in range(100)])
    assert len(many) == sel.MAX_CANDIDATES


async def test_discovery_over_loopback(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "example.com": [
                {"TXT": "v=spf1 include:sendgrid.net include:amazonses.com ~all"},
                {"MX": [10, "mx.example.com"]},
            ],
            "s1._domainkey.example.com": [{"CNAME": "s1.domainkey.u1.wl.sendgrid.test"}],
            "s1.domainkey.u1.wl.sendgrid.test": [{"TXT": KEY}],
            "custom2024._domainkey.example.com": [{"TXT": KEY}],
            "default._domainkey.example.com": [{"TXT": "v=DKIM1; p="}],
            "mail._domainkey.example.com": [{"TXT": "not a key"}],
        }
    )
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    found = await sel.discover_selectors("example.com", ctx=ctx, message=MESSAGE)
    by = {f.data.get("selector"): f for f in found if f.check == "dns.dkim.selector_found"}
    assert set(by) == {"custom2024", "s1", "default"}
    assert by["custom2024"].data["source"] == "signature"
    assert by["s1"].data["provider"] == "SendGrid" and "via CNAME" in by["s1"].summary
    assert by["default"].data["revoked"] and by["default"].status is Status.INFO
    # a guessed selector without a key (s2, selector1...) produces nothing at all
    assert not [f for f in found if f.status in (Status.FAIL, Status.ERROR)]
    (summary,) = [f for f in found if f.check == "dns.dkim.discovery"]
    assert summary.status is Status.INFO and "SendGrid" in summary.summary
    assert "Amazon SES" in summary.summary and "random tokens" in summary.detail
    assert "found 3" in summary.summary


async def test_signature_selector_without_key_is_a_warning(dns_server, resolver_for) -> None:
    dns_server.load({"example.com": [{"TXT": "v=spf1 -all"}]})
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    message = MESSAGE.replace(b"d=news.example.com", b"d=example.com")
    found = await sel.discover_selectors("example.com", ctx=ctx, message=message)
    warned = {f.data["selector"] for f in found if f.check == "dns.dkim.selector_unpublished"}
    assert warned == {"custom2024", "gone"}
    (summary,) = [f for f in found if f.check == "dns.dkim.discovery"]
    assert "found 0" in summary.summary
