"""The DNS client against the real loopback server: outcomes, coalescing, fallback."""

from __future__ import annotations

import asyncio

import pytest

from maildoctor.dns.resolver import (
    DnsResolver,
    Nameserver,
    Outcome,
    StaticResolver,
    parse_nameserver,
)
from maildoctor.testing.dnsserver import DnsServer

ZONE = {
    "example.com": [{"TXT": "v=spf1 -all"}, {"MX": [10, "mx.example.com"]}],
    "mx.example.com": [{"A": "192.0.2.10"}, {"AAAA": "2001:db8::10"}],
    "www.example.com": [{"CNAME": "mx.example.com"}],
    "loop1.example.com": [{"CNAME": "loop2.example.com"}],
    "loop2.example.com": [{"CNAME": "loop1.example.com"}],
    "split.example.com": [{"TXT": ["v=spf1 ", "ip4:192.0.2.1 -all"]}],
    "big.example.com": [{"TXT": "a" * 4000}],
    "a.b.example.org": [{"A": "192.0.2.20"}],
}


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def server():
    with DnsServer(
        ZONE,
        timeout_names=["slow.example.com"],
        garbage_names=["junk.example.com"],
        servfail_names=["broken.example.com"],
    ) as srv:
        yield srv


def test_outcomes_are_kept(server, resolver_for):
    r = resolver_for(server, timeout=0.3)

    async def ask():
        return await asyncio.gather(
            r.query("example.com", "TXT"),
            r.query("nothere.example.com", "A"),
            r.query("example.com", "A"),
            r.query("slow.example.com", "TXT"),
            r.query("broken.example.com", "TXT"),
            r.query("junk.example.com", "TXT"),
            r.query("b.example.org", "A"),
        )

    txt, nx, nodata, slow, broken, junk, ent = run(ask())
    assert txt.outcome is Outcome.ANSWER and txt.records == ("v=spf1 -all",)
    assert txt.server == f"127.0.0.1:{server.port}"
    assert nx.outcome is Outcome.NXDOMAIN and nx.void
    assert nodata.outcome is Outcome.NODATA and nodata.void
    assert slow.outcome is Outcome.TIMEOUT and not slow.ok
    assert broken.outcome is Outcome.SERVFAIL and not broken.ok
    assert junk.outcome is Outcome.ERROR and not junk.ok
    # an empty non-terminal exists: NODATA, not NXDOMAIN (RFC 8020)
    assert ent.outcome is Outcome.NODATA


def test_failure_is_never_no_record(server, resolver_for):
    r = resolver_for(server, timeout=0.2)
    answer = run(r.query("slow.example.com", "TXT"))
    assert not answer.void
    assert "lookup failed" in answer.describe()


def test_cname_chain_and_loop(server, resolver_for):
    r = resolver_for(server)
    a = run(r.query("www.example.com", "A"))
    assert a.records == ("192.0.2.10",)
    assert a.cname_chain == ("mx.example.com",)
    assert a.target == "mx.example.com"
    loop = run(r.query("loop1.example.com", "TXT"))
    assert loop.outcome is Outcome.ERROR and "loop" in loop.error.lower()


def test_txt_strings_joined_and_mx_text(server, resolver_for):
    r = resolver_for(server)
    assert run(r.query("split.example.com", "TXT")).records == ("v=spf1 ip4:192.0.2.1 -all",)
    assert run(r.query("example.com", "MX")).records == ("10 mx.example.com",)


def test_truncation_falls_back_to_tcp(server, resolver_for):
    r = resolver_for(server)
    big = run(r.query("big.example.com", "TXT"))
    assert big.outcome is Outcome.ANSWER and len(big.records[0]) == 4000
    assert big.tcp
    transports = [e.transport for e in server.log if e.name == "big.example.com"]
    assert transports == ["udp", "tcp"]


def test_identical_queries_are_coalesced(server, resolver_for):
    r = resolver_for(server)

    async def ask():
        return await asyncio.gather(*(r.query("Example.COM.", "txt") for _ in range(20)))

    answers = run(ask())
    assert {a.records for a in answers} == {("v=spf1 -all",)}
    assert len([e for e in server.log if e.name == "example.com"]) == 1
    assert r.queries_sent == 1


