"""Hypothesis fuzzing of the message parsers: any bytes give a result, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildoctor.message.auth_results import arc_sets, parse_authentication_results
from maildoctor.message.facts import gather_facts
from maildoctor.message.headers import parse_message
from maildoctor.message.received import parse_received
from maildoctor.message.spamheaders import decode_spam_headers

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADER_NAMES = st.sampled_from(
    [
        "Received",
        "Authentication-Results",
        "ARC-Seal",
        "ARC-Message-Signature",
        "ARC-Authentication-Results",
        "From",
        "Return-Path",
        "Received-SPF",
        "DKIM-Signature",
        "X-Forefront-Antispam-Report",
        "X-Spam-Status",
        "X-Gm-Spam",
        "Date",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.from_regex(
    r"[a-z=;:()\[\]<> .@0-9\"-]{0,120}", fullmatch=True
)


@st.composite
def messages(draw) -> bytes:
    fields = draw(st.lists(st.tuples(HEADER_NAMES, TEXT), max_size=12))
    head = "".join(f"{n}: {v}\r\n" for n, v in fields).encode("utf-8", "surrogatepass")
    tail = draw(st.binary(max_size=200))
    return head + draw(st.sampled_from([b"", b"\r\n", b"\n"])) + tail


@FAST
@given(st.binary(max_size=2000))
def test_parse_message_never_raises(raw):
    parsed = parse_message(raw)
    assert isinstance(parsed.warnings, tuple)


@FAST
@given(messages())
def test_facts_and_verdicts_never_raise(raw):
    parsed = parse_message(raw)
    facts = gather_facts(parsed)
    assert all(h.position >= 1 for h in facts.chain)
    decode_spam_headers(parsed)
    arc_sets(parsed.fields)


@FAST
@given(TEXT)
def test_field_parsers_never_raise(value):
    parse_received(value)
    parse_authentication_results(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_check_headers_never_raises(raw):
    import asyncio

    from maildoctor.context import Context
    from maildoctor.dns.resolver import StaticResolver
    from maildoctor.message import check_headers

    findings = asyncio.run(check_headers(raw, ctx=Context(resolver=StaticResolver({}))))
    assert findings
