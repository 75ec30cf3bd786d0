"""SPF record syntax and macros: terms with positions, errors, section 7 expansion."""

from __future__ import annotations

import ipaddress

import pytest

from maildoctor.dns.spf_macro import (
    MacroError,
    MacroValues,
    UnknownValue,
    domain_spec_error,
    expand,
    fit_domain,
    ip_macro_value,
    parse_macro_string,
)
from maildoctor.dns.spf_parse import (
    Mechanism,
    Modifier,
    is_spf_record,
    parse_record,
    spf_records,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v=spf1", True),
        ("v=spf1 -all", True),
        ("V=SpF1 ~all", True),
        ("v=spf10", False),
        ("v=spf1mx", False),
        ("v=spf1\t-all", False),
        (" v=spf1 -all", False),
        ("spf2.0/pra -all", False),
    ],
)
def test_version_must_be_followed_by_space_or_end(text, expected):
    assert is_spf_record(text) is expected


def test_spf_records_keeps_only_spf():
    assert spf_records(["google-site-verification=x", "v=spf1 -all", "v=spf10"]) == ("v=spf1 -all",)


def test_terms_carry_offsets_qualifiers_and_arguments():
    record = parse_record(
        "v=spf1  a:mail.example.com/24//64 -mx ~ip4:192.0.2.0/24 "
        "?ip6:2001:db8::/32 include:_spf.example.net exp=why.%{d} x-y=z"
    )
    assert record.ok
    a, mx, ip4, ip6, inc = record.mechanisms
    assert (a.offset, a.name, a.target, a.cidr4, a.cidr6) == (8, "a", "mail.example.com", 24, 64)
    assert (mx.qualifier, mx.result, mx.target) == ("-", "fail", None)
    assert ip4.network == ipaddress.ip_network("192.0.2.0/24")
    assert (ip4.result, ip6.result) == ("softfail", "neutral")
    assert ip6.network == ipaddress.ip_network("2001:db8::/32")
    assert inc.is_lookup and inc.target == "_spf.example.net"
    assert record.exp is not None and record.exp.value == "why.%{d}"
    assert [t.name for t in record.terms if isinstance(t, Modifier)] == ["exp", "x-y"]
    assert record.text[a.offset :].startswith("a:mail")


def test_ip4_host_bits_are_masked():
    (mech,) = parse_record("v=spf1 ip4:192.0.2.77/24").mechanisms
    assert mech.network == ipaddress.ip_network("192.0.2.0/24")


@pytest.mark.parametrize(
    ("record", "column", "fragment"),
    [
        ("v=spf1 ip4:192.0.2.4 -all moo", 27, "unknown mechanism 'moo'"),
        ("v=spf1 ip4:192.0.2.300 -all", 12, "not a dotted-quad"),
        ("v=spf1 ip4:192.0.2.4/032", 22, "bad CIDR length"),
        ("v=spf1 a/33", 9, "/33 is over 32"),
        ("v=spf1 mx//129", 10, "/129 is over 128"),
        ("v=spf1 a:museum", 10, "fully qualified"),
        ("v=spf1 a:abc.123", 10, "invalid top-level label '123'"),
        ("v=spf1 a:example.com:8080", 10, "invalid top-level label"),
        ("v=spf1 include:", 16, "empty domain-spec"),
        ("v=spf1 include", 8, "needs ':domain'"),
        ("v=spf1 ptr/0", 11, "no CIDR"),
        ("v=spf1 -all:x", 12, "takes no argument"),
        ("v=spf1 redirect:example.com", 8, "write redirect="),
        ("v=spf1 1up=foo", 8, "must start with a letter"),
        ("v=spf1 exp=", 12, "empty domain-spec"),
        ("v=spf1 exists:%{a}.example.com", 15, "unknown macro letter"),
        ("v=spf1 exists:foo%.example.com", 18, "'%' must be followed"),
        ("v=spf1 exp=%{r}.example.com", 12, "only in explanation"),
        ("v=spf1 a:ctrl.example.com\rptr", 26, "not allowed"),
        ("v=spf1 \x80a:example.net", 8, "7-bit ASCII"),
        ("v=spf1 ip6::CAFE::BABE", 12, "not an IPv6 address"),
        ("v=spf1 -all exp=a.example.com exp=b.example.com", 31, "more than once"),
        ("v=spf1 +", 8, "empty mechanism"),
        ("v=spf1 -all ip6", 13, "needs ':address'"),
    ],
)
def test_syntax_errors_name_the_position(record, column, fragment):
    parsed = parse_record(record)
    assert not parsed.ok
    problem = parsed.errors[0]
    assert problem.column == column, problem
    assert fragment in problem.message
    assert f"character {column}" in problem.describe()


