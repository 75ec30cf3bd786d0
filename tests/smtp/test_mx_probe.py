"""``check_mx`` against loopback MX hosts: reachability, STARTTLS, certificates, MTA-STS."""

from __future__ import annotations

import asyncio
import socket

import pytest

from maildoctor.model import Finding, Status
from maildoctor.smtp.mx_probe import check_mx
from maildoctor.testing.smtpserver import ExchangeLikeServer, PolicyHttpsServer

HANG_GUARD = 10


def a(*addresses: str) -> dict[str, list[str]]:
    return {"A": list(addresses)}


async def run(domain: str, port: int, ctx, **kw) -> list[Finding]:
    return list(await asyncio.wait_for(check_mx(domain, port=port, ctx=ctx, **kw), HANG_GUARD))


def pick(findings: list[Finding], check: str, subject: str | None = None) -> Finding:
    return next(f for f in findings if f.check == check and subject in (None, f.subject))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_healthy_mx(exchange, make_ctx):
    ctx = make_ctx(
        records={"example.com": {"MX": ["10 mx.example.com"]}, "mx.example.com": a("127.0.0.1")}
    )
    found = await run("example.com", exchange.port, ctx)
    assert pick(found, "transport.mx.lookup").status is Status.PASS
    for check in ("connect", "banner", "ehlo", "starttls", "tls", "certificate"):
        assert pick(found, f"transport.mx.{check}").status is Status.PASS, check
    assert pick(found, "transport.mx.banner").data["name"] == "mx.example.com"
    assert pick(found, "transport.mx.tls").data["version"] in ("TLSv1.2", "TLSv1.3")


async def test_one_mx_down_others_up(exchange, make_ctx):
    ctx = make_ctx(
        records={
            "example.com": {"MX": ["10 mx.example.com", "20 mx2.example.com"]},
            "mx.example.com": a("127.0.0.1"),
            "mx2.example.com": a("127.0.0.2"),
        }
    )
    found = await run("example.com", exchange.port, ctx)
    down = pick(found, "transport.mx.connect", "mx2.example.com")
    assert down.status is Status.WARN and down.cause == "transport.mx.unreachable"
    assert not any(f.check == "transport.port25_blocked" for f in found)


async def test_all_failing_alike_means_port_blocked_here(make_ctx):
    ctx = make_ctx(
        records={
            "example.com": {"MX": ["10 a.example.com", "20 b.example.com"]},
            "a.example.com": a("127.0.0.3"),
            "b.example.com": a("127.0.0.4"),
        }
    )
    found = await run("example.com", closed_port(), ctx)
    blocked = pick(found, "transport.port25_blocked")
    assert blocked.status is Status.FAIL and blocked.cause == "transport.port25_blocked"
    # the per-host findings print before or after it depending on the renderer
    assert not {"below", "above"} & set(blocked.detail.split())
    for host in ("a.example.com", "b.example.com"):
        connect = pick(found, "transport.mx.connect", host)
        assert connect.status is Status.ERROR and not connect.cause  # not the servers' fault


async def test_single_address_cannot_tell_blocking_from_down(make_ctx):
    ctx = make_ctx(
        records={"example.com": {"MX": ["10 a.example.com"]}, "a.example.com": a("127.0.0.3")}
    )
    found = await run("example.com", closed_port(), ctx)
    connect = pick(found, "transport.mx.connect")
    assert connect.cause == "transport.mx.unreachable" and "cannot be told apart" in connect.detail
    assert not any(f.check == "transport.port25_blocked" for f in found)


async def test_no_starttls(pki, make_ctx):
    with ExchangeLikeServer(None, pki=pki, starttls=False) as server:
        ctx = make_ctx(
            records={"example.com": {"MX": ["10 mx.example.com"]}, "mx.example.com": a("127.0.0.1")}
        )
        found = await run("example.com", server.port, ctx)
    starttls = pick(found, "transport.mx.starttls")
    assert starttls.status is Status.WARN and starttls.cause == "transport.mx.starttls_missing"


@pytest.mark.parametrize(("mode", "status"), [("testing", Status.WARN), ("enforce", Status.FAIL)])
async def test_bad_certificate_matters_under_enforce(pki, make_ctx, mode, status):
    policy = f"version: STSv1\nmode: {mode}\nmx: mx.example.com\nmax_age: 86400\n"
    with (
        ExchangeLikeServer(None, pki=pki, cert_names=["other.example.net"]) as server,
        PolicyHttpsServer(policy, pki=pki, host_name="mta-sts.example.com") as web,
    ):
        ctx = make_ctx(
            "mx.example.com",
            "mta-sts.example.com",
            records={
                "example.com": {"MX": ["10 mx.example.com"]},
                "_mta-sts.example.com": {"TXT": ["v=STSv1; id=1"]},
            },
        )
        found = await run("example.com", server.port, ctx, https_port=web.port)
    cert = pick(found, "transport.mx.certificate")
    assert cert.status is status and cert.cause == "transport.mx.certificate_invalid"
    assert cert.data["reason"] == "name_mismatch"
    assert pick(found, "transport.mx.tls").status is Status.PASS  # seen through a retry
    assert pick(found, "transport.mtasts.mx_match").status is Status.PASS


