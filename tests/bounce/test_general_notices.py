"""Notices outside the dev corpus: recipients from plain text, permanent or temporary.

Samples in ``tests/fixtures/bounces/general`` (README there); issue 10, item 3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from maildoctor.bounce import classify_path

GENERAL = Path(__file__).resolve().parent.parent / "fixtures" / "bounces" / "general"

#: file -> ({recipient: reason}, permanent, retry_until)
EXPECTED = {
    "aol.eml": ({"gone1@aol.example": "userunknown", "gone2@aol.example": "userunknown"},
                True, ""),
    "yahoo.eml": ({"nobody@yahoo.example": "filtered"}, True, ""),
    "panel.eml": ({"alice@example.org": "userunknown", "bob@example.org": "mailboxfull"},
                  True, ""),
    "generic.eml": ({"carol@example.net": "onhold", "dave@example.net": "mailboxfull"},
                    True, ""),
    "german.eml": ({"erika@example.de": "userunknown"}, True, ""),
    "warn.eml": ({"slow@example.org": "expired"}, False, "5 days"),
    "x400-failed-4xx.eml": ({"archive@example.net": "expired"}, True, ""),
    "dsn-expired.eml": ({"far@example.org": "expired"}, True, ""),
    "dsn-delayed.eml": ({"late@example.org": "expired"}, False,
                        "Wed, 6 Mar 2024 10:00:00 +0000"),
    "delay.eml": ({"late2@example.org": "expired"}, False, "2 more day(s)"),
    "es.eml": ({"maria@example.es": "mailboxfull"}, True, ""),
    "fr.eml": ({"jean@example.fr": "userunknown"}, True, ""),
    "exch.eml": ({"ann@example.net": "userunknown", "ben@example.net": "mailboxfull"},
                 True, ""),
    "qmail.eml": ({"x1@example.org": "userunknown", "x2@example.org": "suspend"}, True, ""),
    "sendmail.eml": ({"u1@example.com": "userunknown", "u2@example.com": "userunknown"},
                     True, ""),
}  # fmt: skip

#: Addresses in the notices that are never failed recipients.
NEVER = {"sender@example.com", "friend@example.org", "other@example.com",
         "mailer-daemon@aol.example", "postmaster@mail.example.net"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recipients_and_permanence(name: str) -> None:
    records = list(classify_path(GENERAL / name))
    reasons, permanent, until = EXPECTED[name]
    assert {r.recipient: r.reason for r in records} == reasons
    assert len(records) == len(reasons), "one row per recipient"
    assert not {r.recipient.lower() for r in records} & NEVER
    for record in records:
        assert record.permanent is permanent, record
        assert record.action == ("failed" if permanent else "delayed")
        assert record.retry_until == until


def test_every_sample_is_listed() -> None:
    assert {p.name for p in GENERAL.glob("*.eml")} == set(EXPECTED)


def test_a_warning_blames_what_fails_now_not_an_expiry() -> None:
    (record,) = classify_path(GENERAL / "warn.eml")
    assert (record.action, record.cause) == ("delayed", "transport.network_error")
    (record,) = classify_path(GENERAL / "dsn-expired.eml")
    assert (record.action, record.cause) == ("failed", "transport.delivery_expired")


def test_the_text_report_says_a_warning_is_not_a_failure(capsys) -> None:
    from maildoctor.cli import main

    assert main(["bounce", str(GENERAL / "warn.eml")]) == 1
    out = capsys.readouterr().out
    assert "delayed, not failed: the sender is still trying; retries end: 5 days" in out
