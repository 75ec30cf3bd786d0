"""The probes read replies through the one classifier: vendor texts read into causes."""

from __future__ import annotations

import pytest

from maildoctor.smtp.client import make_reply
from maildoctor.smtp.replies import interpret, vendor_for_host

SES = "email-smtp.us-east-1.amazonaws.com"


def reply(line: str):
    code, _, text = line.partition(" ")
    return make_reply(int(code), [text])


@pytest.mark.parametrize(
    ("host", "line", "cause"),
    [
        (SES, "535 Authentication Credentials Invalid", "client.smtp_auth.stale_ses_password"),
        (SES, "535 Account not subscribed to SES", "provider.ses.not_subscribed"),
        (SES, "530 Authentication required", "client.smtp_auth.required"),
        (SES, "454 Temporary authentication failure", "provider.ses.temporary_auth_failure"),
        (
            SES,
            "554 Access denied: User arn:aws:iam::123456789012:user/x is not authorized to "
            "perform ses:SendRawEmail on resource arn:aws:ses:...",
            "provider.ses.send_permission_missing",
        ),
        (
            SES,
            "554 Message rejected: Email address is not verified. The following identities "
            "failed the check in region US-EAST-1: admin@example.com",
            "provider.ses.identity_unverified",
        ),
        (
            SES,
            "454 Throttling failure: Maximum SigV2 SMTP sending rate exceeded",
            "client.smtp_auth.legacy_v2_password",
        ),
        (
            SES,
            "454 Throttling failure: Maximum sending rate exceeded",
            "provider.ses.throttled",
        ),
        (
            SES,
            "454 Throttling failure: Daily message quota exceeded",
            "provider.ses.quota_exceeded",
        ),
        (SES, "552 Message is too long.", "message.too_large"),
        # The same 535 from any other relay does not blame an SES password.
        ("smtp.example.com", "535 Authentication Credentials Invalid", "client.smtp_auth.failed"),
        ("smtp.example.com", "538 5.7.11 Encryption required", "client.smtp_tls.required"),
        (
            "mx.example.com",
            "550 5.7.509 Access denied, sending domain [example.com] does not pass "
            "DMARC verification and has a DMARC policy of reject.",
            "recipient.rejected.dmarc",
        ),
        (
            "example-com.mail.protection.outlook.com",
            "550 5.7.23 The message was rejected because of SPF",
            "recipient.rejected.spf",
        ),
        (
            "example-com.mail.protection.outlook.com",
            "550 5.7.615 banned sending IP",
            "recipient.blocked_ip",
        ),
        (
            "example-com.mail.protection.outlook.com",
            "550 5.4.1 Recipient address rejected: Access denied",
            "recipient.user_unknown",
        ),
        (
            "example-com.mail.protection.outlook.com",
            "550 5.4.1 Relay access denied",
            "recipient.rejected.relay_denied",
        ),
        (
            "smtp.office365.com",
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
            "is disabled for the Tenant",
            "client.smtp_auth.disabled_for_tenant",
        ),
        (
            "gmail-smtp-in.l.google.com",
            "550 5.7.26 Unauthenticated email from example.com is not "
            "accepted due to domain's DMARC policy",
            # The catalogue's entry for Gmail's 5.7.26, DMARC wording included.
            "recipient.rejected.unauthenticated",
        ),
        (
            "gmail-smtp-in.l.google.com",
            "550 5.7.26 This mail has been blocked because the sender is unauthenticated",
            "recipient.rejected.unauthenticated",
        ),
        (
            "smtp.gmail.com",
            "535 5.7.8 Username and Password not accepted",
            "client.smtp_auth.failed",
        ),
        (
            "smtp.gmail.com",
            "534 5.7.9 Application-specific password required",
            "client.smtp_auth.app_password_required",
        ),
        (
            "mx.example.net",
            "550 5.1.1 <nobody@example.net>: user unknown",
            "recipient.user_unknown",
        ),
        ("mx.example.net", "451 4.3.0 try later", ""),
    ],
)
def test_interpret(host, line, cause):
    assert interpret(reply(line), host=host).cause == cause


def test_positive_replies_match_no_rule():
    assert interpret(reply("250 Ok"), host=SES).rule is None


def test_unknown_permanent_failure_still_has_a_meaning():
    result = interpret(reply("599 something odd"), host="mx.example.net")
    assert result.rule is not None
    assert result.meaning == "the reason could not be decided from the text"


@pytest.mark.parametrize(
    ("host", "vendor"),
    [
        (SES, "ses"),
        ("outlook.office365.com", "microsoft"),
        ("x.mail.protection.outlook.com", "microsoft"),
        ("smtp.gmail.com", "gmail"),
        ("aspmx.l.google.com", "gmail"),
        ("notgoogle.example", "any"),
    ],
)
def test_vendor_for_host(host, vendor):
    assert vendor_for_host(host) == vendor
