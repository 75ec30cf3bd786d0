"""The phrase tables and their precedence (Sisimai's ClassOrder)."""

from __future__ import annotations

import pytest

from maildoctor.bounce.reasons import (
    CLASS_ORDER,
    PHRASES,
    REASONS,
    Facts,
    find_reason,
    local_agent_reason,
    match_text,
    public,
)


def _reason(text: str, status: str = "", command: str = "", spec: str = "SMTP") -> str:
    return find_reason(Facts(status=status, diagnostic=text, diagnostic_type=spec, command=command))


@pytest.mark.parametrize(
    ("text", "status", "command", "reason"),
    [
        ("550 5.1.1 <a@example.net>: Recipient address rejected: User unknown", "5.1.1", "RCPT",
         "userunknown"),
        ("552 5.2.2 Mailbox full", "5.2.2", "", "mailboxfull"),
        ("550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC "
         "policy", "5.7.26", "", "authfailure"),
        ("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
         "5.7.1", "RCPT", "blocked"),
        ("421 4.7.0 Please try again slower", "4.7.0", "", "ratelimited"),
        ("552 5.3.4 Message size exceeds fixed limit", "5.3.4", "", "emailtoolarge"),
        ("550 5.7.25 The IP address sending this message does not have a PTR record", "5.7.25",
         "", "requireptr"),
        ("Host or domain name not found. Name service error for name=example.invalid",
         "5.4.4", "", "hostunknown"),
        ("something nobody has ever written", "", "", "onhold"),
        ("", "", "", "undefined"),
        ("250 2.1.5 Ok", "2.1.5", "", "delivered"),
    ],
)  # fmt: skip
def test_find_reason(text: str, status: str, command: str, reason: str) -> None:
    assert _reason(text, status, command) == reason


def test_precedence_mailboxfull_before_userunknown() -> None:
    # "mailbox full" and "user unknown" words together: ClassOrder puts mailboxfull first.
    assert _reason("550 user unknown or mailbox full", "5.2.2", "RCPT") == "mailboxfull"


def test_tables_cover_the_vocabulary() -> None:
    names = {public(n) for n in PHRASES} | {public(n) for order in CLASS_ORDER for n in order}
    assert names <= set(REASONS)
    assert public("speeding") == "ratelimited" and public("mesgtoobig") == "emailtoolarge"
    assert {"authfailure", "suppressed", "userunknown"} <= set(REASONS)


def test_match_text_and_local_agents() -> None:
    assert match_text("Your message to <a@example.net> was automatically rejected: quota") != ""
    assert match_text("status 5.1.1") == "userunknown"
    assert local_agent_reason("mail.local: Disc quota exceeded", "") == "mailboxfull"
    assert local_agent_reason("procmail: something odd", "") == "mailererror"
    assert local_agent_reason("550 user unknown", "RCPT") == ""