def test_every_bad_term_is_reported_and_good_ones_kept():
    record = parse_record("v=spf1 ip4:1.2.3 include:_spf.example.net a:foo -all")
    assert [p.term for p in record.errors] == ["ip4:1.2.3", "a:foo"]
    assert [m.text for m in record.mechanisms] == ["include:_spf.example.net", "-all"]


def test_redirect_is_ignored_beside_all():
    record = parse_record("v=spf1 redirect=_spf.example.com ~all")
    assert record.redirect is not None and record.all is not None
    assert record.effective_redirect is None


def test_unknown_modifiers_may_repeat():
    # RFC 7208 6: unrecognized modifiers are ignored "no matter where, or how often".
    assert parse_record("v=spf1 x=1 x=2 -all").ok


def test_garbage_never_raises():
    for text in ("v=spf1 " + "\x00\xff%{" * 5000, "v=spf1 " + "a:" * 30000, "not spf at all"):
        record = parse_record(text)
        assert not record.ok


def test_colon_and_slash_allowed_inside_domain():
    (mech,) = parse_record("v=spf1 a:foo:bar/baz.example.com").mechanisms
    assert isinstance(mech, Mechanism) and mech.target == "foo:bar/baz.example.com"


# -- macros (RFC 7208 section 7) --------------------------------------------------

RFC_VALUES = MacroValues(
    s="strong-bad@email.example.com",
    l="strong-bad",
    o="email.example.com",
    d="email.example.com",
    i="192.0.2.3",
    v="in-addr",
    h="mx.example.org",
    c="192.0.2.3",
)


@pytest.mark.parametrize(
    ("macro", "expected"),
    [  # the examples of RFC 7208 section 7.4
        ("%{s}", "strong-bad@email.example.com"),
        ("%{o}", "email.example.com"),
        ("%{d}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d3}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}", "strong-bad"),
        ("%{l-}", "strong.bad"),
        ("%{lr}", "strong-bad"),
        ("%{lr-}", "bad.strong"),
        ("%{l1r-}", "strong"),
        ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
        ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
        ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
        ("%%%_%-", "% %20"),
        ("%{S}", "strong-bad%40email.example.com"),
    ],
)
def test_rfc_7208_macro_examples(macro, expected):
    assert expand(parse_macro_string(macro), RFC_VALUES) == expected


def test_ipv6_i_macro_is_nibbles():
    ip = ipaddress.ip_address("2001:db8::cb01")
    values = MacroValues(i=ip_macro_value(ip), v="ip6", d="email.example.com")
    result = expand(parse_macro_string("%{ir}.%{v}._spf.%{d2}"), values)
    assert result.lower() == (
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
    )


def test_explanation_strings_allow_spaces_and_exp_letters():
    parts = parse_macro_string("%{c} is not allowed by %{r} at %{t}", explanation=True)
    values = MacroValues(c="192.0.2.3", r="mx.example.org", t="0")
    assert expand(parts, values) == "192.0.2.3 is not allowed by mx.example.org at 0"
    with pytest.raises(MacroError):
        parse_macro_string("a b")


@pytest.mark.parametrize("text", ["%", "%x", "%{", "%{d", "%{q}", "%{d0}", "%{d2x}", "\x7f"])
def test_bad_macro_strings(text):
    with pytest.raises(MacroError):
        parse_macro_string(text)


def test_unknown_values_are_reported_not_guessed():
    with pytest.raises(UnknownValue):
        expand(parse_macro_string("%{i}.example.com"), MacroValues(d="example.com"))


@pytest.mark.parametrize(
    ("spec", "valid"),
    [
        ("example.com", True),
        ("example.com.", True),
        ("%{d}", True),
        ("foo.%{d}", True),
        ("mail.example...com", True),  # valid syntax; the name cannot be asked (4.3)
        ("foo.example.xn--zckzah", True),
        ("foo", False),
        ("museum.", False),
        ("example.-com", False),
        ("abc.123", False),
        ("%{d}com", False),
    ],
)
def test_domain_end(spec, valid):
    assert (domain_spec_error(parse_macro_string(spec)) is None) is valid


def test_long_expansions_lose_labels_on_the_left():
    name = ".".join(["a" * 60] * 5) + ".example.com."
    fitted = fit_domain(name)
    assert len(fitted) <= 253 and fitted.endswith("a.example.com") and not fitted.endswith(".")
