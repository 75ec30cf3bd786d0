"""Fixtures for the SES layer: one moto server (plus the fake) per session, isolated env.

No test can read the developer's real AWS configuration: every test gets dummy
credentials and empty temporary config/credentials files, and the instance
metadata service is disabled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from maildoctor.context import Context
from maildoctor.model import Finding
from maildoctor.provider.ses.driver import check_ses
from maildoctor.testing.awsserver import AwsServer
from maildoctor.testing.dnsserver import DnsServer

#: A distinctive dummy secret: tests assert it never appears anywhere.
ENV_SECRET = "mdTESTsecret/K7MDENG/bPxRfiCYzEXAMPLEKEY"

_CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SESV2",
    "AWS_ENDPOINT_URL_SES",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS",
    "AWS_REGION",
)


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials; empty config files; no metadata service; nothing from ~/.aws."""
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    config, credentials = tmp_path / "aws-config", tmp_path / "aws-credentials"
    config.write_text("")
    credentials.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def aws_server() -> Iterator[AwsServer]:
    """moto in server mode on loopback, behind the fake: started once per session."""
    with AwsServer() as server:
        yield server


@pytest.fixture
def aws(aws_server: AwsServer) -> AwsServer:
    """A clean server with a healthy production account in us-east-1."""
    aws_server.reset()
    aws_server.set_account("us-east-1", production_access=True)
    return aws_server


@pytest.fixture
def run_ses(aws: AwsServer, dns_server: DnsServer, resolver_for: Any) -> Any:
    """Run ``check_ses`` against the loopback AWS and DNS servers."""

    async def run(
        zone: dict[str, Any] | None = None,
        *,
        scan_regions: Sequence[str] = ("us-east-1", "us-west-2", "eu-west-1"),
        **kwargs: Any,
    ) -> tuple[Finding, ...]:
        dns_server.load(zone or {})
        ctx = Context(resolver=resolver_for(dns_server), timeout=5.0)
        kwargs.setdefault("region", "us-east-1")
        result = await check_ses(
            ctx=ctx, endpoint_url=aws.endpoint_url, scan_regions=scan_regions, **kwargs
        )
        return result.findings

    return run
