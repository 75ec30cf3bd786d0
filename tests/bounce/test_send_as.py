"""Gmail's "Send mail as" failure notice: the quoted relay reply decides (REFERENCE.md s. 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from maildoctor.bounce import classify_bytes, classify_path
from maildoctor.bounce.sources.googleworkspace import SEND_AS, quoted_response
from maildoctor.model import Layer

CASES = [
    # file, recipient, reason, reply, status, cause
    ("gmail-send-as-ses-535.eml", "friend@example.net", "securityerror", "535", "5.7.8",
     "client.smtp_auth.stale_ses_password"),
    ("gmail-send-as-relay-535.eml", "friend@example.net", "securityerror", "535", "5.7.8",
     "client.smtp_auth.failed"),
    ("gmail-send-as-too-many-failures.eml", "colleague@example.net", "securityerror", "535",
     "5.7.0", "client.smtp_auth.failed"),
    ("gmail-send-as-missing-subject.eml", "team@example.net", "contenterror", "550", "",
     "client.relay.message_rejected"),
    ("gmail-send-as-no-auth.eml", "partner@example.net", "securityerror", "", "",
     "client.smtp_auth.not_offered"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "recipient", "reason", "reply", "status", "cause"), CASES)
def test_send_as_notice_is_classified_by_the_relay_reply(
    fixtures: Path, name: str, recipient: str, reason: str, reply: str, status: str, cause: str
) -> None:
    (record,) = classify_path(fixtures / name)
    assert record.source == "googleworkspace"
    assert record.notice == SEND_AS
    assert (record.recipient, record.reason, record.reply_code, record.status) == (
        recipient, reason, reply, status)  # fmt: skip
    assert record.layer is Layer.CLIENT
    assert record.cause == cause
    assert not record.hard_bounce
    assert "Send mail as" not in record.diagnostic  # the relay's words, not Gmail's advice


def test_quoted_ses_554_unverified_points_at_the_provider(fixtures: Path) -> None:
    # The notice blames "settings" whatever the relay said; the quoted reply decides.
    (record,) = classify_path(fixtures / "gmail-send-as-ses-554-unverified.eml")
    assert record.notice == SEND_AS
    assert record.reply_code == "554"
    assert record.layer is Layer.PROVIDER
    assert record.cause == "provider.ses.identity_unverified"


def test_ses_relay_is_named_as_remote_mta(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "gmail-send-as-ses-535.eml")
    assert record.remote_mta == "email-smtp.us-east-1.amazonaws.com"
    assert record.command == "AUTH"
    assert record.diagnostic == "535 Authentication Credentials Invalid"


def test_either_marker_introduces_the_reply() -> None:
    assert quoted_response("x\nThe response was:\n\n535 Bad\n\nmore") == "535 Bad"
    text = "The response from the remote server was:\n550 Missing subject field.\n"
    assert quoted_response(text) == "550 Missing subject field."
    assert quoted_response("no marker") == ""


def test_corpus_sample_with_no_auth(corpus: Path) -> None:
    (record,) = classify_path(corpus / "lhost-googleworkspace-01.eml")
    assert record.cause == "client.smtp_auth.not_offered"
    assert record.layer is Layer.CLIENT


def test_sender_is_the_alias_never_the_gmail_account(fixtures: Path) -> None:
    # Gmail sends the notice to the account holding the alias (To: owner@example.com), so
    # only the returned message names the sender; without it the sender is unknown.
    raw = (fixtures / "gmail-send-as-ses-535.eml").read_bytes()
    assert classify_bytes(raw)[0].sender == "alias@example.org"
    cut = raw[: raw.index(b"Content-Type: message/rfc822")]
    (record,) = classify_bytes(cut)
    assert record.notice == SEND_AS and record.sender == ""
