"""SES custom MAIL FROM topic: its state, MX and SPF."""

from __future__ import annotations

import pytest
from ses_facts import (
    R,
    answer,
    causes,
    healthy,
    ident,
    mail_from,
    mf_dns,
    ok,
    one,
)

from maildoctor.dns.resolver import Outcome
from maildoctor.model import Status
from maildoctor.provider.base import (
    Verification,
)
from maildoctor.provider.ses.facts import MailFromDns
from maildoctor.provider.ses.findings import evaluate


@pytest.mark.parametrize(
    ("dns", "expected"),
    [
        (mf_dns(mx=()), {"provider.ses.mail_from_mx_missing"}),
        (
            mf_dns(mx=("10 feedback-smtp.eu-west-1.amazonses.com",)),
            {"provider.ses.mail_from_mx_wrong_region"},
        ),
        (
            mf_dns(mx=(f"10 feedback-smtp.{R}.amazonses.com", "20 mx.example.com")),
            {"provider.ses.mail_from_mx_multiple"},
        ),
        (mf_dns(mx=("10 mx.example.com",)), {"provider.ses.mail_from_mx_wrong"}),
        (mf_dns(txt=()), {"provider.ses.mail_from_spf_missing"}),
        (
            mf_dns(txt=("v=spf1 -all", "v=spf1 include:amazonses.com ~all")),
            {"provider.ses.mail_from_spf_multiple"},
        ),
        (
            mf_dns(txt=("v=spf1 ip4:192.0.2.1 -all", "unrelated")),
            {"provider.ses.mail_from_spf_incomplete"},
        ),
    ],
)
def test_mail_from_dns(dns, expected):
    assert causes(evaluate(healthy(mail_from_dns=dns))) == expected


def test_mail_from_pending_without_dns_problem_is_its_own_cause():
    facts = healthy(mail_from=ok({"example.com": mail_from(status=Verification.PENDING)}))
    assert causes(evaluate(facts)) == {"provider.ses.mail_from_unverified"}


def test_email_identity_mail_from_takes_precedence():
    facts = healthy(
        here=ok(
            {"admin@example.com": ident("admin@example.com"), "example.com": ident("example.com")}
        ),
        mail_from=ok(
            {
                "admin@example.com": mail_from("bounce.example.com", identity="admin@example.com"),
                "example.com": mail_from(),
            }
        ),
        mail_from_dns={
            **mf_dns(),
            "bounce.example.com": MailFromDns(
                mx=answer("bounce.example.com", "MX", outcome=Outcome.NXDOMAIN),
                txt=answer("bounce.example.com", "TXT", outcome=Outcome.NXDOMAIN),
            ),
        },
    )
    found = evaluate(facts)
    assert one(found, "provider.ses.mail_from.mx").subject == "bounce.example.com"


def test_default_mail_from_with_aligned_dkim_is_info():
    facts = healthy(mail_from=ok({"example.com": mail_from("", status=Verification.NOT_STARTED)}))
    finding = one(evaluate(facts), "provider.ses.mail_from")
    assert finding.status is Status.INFO and "does not align" in finding.summary