async def test_null_mx_and_missing_domain(make_ctx):
    ctx = make_ctx(records={"example.com": {"MX": ["0 ."]}})
    null = pick(await run("example.com", 25, ctx), "transport.mx.lookup")
    assert null.cause == "dns.mx.null_mx"
    gone = pick(await run("nonexistent.example", 25, ctx), "transport.mx.lookup")
    assert gone.status is Status.FAIL and gone.cause == "transport.mx.domain_not_found"


async def test_implicit_mx_uses_the_domain(exchange, make_ctx):
    ctx = make_ctx(records={"example.com": {"A": ["127.0.0.1"], "TXT": ["v=spf1 -all"]}})
    found = await run("example.com", exchange.port, ctx)
    assert pick(found, "transport.mx.lookup").status is Status.WARN
    assert pick(found, "transport.mx.connect", "example.com").status is Status.PASS


async def test_mx_host_without_address(make_ctx):
    ctx = make_ctx(records={"example.com": {"MX": ["10 mx.example.com"]}})
    resolve = pick(await run("example.com", 25, ctx), "transport.mx.resolve")
    assert resolve.status is Status.FAIL and resolve.cause == "transport.mx.host_not_found"


async def test_many_mx_hosts_are_probed_concurrently(pki, make_ctx):
    hosts = [f"mx{i}.example.com" for i in range(6)]
    with ExchangeLikeServer(None, pki=pki, reply_delay=0.2) as server:
        ctx = make_ctx(*hosts, records={"example.com": {"MX": [f"10 {h}" for h in hosts]}})
        found = await run("example.com", server.port, ctx)
    banners = [f for f in found if f.check == "transport.mx.banner"]
    assert len(banners) == 6
    # The hosts share one address: evidence ids still tell them apart.
    assert len({e.id for f in banners for e in f.evidence}) == 6
    # Each dialogue holds its connection for five 0.2 s replies: all six must have overlapped.
    assert server.max_concurrent == 6


@pytest.mark.parametrize("mode", ["silent", "garbage", "huge_line", "drop"])
async def test_hostile_mx_hosts_end_with_a_finding(make_ctx, mode):
    from maildoctor.testing.smtpserver import HostileSmtpServer

    with HostileSmtpServer(mode) as server:
        ctx = make_ctx(
            "mx.example.com", timeout=0.5, records={"example.com": {"MX": ["10 mx.example.com"]}}
        )
        found = await run("example.com", server.port, ctx)
    broken = [f for f in found if f.cause == "transport.mx.protocol_error"]
    assert len(broken) == 1 and broken[0].status is Status.FAIL


async def test_every_mx_accepting_tcp_without_a_banner_reads_as_interception(make_ctx):
    from maildoctor.testing.smtpserver import HostileSmtpServer

    records = {
        "example.com": {"MX": ["10 mx1.example.com", "20 mx2.example.com"]},
        "mx1.example.com": a("127.0.0.1"),
        "mx2.example.com": a("127.0.0.1"),  # one loopback server plays both
    }
    with HostileSmtpServer("silent") as server:
        found = await run("example.com", server.port, make_ctx(timeout=0.5, records=records))
    blocked = pick(found, "transport.port25_blocked")
    assert blocked.status is Status.FAIL and blocked.cause == "transport.port25_blocked"
    assert "intercepted here" in blocked.summary
    assert "mx1.example.com" in blocked.summary and "mx2.example.com" in blocked.summary
    for host in ("mx1.example.com", "mx2.example.com"):
        banner = pick(found, "transport.mx.banner", host)
        assert banner.status is Status.ERROR and banner.cause == ""  # not the host's fault
        assert banner.summary.startswith(f"{host} accepted TCP") and "intercepted here" in (
            banner.summary
        )


async def test_every_mx_finding_names_its_host(exchange, make_ctx):
    ctx = make_ctx(
        records={"example.com": {"MX": ["10 mx.example.com"]}, "mx.example.com": a("127.0.0.1")}
    )
    found = await run("example.com", exchange.port, ctx)
    per_host = [
        f for f in found if f.check.startswith("transport.mx.") and f.subject != "example.com"
    ]
    assert len(per_host) >= 6
    for f in per_host:
        assert f.subject == "mx.example.com" and "mx.example.com" in f.summary, f
