"""DNS blocklists over loopback: listings decoded, refusals "could not check", clean is clean."""

from __future__ import annotations

import pytest

from maildoctor.context import Context
from maildoctor.correlate import correlate
from maildoctor.dns import blocklist as bl
from maildoctor.model import Finding, Status
from maildoctor.testing.dnsserver import dnsbl_zone

LISTED = "198.51.100.25"
CLEAN = "198.51.100.26"
REFUSED = "198.51.100.27"
V6 = "2001:db8::25"


def _zone() -> dict:
    data = dnsbl_zone(
        "zen.spamhaus.org",
        {LISTED: ["127.0.0.2", "127.0.0.4"], REFUSED: ["127.255.255.254"], V6: ["127.0.0.3"]},
        reasons={LISTED: "https://check.spamhaus.org/sbl/query/SBL000"},
    )
    data.update(dnsbl_zone("b.barracudacentral.org", {REFUSED: ["127.0.0.1"]}))
    data.update(dnsbl_zone("bl.spamcop.net", {REFUSED: ["203.0.113.80"]}))
    data.update(dnsbl_zone("dbl.spamhaus.org", {"bad.example": ["127.0.1.4"]}))
    data.update(dnsbl_zone("dbl.spamhaus.org", {"odd.example": ["127.0.1.255"]}))
    return data


async def _check(dns_server, resolver_for, **kwargs) -> tuple[Finding, ...]:
    dns_server.load(_zone())
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    return await bl.check_blocklists(ctx=ctx, **kwargs)


def _by(findings, check, subject=None):
    return [f for f in findings if f.check == check and (subject is None or f.subject == subject)]


def test_query_names_reverse_octets_and_nibbles() -> None:
    assert bl.query_name("192.0.2.1", bl.ZEN) == "1.2.0.192.zen.spamhaus.org"
    six = bl.query_name("2001:db8::1", bl.ZEN)
    assert six is not None and six.startswith("1.0.0.0.0.0.0.0.") and len(six.split(".")) == 35
    assert six.endswith(".8.b.d.0.1.0.0.2.zen.spamhaus.org")
    assert bl.query_name("2001:db8::1", bl.BRBL) is None  # IPv4-only list
    assert bl.query_name("example.com", bl.ZEN) is None
    assert bl.query_name("Example.COM.", bl.DBL) == "example.com.dbl.spamhaus.org"
    assert bl.query_name("192.0.2.1", bl.DBL) is None


@pytest.mark.parametrize(
    ("codes", "state"),
    [
        (["127.0.0.2"], bl.State.LISTED),
        (["127.0.0.10"], bl.State.LISTED),
        (["127.255.255.252"], bl.State.UNKNOWN),
        (["127.255.255.254"], bl.State.UNKNOWN),
        (["127.255.255.255"], bl.State.UNKNOWN),
        (["127.255.255.254", "127.0.0.4"], bl.State.LISTED),
        (["127.0.0.1"], bl.State.UNKNOWN),
        (["192.0.2.80"], bl.State.UNKNOWN),
        (["127.0.0.99"], bl.State.LISTED),
    ],
)
def test_decode_zen(codes: list[str], state: bl.State) -> None:
    assert bl.decode(bl.ZEN, codes).state is state


def test_decode_words() -> None:
    words = bl.decode(bl.ZEN, ["127.0.0.10"]).meanings[0]
    assert words.startswith("127.0.0.10: PBL")
    assert "public/open resolver" in bl.decode(bl.ZEN, ["127.255.255.254"]).meanings[0]
    assert "IP queries" in bl.decode(bl.DBL, ["127.0.1.255"]).meanings[0]
    assert bl.decode(bl.DBL, ["127.0.1.255"]).state is bl.State.UNKNOWN
    assert bl.decode(bl.SORBS, ["127.0.0.2"]).state is bl.State.UNKNOWN  # decommissioned


async def test_listed_ip_is_a_cause_with_removal_path(dns_server, resolver_for) -> None:
    found = await _check(dns_server, resolver_for, ips={LISTED: "--sending-ip"})
    (listed,) = _by(found, "dns.blocklist.ip_listed")
    assert listed.status is Status.FAIL and listed.cause == "dns.blocklist.ip_listed"
    assert "SBL" in listed.summary and "XBL" in listed.summary
    assert "check.spamhaus.org" in listed.fix
    assert "SBL000" in listed.detail  # the list's TXT reason
    (clean,) = _by(found, "dns.blocklist.clean")
    assert "Barracuda" in clean.summary and "Spamhaus ZEN" not in clean.summary
    (cause,) = correlate(found)
    assert cause.id == "dns.blocklist.ip_listed"


async def test_clean_ip_produces_no_cause(dns_server, resolver_for) -> None:
    found = await _check(dns_server, resolver_for, ips=[CLEAN])
    assert [f.status for f in found] == [Status.PASS]
    assert len(found[0].data["lists"]) == len(bl.DEFAULT_IP_LISTS)
    assert correlate(found) == ()


