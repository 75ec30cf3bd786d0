"""The loopback AWS: what moto's server answers for calls it lacks, and the fake in front."""

from __future__ import annotations

import http.client
from datetime import UTC, datetime
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError

from maildoctor.testing.awsserver import AwsServer, easy_dkim_zone, mail_from_zone


def client(url: str, service: str, region: str = "us-east-1"):
    return boto3.session.Session(region_name=region).client(service, endpoint_url=url)


def raw_status(url: str, method: str, path: str, service: str, body: str = "") -> int:
    """One unsigned request with a SigV4-shaped scope (moto routes on it, never checks it)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    scope = (
        f"AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )
    headers = {"Authorization": scope, "Content-Type": "application/x-www-form-urlencoded"}
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


# -- REFERENCE.md section 3: how moto_server answers what it does not implement -------------


@pytest.mark.parametrize(
    ("method", "path", "service", "body", "status"),
    [
        ("GET", "/v2/email/account", "ses", "", 404),
        ("GET", "/v2/email/suppression/addresses/a%40example.com", "ses", "", 404),
        ("GET", "/v2/email/suppression/addresses", "ses", "", 404),
        ("POST", "/", "iam", "Action=SimulatePrincipalPolicy&Version=2010-05-08", 500),
        ("POST", "/", "ses", "Action=GetAccountSendingEnabled&Version=2010-12-01", 500),
    ],
)
def test_moto_server_answers_unimplemented_calls(aws, method, path, service, body, status):
    assert raw_status(aws.moto_url, method, path, service, body) == status


def test_moto_unimplemented_query_call_is_a_parser_error_in_botocore(aws):
    """moto's 500 is an HTML page: botocore raises ResponseParserError, not ClientError."""
    from botocore.parsers import ResponseParserError

    iam = client(aws.moto_url, "iam")
    with pytest.raises(ResponseParserError):
        iam.simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::123456789012:user/x", ActionNames=["ses:SendRawEmail"]
        )


def test_moto_v2_dkim_has_no_tokens_but_v1_has_three(aws):
    aws.add_domain_identity("example.com")
    v2 = client(aws.moto_url, "sesv2").get_email_identity(EmailIdentity="example.com")
    assert "Tokens" not in v2["DkimAttributes"]
    v1 = client(aws.moto_url, "ses").get_identity_dkim_attributes(Identities=["example.com"])
    assert len(v1["DkimAttributes"]["example.com"]["DkimTokens"]) == 3


# -- the fake in front -----------------------------------------------------------------------


def test_get_account_new_region_is_sandbox(aws):
    account = client(aws.endpoint_url, "sesv2", "eu-west-1").get_account()
    assert account["ProductionAccessEnabled"] is False
    assert account["SendQuota"]["Max24HourSend"] == 200.0


def test_get_account_seeded(aws):
    aws.set_account("us-east-1", enforcement_status="PROBATION", sending_enabled=False)
    account = client(aws.endpoint_url, "sesv2").get_account()
    assert account["EnforcementStatus"] == "PROBATION" and account["SendingEnabled"] is False
    assert account["ProductionAccessEnabled"] is True  # from the fixture
    assert account["SuppressionAttributes"]["SuppressedReasons"] == ["BOUNCE", "COMPLAINT"]


def test_set_account_rejects_unknown_fields(aws):
    with pytest.raises(TypeError):
        aws.set_account("us-east-1", sandbox=True)


