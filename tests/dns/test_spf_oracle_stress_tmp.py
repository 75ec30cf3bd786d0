"""check_host() against pyspf, the reference implementation, on generated zones.

Hypothesis builds small zones (a few SPF records with every mechanism, includes
and redirects between them, MX and PTR data, explanations with macros, missing
and timing-out names, the occasional syntax error) and a client IP/sender; both
implementations evaluate them through the same zone. pyspf's DNS goes through
its ``spf.DNSLookup`` hook (as its own ``testspf.py`` driver does), ours through
:class:`~maildoctor.dns.resolver.StaticResolver`.

Known differences are kept out of the generated space, each for a reason:

* pyspf counts ``redirect=`` against the 10-lookup limit when it parses the
  record, we when the redirect is used (RFC 7208 4.6.4 counts terms "during
  evaluation"). Zones with redirects are therefore kept at 10 lookups or less
  in the worst case; zones without redirects go past the limit freely.
* pyspf turns a DNS error while validating a PTR name into temperror; RFC 7208
  5.5 says to skip that name, as we do. No timeouts on PTR names.
* pyspf rejects an unknown modifier that appears twice; RFC 7208 6 says
  unrecognized modifiers are ignored "no matter where, or how often, they
  appear" (we do). Terms are not repeated within a record.
* ``%{p}`` and ``%{t}`` are not generated (pyspf counts the ``%{p}`` lookups as
  void; ``%{t}`` is the clock).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
import spf
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from maildoctor.dns.resolver import Outcome, StaticResolver
from maildoctor.dns.spf_eval import check_host

N_DOMAINS = 4
DOMAINS = [f"d{i}.example.com" for i in range(N_DOMAINS)]
SLOW = "slow.example.com"
STATIC: dict[str, dict[str, list[str]]] = {
    "h1.example.com": {"A": ["192.0.2.1"], "AAAA": ["2001:db8::1"]},
    "h2.example.com": {"A": ["192.0.2.2", "198.51.100.2"]},
    "h3.example.com": {"AAAA": ["2001:db8::3"]},
    "1.2.0.192.in-addr.rbl.example.com": {"A": ["127.0.0.2"]},
    "1.2.0.192.in-addr.arpa": {"PTR": ["h1.example.com", "d0.example.com"]},
    "2.2.0.192.in-addr.arpa": {"PTR": ["h2.example.com"]},
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa": {
        "PTR": ["h1.example.com"]
    },
    "exp1.example.com": {"TXT": ["%{i} is not allowed to send as %{s} (%{d}, %{l}, %{v})"]},
    "exp2.example.com": {"TXT": ["one", "two"]},
    "exp3.example.com": {"TXT": ["bad %{z} macro"]},
    "user.u.example.com": {"A": ["127.0.0.2"]},
}
IPS = [
    "192.0.2.1",
    "192.0.2.2",
    "192.0.2.99",
    "198.51.100.2",
    "203.0.113.5",
    "2001:db8::1",
    "2001:db8::3",
    "2001:db8:ffff::9",
    "::ffff:192.0.2.1",
]
SENDERS = ["user@d0.example.com", "other-name@d0.example.com", ""]
HOST_TARGETS = ["h1.example.com", "h2.example.com", "h3.example.com", "nx.example.com", SLOW]

qualifier = st.sampled_from(["", "+", "-", "~", "?"])


def _domain_terms(i: int) -> st.SearchStrategy[str]:
    """Well-formed directives of record ``d<i>`` (includes only point further down)."""
    later = DOMAINS[i + 1 :] + ["nx.example.com", SLOW]
    return st.one_of(
        st.tuples(
            qualifier,
            st.sampled_from(
                [
                    "ip4:192.0.2.1",
                    "ip4:192.0.2.0/24",
                    "ip4:198.51.100.0/25",
                    "ip4:0.0.0.0/0",
                    "ip6:2001:db8::1",
                    "ip6:2001:db8::/32",
                    "ip6:::/0",
                ]
            ),
        ).map("".join),
        st.tuples(
            qualifier,
            st.just("a"),
            st.sampled_from(["", *[":" + h for h in HOST_TARGETS], ":%{d}", ":%{o}"]),
            st.sampled_from(["", "/24", "//64", "/24//32", "/0"]),
        ).map("".join),
        st.tuples(
            qualifier,
            st.just("mx"),
            st.sampled_from(["", *[":" + d for d in DOMAINS], ":nx.example.com"]),
            st.sampled_from(["", "/24", "//48"]),
        ).map("".join),
        st.tuples(
            qualifier,
            st.sampled_from(
                [
                    "exists:h1.example.com",
                    "exists:h3.example.com",
                    "exists:nx.example.com",
                    "exists:%{ir}.%{v}.rbl.example.com",
                    "exists:%{l1r-}.u.%{d2}",
                    f"exists:{SLOW}",
                    "ptr",
                    "ptr:example.com",
                    "ptr:h2.example.com",
                ]
            ),
        ).map("".join),
        st.tuples(qualifier, st.just("include:"), st.sampled_from(later)).map("".join),
    )


#: Terms that break the record (permerror) and modifiers.
BAD_TERMS = st.sampled_from(["ip4:1.2.3", "a:foo", "mx/33", "foo=%x", "-all.", "bogus"])
MODIFIERS = st.sampled_from(
    [
        "exp=exp1.example.com",
        "exp=exp2.example.com",
        "exp=exp3.example.com",
        "exp=nx.example.com",
        "unknown-mod=%{d}",
    ]
)
ENDINGS = st.sampled_from(["", "-all", "~all", "?all", "+all", "all"])


@st.composite
def _record(draw: st.DrawFn, i: int, *, redirects: bool) -> str:
    terms = draw(st.lists(_domain_terms(i), max_size=4, unique=True))
    if draw(st.integers(0, 9)) == 0:
        terms.insert(draw(st.integers(0, len(terms))), draw(BAD_TERMS))
    if draw(st.booleans()):
        terms.append(draw(MODIFIERS))
    terms.append(draw(ENDINGS))
    if redirects and i + 1 < N_DOMAINS and draw(st.booleans()):
        terms.append("redirect=" + draw(st.sampled_from(DOMAINS[i + 1 :] + ["nx.example.com"])))
    return "v=spf1 " + " ".join(t for t in terms if t)


@dataclass
class Zone:
    records: dict[str, dict[str, list[str]]]
    slow: frozenset[str]

    def worst_lookups(self, domain: str, depth: int = 0) -> int:
        """Lookups a non-matching client would cost (bounded: the graph is acyclic)."""
        txts = self.records.get(domain, {}).get("TXT", [])
        spfs = [t for t in txts if t.lower().startswith("v=spf1")]
        if len(spfs) != 1 or depth > N_DOMAINS:
            return 0
        total = 0
        for term in spfs[0].split()[1:]:
            name = term.lstrip("+-~?").split(":")[0].split("/")[0].lower()
            if name in ("a", "mx", "ptr", "exists"):
                total += 1
            elif name in ("include", "redirect=") or term.startswith("redirect="):
                target = term.split(":", 1)[-1].split("=", 1)[-1]
                total += 1 + self.worst_lookups(target, depth + 1)
        return total


@st.composite
def zones(draw: st.DrawFn, *, redirects: bool) -> Zone:
    records = {name: {k: list(v) for k, v in types.items()} for name, types in STATIC.items()}
    for i, domain in enumerate(DOMAINS):
        types: dict[str, list[str]] = {}
        shape = draw(st.sampled_from(["one"] * 8 + ["none", "two"]))
        if shape != "none":
            types["TXT"] = [draw(_record(i, redirects=redirects)), "not spf"]
        if shape == "two":
            types["TXT"].append("v=spf1 -all")
        mx = draw(
            st.lists(
                st.sampled_from(
                    ["h1.example.com", "h2.example.com", "h3.example.com", "nx.example.com"]
                ),
                max_size=3,
                unique=True,
            )
        )
        if mx:
            types["MX"] = [f"{10 * (n + 1)} {host}" for n, host in enumerate(mx)]
        if draw(st.booleans()):
            types["A"] = ["192.0.2.2"]
        records[domain] = types
    return Zone(records=records, slow=frozenset({SLOW}))


def _pyspf_lookup(zone: Zone):
    def lookup(name, qtype, strict=True, timeout=None):
        name = name.lower().rstrip(".")
        if name in zone.slow:
            raise spf.TempError("DNS timeout")
        values = zone.records.get(name, {}).get(qtype, [])
        if qtype == "TXT":
            return [((name, qtype), [v.encode()]) for v in values]
        if qtype == "MX":
            return [((name, qtype), (int(p), h)) for p, h in (v.split() for v in values)]
        return [((name, qtype), v) for v in values]

    return lookup


def _pyspf(zone: Zone, ip: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    with monkeypatch.context() as patch:
        patch.setattr(spf, "DNSLookup", _pyspf_lookup(zone))
        query = spf.query(i=ip, s=sender, h="d0.example.com")
        query.set_default_explanation("DEFAULT")
        result, _code, explanation = query.check()
    return {"error": "temperror", "unknown": "permerror"}.get(result, result), explanation


def _ours(zone: Zone, ip: str, sender: str) -> tuple[str, str]:
    resolver = StaticResolver(zone.records, failures={n: Outcome.TIMEOUT for n in zone.slow})
    result = asyncio.run(
        check_host(ip, sender, "d0.example.com", resolver=resolver, default_explanation="DEFAULT")
    )
    return str(result.result), result.explanation


def _compare(zone: Zone, ip: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = _pyspf(zone, ip, sender, monkeypatch)
    ours = _ours(zone, ip, sender)
    event(f"result: {ours[0]}")
    assert ours[0] == theirs[0], (zone.records, ip, sender, ours, theirs)
    if ours[0] == "fail":
        assert ours[1] == theirs[1], (zone.records, ip, sender, ours, theirs)


SETTINGS = settings(
    max_examples=4000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
    ],
)


@SETTINGS
@given(zone=zones(redirects=True), ip=st.sampled_from(IPS), sender=st.sampled_from(SENDERS))
def test_agrees_with_pyspf_with_redirects(zone, ip, sender, monkeypatch):
    assume(zone.worst_lookups("d0.example.com") <= 10)
    _compare(zone, ip, sender, monkeypatch)


@SETTINGS
@given(zone=zones(redirects=False), ip=st.sampled_from(IPS), sender=st.sampled_from(SENDERS))
def test_agrees_with_pyspf_past_the_lookup_limit(zone, ip, sender, monkeypatch):
    _compare(zone, ip, sender, monkeypatch)
