"""MX text read once: one rule for malformed, null and implicit MX, used by every caller."""

from __future__ import annotations

import subprocess
import sys

import pytest

from maildoctor.context import Context
from maildoctor.dns.mx import lookup_mx, mx_hosts
from maildoctor.dns.prefetch import next_questions
from maildoctor.dns.rdata import MxRecord, is_null_mx, mx_set, parse_mx
from maildoctor.dns.record import zonedata_from_answers
from maildoctor.dns.resolver import DnsAnswer, Outcome, StaticResolver
from maildoctor.dns.spf_eval import mx_hosts as spf_mx_hosts
from maildoctor.provider.ses.endpoints import feedback_endpoint_region


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 mx.example.com", MxRecord(10, "mx.example.com")),
        ("0 MX.Example.COM.", MxRecord(0, "mx.example.com")),
        ("65535 mx.example.com", MxRecord(65535, "mx.example.com")),
        ("0 .", MxRecord(0, ".")),
        ("65536 mx.example.com", None),  # RFC 1035 3.3.9: 16 bits
        ("-1 mx.example.com", None),
        ("x mx.example.com", None),
        ("10", None),
        ("10 ", None),
        ("", None),
        ("10 a.example.com b.example.com", None),
    ],
)
def test_parse_mx_one_rule_for_bad_preference(text, expected):
    assert parse_mx(text) == expected


def test_mx_set_sorts_keeps_malformed_and_applies_null_and_implicit():
    found = mx_set("Example.COM.", ["20 b.example.com", "10 a.example.com.", "x y", "5"])
    assert found.records == (MxRecord(10, "a.example.com"), MxRecord(20, "b.example.com"))
    assert found.malformed == ("x y", "5")
    assert found.hosts == found.records and not found.null and not found.implicit
    null = mx_set("example.com", ["0 ."])
    assert null.null and null.hosts == () and is_null_mx(null.records)
    implicit = mx_set("Example.com", [], nodata=True)
    assert implicit.hosts == (MxRecord(0, "example.com"),) and implicit.implicit


@pytest.mark.parametrize(
    ("outcome", "records", "hosts"),
    [
        (Outcome.ANSWER, ("10 mx.example.com",), ("mx.example.com",)),
        (Outcome.NODATA, (), ("example.com",)),  # RFC 5321 5.1
        (Outcome.NXDOMAIN, (), ()),
        (Outcome.TIMEOUT, (), ()),
        (Outcome.ANSWER, ("0 .",), ()),  # RFC 7505
    ],
)
def test_answer_mx_applies_the_rule(outcome, records, hosts):
    answer = DnsAnswer(name="example.com", rdtype="MX", outcome=outcome, records=records)
    assert tuple(r.exchange for r in answer.mx().hosts) == hosts


async def test_every_caller_reads_mx_the_same_way():
    zone = {"example.com": {"MX": ["20 b.example.com", "10 a.example.com", "bad text"]}}
    ctx = Context(resolver=StaticResolver(zone))
    lookup = await lookup_mx("example.com", ctx=ctx)
    assert [h.exchange for h in lookup.hosts] == ["a.example.com", "b.example.com"]
    result = await mx_hosts("example.com", ctx=ctx)
    assert [h.exchange for h in result.hosts] == ["a.example.com", "b.example.com"]
    assert result.malformed == ("bad text",)
    assert spf_mx_hosts(lookup.answer) == ["a.example.com", "b.example.com"]
    assert next_questions(lookup.answer)[:2] == [("a.example.com", "A"), ("a.example.com", "AAAA")]
    assert zonedata_from_answers([lookup.answer])["example.com"][:1] == [
        {"MX": [20, "b.example.com"]}
    ]


def test_spf_mx_mechanism_has_no_implicit_mx():
    nodata = DnsAnswer(name="example.com", rdtype="MX", outcome=Outcome.NODATA)
    assert spf_mx_hosts(nodata) == []  # RFC 7208 5.4: no MX records, no match


@pytest.mark.parametrize(
    ("exchange", "region"),
    [
        ("feedback-smtp.us-east-1.amazonses.com", "us-east-1"),
        ("Feedback-SMTP.eu-west-1.amazonses.com.", "eu-west-1"),
        ("feedback-smtp.amazonses.com", None),
        ("mx.example.com", None),
    ],
)
def test_feedback_endpoint_region(exchange, region):
    assert feedback_endpoint_region(exchange) == region


def test_rdata_imports_no_dnspython():
    code = (
        "import sys, maildoctor.dns.rdata; print('dns' in {m.split('.')[0] for m in sys.modules})"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