def test_retries_then_next_server(server, resolver_for):
    with DnsServer({}, timeout_names=["example.com"]) as dead:
        r = DnsResolver(
            [Nameserver("127.0.0.1", dead.port), Nameserver("127.0.0.1", server.port)],
            timeout=0.2,
            retries=0,
        )
        answer = run(r.query("example.com", "TXT"))
        assert answer.outcome is Outcome.ANSWER
        assert answer.server == f"127.0.0.1:{server.port}"


def test_all_servers_time_out_within_budget(server):
    r = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=0.1, retries=2)
    answer = run(r.query("slow.example.com", "A"))
    assert answer.outcome is Outcome.TIMEOUT
    assert answer.elapsed_ms < 2000
    assert len([e for e in server.log if e.name == "slow.example.com"]) == 3


def test_invalid_names_are_answers_not_exceptions():
    r = DnsResolver([Nameserver("127.0.0.1", 9)], timeout=0.1, retries=0)
    answer = run(r.query("a" * 64 + ".example.com", "TXT"))
    assert answer.outcome is Outcome.INVALID
    answer = run(r.query("a..example.com", "TXT"))
    assert answer.outcome is Outcome.INVALID


def test_delay_is_applied(resolver_for):
    with DnsServer({"example.com": [{"A": "192.0.2.1"}]}, delay=0.05) as slow:
        answer = run(resolver_for(slow).query("example.com", "A"))
    assert answer.elapsed_ms >= 45


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        ("192.0.2.1", "192.0.2.1", 53),
        ("127.0.0.1:5353", "127.0.0.1", 5353),
        ("2001:db8::1", "2001:db8::1", 53),
        ("[2001:db8::1]:5300", "2001:db8::1", 5300),
    ],
)
def test_parse_nameserver(text, host, port):
    assert parse_nameserver(text) == Nameserver(host, port)


@pytest.mark.parametrize("text", ["ns_1.example", "127.0.0.1:0", "127.0.0.1:x", "[::1", "1.2.3"])
def test_parse_nameserver_rejects(text):
    with pytest.raises(ValueError):
        parse_nameserver(text)


def test_static_resolver_distinguishes_nxdomain_and_nodata():
    r = StaticResolver(
        {"example.com": {"TXT": ["x"]}}, failures={("example.org", "TXT"): Outcome.TIMEOUT}
    )
    assert run(r.query("example.com", "TXT")).records == ("x",)
    assert run(r.query("example.com", "MX")).outcome is Outcome.NODATA
    assert run(r.query("example.net", "MX")).outcome is Outcome.NXDOMAIN
    assert run(r.query("example.org", "TXT")).outcome is Outcome.TIMEOUT
    assert r.log[0] == ("example.com", "TXT")


def test_udp_sockets_are_shared_and_closed_with_the_loop(server, resolver_for):
    r = resolver_for(server)

    async def ask():
        await asyncio.gather(*(r.query(f"n{i}.example.com", "A") for i in range(30)))
        return [mux.transport for muxes in r.udp._socks.values() for mux in muxes]

    transports = run(ask())
    assert 1 <= len(transports) <= 4  # 30 questions, a handful of sockets
    assert all(t.is_closing() for t in transports)  # asyncio.run finalised the pool
    # a new event loop opens new sockets and still answers
    assert run(r.query("example.com", "TXT")).exists


def test_reply_from_wrong_id_or_server_is_ignored(server, resolver_for):
    from maildoctor.dns.udpmux import UdpPool

    pool = UdpPool()

    async def go():
        loop = asyncio.get_running_loop()
        pool.loop = loop
        fut = loop.create_future()
        pool._pending[(7, "127.0.0.1", 53)] = fut
        pool.deliver((8, "127.0.0.1", 53), b"x")
        pool.deliver((7, "127.0.0.2", 53), b"x")
        assert not fut.done()
        pool.deliver((7, "127.0.0.1", 53), b"ok")
        return await fut

    assert run(go()) == b"ok"


def test_a_socket_closed_under_the_pool_is_replaced(server, resolver_for):
    r = resolver_for(server, timeout=0.5)

    async def go():
        first = await r.query("example.com", "TXT")
        for muxes in list(r.udp._socks.values()):
            for mux in muxes:
                mux.transport.close()  # as after a fatal send error
        await asyncio.sleep(0)
        second = await r.query("mx.example.com", "A")
        return first, second

    first, second = run(go())
    assert first.exists and second.exists  # not a timeout on a dead socket
