"""DMARC aggregate XML: the receivers' formats, counts exactly as written, hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maildoctor.reports.aggregate import DMARCBIS_NAMESPACE, ReportError, parse_aggregate

_COUNT = re.compile(rb"<count>\s*(\d+)\s*</count>")
_RECORD = re.compile(rb"<record>")
SOURCES = ("google.xml", "microsoft.xml", "yahoo.xml", "fastmail.xml", "mimecast.xml")


@pytest.mark.parametrize("name", SOURCES)
def test_counts_match_the_xml_exactly(sources: Path, name: str) -> None:
    data = (sources / name).read_bytes()
    report = parse_aggregate(data)
    assert [r.count for r in report.records] == [int(c) for c in _COUNT.findall(data)]
    assert len(report.records) == len(_RECORD.findall(data))
    assert report.messages == sum(int(c) for c in _COUNT.findall(data))


def test_google_report_fields(sources: Path) -> None:
    report = parse_aggregate((sources / "google.xml").read_bytes())
    assert report.org_name == "google.example"
    assert report.report_id == "11894501262374829173"
    assert (report.begin, report.end) == (1764547200, 1764633599)
    assert report.policy.p == "none" and report.policy.np == "none"
    assert report.schema == "rfc7489"
    first = report.records[0]
    assert first.source_ip == "198.51.100.25" and first.count == 37
    assert (first.disposition, first.dkim, first.spf) == ("none", "fail", "fail")
    assert first.dkim_results[0].domain == "amazonses.com"
    assert first.dkim_results[0].selector == "224i4yxa5dv7c2xz3womw6peuasteono"
    assert first.spf_results[0].domain == "us-east-1.amazonses.com"
    assert not first.dmarc_pass and report.records[2].dmarc_pass
    assert report.failing == 42


def test_microsoft_namespace_prefixes_and_identifiers(sources: Path) -> None:
    report = parse_aggregate((sources / "microsoft.xml").read_bytes())
    assert report.org_name == "Enterprise Outlook"
    assert report.version == "1.0"
    assert report.policy.fo == "0"
    first = report.records[0]
    assert first.envelope_to == "example.net"
    assert first.envelope_from == "us-east-1.amazonses.com"
    assert first.spf_results[0].scope == "mfrom"
    assert report.records[1].source_ip == "2001:db8::25"
    assert report.warnings == ()


def test_yahoo_missing_fields_are_empty_not_errors(sources: Path) -> None:
    report = parse_aggregate((sources / "yahoo.xml").read_bytes())
    assert report.extra_contact_info == "" and report.policy.sp == "" and report.policy.pct == ""
    assert report.records[0].dkim_results[0].selector == ""
    assert report.records[0].envelope_from == ""
    assert report.records[1].dkim_results == ()
    assert report.warnings == ()


def test_dmarcbis_schema(sources: Path) -> None:
    report = parse_aggregate((sources / "fastmail.xml").read_bytes())
    assert report.schema == "rfc9990" and report.namespace == DMARCBIS_NAMESPACE
    assert report.generator == "example-dmarc-reporter 2.1"
    policy = report.policy
    assert (policy.np, policy.testing, policy.discovery_method) == ("reject", "y", "treewalk")
    first = report.records[0]
    assert first.reasons[0].type == "policy_test_mode"
    assert first.reasons[0].comment == "t=y in the policy record"
    assert first.spf_results[0].human_result.startswith("sender IP is permitted")
    assert report.records[1].header_from == "news.example.com"


def test_several_reasons_and_signatures(sources: Path) -> None:
    report = parse_aggregate((sources / "mimecast.xml").read_bytes())
    assert [r.reasons[0].type for r in report.records[:2]] == ["forwarded", "local_policy"]
    assert [d.domain for d in report.records[2].dkim_results] == ["example.com", "mimecast.example"]


def test_mislabelled_latin1_is_read_with_a_warning(sources: Path) -> None:
    report = parse_aggregate((sources / "smallreceiver.xml").read_bytes())
    assert report.org_name == "Mail Ex\u00e9mple SARL"
    assert any("charset" in w for w in report.warnings)
    assert report.records[0].count == 1


def test_declared_charset_is_honoured() -> None:
    xml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><feedback><report_metadata>'
        "<org_name>R\u00e9ceiver</org_name></report_metadata><policy_published>"
        "<domain>example.com</domain></policy_published></feedback>"
    ).encode("latin-1")
    report = parse_aggregate(xml)
    assert report.org_name == "R\u00e9ceiver" and not any("charset" in w for w in report.warnings)


def _minimal(count: str) -> bytes:
    return (
        "<feedback><policy_published><domain>example.com</domain></policy_published>"
        f"<record><row><source_ip>192.0.2.1</source_ip><count>{count}</count></row></record>"
        "</feedback>"
    ).encode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "not well-formed"),
        (b"<feedback><record>", "not well-formed"),
        (b"<html><body>hello</body></html>", "root element is <html>"),
        (b"<feedback><a><b/></a></feedback>", "no <policy_published> and no <record>"),
        (_minimal("12x"), "record 1: count '12x'"),
        (_minimal("-3"), "record 1: count '-3'"),
        (_minimal(""), "count missing"),
        (
            b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<feedback>&b;</feedback>",
            "hostile XML refused",
        ),
    ],
)
def test_invalid_reports_raise_one_line(data: bytes, words: str) -> None:
    with pytest.raises(ReportError) as info:
        parse_aggregate(data)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for declaration in (
        f'<!DOCTYPE f [<!ENTITY e SYSTEM "file://{secret}">]><feedback>&e;</feedback>',
        f'<!DOCTYPE f SYSTEM "file://{secret}"><feedback><report_metadata>'
        "<org_name>x</org_name></report_metadata></feedback>",
    ):
        try:
            report = parse_aggregate(declaration.encode())
        except ReportError as exc:
            assert "TOP-SECRET-MARKER" not in str(exc)
            continue
        assert "TOP-SECRET-MARKER" not in repr(report)


def test_record_without_count_in_strange_order_is_still_counted() -> None:
    xml = (
        b"<feedback xmlns='http://dmarc.org/dmarc-xml/0.1'><record><auth_results/>"
        b"<row><count>5</count><source_ip>192.0.2.7</source_ip></row></record></feedback>"
    )
    report = parse_aggregate(xml)
    assert (report.records[0].source_ip, report.records[0].count) == ("192.0.2.7", 5)
    assert report.schema == "rfc7489"


def test_namespace_declared_below_the_root() -> None:
    xml = (
        b"<feedback><record xmlns='urn:example:ns'><row><source_ip>192.0.2.8</source_ip>"
        b"<count>2</count></row></record></feedback>"
    )
    report = parse_aggregate(xml)
    assert (report.records[0].source_ip, report.records[0].count) == ("192.0.2.8", 2)


def test_harmless_doctype_goes_through_defusedxml() -> None:
    xml = (
        b"<?xml version='1.0'?><!DOCTYPE feedback>"
        b"<feedback><record><row><count>3</count></row></record></feedback>"
    )
    assert parse_aggregate(xml).records[0].count == 3


def test_utf16_document() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        "<feedback><record><row><count>4</count></row></record></feedback>"
    )
    assert parse_aggregate(xml.encode("utf-16")).records[0].count == 4


def test_entities_in_utf16_are_refused_too() -> None:
    xml = '<!DOCTYPE f [<!ENTITY a "x">]><feedback>&a;</feedback>'
    with pytest.raises(ReportError, match="hostile"):
        parse_aggregate(xml.encode("utf-16"))
