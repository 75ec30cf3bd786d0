"""The secret key never appears in output, logs, reports or exception text."""

from __future__ import annotations

import logging

from botocore.exceptions import ClientError

from maildoctor.cli import main
from maildoctor.provider.ses.client import SesProvider
from maildoctor.secrets import Secret

ENV_SECRET = "mdTESTsecret/K7MDENG/bPxRfiCYzEXAMPLEKEY"  # set by conftest's aws_env


def test_secret_never_in_output_or_logs(aws, dns_server, monkeypatch, capsys, caplog):
    assert __import__("os").environ["AWS_SECRET_ACCESS_KEY"] == ENV_SECRET
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint_url)
    user = aws.add_user("smtp")
    old = aws.add_access_key(user, status="Inactive")
    new = aws.add_access_key(user)
    aws.deny("ses:GetSuppressedDestination")
    secrets = (ENV_SECRET, old.secret.reveal(), new.secret.reveal())
    caplog.set_level(logging.DEBUG)  # botocore's debug logging included
    args = [
        "ses",
        "--sender",
        "admin@example.com",
        "--recipient",
        "x@example.org",
        "--smtp-user",
        old.key_id,
        "--nameserver",
        f"127.0.0.1:{dns_server.port}",
        "--scan-region",
        "us-east-1",
        "-v",
    ]
    outputs = []
    for fmt in ("text", "json"):
        assert main([*args, "--format", fmt]) == 1
        captured = capsys.readouterr()
        outputs += [captured.out, captured.err]
    assert caplog.records, "debug logging should have produced records"
    for text in (*outputs, caplog.text):
        for secret in secrets:
            assert secret not in text
    assert old.key_id in outputs[2]  # the key id, by contrast, is shown


def test_secret_given_as_smtp_user_is_not_echoed(capsys):
    assert main(["ses", "--region", "us-east-1", "--smtp-user", ENV_SECRET]) == 2
    err = capsys.readouterr().err
    assert ENV_SECRET not in err and "secret access key" in err


async def test_secret_redacted_from_failures_and_evidence():
    """Even if a service echoed the secret, the failure and its evidence hide it."""
    secret = Secret(ENV_SECRET)

    class Client:
        class meta:  # noqa: N801 - mimics boto3's client.meta
            endpoint_url = "http://127.0.0.1:9"

        def get_account(self):
            error = {"Error": {"Code": "SignatureDoesNotMatch", "Message": f"bad {ENV_SECRET}"}}
            raise ClientError(error, "GetAccount")  # type: ignore[arg-type]

    async with SesProvider(
        lambda s, r: Client(), home_region="us-east-1", secrets=(secret,)
    ) as provider:
        fetched = await provider.account("us-east-1")
    assert fetched.failure is not None
    texts = [
        fetched.failure.message,
        fetched.failure.describe(),
        *fetched.evidence.raw,
        fetched.evidence.outcome,
        repr(fetched),
    ]
    assert all(ENV_SECRET not in t for t in texts)
    assert "[redacted]" in fetched.failure.message
