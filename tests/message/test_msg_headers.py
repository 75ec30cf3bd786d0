"""The forgiving header reader: bad input gives warnings, never exceptions."""

from __future__ import annotations

from maildoctor.message.headers import (
    MAX_FIELDS,
    address_domain,
    parse_message,
    parse_tag_list,
)


def test_folding_crlf_and_body():
    parsed = parse_message(b"Subject: one\r\n two\r\nFrom: a@example.com\r\n\r\nbody\r\n")
    assert parsed.get("subject") == "one two"
    assert parsed.has_body and parsed.body_bytes == 6
    assert parsed.warnings == ()


def test_headers_only_and_mbox_separator():
    parsed = parse_message(
        b"From sender@example.com Mon Mar  4 18:00:00 2024\nFrom: a@example.com\n"
    )
    assert parsed.get("from") == "a@example.com"
    assert not parsed.has_body


def test_eight_bit_and_junk_lines_are_warnings():
    parsed = parse_message(b"From: a@example.com\nSubject: caf\xe9\nthis is not a header\n\nx")
    assert parsed.get("subject") == "caf\ufffd"
    assert any("8-bit" in w for w in parsed.warnings)
    assert any("not header fields" in w for w in parsed.warnings)


def test_binary_junk_and_empty_input():
    assert not parse_message(b"").looks_like_mail
    junk = parse_message(bytes(range(256)) * 10)
    assert not junk.looks_like_mail
    assert junk.warnings


def test_field_count_is_bounded():
    raw = b"".join(b"X-N: %d\n" % i for i in range(MAX_FIELDS + 10)) + b"\nbody"
    parsed = parse_message(raw)
    assert len(parsed.fields) == MAX_FIELDS
    assert any("ignored" in w for w in parsed.warnings)


def test_huge_header_without_body_is_truncated():
    parsed = parse_message(b"From: a@example.com\nX-Big: " + b"a" * (2 * 1024 * 1024))
    assert any("truncated" in w for w in parsed.warnings)


def test_address_domain():
    assert address_domain('"Admin, Team" <Admin@Example.COM>') == "example.com"
    assert address_domain("a@example.com, b@example.org") is None
    assert address_domain("undisclosed-recipients:;") is None
    assert address_domain(None) is None


def test_tag_list():
    assert parse_tag_list("v=1; a=rsa-sha256; b=AA BB\n CC;d=example.com; d=other") == {
        "v": "1",
        "a": "rsa-sha256",
        "b": "AABBCC",
        "d": "example.com",
    }
