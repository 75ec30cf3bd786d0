"""``check_ses`` end to end: moto in server mode (+ the fake) and a loopback DNS server.

Each scenario asserts the exact set of root-cause ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from maildoctor.model import ExitCode, Finding, Status, exit_code_for
from maildoctor.testing.awsserver import AwsServer, easy_dkim_zone, mail_from_zone

SENDER = "admin@example.com"
RECIPIENT = "user@example.org"


def causes(findings: Sequence[Finding]) -> set[str]:
    return {f.cause for f in findings if f.cause}


def one(findings: Sequence[Finding], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, (check, found)
    return found[0]


def healthy(aws: AwsServer, *, omit: Sequence[int] = ()) -> dict:
    """A domain identity with Easy DKIM and a custom MAIL FROM, all DNS published."""
    tokens = aws.add_domain_identity("example.com")
    aws.set_mail_from("example.com", "mail.example.com")
    return {
        **easy_dkim_zone("example.com", tokens, omit=omit),
        **mail_from_zone("mail.example.com", "us-east-1"),
    }


async def test_healthy_account(aws, run_ses):
    zone = healthy(aws)
    key = aws.add_access_key(aws.add_user("smtp"))
    found = await run_ses(
        zone,
        sender=SENDER,
        recipients=[RECIPIENT],
        smtp_user=key.key_id,
        smtp_endpoint="email-smtp.us-east-1.amazonaws.com:587",
    )
    assert causes(found) == set()
    assert exit_code_for(found) is ExitCode.OK
    assert one(found, "provider.ses.identity").status is Status.PASS
    assert [f.status for f in found if f.check == "provider.ses.dkim.cname"] == [Status.PASS] * 3
    assert one(found, "provider.ses.mail_from.mx").status is Status.PASS
    assert one(found, "provider.ses.region").status is Status.PASS
    key_finding = one(found, "provider.ses.smtp_key")
    assert key_finding.status is Status.PASS and key_finding.data["user"] == "smtp"
    # moto has no reputation data: "no data", never healthy.
    assert one(found, "provider.ses.account.bounce_rate").status is Status.INFO
    assert "no data" in one(found, "provider.ses.account.bounce_rate").summary


async def test_sandbox_with_unverified_recipient(aws, run_ses):
    zone = healthy(aws)
    aws.set_account("us-east-1", production_access=False)
    found = await run_ses(zone, sender=SENDER, recipients=[RECIPIENT])
    assert causes(found) == {"provider.ses.sandbox_recipient_unverified"}
    sandbox = one(found, "provider.ses.account.sandbox")
    assert sandbox.data["unverified_recipients"] == [RECIPIENT]


async def test_sandbox_with_verified_recipient_is_a_warning(aws, run_ses):
    zone = healthy(aws)
    aws.add_email_identity(RECIPIENT)
    aws.set_account("us-east-1", production_access=False)
    found = await run_ses(zone, sender=SENDER, recipients=[RECIPIENT])
    assert causes(found) == {"provider.ses.sandbox"}
    assert one(found, "provider.ses.account.sandbox").status is Status.WARN


async def test_identity_verified_only_in_another_region(aws, run_ses):
    tokens = aws.add_domain_identity("example.com", region="us-west-2")
    found = await run_ses(
        easy_dkim_zone("example.com", tokens),
        sender=SENDER,
        smtp_endpoint="email-smtp.us-east-1.amazonaws.com",
    )
    assert causes(found) == {"provider.ses.identity_wrong_region"}
    identity = one(found, "provider.ses.identity")
    assert identity.data["verified_elsewhere"] == {"us-west-2": ("example.com",)}
    assert "us-west-2" in identity.fix


async def test_email_identity_without_domain_identity(aws, run_ses):
    aws.add_email_identity(SENDER)
    found = await run_ses({}, sender=SENDER)
    assert causes(found) == {"provider.ses.email_identity_only"}
    kind = one(found, "provider.ses.identity.kind")
    assert "email-address identity, not a domain identity" in kind.summary
    assert one(found, "provider.ses.dkim").status is Status.SKIPPED
    # With the default MAIL FROM and no aligned DKIM, DMARC has nothing to pass on.
    assert one(found, "provider.ses.mail_from").status is Status.WARN


async def test_one_dkim_cname_missing(aws, run_ses):
    zone = healthy(aws, omit=[1])
    found = await run_ses(zone, sender=SENDER)
    assert causes(found) == {"provider.ses.dkim_cname_missing"}
    missing = [f for f in found if f.cause == "provider.ses.dkim_cname_missing"]
    assert len(missing) == 1
    assert missing[0].subject == "3frqe7jn4obpuxjpwpolz6ipb3k5nvt2nhjpik2oy._domainkey.example.com"
    assert "3frqe7jn4obpuxjpwpolz6ipb3k5nvt2nhjpik2oy.dkim.amazonses.com" in missing[0].fix


async def test_dkim_cname_published_under_doubled_name(aws, run_ses):
    tokens = aws.add_domain_identity(
        "example.com", dkim_tokens=["tok1aaaa", "tok2bbbb", "tok3cccc"]
    )
    zone = easy_dkim_zone("example.com", tokens, omit=[2])
    zone["tok3cccc._domainkey.example.com.example.com"] = [{"CNAME": "tok3cccc.dkim.amazonses.com"}]
    found = await run_ses(zone, sender=SENDER)
    missing = [f for f in found if f.cause == "provider.ses.dkim_cname_missing"]
    assert [f.subject for f in missing] == ["tok3cccc._domainkey.example.com"]
    assert "appended the zone name" in missing[0].detail


async def test_mail_from_without_mx(aws, run_ses):
    tokens = aws.add_domain_identity("example.com")
    aws.set_mail_from("example.com", "mail.example.com", behavior="RejectMessage")
    zone = {
        **easy_dkim_zone("example.com", tokens),
        **mail_from_zone("mail.example.com", "us-east-1", mx=False),
    }
    found = await run_ses(zone, sender=SENDER)
    assert causes(found) == {"provider.ses.mail_from_mx_missing"}
    mx = one(found, "provider.ses.mail_from.mx")
    assert "MailFromDomainNotVerified" in mx.detail
    assert "feedback-smtp.us-east-1.amazonses.com" in mx.fix


async def test_recipient_suppressed_for_bounce(aws, run_ses):
    zone = healthy(aws)
    since = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)
    aws.suppress(RECIPIENT, region="us-east-1", reason="BOUNCE", since=since, message_id="m-1")
    found = await run_ses(zone, sender=SENDER, recipients=[RECIPIENT, "other@example.org"])
    assert causes(found) == {"provider.ses.recipient_suppressed"}
    hit = next(f for f in found if f.cause)
    assert hit.subject == RECIPIENT
    assert hit.fix == (
        f"aws sesv2 delete-suppressed-destination --email-address {RECIPIENT} --region us-east-1"
    )
    assert hit.data["reason"] == "bounce" and hit.data["since"].startswith("2025-03-04T05:06")
    assert "BOUNCE since 2025-03-04 05:06 UTC" in hit.summary


async def test_suppression_is_per_region(aws, run_ses):
    zone = healthy(aws)
    aws.suppress(RECIPIENT, region="us-west-2", reason="COMPLAINT")
    found = await run_ses(zone, sender=SENDER, recipients=[RECIPIENT])
    assert causes(found) == set()


async def test_smtp_username_whose_key_was_deleted(aws, run_ses):
    zone = healthy(aws)
    user = aws.add_user("ses-smtp")
    old = aws.add_access_key(user)
    aws.add_access_key(user)  # the rotation's new key
    aws.delete_access_key(old)
    found = await run_ses(zone, sender=SENDER, smtp_user=old.key_id)
    assert causes(found) == {"provider.ses.smtp_key_deleted"}
    key = one(found, "provider.ses.smtp_key")
    assert "no longer works" in key.summary and "535" in key.detail
    assert "123456789012" in key.summary  # the account that was searched


async def test_smtp_key_inactive(aws, run_ses):
    zone = healthy(aws)
    user = aws.add_user("ses-smtp")
    old = aws.add_access_key(user, status="Inactive")
    new = aws.add_access_key(user)
    found = await run_ses(zone, sender=SENDER, smtp_user=old.key_id)
    assert causes(found) == {"provider.ses.smtp_key_inactive"}
    key = one(found, "provider.ses.smtp_key")
    assert key.data["status"] == "inactive"
    assert new.key_id in key.detail  # the rotation story: the user's other, active key
    assert f"--access-key-id {old.key_id} --status Active" in key.fix


async def test_access_denied_on_suppression_calls(aws, run_ses):
    zone = healthy(aws)
    aws.deny("ses:GetSuppressedDestination", "ses:ListSuppressedDestinations")
    found = await run_ses(zone, sender=SENDER, recipients=[RECIPIENT])
    assert causes(found) == set()
    denied = one(found, "provider.ses.suppression")
    assert denied.status is Status.ERROR
    assert denied.data["iam_action"] == "ses:GetSuppressedDestination"
    assert "ses:GetSuppressedDestination" in denied.summary
    assert exit_code_for(found) is ExitCode.INCOMPLETE


async def test_access_denied_on_get_account_falls_back_to_send_quota(aws, run_ses):
    zone = healthy(aws)
    aws.deny("ses:GetAccount")
    found = await run_ses(zone, sender=SENDER)
    account = one(found, "provider.ses.account")
    assert account.status is Status.ERROR and account.data["iam_action"] == "ses:GetAccount"
    quota = one(found, "provider.ses.account.quota")  # from moto's ses.get_send_quota
    assert quota.data["max_24_hour_send"] == 200.0
    assert not [f for f in found if f.check == "provider.ses.account.sandbox"]


async def test_access_denied_on_key_lookup(aws, run_ses):
    zone = healthy(aws)
    key = aws.add_access_key(aws.add_user("smtp"))
    aws.deny("iam:GetAccessKeyLastUsed")
    found = await run_ses(zone, sender=SENDER, smtp_user=key.key_id)
    denied = one(found, "provider.ses.smtp_key")
    assert denied.status is Status.ERROR
    assert denied.data["iam_action"] == "iam:GetAccessKeyLastUsed"


async def test_access_denied_on_cloudwatch_is_a_skip(aws, run_ses):
    """CloudWatch speaks CBOR: the fake's denial must parse as AccessDenied too."""
    zone = healthy(aws)
    aws.deny("cloudwatch:GetMetricData")
    found = await run_ses(zone, sender=SENDER)
    rep = one(found, "provider.ses.account.reputation")
    assert rep.status is Status.SKIPPED and rep.data["iam_action"] == "cloudwatch:GetMetricData"


