"""Questions sent before dnspython loads: the wire form, and their adoption by the resolver."""

from __future__ import annotations

import asyncio
from collections import Counter

import dns.message
import dns.rdatatype
import pytest

from maildoctor.cli import main
from maildoctor.dns.early import encode_query, on_the_wire, plain_domain, send_early
from maildoctor.dns.nameserver import Nameserver, system_nameservers
from maildoctor.dns.resolver import DnsResolver
from maildoctor.dns.udpmux import UdpPool


@pytest.mark.parametrize("rdtype", ["A", "AAAA", "MX", "TXT", "PTR", "CNAME"])
def test_hand_encoded_query_is_what_dnspython_would_send(rdtype):
    wire = encode_query("_dmarc.sub.example.com", rdtype, 4321)
    ours = dns.message.from_wire(wire)
    theirs = dns.message.make_query("_dmarc.sub.example.com", rdtype, use_edns=0, payload=1232)
    theirs.id = 4321
    assert ours == theirs  # same id, flags, question and EDNS payload
    assert ours.question[0].rdtype == dns.rdatatype.from_text(rdtype)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("example.com", True),
        ("mail.example.com.", True),
        ("_dmarc.example.com", True),
        ("Example.com", False),
        ("example", False),
        ("192.0.2.1", False),
        ("a b.example.com", False),
        ("-x.example.com", False),
        ("bücher.example", False),
        ("a" * 64 + ".example.com", False),
    ],
)
def test_only_plain_names_go_out_early(name, ok):
    assert plain_domain(name) is ok


def test_system_nameservers_reads_resolv_conf(tmp_path):
    conf = tmp_path / "resolv.conf"
    conf.write_text(
        "# comment\nnameserver 192.0.2.53\nsearch example.com\n"
        "nameserver fe80::1%eth0\nnameserver 2001:db8::53\nnameserver bogus\n"
    )
    assert system_nameservers(conf) == [Nameserver("192.0.2.53"), Nameserver("2001:db8::53")]
    assert system_nameservers(tmp_path / "missing") == []


def test_the_resolver_adopts_early_replies_instead_of_asking_again(dns_server):
    dns_server.load({"example.com": [{"TXT": "v=spf1 -all"}, {"MX": [10, "mx.example.com"]}]})
    server = Nameserver("127.0.0.1", dns_server.port)

    async def go():
        pool = UdpPool()
        early = send_early(pool, server, [("example.com", "TXT"), ("example.com", "MX")], 1.0)
        await on_the_wire(pool, early)
        resolver = DnsResolver([server], timeout=1.0, retries=0, udp=pool)
        resolver.adopt(early)
        return await asyncio.gather(
            resolver.query("example.com", "TXT"), resolver.query("example.com", "MX")
        )

    txt, mx = asyncio.run(go())
    assert txt.records == ("v=spf1 -all",) and mx.records == ("10 mx.example.com",)
    assert Counter((e.name, e.rdtype) for e in dns_server.log) == {
        ("example.com", "TXT"): 1,
        ("example.com", "MX"): 1,
    }


def test_cli_asks_each_first_round_question_once(dns_server, capsys):
    dns_server.load(
        {
            "example.com": [{"TXT": "v=spf1 include:_spf.example.com -all"}],
            "_spf.example.com": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
            "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
        }
    )
    code = main(["dns", "example.com", "--nameserver", dns_server.address, "--format", "json"])
    assert code in (0, 1)
    asked = Counter((e.name, e.rdtype) for e in dns_server.log)
    assert asked[("example.com", "TXT")] == 1 and asked[("_dmarc.example.com", "TXT")] == 1
    assert asked[("_spf.example.com", "TXT")] == 1
    assert max(asked.values()) == 1  # nothing asked twice
    assert '"dns.spf.record"' in capsys.readouterr().out
