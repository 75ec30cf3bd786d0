"""Reply codes, enhanced status codes and SMTP commands found in free text."""

from __future__ import annotations

import pytest

from maildoctor.bounce.codes import (
    find_command,
    find_reply,
    find_status,
    is_hard_bounce,
    is_real_status,
    prefer_status,
    pseudo_status,
    status_valid,
)


@pytest.mark.parametrize(
    ("text", "status", "reply"),
    [
        ("550 5.1.1 <a@example.net>: Recipient address rejected", "5.1.1", "550"),
        ("550-5.7.26 This mail is unauthenticated", "5.7.26", "550"),
        ("421 4.7.0 [192.0.2.1 15] Our system has detected an unusual rate", "4.7.0", "421"),
        ("host 192.0.2.1 said: 554 rejected", "", "554"),
        ("connect to 192.0.2.1[192.0.2.1]:25: Connection refused", "", ""),
        ("version 10.5.5 of the server", "", ""),
    ],
)
def test_codes_in_text(text: str, status: str, reply: str) -> None:
    assert find_status(text) == status
    assert find_reply(text) == reply


def test_status_validity_and_placeholders() -> None:
    assert status_valid("5.7.509") and status_valid("4.4.7")
    assert not status_valid("5.8.1") and not status_valid("6.1.1") and not status_valid("5.1")
    assert not is_real_status("5.0.911") and is_real_status("5.0.0")
    assert pseudo_status("userunknown", False) == "5.0.911"
    assert pseudo_status("userunknown", True) == ""
    assert pseudo_status("filtered", True) == "4.0.924"


def test_prefer_the_more_specific_code() -> None:
    assert prefer_status("5.0.0", "5.1.1") == "5.1.1"
    assert prefer_status("5.1.1", "5.0.0") == "5.1.1"
    assert prefer_status("", "4.2.2") == "4.2.2"
    assert prefer_status("4.4.1", "5.1.1", "550") == "5.1.1"


def test_commands() -> None:
    assert (
        find_command("SMTP error from remote mail server after RCPT TO:<a@example.net>") == "RCPT"
    )
    assert find_command("after end of data: 550 rejected") == ""
    assert find_command("in reply to end of DATA command") == "DATA"
    assert find_command("") == ""


def test_hard_bounce_follows_sisimai() -> None:
    assert is_hard_bounce("userunknown", "") and is_hard_bounce("hasmoved", "")
    assert is_hard_bounce("notaccept", "556 5.1.10 null MX") and is_hard_bounce("notaccept", "")
    assert not is_hard_bounce("notaccept", "421 4.3.2 not accepting messages")
    assert not is_hard_bounce("mailboxfull", "552 5.2.2") and not is_hard_bounce("suppressed", "")