async def test_unverified_everywhere(aws, run_ses):
    found = await run_ses({}, sender="someone@example.net")
    assert causes(found) == {"provider.ses.identity_unverified"}


async def test_region_mismatch(aws, run_ses):
    zone = healthy(aws)
    found = await run_ses(zone, sender=SENDER, smtp_endpoint="email-smtp.eu-west-1.amazonaws.com")
    assert causes(found) == {"provider.ses.region_mismatch"}


async def test_run_is_read_only(aws, run_ses):
    zone = healthy(aws)
    key = aws.add_access_key(aws.add_user("smtp"))
    aws.suppress(RECIPIENT)
    before = len(aws.calls)
    await run_ses(zone, sender=SENDER, recipients=[RECIPIENT], smtp_user=key.key_id)
    actions = {c.action.split(":")[1] for c in aws.calls[before:]}
    assert actions and all(a.startswith(("Get", "List", "Simulate")) for a in actions), actions


async def test_other_regions_are_asked_concurrently_and_failures_noted(aws, run_ses):
    aws.add_domain_identity("example.com", region="eu-west-1")
    aws.deny("ses:GetIdentityVerificationAttributes", regions=["us-west-2"])
    found = await run_ses({}, sender=SENDER)
    identity = one(found, "provider.ses.identity")
    assert identity.cause == "provider.ses.identity_wrong_region"
    assert identity.data["unchecked_regions"] == {"us-west-2": "AccessDenied"}


async def test_server_client_factory_needs_no_environment(aws, dns_server, monkeypatch):
    """The demo's path: Context.aws_client_factory from the server, no AWS env at all."""
    from maildoctor.context import Context
    from maildoctor.dns.resolver import DnsResolver, Nameserver
    from maildoctor.provider.ses.driver import check_ses

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    zone = healthy(aws)
    aws.suppress(RECIPIENT)
    dns_server.load(zone)
    resolver = DnsResolver([Nameserver("127.0.0.1", dns_server.port)], timeout=1, retries=0)
    ctx = Context(resolver=resolver, aws_client_factory=aws.client_factory())
    result = await check_ses(
        ctx=ctx,
        region="us-east-1",
        sender=SENDER,
        recipients=[RECIPIENT],
        scan_regions=["us-east-1"],
    )
    found = result.findings
    assert causes(found) == {"provider.ses.recipient_suppressed"}