async def test_refusals_are_could_not_check(dns_server, resolver_for) -> None:
    found = await _check(dns_server, resolver_for, ips=[REFUSED])
    assert not _by(found, "dns.blocklist.ip_listed")
    unknown = {f.data["list"]: f for f in _by(found, "dns.blocklist.not_checked")}
    assert set(unknown) == {"zen.spamhaus.org", "b.barracudacentral.org", "bl.spamcop.net"}
    assert all(f.status is Status.ERROR for f in unknown.values())
    assert "public/open resolver" in unknown["zen.spamhaus.org"].summary
    assert "RFC 5782" in unknown["b.barracudacentral.org"].summary
    assert "outside 127.0.0.0/8" in unknown["bl.spamcop.net"].summary
    assert correlate(found) == ()


async def test_timeout_is_could_not_check(dns_server, resolver_for) -> None:
    dns_server.load(_zone())
    dns_server.timeout_names = {f"25.100.51.198.{b.zone}" for b in bl.DEFAULT_IP_LISTS}
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.2))
    try:
        found = await bl.check_blocklists([LISTED], ctx=ctx)
    finally:
        dns_server.timeout_names = set()
    assert {f.check for f in found} == {"dns.blocklist.not_checked"}
    assert all("timeout" in f.summary for f in found)


async def test_ipv6_listing(dns_server, resolver_for) -> None:
    found = await _check(dns_server, resolver_for, ips=[V6])
    (listed,) = _by(found, "dns.blocklist.ip_listed")
    assert "CSS" in listed.summary
    # IPv4-only lists are not asked about an IPv6 address
    assert not _by(found, "dns.blocklist.clean")


async def test_domain_lists(dns_server, resolver_for) -> None:
    found = await _check(
        dns_server, resolver_for, domains={"bad.example": "a link", "good.example": "sender"}
    )
    (listed,) = _by(found, "dns.blocklist.domain_listed")
    assert listed.subject == "bad.example" and "phishing" in listed.summary
    assert listed.cause == "dns.blocklist.domain_listed"
    assert _by(found, "dns.blocklist.clean", "good.example")
    found = await _check(dns_server, resolver_for, domains=["odd.example"])
    assert [f.check for f in found] == ["dns.blocklist.not_checked"]


async def test_custom_zone(dns_server, resolver_for) -> None:
    dns_server.load(dnsbl_zone("dnsbl.example.net", {CLEAN: ["127.0.0.5"]}))
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    lists = bl.select_lists(["dnsbl.example.net"], defaults=False)
    found = await bl.check_blocklists([CLEAN], ctx=ctx, lists=lists)
    (listed,) = found
    assert listed.check == "dns.blocklist.ip_listed" and "does not document" in listed.summary
    with pytest.raises(ValueError):
        bl.custom_list("not a zone")


def test_ips_and_domains_in_text() -> None:
    text = (
        "554 5.7.1 Service unavailable; Client host [198.51.100.25] blocked using "
        "zen.spamhaus.org; from 10.0.0.1 and 127.0.0.1 via 2001:db8::25 at 12:30:45, "
        "version 1.2.3.4.5 see https://www.spamhaus.org/query/ip/198.51.100.25"
    )
    assert bl.ips_in_text(text) == ("198.51.100.25", "2001:db8::25")
    assert bl.ips_in_text(text, exclude=["198.51.100.25"]) == ("2001:db8::25",)
    body = 'Click <a href="https://Links.Example.net/x?y">here</a> or http://198.51.100.1/ .'
    assert bl.domains_in_text(body) == ("links.example.net",)


def test_defaults_exclude_retired_sorbs() -> None:
    zones = [b.zone for b in bl.select_lists()]
    assert "dnsbl.sorbs.net" not in zones
    assert {"zen.spamhaus.org", "dbl.spamhaus.org", "b.barracudacentral.org"} <= set(zones)
    assert {"bl.spamcop.net", "dnsbl-1.uceprotect.net", "bl.mailspike.net"} <= set(zones)


async def test_over_the_limit_is_named_not_dropped(dns_server, resolver_for) -> None:
    ips = [LISTED, CLEAN, "198.51.100.30"]
    found = await _check(dns_server, resolver_for, ips=ips, limit=2)
    (left,) = _by(found, "dns.blocklist.not_all_checked")
    assert left.status is Status.INFO and left.data["not_checked"] == ["198.51.100.30"]
    assert {f.subject for f in found if f.check == "dns.blocklist.clean"} == {LISTED, CLEAN}


def _finding(check: str, status: Status, cause: str = "", origin: str = "bounce") -> Finding:
    from maildoctor.model import Layer

    return Finding(
        check=check,
        layer=Layer.RECIPIENT,
        status=status,
        subject=LISTED,
        summary=check,
        cause=cause,
        data={"origin": origin},
    )


def test_a_bounce_block_with_clean_lists_is_a_caveat_not_a_merge() -> None:
    blocked = _finding("recipient.bounce.rejected", Status.FAIL, "recipient.blocked_ip")
    clean = _finding("dns.blocklist.clean", Status.PASS, origin="blocklist")
    (cause,) = correlate((blocked, clean))
    assert cause.id == "recipient.blocked_ip"
    assert any("do not list the address" in c for c in cause.conflicts)
