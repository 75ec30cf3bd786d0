"""The DNS orchestrator: input validation, concurrency, coalescing, batches."""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from maildoctor.context import Context
from maildoctor.dns import check as check_module
from maildoctor.dns.check import BatchItem, check_domain, check_many, domains_from_lines
from maildoctor.dns.names import parse_domain, parse_ip, parse_selector
from maildoctor.errors import InputError
from maildoctor.model import Report, Status
from maildoctor.testing.dnsserver import DnsServer


def _rsa_p(bits: int = 2048) -> str:
    key = rsa.RSAPublicNumbers(65537, (1 << (bits - 1)) | 1).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


RSA_P = _rsa_p()

ZONE = {
    "example.com": [
        {"MX": [10, "mx1.example.com"]},
        {"MX": [20, "mx2.example.com"]},
        {"TXT": "v=spf1 include:amazonses.com ~all"},
    ],
    "mx1.example.com": [{"A": "192.0.2.1"}],
    "mx2.example.com": [{"A": "192.0.2.2"}, {"AAAA": "2001:db8::2"}],
    "_dmarc.example.com": [
        {"TXT": "v=DMARC1; p=none; rua=mailto:dmarc@example.net; fo=1"},
    ],
    "bounce.example.com": [
        {"MX": [10, "feedback-smtp.us-east-1.amazonses.com"]},
        {"TXT": "v=spf1 include:amazonses.com ~all"},
    ],
    "s1._domainkey.example.com": [{"CNAME": "s1.dkim.amazonses.com"}],
    "1.2.0.192.in-addr.arpa": [{"PTR": "mx1.example.com"}],
}


def _checks(report: Report) -> set[str]:
    return {f.check for f in report.findings}


# -- input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "  ",
        "localhost",
        "user@example.com",
        "http://example.com",
        "exa mple.com",
        "192.0.2.1",
        "a..b.example",
        "-bad.example.com",
        "x" * 64 + ".example",
        "example.123",
        "a_b.example.com",
        "\x00.example.com",
    ],
)
def test_not_a_domain(bad: str) -> None:
    with pytest.raises(InputError):
        parse_domain(bad)


def test_domains_are_normalised() -> None:
    assert parse_domain(" Example.COM. ") == "example.com"
    assert parse_domain("bücher.example") == "xn--bcher-kva.example"


@pytest.mark.parametrize("bad", ["192.0.2", "example.com", "2001:db8::g", ""])
def test_not_an_ip(bad: str) -> None:
    with pytest.raises(InputError):
        parse_ip(bad)


def test_selectors() -> None:
    assert parse_selector("S1.Sub") == "s1.sub"
    for bad in ("", "s1._domainkey.example.com", "bad selector"):
        with pytest.raises(InputError):
            parse_selector(bad)


async def test_check_domain_rejects_bad_input_before_any_query(dns_server, resolver_for) -> None:
    ctx = Context(resolver=resolver_for(dns_server, timeout=2.0))
    for kwargs in ({"ip": "nope"}, {"mail_from": "a@b"}, {"selectors": ["a b"]}):
        with pytest.raises(InputError):
            await check_domain("example.com", ctx=ctx, **kwargs)
    with pytest.raises(InputError):
        await check_domain("not a domain", ctx=ctx)
    assert dns_server.log == []


# -- the whole layer ----------------------------------------------------------------


