"""The socket-free zone resolver (``--dns-fixture``) answers exactly as the loopback server."""

from __future__ import annotations

import socket

import pytest

from maildoctor.dns.resolver import DnsAnswer, DnsResolver, Nameserver, Outcome
from maildoctor.dns.zone import ZoneResolver

ZONE = {
    "example.com": [
        {"SPF": "v=spf1 mx -all"},
        {"MX": [20, "mx2.example.com"]},
        {"MX": [10, "MX1.Example.com."]},
        {"A": "192.0.2.1"},
    ],
    "own.example.com": [{"SPF": "v=spf1 -all"}, {"TXT": "own txt"}],
    "none.example.com": [{"SPF": "v=spf1 -all"}, {"TXT": "NONE"}],
    "long.example.com": [{"TXT": ["v=spf1 ", "ip4:192.0.2.0/24 ", "x" * 300, " -all"]}],
    "mx1.example.com": [{"A": "192.0.2.10"}, {"AAAA": "2001:db8:0:0::10"}],
    "alias.example.com": [{"CNAME": "target.example.net"}],
    "target.example.net": [{"TXT": "at the target"}, {"A": "198.51.100.1"}],
    "dangling.example.com": [{"CNAME": "missing.example.net"}],
    "loop1.example.com": [{"CNAME": "loop2.example.com"}],
    "loop2.example.com": [{"CNAME": "loop1.example.com"}],
    "*.wild.example.com": [{"TXT": "wildcard"}],
    "deep.ent.example.com": [{"A": "192.0.2.7"}],
    "slow.example.com": ["TIMEOUT"],
    "half.example.com": [{"A": "192.0.2.8"}, "TIMEOUT"],
    "typed.example.com": [{"TXT": "TIMEOUT"}, {"A": "192.0.2.9"}],
    "1.2.0.192.in-addr.arpa": [{"PTR": "mx1.example.com"}],
    "empty.example.com": [],
}

QUESTIONS = [
    ("example.com", "TXT"),
    ("example.com", "MX"),
    ("Example.COM.", "A"),
    ("example.com", "AAAA"),
    ("own.example.com", "TXT"),
    ("none.example.com", "TXT"),
    ("long.example.com", "TXT"),
    ("mx1.example.com", "AAAA"),
    ("alias.example.com", "TXT"),
    ("alias.example.com", "A"),
    ("alias.example.com", "CNAME"),
    ("alias.example.com", "MX"),
    ("dangling.example.com", "TXT"),
    ("loop1.example.com", "TXT"),
    ("a.wild.example.com", "TXT"),
    ("b.c.wild.example.com", "TXT"),
    ("ent.example.com", "A"),
    ("nothing.example.com", "TXT"),
    ("slow.example.com", "TXT"),
    ("half.example.com", "A"),
    ("half.example.com", "TXT"),
    ("typed.example.com", "TXT"),
    ("typed.example.com", "A"),
    ("error.example.com", "A"),
    ("1.2.0.192.in-addr.arpa", "PTR"),
    ("empty.example.com", "MX"),
    ("bad..name", "TXT"),
]


def _comparable(answer: DnsAnswer) -> tuple[object, ...]:
    """What a check reads from an answer (not who answered, nor how long it took).

    Record order is not compared (dnspython shuffles an RRset on the wire), nor the case
    of names in them (name compression takes the question's case).
    """
    records = sorted(r.lower() for r in answer.records)
    return (answer.name, answer.rdtype, answer.outcome, records, answer.cname_chain)


async def test_zone_resolver_agrees_with_the_loopback_server(resolver_for):
    from maildoctor.testing.dnsserver import DnsServer

    zone = ZoneResolver.from_zonedata(ZONE, timeout=0.2)
    with DnsServer(ZONE) as server:
        live = resolver_for(server, timeout=0.2)
        for name, rdtype in QUESTIONS:
            expected, got = await live.query(name, rdtype), await zone.query(name, rdtype)
            assert _comparable(got) == _comparable(expected), (name, rdtype)
            assert got.error == expected.error or got.outcome is Outcome.INVALID


async def test_zone_resolver_opens_no_socket(monkeypatch):
    def no_socket(*args, **kwargs):
        raise AssertionError("the zone resolver opened a socket")

    monkeypatch.setattr(socket, "socket", no_socket)
    zone = ZoneResolver.from_zonedata(ZONE)
    answer = await zone.query("example.com", "MX")
    assert [r.exchange for r in answer.mx().records] == ["mx1.example.com", "mx2.example.com"]
    assert (await zone.query("slow.example.com", "TXT")).outcome is Outcome.TIMEOUT
    assert zone.queries_sent == 2 and len(zone.answers()) == 2
    await zone.query("example.com", "mx")  # asked once per run, like the network resolver
    assert zone.queries_sent == 2


@pytest.mark.parametrize(
    ("rdtype", "value"), [("MX", "not a pair"), ("MX", [10]), ("A", "192.0.2.300"), ("MX", None)]
)
async def test_a_bad_record_in_the_fixture_is_a_failed_lookup_not_a_crash(rdtype, value):
    zone = ZoneResolver.from_zonedata({"example.com": [{rdtype: value}]})
    answer = await zone.query("example.com", rdtype)
    assert answer.outcome is Outcome.ERROR and "bad" in answer.error


def test_the_network_resolver_is_still_what_the_cli_builds_without_a_fixture():
    resolver = DnsResolver([Nameserver("127.0.0.1", 53)], timeout=1.0)
    assert resolver.servers == [Nameserver("127.0.0.1", 53)]