def test_suppression_list_round_trip(aws):
    sesv2 = client(aws.endpoint_url, "sesv2")
    since = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    aws.suppress("Gone@Example.net", reason="COMPLAINT", since=since)
    got = sesv2.get_suppressed_destination(EmailAddress="gone@example.net")
    entry = got["SuppressedDestination"]
    assert entry["Reason"] == "COMPLAINT" and entry["LastUpdateTime"] == since
    listed = sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]
    assert [e["EmailAddress"] for e in listed] == ["gone@example.net"]
    sesv2.delete_suppressed_destination(EmailAddress="gone@example.net")
    with pytest.raises(ClientError) as caught:
        sesv2.get_suppressed_destination(EmailAddress="gone@example.net")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("sesv2", lambda c: c.get_account(), "AccessDeniedException"),
        ("ses", lambda c: c.get_send_quota(), "AccessDenied"),
        ("iam", lambda c: c.list_users(), "AccessDenied"),
        ("cloudwatch", lambda c: c.list_metrics(), "AccessDenied"),
    ],
)
def test_deny_in_each_protocol(aws, service, call, code):
    action = {
        "sesv2": "ses:GetAccount",
        "ses": "ses:GetSendQuota",
        "iam": "iam:ListUsers",
        "cloudwatch": "cloudwatch:ListMetrics",
    }[service]
    aws.deny(action)
    with pytest.raises(ClientError) as caught:
        call(client(aws.endpoint_url, service))
    assert caught.value.response["Error"]["Code"] == code
    assert action in caught.value.response["Error"]["Message"]


def test_deny_can_be_limited_to_regions(aws):
    aws.deny("ses:GetSendQuota", regions=["eu-west-1"])
    assert client(aws.endpoint_url, "ses").get_send_quota()["Max24HourSend"] == 200.0
    with pytest.raises(ClientError):
        client(aws.endpoint_url, "ses", "eu-west-1").get_send_quota()


def test_calls_are_recorded_with_region(aws):
    before = len(aws.calls)
    client(aws.endpoint_url, "ses", "ap-south-1").list_identities()
    assert [(c.action, c.region) for c in aws.calls[before:]] == [
        ("ses:ListIdentities", "ap-south-1")
    ]


def test_chosen_dkim_tokens(aws):
    tokens = aws.add_domain_identity("example.com", region="eu-west-1", dkim_tokens=["t1", "t2"])
    ses = client(aws.endpoint_url, "ses", "eu-west-1")
    got = ses.get_identity_dkim_attributes(Identities=["example.com"])
    assert tuple(got["DkimAttributes"]["example.com"]["DkimTokens"]) == tokens == ("t1", "t2")


def test_access_key_secret_is_hidden(aws):
    key = aws.add_access_key(aws.add_user("u"))
    assert key.secret.reveal() not in repr(key) and key.key_id.startswith("AKIA")


def test_reset_forgets_everything(aws_server: AwsServer):
    aws_server.reset()
    aws_server.add_email_identity("a@example.com")
    aws_server.suppress("b@example.com")
    aws_server.reset()
    ses = client(aws_server.endpoint_url, "ses")
    assert ses.list_identities()["Identities"] == []
    sesv2 = client(aws_server.endpoint_url, "sesv2")
    assert sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"] == []


async def test_zone_helpers_serve_over_dns(dns_server, resolver_for):
    dns_server.load(
        {
            **easy_dkim_zone("example.com", ["t1", "t2", "t3"], omit=[0]),
            **mail_from_zone("mail.example.com", "eu-west-1"),
        }
    )
    resolver = resolver_for(dns_server)
    assert (await resolver.query("t1._domainkey.example.com", "CNAME")).void
    cname = await resolver.query("t2._domainkey.example.com", "CNAME")
    assert cname.records == ("t2.dkim.amazonses.com",)
    mx = await resolver.query("mail.example.com", "MX")
    assert mx.records == ("10 feedback-smtp.eu-west-1.amazonses.com",)


def test_cbor_denial_parses_as_access_denied():
    """Newer botocore may speak RPC v2 CBOR to CloudWatch: the denial must parse there too."""
    from botocore.parsers import RpcV2CBORParser

    from maildoctor.testing.awsserver import _Request, access_denied, identify

    scope = "AWS4-HMAC-SHA256 Credential=k/20250101/eu-west-1/monitoring/aws4_request"
    path = "/service/GraniteServiceVersion20100801/operation/GetMetricData"
    op = identify(_Request("POST", path, "", {"authorization": scope}, b""))
    assert (op.action, op.region, op.protocol) == ("cloudwatch:GetMetricData", "eu-west-1", "cbor")
    status, headers, body = access_denied(op, "123456789012")
    parsed = RpcV2CBORParser().parse(
        {"status_code": status, "headers": headers, "body": body}, None
    )
    assert parsed["Error"]["Code"] == "AccessDenied"
    assert "cloudwatch:GetMetricData" in parsed["Error"]["Message"]
