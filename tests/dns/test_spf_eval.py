"""check_host(): results, decision paths, limits, explanations, DNS trouble as results."""

from __future__ import annotations

import asyncio
import time

import pytest

from maildoctor.dns.resolver import DnsAnswer, Outcome, StaticResolver
from maildoctor.dns.spf_eval import SpfVerdict, check_host
from maildoctor.dns.spf_findings import format_path
from maildoctor.errors import InputError

ZONE = {
    "example.com": {
        "TXT": [
            "v=spf1 include:_spf.example.net mx redirect=policy.example.org",
            "some-verification=1",
        ],
        "MX": ["10 mx1.example.com", "20 mx2.example.com"],
    },
    "mx1.example.com": {"A": ["192.0.2.10"]},
    "mx2.example.com": {"AAAA": ["2001:db8::20"]},
    "_spf.example.net": {"TXT": ["v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:5::/48 ~all"]},
    "policy.example.org": {"TXT": ["v=spf1 a:relay.example.org -all exp=why.example.org"]},
    "relay.example.org": {"A": ["203.0.113.5"]},
    "why.example.org": {"TXT": ["%{i} may not send for %{o} (policy of %{d}; %{l})"]},
}


async def run(ip, sender="alice@example.com", helo="mail.example.com", zone=ZONE, **kw):
    resolver = kw.pop("resolver", None) or StaticResolver(zone, kw.pop("failures", None))
    return await check_host(ip, sender, helo, resolver=resolver, **kw)


async def test_pass_through_include_keeps_the_whole_path():
    result = await run("198.51.100.7")
    assert result.result is SpfVerdict.PASS
    assert result.mechanism == "include:_spf.example.net"
    assert result.record.startswith("v=spf1 include:_spf.example.net")
    assert [(s.domain, s.term, s.result) for s in result.path] == [
        ("example.com", "include:_spf.example.net", "pass"),
        ("_spf.example.net", "ip4:198.51.100.0/24", "pass"),
    ]
    assert result.lookups == 1 and result.void_lookups == 0
    assert {e.id for e in result.evidence} == {"dns:TXT:example.com", "dns:TXT:_spf.example.net"}


async def test_include_softfail_does_not_match_and_mx_does():
    result = await run("192.0.2.10")
    assert result.result is SpfVerdict.PASS
    assert result.mechanism == "mx"
    assert result.lookups == 2


async def test_mx_uses_the_clients_family():
    assert (await run("2001:db8::20")).mechanism == "mx"


async def test_fail_through_redirect_uses_the_targets_explanation():
    result = await run("192.0.2.99")
    assert result.result is SpfVerdict.FAIL
    assert result.explanation == (
        "192.0.2.99 may not send for example.com (policy of policy.example.org; alice)"
    )
    assert [s.term for s in result.path] == ["redirect=policy.example.org", "-all"]
    assert result.mechanism == "-all"
    assert result.lookups == 4  # include, mx, redirect, a
    assert result.void_lookups == 1  # mx2 has no A record


async def test_default_explanation_is_expanded():
    zone = {"example.com": {"TXT": ["v=spf1 -all"]}}
    result = await run("192.0.2.1", zone=zone)
    assert result.explanation == "example.com does not designate 192.0.2.1 as permitted sender"


async def test_explanation_problems_fall_back_to_the_default():
    zone = {
        "example.com": {"TXT": ["v=spf1 -all exp=x.example.com"]},
        "x.example.com": {"TXT": ["one", "two"]},
    }
    result = await run("192.0.2.1", zone=zone, default_explanation="DEFAULT")
    assert result.explanation == "DEFAULT"
    assert any("explanation ignored" in p for p in result.problems)


async def test_ipv4_mapped_ipv6_is_ipv4():
    result = await run("::ffff:198.51.100.7")
    assert result.ip == "198.51.100.7" and result.result is SpfVerdict.PASS


async def test_null_sender_checks_postmaster_at_helo():
    zone = {"mail.example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 -all"]}}
    result = await run("192.0.2.1", sender="", helo="mail.example.com", zone=zone)
    assert (result.result, result.sender) == (SpfVerdict.PASS, "postmaster@mail.example.com")


