"""The driver with an injected client factory: concurrency, and no sockets at all."""

from __future__ import annotations

import time
from typing import Any

from maildoctor.context import Context
from maildoctor.dns.resolver import StaticResolver
from maildoctor.provider.ses.driver import check_ses

DELAY = 0.15

RESPONSES: dict[str, dict[str, Any]] = {
    "get_caller_identity": {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/me"},
    "get_account": {
        "ProductionAccessEnabled": True,
        "SendingEnabled": True,
        "EnforcementStatus": "HEALTHY",
        "SendQuota": {"Max24HourSend": 50000, "MaxSendRate": 14, "SentLast24Hours": 3},
    },
    "get_metric_data": {
        "MetricDataResults": [
            {"Id": "bounce", "Values": [0.01], "Timestamps": [1700000000]},
            {"Id": "complaint", "Values": [], "Timestamps": []},
        ]
    },
    "get_identity_verification_attributes": {
        "VerificationAttributes": {"example.com": {"VerificationStatus": "Success"}}
    },
    "get_identity_dkim_attributes": {
        "DkimAttributes": {
            "example.com": {
                "DkimEnabled": True,
                "DkimVerificationStatus": "Success",
                "DkimTokens": ["t1", "t2", "t3"],
            }
        }
    },
    "get_email_identity": {
        "IdentityType": "DOMAIN",
        "VerificationStatus": "SUCCESS",
        "DkimAttributes": {
            "SigningEnabled": True,
            "Status": "SUCCESS",
            "Tokens": ["t1", "t2", "t3"],
            "SigningAttributesOrigin": "AWS_SES",
            "CurrentSigningKeyLength": "RSA_2048_BIT",
            "NextSigningKeyLength": "RSA_2048_BIT",
        },
    },
    "get_identity_mail_from_domain_attributes": {
        "MailFromDomainAttributes": {"example.com": {"BehaviorOnMXFailure": "UseDefaultValue"}}
    },
    "get_suppressed_destination": {
        "SuppressedDestination": {
            "EmailAddress": "u@example.org",
            "Reason": "COMPLAINT",
            "LastUpdateTime": 1700000000,
        }
    },
    "get_access_key_last_used": {
        "UserName": "smtp",
        "AccessKeyLastUsed": {
            "LastUsedDate": 1700000000,
            "ServiceName": "ses",
            "Region": "us-east-1",
        },
    },
    "list_access_keys": {
        "AccessKeyMetadata": [
            {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Active", "CreateDate": 1690000000}
        ]
    },
    "get_user": {"User": {"Arn": "arn:aws:iam::123456789012:user/smtp"}},
    "simulate_principal_policy": {"EvaluationResults": [{"EvalDecision": "allowed"}]},
}


class SlowClient:
    """Answers every read with a canned response after DELAY seconds; logs the calls."""

    def __init__(self, service: str, region: str, log: list[tuple[str, str, str]]) -> None:
        self.service, self.region, self.log = service, region, log

    def __getattr__(self, name: str) -> Any:
        def call(**_params: Any) -> dict[str, Any]:
            time.sleep(DELAY)
            self.log.append((self.service, self.region, name))
            return RESPONSES[name]

        return call


def zone() -> StaticResolver:
    return StaticResolver(
        {
            f"{t}._domainkey.example.com": {"CNAME": [f"{t}.dkim.amazonses.com"]}
            for t in ("t1", "t2", "t3")
        }
    )


async def test_independent_calls_run_concurrently():
    log: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    result = await check_ses(
        ctx=Context(resolver=zone()),
        region="us-east-1",
        sender="admin@example.com",
        recipients=["u@example.org"],
        smtp_user="AKIAIOSFODNN7EXAMPLE",
        scan_regions=["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"],
        client_factory=lambda service, region: SlowClient(service, region, log),
    )
    elapsed = time.perf_counter() - start
    # 15 calls; the longest dependent chain is 3 (key owner -> user -> simulation); SES v1
    # and v2 DKIM are asked at once.
    assert len(log) == 15
    assert ("sesv2", "us-east-1", "get_email_identity") in log
    assert elapsed < 6 * DELAY, f"{elapsed:.2f}s: calls were not concurrent"
    found = result.findings
    assert result.facts is not None and result.facts.query.sender == "admin@example.com"
    assert {f.cause for f in found if f.cause} == {"provider.ses.recipient_suppressed"}
    bounce = next(f for f in found if f.check == "provider.ses.account.bounce_rate")
    assert bounce.data["rate"] == 0.01
    complaint = next(f for f in found if f.check == "provider.ses.account.complaint_rate")
    assert "no data" in complaint.summary
    length = next(f for f in found if f.check == "provider.ses.dkim.key_length")
    assert (length.status.value, length.data["current_key_bits"]) == ("info", 2048)


async def test_ctx_factory_is_used_when_none_given():
    log: list[tuple[str, str, str]] = []
    ctx = Context(
        resolver=zone(), aws_client_factory=lambda service, region: SlowClient(service, region, log)
    )
    await check_ses(ctx=ctx, region="eu-west-1", scan_regions=[])
    assert ("sesv2", "eu-west-1", "get_account") in log


async def test_no_credentials_gives_one_finding(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = await check_ses(ctx=Context(resolver=zone()), region="us-east-1", scan_regions=[])
    found = result.findings
    assert result.facts is None  # nothing was fetched
    assert [f.check for f in found] == ["provider.ses.caller"]
    assert "AWS_ACCESS_KEY_ID" in found[0].summary
