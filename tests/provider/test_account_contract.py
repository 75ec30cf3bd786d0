"""One contract, three services: SES, SendGrid and Postmark answer the same questions alike.

Every service is set up with the same world - example.com verified with DKIM and a custom
return path, nothing for example.net, bounced@example.org suppressed after a hard bounce -
on its loopback fake (moto behind the AWS fake; the SendGrid and Postmark HTTP fakes), and
the same tests run against each. A service whose adapter reads its API wrongly fails here.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from maildoctor.provider.account_checks import check_account
from maildoctor.provider.base import FailureKind, SenderAccount, SuppressionReason, Verification
from maildoctor.provider.postmark import PostmarkAccount
from maildoctor.provider.sendgrid import SendGridAccount
from maildoctor.provider.ses.client import SesProvider
from maildoctor.provider.ses.sender_account import SesAccount
from maildoctor.secrets import Secret
from maildoctor.testing.awsserver import AwsServer
from maildoctor.testing.httpfakes import PostmarkFake, SendGridFake

SENDGRID_KEY = Secret("SG.mdTESTkeyId000000000A.mdTESTsecretPart0000000000000000000000000000")
ACCOUNT_TOKEN = Secret("5d7f0c1e-mdte-st00-acct-000000000001")
SERVER_TOKEN = Secret("5d7f0c1e-mdte-st00-serv-000000000002")
SERVICES = ("ses", "sendgrid", "postmark")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ses_world(aws: AwsServer) -> None:
    aws.add_domain_identity("example.com")
    aws.set_mail_from("example.com", "mail.example.com")
    aws.suppress("bounced@example.org", reason="BOUNCE")


def _sendgrid_world(fake: SendGridFake) -> None:
    fake.authenticate_domain("example.com", subdomain="mail")
    fake.bounce("bounced@example.org")


def _postmark_world(fake: PostmarkFake) -> None:
    fake.add_domain("example.com", return_path="mail.example.com")
    fake.suppress("bounced@example.org", reason="HardBounce")


@pytest.fixture(params=SERVICES)
async def account(request: Any, aws: AwsServer) -> AsyncIterator[SenderAccount]:
    if request.param == "ses":
        _ses_world(aws)
        provider = SesProvider(aws.client_factory(timeout=2), home_region="us-east-1")
        yield SesAccount(provider, "us-east-1")
        provider.close()
    elif request.param == "sendgrid":
        with SendGridFake(SENDGRID_KEY) as fake:
            _sendgrid_world(fake)
            async with SendGridAccount(SENDGRID_KEY, base_url=fake.url, timeout=2) as sg:
                yield sg
    else:
        with PostmarkFake(ACCOUNT_TOKEN, SERVER_TOKEN) as fake:
            _postmark_world(fake)
            async with PostmarkAccount(
                ACCOUNT_TOKEN, SERVER_TOKEN, base_url=fake.url, timeout=2
            ) as pm:
                yield pm


@pytest.fixture(params=SERVICES)
async def unreachable(request: Any) -> AsyncIterator[SenderAccount]:
    url = f"http://127.0.0.1:{_closed_port()}"
    if request.param == "ses":
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40
        )
        config = Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1})

        def factory(service: str, region: str) -> Any:
            return session.client(service, region_name=region, endpoint_url=url, config=config)

        provider = SesProvider(factory, home_region="us-east-1")
        yield SesAccount(provider, "us-east-1")
        provider.close()
    elif request.param == "sendgrid":
        async with SendGridAccount(SENDGRID_KEY, base_url=url, timeout=1) as sg:
            yield sg
    else:
        async with PostmarkAccount(ACCOUNT_TOKEN, SERVER_TOKEN, base_url=url, timeout=1) as pm:
            yield pm


async def test_a_verified_domain_covers_its_addresses(account):
    found = await account.sender("admin@example.com")
    assert found.ok and found.value is not None
    assert found.value.verified and found.value.covered_by == "example.com"


async def test_an_address_nothing_covers_is_not_verified(account):
    found = await account.sender("someone@example.net")
    assert found.ok and found.value is not None
    assert not found.value.verified and found.value.covered_by == ""


async def test_dkim_and_return_path_of_a_verified_domain(account):
    found = await account.domain("example.com")
    assert found.ok and found.value is not None
    auth = found.value
    assert auth.known and auth.dkim is Verification.SUCCESS
    assert auth.return_path is Verification.SUCCESS
    assert auth.return_path_domain == "mail.example.com"


async def test_an_unknown_domain_is_not_known(account):
    found = await account.domain("example.net")
    assert found.ok and found.value is not None
    assert not found.value.known and found.value.dkim is not Verification.SUCCESS


async def test_suppressed_and_free_recipients(account):
    hit = await account.suppressed("Bounced@example.org")
    free = await account.suppressed("fine@example.org")
    assert hit.ok and hit.value is not None
    assert hit.value.address == "bounced@example.org"
    assert hit.value.reason is SuppressionReason.BOUNCE
    assert free.ok and free.value is None


async def test_check_account_names_the_services_own_causes(account):
    found = await check_account(
        account,
        sender="someone@example.net",
        recipients=("bounced@example.org", "fine@example.org"),
    )
    causes = {f.cause for f in found if f.cause}
    assert causes == {account.causes["sender"], account.causes["suppressed"]}
    assert all(c.startswith(f"provider.{account.name}.") for c in causes)


async def test_an_unreachable_service_is_an_answerless_failure_not_an_exception(unreachable):
    for fetched in (
        await unreachable.sender("admin@example.com"),
        await unreachable.domain("example.com"),
        await unreachable.suppressed("bounced@example.org"),
    ):
        assert not fetched.ok and fetched.failure is not None
        assert fetched.failure.kind in (FailureKind.NETWORK, FailureKind.TIMEOUT)
    found = await check_account(unreachable, sender="admin@example.com")
    assert {f.status.value for f in found} == {"error"}


# -- what only the HTTP services have: their keys --------------------------------------------


async def test_a_wrong_key_is_bad_credentials_and_never_shown():
    wrong = Secret("SG.mdTESTwrongKey0000000A.mdTESTwrongSecret000000000000000000000000000")
    with SendGridFake(SENDGRID_KEY) as fake:
        async with SendGridAccount(wrong, base_url=fake.url, timeout=2) as sg:
            found = await check_account(
                sg, sender="admin@example.com", recipients=("a@example.org",)
            )
    assert all(f.status.value == "error" for f in found)
    text = json.dumps([f.to_dict() for f in found])
    assert "bad_credentials" in text and wrong.reveal() not in text
    assert "mdTESTwrongSecret" not in text


async def test_postmark_tokens_never_appear_in_findings():
    with PostmarkFake(ACCOUNT_TOKEN, Secret("another-server-token-0000")) as fake:
        async with PostmarkAccount(ACCOUNT_TOKEN, SERVER_TOKEN, base_url=fake.url, timeout=2) as pm:
            found = await check_account(
                pm, sender="admin@example.com", recipients=("a@example.org",)
            )
    text = json.dumps([f.to_dict() for f in found])
    assert ACCOUNT_TOKEN.reveal() not in text and SERVER_TOKEN.reveal() not in text
    assert [f.status.value for f in found if f.check.endswith("suppression")] == ["error"]


async def test_a_mail_send_only_key_is_access_denied():
    with SendGridFake(SENDGRID_KEY, scopes_denied=("/v3/suppression",)) as fake:
        async with SendGridAccount(SENDGRID_KEY, base_url=fake.url, timeout=2) as sg:
            found = await sg.suppressed("a@example.org")
    assert found.failure is not None and found.failure.kind is FailureKind.ACCESS_DENIED