@pytest.mark.parametrize(
    "sender", ["a@[192.0.2.1]", "a@localhost", "a@" + "x" * 64 + ".example.com", "a@b..example"]
)
async def test_malformed_domains_are_none_without_asking(sender):
    resolver = StaticResolver({})
    result = await check_host("192.0.2.1", sender, "h.example", resolver=resolver)
    assert result.result is SpfVerdict.NONE
    assert resolver.log == []
    assert "4.3" in result.problems[0]


async def test_bad_ip_is_input_error():
    with pytest.raises(InputError):
        await run("192.0.2.300")


async def test_timeout_in_an_include_is_temperror_with_path():
    result = await run("192.0.2.10", failures={"_spf.example.net": Outcome.TIMEOUT})
    assert result.result is SpfVerdict.TEMPERROR
    assert [s.domain for s in result.path] == ["example.com", "_spf.example.net"]
    assert "timeout" in result.problems[0]


@pytest.mark.parametrize("outcome", [Outcome.SERVFAIL, Outcome.REFUSED, Outcome.ERROR])
async def test_dns_failures_of_the_record_are_temperror(outcome):
    result = await run("192.0.2.10", failures={"example.com": outcome})
    assert result.result is SpfVerdict.TEMPERROR
    assert result.path[0].domain == "example.com"


async def test_include_of_a_name_without_spf_is_permerror():
    zone = {"example.com": {"TXT": ["v=spf1 include:gone.example.net -all"]}}
    result = await run("192.0.2.1", zone=zone)
    assert result.result is SpfVerdict.PERMERROR
    assert "gone.example.net has no SPF record" in result.problems[0]


def _chain(n: int) -> dict[str, dict[str, list[str]]]:
    zone = {
        f"l{i}.example.com": {"TXT": [f"v=spf1 include:l{i + 1}.example.com"]} for i in range(n)
    }
    zone[f"l{n}.example.com"] = {"TXT": ["v=spf1 ip4:192.0.2.1"]}
    return zone


async def test_ten_includes_are_allowed_eleven_are_not():
    ok = await run("192.0.2.1", sender="a@l0.example.com", zone=_chain(10))
    assert (ok.result, ok.lookups, len(ok.path)) == (SpfVerdict.PASS, 10, 11)
    over = await run("192.0.2.1", sender="a@l0.example.com", zone=_chain(11))
    assert over.result is SpfVerdict.PERMERROR and "4.6.4" in over.problems[0]


async def test_include_loop_ends_in_permerror():
    zone = {
        "a.example.com": {"TXT": ["v=spf1 include:b.example.com"]},
        "b.example.com": {"TXT": ["v=spf1 include:a.example.com"]},
    }
    result = await run("192.0.2.1", sender="x@a.example.com", zone=zone)
    assert result.result is SpfVerdict.PERMERROR and result.lookups == 11


async def test_third_void_lookup_is_permerror_exp_not_counted():
    zone = {
        "example.com": {"TXT": ["v=spf1 a:n1.example.com a:n2.example.com exp=n3.example.com -all"]}
    }
    two = await run("192.0.2.1", zone=zone)
    assert (two.result, two.void_lookups) == (SpfVerdict.FAIL, 2)
    zone = {
        "example.com": {
            "TXT": ["v=spf1 a:n1.example.com a:n2.example.com exists:n3.example.com -all"]
        }
    }
    three = await run("192.0.2.1", zone=zone)
    assert three.result is SpfVerdict.PERMERROR and "void" in three.problems[0]


async def test_more_than_ten_mx_is_permerror_and_null_mx_is_skipped():
    many = {
        "example.com": {
            "TXT": ["v=spf1 mx -all"],
            "MX": [f"{i} mx{i}.example.com" for i in range(11)],
        }
    }
    assert (await run("192.0.2.1", zone=many)).result is SpfVerdict.PERMERROR
    null = {"example.com": {"TXT": ["v=spf1 mx ?all"], "MX": ["0 ."]}}
    result = await run("192.0.2.1", zone=null)
    assert result.result is SpfVerdict.NEUTRAL and result.void_lookups == 0


