"""The relay probe against loopback servers: SES-like, Exchange-like and hostile ones.

Every case ends within its timeout with the finding that names what went wrong.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from smtp_data import KEY_ID, OLD_SECRET, SECRET, SES_HOST

from maildoctor.model import Finding, Status
from maildoctor.secrets import Secret
from maildoctor.smtp.probe import probe_smtp
from maildoctor.smtp.ses_password import blog_formula_password, derive_smtp_password
from maildoctor.testing.smtpserver import (
    ExchangeLikeServer,
    HostileSmtpServer,
    SesLikeServer,
    TestPki,
)

GOOD = derive_smtp_password(Secret(SECRET), "us-east-1")
#: Hard bound on any one probe in these tests: a hang fails loudly instead of stalling.
HANG_GUARD = 10


async def probe(host: str, port: int, ctx, **kwargs) -> dict[str, Finding]:
    findings = await asyncio.wait_for(probe_smtp(host, port=port, ctx=ctx, **kwargs), HANG_GUARD)
    by_check: dict[str, Finding] = {}
    for f in findings:
        by_check.setdefault(f.check, f)
    return by_check


def causes(found: dict[str, Finding]) -> set[str]:
    return {f.cause for f in found.values() if f.cause}


# -- SES-like endpoint ------------------------------------------------------------------


async def test_good_credentials_pass_every_step_and_send_no_data(ses, make_ctx):
    found = await probe(
        SES_HOST,
        ses.port,
        make_ctx(SES_HOST),
        user=KEY_ID,
        password=GOOD,
        mail_from="admin@example.com",
        rcpt_to=["someone@example.net"],
    )
    for check in (
        "resolve",
        "connect",
        "banner",
        "ehlo",
        "starttls",
        "tls",
        "certificate",
        "ehlo_tls",
        "auth",
        "mail_from",
        "rcpt_to",
        "quit",
    ):
        assert found[f"client.smtp.{check}"].status is Status.PASS, check
    auth = found["client.smtp.auth"]
    assert auth.data["code"] == 235 and auth.data["elapsed_ms"] >= 0
    assert found["client.smtp.tls"].data["version"] in ("TLSv1.2", "TLSv1.3")
    cert = found["client.smtp.certificate"].data
    assert cert["certificate"]["names"] == [SES_HOST] and cert["chain"]
    assert "AUTH PLAIN [credentials redacted]" in auth.evidence[0].query
    assert "DATA" not in ses.commands and not ses.messages


async def test_rotated_key_is_a_stale_ses_password(pki, make_ctx):
    with SesLikeServer("us-east-1", current_secret=Secret(OLD_SECRET), pki=pki) as server:
        stored = derive_smtp_password(Secret(OLD_SECRET), "us-east-1")
        ctx = make_ctx(SES_HOST)
        before = await probe(SES_HOST, server.port, ctx, user=KEY_ID, password=stored)
        assert before["client.smtp.auth"].status is Status.PASS
        server.rotate(Secret(SECRET))
        after = await probe(SES_HOST, server.port, ctx, user=KEY_ID, password=stored)
    auth = after["client.smtp.auth"]
    assert auth.status is Status.FAIL
    assert auth.data["code"] == 535 and auth.data["text"] == "Authentication Credentials Invalid"
    assert auth.cause == "client.smtp_auth.stale_ses_password"
    assert "Send mail as" in auth.fix and "ses-smtp-password --region us-east-1" in auth.fix


async def test_wrong_region_is_pinpointed_when_the_secret_is_given(ses, make_ctx):
    stored = derive_smtp_password(Secret(SECRET), "eu-west-1")
    ctx = make_ctx(SES_HOST)
    without = await probe(SES_HOST, ses.port, ctx, user=KEY_ID, password=stored)
    assert without["client.smtp.auth"].cause == "client.smtp_auth.stale_ses_password"
    found = await probe(
        SES_HOST, ses.port, ctx, user=KEY_ID, password=stored, secret=Secret(SECRET)
    )
    assert found["client.smtp.auth"].cause == "client.smtp_auth.wrong_region_password"
    offline = found["client.smtp_auth.password_check"]
    assert offline.cause == "client.smtp_auth.wrong_region_password"
    assert offline.data["matched_region"] == "eu-west-1"


@pytest.mark.parametrize(
    ("password", "cause"),
    [
        (Secret(SECRET), "client.smtp_auth.raw_secret_as_password"),
        (blog_formula_password(Secret(SECRET)), "client.smtp_auth.wrong_formula"),
    ],
)
async def test_password_shape_refines_the_535(ses, make_ctx, password, cause):
    found = await probe(SES_HOST, ses.port, make_ctx(SES_HOST), user=KEY_ID, password=password)
    assert found["client.smtp_auth.password_shape"].cause == cause
    assert found["client.smtp.auth"].cause == cause
    assert found["client.smtp.auth"].data["code"] == 535


async def test_temporary_key_is_named(ses, make_ctx):
    found = await probe(
        SES_HOST, ses.port, make_ctx(SES_HOST), user="ASIAIOSFODNN7EXAMPLE", password=GOOD
    )
    assert found["client.smtp.auth"].cause == "client.smtp_auth.temporary_key"


async def test_auth_before_starttls_sends_no_credentials(ses, make_ctx):
    found = await probe(
        SES_HOST, ses.port, make_ctx(SES_HOST), tls="none", user=KEY_ID, password=GOOD
    )
    auth = found["client.smtp.auth"]
    assert auth.status is Status.FAIL and auth.cause == "client.smtp_auth.not_offered"
    assert auth.data["code"] == 530 and auth.data["text"] == "Authentication required"
    assert auth.evidence[0].query == "AUTH PLAIN"  # no initial response: nothing secret sent
    assert found["client.smtp.tls_mode"].cause == "client.smtp_tls.required"


async def test_auth_login_is_used_when_plain_is_not_offered(pki, make_ctx):
    with SesLikeServer(
        "us-east-1", current_secret=Secret(SECRET), pki=pki, mechanisms=("LOGIN",)
    ) as server:
        found = await probe(SES_HOST, server.port, make_ctx(SES_HOST), user=KEY_ID, password=GOOD)
    assert found["client.smtp.auth"].status is Status.PASS
    assert found["client.smtp.auth_mechanisms"].data["mechanisms"] == ["LOGIN"]


async def test_implicit_tls(pki, make_ctx):
    with SesLikeServer(
        "us-east-1", current_secret=Secret(SECRET), pki=pki, implicit_tls=True
    ) as server:
        found = await probe(
            SES_HOST, server.port, make_ctx(SES_HOST), tls="implicit", user=KEY_ID, password=GOOD
        )
    assert found["client.smtp.tls"].status is Status.PASS
    assert found["client.smtp.auth"].status is Status.PASS
    assert "client.smtp.starttls" not in found


async def test_unverified_sender_is_refused_at_data_only_with_send_test(ses, make_ctx):
    ctx = make_ctx(SES_HOST)
    kwargs = {
        "user": KEY_ID,
        "password": GOOD,
        "mail_from": "admin@example.org",
        "rcpt_to": ["someone@example.net"],
    }
    dry = await probe(SES_HOST, ses.port, ctx, **kwargs)
    assert "client.smtp.data" not in dry
    found = await probe(SES_HOST, ses.port, ctx, send_test=True, **kwargs)
    data = found["client.smtp.data"]
    assert data.cause == "provider.ses.identity_unverified"
    assert "in region US-EAST-1" in data.data["text"]


async def test_test_message_is_sent_when_asked(ses, make_ctx):
    count = len(ses.messages)
    found = await probe(
        SES_HOST,
        ses.port,
        make_ctx(SES_HOST),
        user=KEY_ID,
        password=GOOD,
        mail_from="admin@example.com",
        rcpt_to=["someone@example.net"],
        send_test=True,
    )
    assert found["client.smtp.data"].status is Status.PASS
    assert len(ses.messages) == count + 1
    assert b"Subject: maildoctor test message" in ses.messages[-1].content


async def test_throttling(pki, make_ctx):
    with SesLikeServer(
        "us-east-1",
        current_secret=Secret(SECRET),
        pki=pki,
        throttle="Maximum sending rate exceeded",
    ) as server:
        found = await probe(
            SES_HOST,
            server.port,
            make_ctx(SES_HOST),
            user=KEY_ID,
            password=GOOD,
            mail_from="admin@example.com",
            rcpt_to=["a@example.net"],
        )
    assert found["client.smtp.mail_from"].cause == "provider.ses.throttled"
    assert found["client.smtp.rcpt_to"].status is Status.SKIPPED


# -- certificates -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def expired_ses(pki: TestPki) -> Iterator[SesLikeServer]:
    with SesLikeServer(
        "us-east-1", current_secret=Secret(SECRET), pki=pki, cert_expired=True
    ) as server:
        yield server


async def test_expired_certificate_stops_before_auth(expired_ses, make_ctx):
    found = await probe(SES_HOST, expired_ses.port, make_ctx(SES_HOST), user=KEY_ID, password=GOOD)
    cert = found["client.smtp.certificate"]
    assert cert.status is Status.FAIL and cert.cause == "client.smtp_tls.certificate_invalid"
    assert cert.data["reason"] == "expired"
    assert found["client.smtp.auth"].status is Status.SKIPPED


async def test_no_verify_carries_on_and_still_reports_the_certificate(expired_ses, make_ctx):
    found = await probe(
        SES_HOST, expired_ses.port, make_ctx(SES_HOST, verify=False), user=KEY_ID, password=GOOD
    )
    cert = found["client.smtp.certificate"]
    assert cert.status is Status.FAIL and cert.data["reason"] == "expired"
    assert cert.data["certificate"]["names"] == [SES_HOST]  # parsed from the unverified leaf
    assert found["client.smtp.auth"].status is Status.PASS


async def test_mismatched_certificate_name(pki, make_ctx):
    with SesLikeServer(
        "us-east-1",
        current_secret=Secret(SECRET),
        pki=pki,
        implicit_tls=True,
        cert_names=["relay.example.net"],
    ) as server:
        found = await probe(SES_HOST, server.port, make_ctx(SES_HOST), tls="implicit")
    cert = found["client.smtp.certificate"]
    assert cert.cause == "client.smtp_tls.certificate_invalid"
    assert cert.data["reason"] == "name_mismatch"
    assert "client.smtp.banner" not in found


async def test_private_ca_needs_ca_file(ses, make_ctx):
    ctx = make_ctx(SES_HOST)
    import dataclasses

    found = await probe(SES_HOST, ses.port, dataclasses.replace(ctx, ca_file=None))
    assert found["client.smtp.certificate"].data["reason"] in (
        "unknown_issuer",
        "self_signed_chain",
    )


# -- relays without AUTH, recipients ----------------------------------------------------


async def test_no_auth_offered(exchange, make_ctx):
    found = await probe(
        "mx.example.com",
        exchange.port,
        make_ctx("mx.example.com"),
        user=KEY_ID,
        password=GOOD,
        client="gmail-send-as",
    )
    auth = found["client.smtp.auth"]
    assert auth.cause == "client.smtp_auth.not_offered"
    assert "does not advertise AUTH capability" in auth.detail


async def test_exchange_rejects_rcpt_with_dmarc_ndr(exchange, make_ctx):
    found = await probe(
        "mx.example.com",
        exchange.port,
        make_ctx("mx.example.com"),
        mail_from="admin@example.com",
        rcpt_to=["user@example.net"],
    )
    rcpt = found["client.smtp.rcpt_to"]
    assert rcpt.status is Status.FAIL and rcpt.cause == "recipient.rejected.dmarc"
    assert rcpt.data["enhanced_status"] == "5.7.509"


async def test_exchange_rejects_at_data(pki, make_ctx):
    with ExchangeLikeServer("data", pki=pki) as server:
        found = await probe(
            "mx.example.com",
            server.port,
            make_ctx("mx.example.com"),
            mail_from="admin@example.com",
            rcpt_to=["user@example.net"],
            send_test=True,
        )
    assert found["client.smtp.rcpt_to"].status is Status.PASS
    assert found["client.smtp.data"].cause == "recipient.rejected.dmarc"
    assert not server.messages


# -- unreachable and hostile servers ----------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_nothing_listening(make_ctx):
    found = await probe("127.0.0.1", closed_port(), make_ctx())
    assert found["client.smtp.connect"].cause == "client.smtp.unreachable"
    assert found["client.smtp.connect"].data["error"] == "refused"


async def test_host_that_does_not_resolve(make_ctx):
    found = await probe("relay.example.com", 587, make_ctx())
    assert found["client.smtp.resolve"].status is Status.FAIL
    assert found["client.smtp.resolve"].cause == "client.smtp.unreachable"
    assert "client.smtp.connect" not in found


@pytest.mark.parametrize(
    ("mode", "step", "cause"),
    [
        ("silent", "banner", "client.smtp.no_banner"),
        ("garbage", "banner", "client.smtp.protocol_error"),
        ("huge_line", "banner", "client.smtp.protocol_error"),
        ("drop", "ehlo", "client.smtp.protocol_error"),
    ],
)
async def test_hostile_servers_end_within_the_timeout(mode, step, cause, make_ctx):
    with HostileSmtpServer(mode) as server:
        loop = asyncio.get_running_loop()
        start = loop.time()
        found = await probe(
            "127.0.0.1",
            server.port,
            make_ctx(timeout=0.5),
            user="u",
            password=Secret("p4ssw0rd-hostile"),
        )
        elapsed = loop.time() - start
    failed = found[f"client.smtp.{step}"]
    assert failed.status is Status.FAIL and failed.cause == cause
    assert found["client.smtp.auth"].status is Status.SKIPPED
    assert elapsed < 0.5 * 3  # one step's timeout, plus slack; never a hang
