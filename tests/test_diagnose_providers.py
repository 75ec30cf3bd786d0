"""diagnose against each service's loopback relay: the root cause is the service's own."""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.context import Context
from maildoctor.diagnose import ADAPTERS, DiagnoseRequest, Relay, diagnose
from maildoctor.dns.resolver import StaticResolver
from maildoctor.secrets import Secret
from maildoctor.smtp.provider_replies import PROVIDER_RULES
from maildoctor.testing.relays import ProviderRelayServer
from maildoctor.testing.smtpserver import TestPki

LOGINS = {
    "microsoft": ("microsoft365", "user@example.com", "correct horse"),
    "gmail": ("gmail", "user@example.com", "abcd efgh ijkl mnop"),
    "sendgrid": (
        "sendgrid",
        "apikey",
        "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",
    ),
    "mailgun": ("mailgun", "postmaster@mg.example.com", "a-mailgun-password"),
    "postmark": (
        "postmark",
        "0f3b8a52-6d1e-4c7a-9b2f-3e4d5c6b7a81",
        "0f3b8a52-6d1e-4c7a-9b2f-3e4d5c6b7a81",
    ),
}
#: one auth-time and one later refusal per service is enough here; every row is probed
#: in tests/smtp/test_provider_relays.py
ROWS = [r for r in PROVIDER_RULES if r.provider != "any"]
ONLY_RELAY = frozenset(a.name for a in ADAPTERS if a.name != "relay")


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.provider}-{r.cause}")
async def test_diagnose_names_the_service_cause_and_fix(row, pki):
    name, user, password = LOGINS[row.provider]
    name = "google-relay" if row.cause == "provider.google_relay.not_registered" else name
    where = (
        {"auth_reply": row.example} if row.example.startswith("53") else {"rcpt_reply": row.example}
    )
    ctx = Context(resolver=StaticResolver({}), timeout=2.0, verify_tls=False)
    with ProviderRelayServer(name, pki=pki, **where) as relay:
        request = DiagnoseRequest(
            sender="sender@example.com",
            recipients=("someone@example.net",),
            relay=Relay(host="127.0.0.1", port=relay.port),
            relay_user=user,
            relay_password=Secret(password),
            provider=name,
            skip=ONLY_RELAY,
        )
        report = await diagnose(request, ctx=ctx)
    by_id = {c.id: c for c in report.causes}
    assert catalogue.canonical(row.cause) in by_id, sorted(by_id)
    cause = by_id[catalogue.canonical(row.cause)]
    assert cause.fix == catalogue.get(row.cause).fix
    assert row.fix in cause.specific_fix
    assert not any(c.startswith("provider.ses") or "ses_password" in c for c in by_id)
    assert password not in report.to_json()