async def test_ptr_and_p_macro_use_validated_names():
    zone = {
        "example.com": {"TXT": ["v=spf1 ptr -all exp=e.example.com"]},
        "e.example.com": {"TXT": ["%{p} is not allowed"]},
        "1.2.0.192.in-addr.arpa": {"PTR": ["mail.example.com", "liar.example.com"]},
        "mail.example.com": {"A": ["192.0.2.1"]},
        "liar.example.com": {"A": ["192.0.2.99"]},
        "9.2.0.192.in-addr.arpa": {"PTR": ["mail.example.net"]},
    }
    assert (await run("192.0.2.1", zone=zone)).result is SpfVerdict.PASS
    fail = await run("192.0.2.9", zone=zone)
    assert fail.explanation == "unknown is not allowed"


async def test_dns_error_on_a_ptr_name_skips_that_name():
    zone = {
        "example.com": {"TXT": ["v=spf1 ptr -all"]},
        "1.2.0.192.in-addr.arpa": {"PTR": ["broken.example.com", "mail.example.com"]},
        "mail.example.com": {"A": ["192.0.2.1"]},
    }
    result = await run("192.0.2.1", zone=zone, failures={"broken.example.com": Outcome.TIMEOUT})
    assert result.result is SpfVerdict.PASS
    assert any("broken.example.com" in p and "skipped" in p for p in result.problems)


async def test_unaskable_target_does_not_match_and_is_not_void():
    zone = {"example.com": {"TXT": ["v=spf1 a:%{l}.example.com -all"]}}
    result = await run("192.0.2.1", sender="x" * 64 + "@example.com", zone=zone)
    assert (result.result, result.void_lookups) == (SpfVerdict.FAIL, 0)


async def test_repeated_unknown_modifiers_are_ignored():
    zone = {"example.com": {"TXT": ["v=spf1 x=%{d} x=%{d} ip4:192.0.2.1 -all"]}}
    assert (await run("192.0.2.1", zone=zone)).result is SpfVerdict.PASS


async def test_huge_garbage_record_is_permerror_quickly():
    record = "v=spf1 " + " ".join(f"a:{i}\x00.example" for i in range(6000))
    zone = {"example.com": {"TXT": [record[:65536]]}}
    start = time.process_time()  # CPU time: what a quadratic parse would burn, load or not
    result = await run("192.0.2.1", zone=zone)
    assert result.result is SpfVerdict.PERMERROR and time.process_time() - start < 2


class SlowResolver:
    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        await asyncio.sleep(10)
        raise AssertionError("not reached")


async def test_whole_evaluation_is_bounded_in_time():
    result = await run("192.0.2.1", resolver=SlowResolver(), timeout=0.05)
    assert result.result is SpfVerdict.TEMPERROR and "longer than" in result.problems[0]


async def test_multiple_records_are_permerror_and_shown():
    zone = {"example.com": {"TXT": ["v=spf1 -all", "V=SPF1 +all"]}}
    result = await run("192.0.2.1", zone=zone)
    assert result.result is SpfVerdict.PERMERROR
    assert result.path[0].record == "v=spf1 -all | V=SPF1 +all"


async def test_format_path_reads_like_the_decision():
    result = await run("192.0.2.99")
    assert format_path(result.path) == [
        'example.com: "v=spf1 include:_spf.example.net mx redirect=policy.example.org" '
        "-> redirect=policy.example.org (fail)",
        '  policy.example.org: "v=spf1 a:relay.example.org -all exp=why.example.org" '
        "-> -all (fail)",
    ]
    none = await run("192.0.2.1", sender="a@nothing.example.com")
    assert format_path(none.path) == ["nothing.example.com: no SPF record (none)"]


async def test_format_path_never_calls_a_dns_failure_no_record():
    failed = await run("192.0.2.1", failures={"example.com": Outcome.TIMEOUT})
    assert format_path(failed.path) == [
        "example.com: SPF record not read, DNS lookup failed (temperror)"
    ]
