"""Amazon SES notifications: raw, SNS envelope, EventBridge, arrays, JSON lines, e-mail."""

from __future__ import annotations

import json
from pathlib import Path

from maildoctor.bounce import classify_path
from maildoctor.bounce.ses_events import NOTICE, is_notification, notifications, records
from maildoctor.model import Layer


def test_on_account_suppression_list(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "ses-bounce-suppressed.json")
    assert record.recipient == "gone@example.net"
    assert (record.bounce_type, record.bounce_subtype) == ("Permanent", "OnAccountSuppressionList")
    assert record.reason == "suppressed"
    assert record.layer is Layer.PROVIDER
    assert record.cause == "provider.ses.recipient_suppressed"
    assert record.sender == "sender@example.org"
    assert record.timestamp is not None and record.timestamp.year == 2024
    assert record.notice == NOTICE


def test_sns_envelope_with_message_string(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "ses-sns-envelope.json")
    assert (record.reason, record.status, record.reply_code) == ("userunknown", "5.1.1", "550")
    assert record.hard_bounce
    assert record.remote_mta == "198.51.100.25"
    assert record.reporting_mta == "a8-30.smtp-out.amazonses.com"
    assert record.diagnostic.startswith("550 5.1.1 <nobody@example.net>")


def test_eventbridge_detail(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "ses-eventbridge.json")
    assert (record.recipient, record.reason) == ("busy@example.net", "mailboxfull")
    assert record.bounce_subtype == "MailboxFull"


def test_json_lines_every_event_kind(fixtures: Path) -> None:
    got = [(r.origin.rsplit(":", 1)[1], r.recipient, r.reason) for r in
           classify_path(fixtures / "ses-events.jsonl")]  # fmt: skip
    assert got == [
        ("1", "annoyed@example.net", "feedback"),
        ("2", "happy@example.net", "delivered"),
        ("3", "slow@example.net", "expired"),
        ("5", "a@example.net", "suppressed"),
        ("5", "b@example.net", "suppressed"),
    ]


def test_array_document(fixtures: Path) -> None:
    got = [
        (r.origin.rsplit("#", 1)[1], r.reason) for r in classify_path(fixtures / "ses-array.json")
    ]
    assert got == [("1", "suppressed"), ("2", "userunknown")]


def test_complaint_fields() -> None:
    note = {"notificationType": "Complaint", "mail": {"source": "s@example.org"},
            "complaint": {"complainedRecipients": [{"emailAddress": "X@Example.net"}],
                          "complaintFeedbackType": "fraud",
                          "complaintSubType": "OnAccountSuppressionList"}}  # fmt: skip
    (row,) = records(note)
    assert (row.recipient, row.reason, row.feedback_type) == ("x@example.net", "feedback", "fraud")
    assert row.bounce_subtype == "OnAccountSuppressionList"


def test_subtype_hint_only_when_the_text_is_silent() -> None:
    def classify(subtype: str, code: str) -> str:
        note = {"notificationType": "Bounce", "mail": {},
                "bounce": {"bounceType": "Permanent", "bounceSubType": subtype,
                           "bouncedRecipients": [{"emailAddress": "a@example.net",
                                                  "diagnosticCode": code}]}}  # fmt: skip
        from maildoctor.bounce import finalize

        (row,) = records(note)
        final = finalize(row)
        assert final is not None
        return final.reason

    assert classify("NoEmail", "") == "userunknown"
    assert classify("NoEmail", "smtp; 552 5.2.2 mailbox full") == "mailboxfull"
    assert classify("General", "") == "undefined"


def test_envelopes_are_unwrapped() -> None:
    inner = {"eventType": "Reject", "mail": {"destination": ["a@example.net"]},
             "reject": {"reason": "Bad content"}}  # fmt: skip
    sqs = {
        "Records": [{"body": json.dumps({"Type": "Notification", "Message": json.dumps(inner)})}]
    }
    lambda_sns = {"Records": [{"Sns": {"Message": json.dumps(inner)}}]}
    for wrapped in (sqs, lambda_sns, [inner], json.dumps(inner)):
        assert list(notifications(wrapped)) == [inner]
    (row,) = records(inner)
    assert row.reason == "virusdetected"


def test_not_notifications() -> None:
    assert not is_notification({"Type": "SubscriptionConfirmation"})
    assert list(notifications({"a": 1})) == []
    assert list(notifications("not json")) == []
    deep: object = {"notificationType": "Bounce", "mail": {}}
    for _ in range(20):
        deep = {"Message": json.dumps(deep)}
    assert list(notifications(deep)) == []
    assert records({"eventType": "Open", "mail": {}}) == []


def test_notification_mailed_by_sns(corpus: Path) -> None:
    (record,) = classify_path(corpus / "lhost-amazonses-09.eml")
    assert record.source == "amazonses"
    assert (record.reason, record.bounce_type) == ("userunknown", "Permanent")
