"""``check_ses`` end to end for DKIM origins: moto + the fake's ``set_dkim_origin`` + DNS."""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from maildoctor.model import Finding, Status
from maildoctor.testing.awsserver import AwsServer, easy_dkim_zone, mail_from_zone

SENDER = "admin@example.com"
SELECTOR = "byo2025"
KEY_NAME = f"{SELECTOR}._domainkey.example.com"


def _rsa_p(bits: int) -> str:
    modulus = (1 << (bits - 1)) | (1 << (bits // 2)) | 1
    key = rsa.RSAPublicNumbers(65537, modulus).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


KEY_RECORD = f"v=DKIM1; k=rsa; p={_rsa_p(2048)}"


def causes(findings: Sequence[Finding]) -> set[str]:
    return {f.cause for f in findings if f.cause}


def checks(findings: Sequence[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def byodkim(aws: AwsServer, *, status: str = "SUCCESS") -> dict:
    """A BYODKIM domain identity with a custom MAIL FROM; no Easy DKIM CNAME anywhere."""
    aws.add_domain_identity("example.com")
    aws.set_dkim_origin("example.com", "EXTERNAL", selector=SELECTOR, status=status)
    aws.set_mail_from("example.com", "mail.example.com")
    return dict(mail_from_zone("mail.example.com", "us-east-1"))


async def test_byodkim_with_its_key_published_is_healthy(aws, dns_server, run_ses):
    zone = byodkim(aws)
    found = await run_ses({**zone, KEY_NAME: [{"TXT": KEY_RECORD}]}, sender=SENDER)
    assert causes(found) == set()
    assert checks(found, "provider.ses.dkim.cname") == []
    [key] = checks(found, "provider.ses.dkim.key")
    assert (key.status, key.data["key_bits"]) == (Status.PASS, 2048)
    asked = {(e.name.rstrip(".").lower(), e.rdtype) for e in dns_server.log}
    assert (KEY_NAME, "TXT") in asked
    assert not any("dkim" in name and rdtype == "CNAME" for name, rdtype in asked)


async def test_byodkim_key_missing_is_named_not_cnames(aws, run_ses):
    zone = byodkim(aws, status="FAILED")
    found = await run_ses(zone, sender=SENDER)
    assert causes(found) == {"provider.ses.byodkim_key_missing"}
    [key] = checks(found, "provider.ses.dkim.key")
    assert key.status is Status.FAIL and key.subject == KEY_NAME


async def test_byodkim_key_lookup_timeout_is_an_error(aws, run_ses):
    zone = byodkim(aws, status="PENDING")
    found = await run_ses({**zone, KEY_NAME: ["TIMEOUT"]}, sender=SENDER)
    assert causes(found) == set()
    [key] = checks(found, "provider.ses.dkim.key")
    assert key.status is Status.ERROR


async def test_easy_dkim_1024_bit_key_warns_with_the_command(aws, run_ses):
    tokens = aws.add_domain_identity("example.com")
    aws.set_dkim_origin("example.com", "AWS_SES", current_key_length="RSA_1024_BIT")
    found = await run_ses(easy_dkim_zone("example.com", tokens), sender=SENDER)
    assert causes(found) == set()
    assert [f.status for f in checks(found, "provider.ses.dkim.cname")] == [Status.PASS] * 3
    [length] = checks(found, "provider.ses.dkim.key_length")
    assert length.status is Status.WARN and length.data["current_key_bits"] == 1024
    assert "NextSigningKeyLength=RSA_2048_BIT" in length.fix


async def test_get_email_identity_denied_keeps_easy_dkim_checks(aws, run_ses):
    tokens = aws.add_domain_identity("example.com")
    aws.deny("ses:GetEmailIdentity")
    found = await run_ses(easy_dkim_zone("example.com", tokens, omit=[0]), sender=SENDER)
    assert causes(found) == {"provider.ses.dkim_cname_missing"}
    [missing] = [f for f in found if f.cause]
    assert "ses:GetEmailIdentity" in missing.detail


async def test_the_new_call_is_read_only(aws, run_ses):
    zone = byodkim(aws)
    before = len(aws.calls)
    await run_ses(zone, sender=SENDER)
    actions = {c.action for c in aws.calls[before:]}
    assert "ses:GetEmailIdentity" in actions
    assert all(a.split(":")[1].startswith(("Get", "List")) for a in actions), actions
