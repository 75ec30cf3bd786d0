"""Authentication-Results (RFC 8601) and ARC header parsing."""

from __future__ import annotations

from maildoctor.message.auth_results import (
    arc_sets,
    parse_arc_authentication_results,
    parse_authentication_results,
)
from maildoctor.message.headers import parse_message


def test_rfc8601_appendix_b_4_sender_and_dkim():
    # RFC 8601 Appendix B.4 (names adapted).
    ar = parse_authentication_results(
        "example.com; spf=pass smtp.mailfrom=example.net; "
        "sender-id=pass header.from=example.net; dkim=pass (good signature) header.d=example.net"
    )
    assert ar.authserv_id == "example.com"
    assert [(r.method, r.result) for r in ar.results] == [
        ("spf", "pass"),
        ("sender-id", "pass"),
        ("dkim", "pass"),
    ]
    assert ar.results[0].prop("smtp.mailfrom") == "example.net"
    assert ar.results[2].comment == "good signature"
    assert ar.results[2].prop("header.d") == "example.net"


def test_version_no_result_and_reason():
    assert parse_authentication_results("example.org 1; none").results == ()
    ar = parse_authentication_results(
        'mx.example.org; dkim=fail reason="signature verification failed" header.d=example.com'
    )
    assert ar.results[0].reason == "signature verification failed"
    assert ar.errors == ()


def test_google_style_comment_and_properties():
    ar = parse_authentication_results(
        "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbCd1234; "
        "spf=pass (google.com: domain of bob@example.com designates 192.0.2.1 as permitted "
        "sender) smtp.mailfrom=bob@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) "
        "header.from=example.com"
    )
    spf = ar.methods("spf")[0]
    assert "designates 192.0.2.1" in spf.comment
    assert ar.methods("dmarc")[0].prop("header.from") == "example.com"
    assert ar.methods("dkim")[0].prop("header.b") == "AbCd1234"


def test_microsoft_without_authserv_id():
    ar = parse_authentication_results(
        "spf=pass (sender IP is 198.51.100.30) smtp.mailfrom=example.com; dkim=none (message not "
        "signed) header.d=none;dmarc=bestguesspass action=none header.from=example.com;"
        "compauth=pass reason=109"
    )
    assert ar.authserv_id == ""
    assert ar.errors and "authserv-id" in ar.errors[0]
    assert [r.method for r in ar.results] == ["spf", "dkim", "dmarc", "compauth"]
    assert ar.methods("dmarc")[0].extras == {"action": "none"}
    assert ar.methods("compauth")[0].reason == "109"


def test_nested_comments_and_escapes():
    ar = parse_authentication_results(
        r"mx.example.net; spf=pass (a (nested) comment \) here) smtp.mailfrom=a@example.com"
    )
    assert ar.results[0].comment == "a (nested) comment ) here"


def test_garbage_is_an_error_not_an_exception():
    for value in ("", ";;;", "(((", '"unterminated', "= = =", "x; =pass"):
        ar = parse_authentication_results(value)
        assert isinstance(ar.errors, tuple)


def test_arc_authentication_results_instance():
    aar = parse_arc_authentication_results(
        "i=2; lists.example.org; arc=pass; dkim=pass header.d=example.com"
    )
    assert aar.instance == 2
    assert aar.authserv_id == "lists.example.org"
    assert [r.method for r in aar.results] == ["arc", "dkim"]
    assert parse_arc_authentication_results("lists.example.org; dkim=pass").instance is None


def test_arc_sets_structure_problems():
    raw = (
        b"ARC-Seal: i=1; a=rsa-sha256; cv=pass; d=example.org; s=s1; b=AAAA\r\n"
        b"ARC-Message-Signature: i=1; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AA; b=AA\r\n"
        b"ARC-Authentication-Results: i=1; lists.example.org; dkim=pass\r\n"
        b"ARC-Seal: i=3; a=rsa-sha256; cv=pass; d=example.org; s=s1; b=AAAA\r\n"
        b"ARC-Seal: i=3; a=rsa-sha256; cv=pass; d=example.org; s=s1; b=AAAA\r\n"
        b"From: a@example.com\r\n\r\nbody\r\n"
    )
    sets, problems = arc_sets(parse_message(raw).fields)
    assert [s.instance for s in sets] == [1, 3]
    text = "\n".join(problems)
    assert "duplicate ARC-Seal for i=3" in text
    assert "not contiguous" in text
    assert "i=3 lacks message_signature, results" in text
    assert "i=1 has cv=pass, must be none" in text
