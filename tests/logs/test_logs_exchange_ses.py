"""Exchange message tracking logs and SES event logs, read through the reply classifier."""

from __future__ import annotations

import json

from maildoctor.logs.analyze import analyze_logs

RAW = r'''#Software: Microsoft Exchange Server
#Version: 15.02.1118.007
#Log-type: Message Tracking Log
#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address
2024-03-04T10:00:00.123Z,192.0.2.5,ex1.example.com,198.51.100.7,mx.example.org,,Outbound,SMTP,SEND,1001,<a@example.com>,,ok@example.org,250 2.6.0 Queued mail for delivery,1200,1,,,hi,sender@example.com
2024-03-04T10:01:00.123Z,192.0.2.5,ex1.example.com,198.51.100.7,mx.example.org,,Outbound,SMTP,FAIL,1002,<b@example.com>,,gone@example.org,"550 5.1.1 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",1200,1,,,hi,sender@example.com
2024-03-04T10:02:00.123Z,192.0.2.5,ex1.example.com,198.51.100.8,mx.example.net,,Outbound,SMTP,DEFER,1003,<c@example.com>,,slow@example.net,"451 4.4.0 Primary target IP address responded with: ""421 4.4.2 Connection dropped.""",1200,1,,,hi,sender@example.com
'''  # noqa: E501

CSV = """"Timestamp","EventId","Source","Recipients","RecipientStatus","ServerHostname","Sender"
"2024-03-04T10:00:00","FAIL","SMTP","full@example.org","552 5.2.2 Mailbox full","mx.example.org","sender@example.com"
"2024-03-04T10:00:01","RECEIVE","SMTP","in@example.com","","ex1.example.com","x@example.net"
"""  # noqa: E501

SES_BOUNCE = {
    "eventType": "Bounce",
    "mail": {"source": "sender@example.com", "messageId": "0100018e-example"},
    "bounce": {
        "bounceType": "Permanent", "bounceSubType": "General",
        "reportingMTA": "dns; a8-12.smtp-out.amazonses.com",
        "timestamp": "2024-03-04T10:00:00.000Z",
        "bouncedRecipients": [{
            "emailAddress": "friend@example.org", "action": "failed", "status": "5.7.1",
            "diagnosticCode": "smtp; 550 5.7.515 Access denied, sending domain [example.com] "
                              "doesn't meet the required authentication level.",
        }],
    },
}  # fmt: skip
SES_DELIVERY = {
    "notificationType": "Delivery",
    "mail": {"source": "sender@example.com"},
    "delivery": {"recipients": ["ok@example.org"], "smtpResponse": "250 2.6.0 Queued"},
}


def test_raw_message_tracking_log(tmp_path) -> None:
    path = tmp_path / "MSGTRK2024030410-1.LOG"
    path.write_text(RAW)
    summary = analyze_logs([path], year=2024)
    assert summary.files[0].unrecognised == 0
    assert summary.by_status == {"sent": 1, "bounced": 1, "deferred": 1}
    causes = {(g.reason, g.cause) for g in summary.failures}
    assert ("userunknown", "recipient.user_unknown") in causes
    assert summary.recipients["gone@example.org"].last_status == "bounced"


def test_exported_csv(tmp_path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text(CSV)
    summary = analyze_logs([path], year=2024)
    assert summary.by_status == {"bounced": 1}
    (group,) = summary.failures
    assert (group.reason, group.cause) == ("mailboxfull", "recipient.mailbox_full")


def test_ses_event_lines(tmp_path) -> None:
    path = tmp_path / "ses-events.jsonl"
    envelope = {"Type": "Notification", "Message": json.dumps(SES_DELIVERY)}
    path.write_text(json.dumps(SES_BOUNCE) + "\n" + json.dumps(envelope) + "\n{not json\n")
    summary = analyze_logs([path], year=2024)
    assert summary.by_status == {"bounced": 1, "sent": 1}
    (group,) = summary.failures
    assert (group.reason, group.cause) == (
        "authfailure", "recipient.rejected.authentication_level")  # fmt: skip
    assert summary.files[0].unrecognised == 1
