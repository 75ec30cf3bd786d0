"""The CLI's speculative first round: the same questions the checks ask, answered once."""

from __future__ import annotations

import asyncio

from maildoctor.dns.prefetch import first_round, next_questions, prefetch
from maildoctor.dns.resolver import DnsAnswer, Outcome
from maildoctor.testing.dnsserver import DnsServer


def answer(rdtype: str, *records: str) -> DnsAnswer:
    return DnsAnswer(name="example.com", rdtype=rdtype, outcome=Outcome.ANSWER, records=records)


def test_first_round_covers_the_independent_questions():
    questions = first_round(
        "Sub.Example.COM.", selectors=["s1"], mail_from="mail.example.com", ip="192.0.2.25"
    )
    assert ("sub.example.com", "TXT") in questions
    assert ("sub.example.com", "MX") in questions
    assert ("_dmarc.sub.example.com", "TXT") in questions and ("_dmarc.com", "TXT") in questions
    assert ("s1._domainkey.sub.example.com", "TXT") in questions
    assert ("mail.example.com", "MX") in questions
    assert ("25.2.0.192.in-addr.arpa", "PTR") in questions


def test_spf_targets_and_mx_hosts_are_followed_but_not_macros():
    spf = answer(
        "TXT",
        "v=spf1 include:_spf.example.net -include:x.example.org "
        "include:%{i}._spf.example.com redirect=_r.example.com",
        "google-site-verification=abc include:not-spf.example.com",
    )
    assert next_questions(spf) == [
        ("_r.example.com", "TXT"),
        ("_spf.example.net", "TXT"),
        ("x.example.org", "TXT"),
    ]
    mx = answer("MX", "10 mx1.example.com", "0 .")
    assert next_questions(mx) == [("mx1.example.com", "A"), ("mx1.example.com", "AAAA")]
    nx = DnsAnswer(name="example.com", rdtype="TXT", outcome=Outcome.NXDOMAIN)
    assert next_questions(nx) == []


def test_prefetched_answers_are_reused_not_asked_again(resolver_for):
    zone = {
        "example.com": [{"TXT": "v=spf1 include:a.example.com -all"}],
        "a.example.com": [{"TXT": "v=spf1 include:b.example.com -all"}],
        "b.example.com": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    }
    with DnsServer(zone) as server:
        resolver = resolver_for(server)

        async def go():
            await prefetch(resolver, [("example.com", "TXT")])
            for _ in range(50):  # the chain is followed in the background
                if len(server.log) >= 3:
                    break
                await asyncio.sleep(0.01)
            return await resolver.query("b.example.com", "TXT")

        assert asyncio.run(go()).records == ("v=spf1 ip4:192.0.2.0/24 -all",)
        assert [(e.name, e.rdtype) for e in server.log] == [
            ("example.com", "TXT"),
            ("a.example.com", "TXT"),
            ("b.example.com", "TXT"),
        ]