async def test_full_check_runs_concurrently_and_asks_each_question_once(resolver_for) -> None:
    delay = 0.25
    zone = {**ZONE, "s1.dkim.amazonses.com": [{"TXT": f"v=DKIM1; k=rsa; p={RSA_P}"}]}
    with DnsServer(zone, delay=delay) as server:
        ctx = Context(resolver=resolver_for(server, timeout=2.0))
        start = time.perf_counter()
        report = await check_domain(
            "Example.com",
            ctx=ctx,
            ip="192.0.2.1",
            mail_from="bounce.example.com",
            selectors=["s1", "s1"],
        )
        elapsed = time.perf_counter() - start
        questions = Counter((e.name, e.rdtype) for e in server.log if e.transport == "udp")
    assert report.command == "dns" and report.subject == "example.com"
    families = {c.rsplit(".", 1)[0] for c in _checks(report)}
    assert {"dns.dmarc", "dns.dkim", "dns.mx", "dns.mailfrom", "dns.ptr", "dns.spf"} <= families
    assert len(questions) > 15
    # The critical path is three dependent round trips, not ~17 sequential ones.
    assert elapsed < delay * 10, elapsed
    assert max(questions.values()) == 1  # coalesced: the From walk is shared with MAIL FROM


async def test_reference_incident_findings(dns_server, resolver_for) -> None:
    dns_server.load(ZONE)
    report = await check_domain(
        "example.com", ctx=Context(resolver=resolver_for(dns_server, timeout=2.0)), selectors=["s1"]
    )
    causes = {f.cause for f in report.findings if f.cause}
    assert {"dns.dmarc.fo_without_ruf", "dns.dkim.key_missing"} <= causes
    assert "dns.dmarc.report_destination_unauthorized" in causes
    advice = next(f for f in report.findings if f.check == "dns.dmarc.recommendation")
    assert "fo=" not in advice.data["record"]
    assert advice.data["record"].startswith("v=DMARC1; p=none")  # a DKIM key is broken: hold
    assert report.exit_code == 1
    assert any(f.check == "dns.mailfrom.default" for f in report.findings)


async def test_microsoft365_mx_shapes_the_advice(dns_server, resolver_for) -> None:
    dns_server.load(
        {
            "example.com": [{"MX": [0, "example-com.mail.protection.outlook.com"]}],
            "example-com.mail.protection.outlook.com": [{"A": "192.0.2.30"}],
            "_dmarc.example.com": [{"TXT": "v=DMARC1; p=none; rua=mailto:d@example.com"}],
        }
    )
    report = await check_domain(
        "example.com", ctx=Context(resolver=resolver_for(dns_server, timeout=2.0))
    )
    advice = next(f for f in report.findings if f.check == "dns.dmarc.recommendation")
    assert advice.data["microsoft365"] is True
    assert advice.data["next_policy"] == "none"


async def test_unresponsive_nameserver_finishes_within_the_timeout(resolver_for) -> None:
    with DnsServer({}, timeout_names=["_dmarc.example.com", "example.com", "_dmarc.com"]) as s:
        start = time.perf_counter()
        report = await check_domain(
            "example.com", ctx=Context(resolver=resolver_for(s, timeout=0.3))
        )
        assert time.perf_counter() - start < 2
    assert report.exit_code == 3
    assert not any(f.status is Status.FAIL for f in report.findings)


# -- many domains -------------------------------------------------------------------


def test_domains_from_lines() -> None:
    lines = ["# list\n", "example.com\n", "\n", "  example.net  # trailing\n", "#x\n"]
    assert list(domains_from_lines(lines)) == ["example.com", "example.net"]


async def test_check_many_is_bounded_and_lazy(monkeypatch) -> None:
    active = peak = pulled = 0

    async def fake_check(domain, *, ctx, selectors=()):
        nonlocal active, peak
        if domain.startswith("bad"):
            raise InputError(f"{domain} is not a domain")
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return Report(command="dns", subject=domain, findings=())

    def source():
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield f"bad{i}" if i == 7 else f"d{i}.example"

    monkeypatch.setattr(check_module, "check_domain", fake_check)
    items: list[BatchItem] = []
    async for item in check_many(source(), context_factory=lambda: None, concurrency=4):  # type: ignore[arg-type,return-value]
        if not items:
            first_pull = pulled
        items.append(item)
    assert peak == 4
    assert first_pull <= 5  # the input is read as slots free up, not all at once
    assert len(items) == 40
    (bad,) = [i for i in items if i.report is None]
    assert bad.domain == "bad7" and "not a domain" in bad.error
