"""The loopback DNS server follows the RFC 7208 suite's zonedata driver rules."""

from __future__ import annotations

import asyncio

from maildoctor.dns.resolver import Outcome
from maildoctor.testing.dnsserver import DnsServer, load_zone


def ask(server, resolver_for, name, rdtype):
    return asyncio.run(resolver_for(server, timeout=0.2).query(name, rdtype))


def test_spf_is_served_as_txt_unless_txt_given():
    zone = load_zone(
        {
            "a.example.net": [{"SPF": "v=spf1 -all"}],
            "b.example.net": [{"SPF": "v=spf1 -all"}, {"TXT": "NONE"}],
            "c.example.net": [{"SPF": "v=spf1 +all"}, {"TXT": "v=spf1 -all"}],
        }
    )
    assert ("TXT", "v=spf1 -all") in zone["a.example.net"]
    assert [r for r in zone["b.example.net"] if r[0] == "TXT"] == []
    assert [r for r in zone["c.example.net"] if r[0] == "TXT"] == [("TXT", "v=spf1 -all")]


def test_timeout_rules(resolver_for):
    data = {
        "spftimeout.example.net": [{"TXT": "v=spf1 -all"}, "TIMEOUT"],
        "txttimeout.example.net": [{"SPF": "v=spf1 -all"}, {"TXT": "NONE"}, "TIMEOUT"],
        "alltimeout.example.net": ["TIMEOUT"],
        "example.net": [{"A": "192.0.2.1"}],
    }
    with DnsServer(data) as server:
        assert ask(server, resolver_for, "spftimeout.example.net", "TXT").records == (
            "v=spf1 -all",
        )
        assert ask(server, resolver_for, "spftimeout.example.net", "A").outcome is Outcome.TIMEOUT
        assert ask(server, resolver_for, "txttimeout.example.net", "TXT").outcome is (
            Outcome.TIMEOUT
        )
        assert ask(server, resolver_for, "alltimeout.example.net", "MX").outcome is (
            Outcome.TIMEOUT
        )
        assert ask(server, resolver_for, "error.example.net", "A").outcome is Outcome.TIMEOUT
        assert ask(server, resolver_for, "example.net", "A").records == ("192.0.2.1",)


def test_wildcard_and_query_log(resolver_for):
    data = {"*._report._dmarc.example.net": [{"TXT": "v=DMARC1"}]}
    with DnsServer(data) as server:
        answer = ask(server, resolver_for, "example.com._report._dmarc.example.net", "TXT")
        assert answer.records == ("v=DMARC1",)
        assert [(e.name, e.rdtype) for e in server.log] == [
            ("example.com._report._dmarc.example.net", "TXT")
        ]
        server.load({})
        assert server.log == []
        assert (
            ask(server, resolver_for, "example.com._report._dmarc.example.net", "TXT").outcome
            is Outcome.NXDOMAIN
        )


def test_mx_ptr_aaaa_records(resolver_for):
    data = {
        "example.org": [{"MX": [0, "."]}],
        "1.2.0.192.in-addr.arpa": [{"PTR": "mail.example.org"}],
        "mail.example.org": [{"AAAA": "2001:db8::25"}],
    }
    with DnsServer(data) as server:
        assert ask(server, resolver_for, "example.org", "MX").records == ("0 ",) or ask(
            server, resolver_for, "example.org", "MX"
        ).records == ("0 .",)
        assert ask(server, resolver_for, "1.2.0.192.in-addr.arpa", "PTR").records == (
            "mail.example.org",
        )
        assert ask(server, resolver_for, "mail.example.org", "AAAA").records == ("2001:db8::25",)
