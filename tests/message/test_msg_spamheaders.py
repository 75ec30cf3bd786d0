"""Receivers' spam verdicts decoded into words."""

from __future__ import annotations

import pytest

from maildoctor.message.headers import parse_message
from maildoctor.message.spamheaders import (
    bcl_meaning,
    decode_compauth,
    decode_spam_headers,
    parse_forefront,
    scl_meaning,
)


def headers(text: str):
    return parse_message(text.encode() + b"\n\nbody")


def test_forefront_spam_verdict_in_words():
    (verdict,) = decode_spam_headers(
        headers(
            "From: a@example.com\nX-Forefront-Antispam-Report: CIP:198.51.100.30;CTRY:US;LANG:en;"
            "SCL:5;SRV:;IPV:NLI;SFV:SPM;H:out.example.com;PTR:;CAT:SPOOF;SFS:(1)(2);DIR:INB;\n"
            "X-Microsoft-Antispam: BCL:7;"
        )
    )
    assert verdict.source == "microsoft" and verdict.spam
    assert verdict.cause == "recipient.filtered.spoof"
    words = {k: m for k, _, m in verdict.words}
    assert words["SFV"] == "marked as spam by spam filtering"
    assert words["IPV"].startswith("the source IP is not on any")
    assert words["CAT"] == "spoofing"
    assert "internal to Microsoft" in words["SFS"]
    assert "mixed number of complaints" in words["BCL"]


@pytest.mark.parametrize(
    ("report", "spam", "cause"),
    [
        ("SCL:1;SFV:NSPM;CAT:NONE;", False, ""),
        ("SCL:-1;SFV:SKA;", False, ""),
        ("SCL:9;SFV:SPM;CAT:HPHSH;", True, "recipient.filtered.phish"),
        ("SCL:6;SFV:SKB;", True, "recipient.filtered.blocked_sender"),
        ("SCL:6;SFV:SKS;", True, "recipient.filtered.mail_flow_rule"),
        ("SCL:5;SFV:SPM;CAT:BULK;", True, "recipient.filtered.bulk"),
        ("SCL:5;SFV:SPM;CAT:SPM;", True, "recipient.filtered.spam"),
    ],
)
def test_forefront_causes(report, spam, cause):
    (verdict,) = decode_spam_headers(headers(f"X-Forefront-Antispam-Report: {report}"))
    assert (verdict.spam, verdict.cause) == (spam, cause)


def test_scl_bcl_and_compauth_tables():
    assert "skipped" in scl_meaning(-1)
    assert scl_meaning(1).startswith("not spam")
    assert scl_meaning(6).startswith("spam")
    assert "high confidence" in scl_meaning(9)
    assert bcl_meaning(0) == "not from a bulk sender"
    assert "explicit" in decode_compauth("fail", "000")
    assert "implicit" in decode_compauth("fail", "001")
    assert "passed" in decode_compauth("pass", "109")
    assert "soft-passed" in decode_compauth("softpass", "201")
    assert decode_compauth("none", "") == "compauth=none"


def test_google_and_spamassassin():
    verdicts = decode_spam_headers(
        headers(
            "X-Gm-Spam: 1\nX-Gm-Phishy: 0\nX-Spam-Status: Yes, score=7.2 required=5.0 "
            "tests=BAYES_99,URIBL_BLOCKED autolearn=no\nX-Spam-Flag: YES"
        )
    )
    google, assassin = verdicts
    assert google.spam and google.cause == "recipient.filtered.spam"
    assert assassin.spam and "score 7.2 (threshold 5.0)" in assassin.summary
    assert "BAYES_99" in assassin.summary


def test_no_spam_headers_no_verdicts():
    assert decode_spam_headers(headers("From: a@example.com")) == ()


def test_parse_forefront_tolerates_junk():
    assert parse_forefront(";;;:;SCL:;x;SCL:5") == {"SCL": ""}
