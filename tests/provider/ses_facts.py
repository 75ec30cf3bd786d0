"""Hand-built SES facts for the pure topic tests (no sockets): a healthy baseline to vary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from maildoctor.dns.resolver import DnsAnswer, Outcome
from maildoctor.model import Evidence, Finding
from maildoctor.provider.base import (
    AccessKey,
    AccountStatus,
    Caller,
    CallFailure,
    CredentialOwner,
    DkimSetup,
    EnforcementStatus,
    FailureKind,
    Fetched,
    Identity,
    IdentityKind,
    KeyStatus,
    MailFromSetup,
    MxFailureBehavior,
    PermissionDecision,
    Reputation,
    SendQuota,
    Verification,
)
from maildoctor.provider.ses.facts import MailFromDns, SesFacts, SesQuery

R = "us-east-1"
EV = Evidence(id="aws:test", source="aws", query="test")
TOKENS = ("aaa111", "bbb222", "ccc333")


def ok(value: Any) -> Fetched[Any]:
    return Fetched(evidence=EV, value=value)


def fail(kind: FailureKind, op: str = "sesv2.GetAccount", perm: str = "ses:GetAccount"):
    failure = CallFailure(kind=kind, operation=op, permission=perm, code=str(kind), message="m")
    return Fetched(evidence=EV, failure=failure)


def ident(name: str, status: Verification = Verification.SUCCESS, region: str = R) -> Identity:
    kind = IdentityKind.EMAIL_ADDRESS if "@" in name else IdentityKind.DOMAIN
    return Identity(name=name, kind=kind, region=region, verification=status)


def answer(name: str, rdtype: str, *records: str, outcome: Outcome | None = None) -> DnsAnswer:
    chosen = outcome or (Outcome.ANSWER if records else Outcome.NXDOMAIN)
    return DnsAnswer(name=name, rdtype=rdtype, outcome=chosen, records=records, server="test")


def dkim_dns(domain: str = "example.com", skip: Sequence[int] = ()) -> dict[str, DnsAnswer]:
    out = {}
    for i, t in enumerate(TOKENS):
        name = f"{t}._domainkey.{domain}"
        target = () if i in skip else (f"{t}.dkim.amazonses.com",)
        out[name] = answer(name, "CNAME", *target)
    return out


def account(**kw: Any) -> AccountStatus:
    base: dict[str, Any] = dict(
        region=R,
        production_access=True,
        sending_enabled=True,
        enforcement=EnforcementStatus.HEALTHY,
        quota=SendQuota(max_24_hour_send=50000, max_send_rate=14, sent_last_24_hours=10),
    )
    return AccountStatus(**{**base, **kw})


def mail_from(domain: str = "mail.example.com", **kw: Any) -> MailFromSetup:
    base: dict[str, Any] = dict(
        identity="example.com",
        region=R,
        domain=domain,
        status=Verification.SUCCESS,
        behavior=MxFailureBehavior.USE_DEFAULT_VALUE,
    )
    return MailFromSetup(**{**base, **kw})


def good_mail_from_dns(domain: str = "mail.example.com") -> MailFromDns:
    return MailFromDns(
        mx=answer(domain, "MX", f"10 feedback-smtp.{R}.amazonses.com"),
        txt=answer(domain, "TXT", "v=spf1 include:amazonses.com ~all"),
    )


def healthy(**over: Any) -> SesFacts:
    """Everything fine for admin@example.com in us-east-1."""
    facts = SesFacts(
        query=SesQuery(
            region=R,
            sender="admin@example.com",
            recipients=("u@example.org",),
            smtp_user="AKIAIOSFODNN7EXAMPLE",
            smtp_region=R,
            smtp_endpoint="email-smtp.us-east-1.amazonaws.com",
        ),
        caller=ok(Caller(account="123456789012", arn="arn:aws:iam::123456789012:user/me")),
        account=ok(account()),
        reputation=ok(
            Reputation(
                region=R,
                bounce_rate=0.01,
                complaint_rate=0.0001,
                bounce_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
        ),
        here=ok({"example.com": ident("example.com")}),
        dkim=ok(
            {
                "example.com": DkimSetup(
                    identity="example.com",
                    region=R,
                    enabled=True,
                    status=Verification.SUCCESS,
                    tokens=TOKENS,
                )
            }
        ),
        dkim_dns=dkim_dns(),
        mail_from=ok({"example.com": mail_from()}),
        mail_from_dns={"mail.example.com": good_mail_from_dns()},
        suppressions={"u@example.org": ok(None)},
        key_owner=ok(CredentialOwner(key_id="AKIAIOSFODNN7EXAMPLE", user="smtp")),
        access_keys=ok((AccessKey(key_id="AKIAIOSFODNN7EXAMPLE", status=KeyStatus.ACTIVE),)),
        permission=ok(PermissionDecision.ALLOWED),
    )
    return replace(facts, **over)


def causes(findings: Sequence[Finding]) -> set[str]:
    return {f.cause for f in findings if f.cause}


def one(findings: Sequence[Finding], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, (check, found)
    return found[0]


def dkim_setup(**kw: Any) -> Fetched[Mapping[str, DkimSetup]]:
    base: dict[str, Any] = dict(
        identity="example.com", region=R, enabled=True, status=Verification.SUCCESS, tokens=TOKENS
    )
    return ok({"example.com": DkimSetup(**{**base, **kw})})


def mf_dns(
    mx: Sequence[str] = (f"10 feedback-smtp.{R}.amazonses.com",),
    txt: Sequence[str] = ("v=spf1 include:amazonses.com ~all",),
) -> dict[str, MailFromDns]:
    d = "mail.example.com"
    return {
        d: MailFromDns(
            mx=answer(d, "MX", *mx, outcome=None if mx else Outcome.NODATA),
            txt=answer(d, "TXT", *txt, outcome=None if txt else Outcome.NODATA),
        )
    }
