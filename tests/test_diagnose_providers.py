"""diagnose against each service's loopback relay: the root cause is the service's own."""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.context import Context
from maildoctor.diagnose import ADAPTERS, DiagnoseRequest, Relay, diagnose
from maildoctor.dns.resolver import StaticResolver
from maildoctor.replies.services import SERVICE_RULES
from maildoctor.secrets import Secret
from maildoctor.testing.relays import ProviderRelayServer
from maildoctor.testing.smtpserver import TestPki

SENDGRID_KEY = "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"
LOGINS = {
    "microsoft": ("microsoft365", "user@example.com", "correct horse"),
    "google": ("gmail", "user@example.com", "abcd efgh ijkl mnop"),
    "sendgrid": ("sendgrid", "apikey", SENDGRID_KEY),
    "mailgun": ("mailgun", "postmaster@mg.example.com", "a-mailgun-password"),
    "postmark": (
        "postmark",
        "0f3b8a52-6d1e-4c7a-9b2f-3e4d5c6b7a81",
        "0f3b8a52-6d1e-4c7a-9b2f-3e4d5c6b7a81",
    ),
}
#: one auth-time and one later refusal per service is enough here; every row is probed
#: in tests/smtp/test_provider_relays.py
ROWS = [r for r in SERVICE_RULES if r.provider]
ONLY_RELAY = frozenset(a.name for a in ADAPTERS if a.name != "relay")


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
async def test_diagnose_names_the_service_cause_and_fix(row, pki):
    name, user, password = LOGINS[row.provider]
    name = "google-relay" if row.cause == "provider.google_relay.not_registered" else name
    where = (
        {"auth_reply": row.examples[0]}
        if row.examples[0].startswith("53")
        else {"rcpt_reply": row.examples[0]}
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
    assert password not in report.to_json()
    if row.examples[0].startswith("4"):  # a 4xx is a temporary failure: named, exit 3
        named = [f for f in report.findings if f.cause == row.cause]
        assert named and named[0].status.value == "error" and named[0].fix == row.fix
        return
    assert catalogue.canonical(row.cause) in by_id, sorted(by_id)
    cause = by_id[catalogue.canonical(row.cause)]
    assert cause.fix == catalogue.get(row.cause).fix
    assert row.fix in cause.specific_fix
    assert not any(c.startswith("provider.ses") or "ses_password" in c for c in by_id)
    assert password not in report.to_json()


async def test_diagnose_asks_the_sendgrid_account_with_the_key_from_the_environment(
    pki, monkeypatch
):
    from maildoctor.testing.httpfakes import SendGridFake

    revoked = next(r for r in ROWS if r.cause == "client.smtp_auth.sendgrid_api_key_revoked")
    api_key = "SG.mdTESTapiKey0000000000A.mdTESTapiSecret00000000000000000000000000000000"
    zone = {"smtp.sendgrid.net": {"A": ["127.0.0.1"]}}
    ctx = Context(resolver=StaticResolver(zone), timeout=2.0, ca_file=pki.ca_file)
    with (
        SendGridFake(Secret(api_key)) as api,
        ProviderRelayServer("sendgrid", pki=pki, auth_reply=revoked.examples[0]) as relay,
    ):
        api.authenticate_domain("example.com")
        api.bounce("gone@example.org")
        monkeypatch.setenv("SENDGRID_API_KEY", api_key)
        monkeypatch.setenv("MAILDOCTOR_SENDGRID_URL", api.url)
        request = DiagnoseRequest(
            sender="sender@example.com",
            recipients=("gone@example.org",),
            relay=Relay(host="smtp.sendgrid.net", port=relay.port),  # the host names SendGrid
            relay_user="apikey",
            relay_password=Secret(SENDGRID_KEY),
            skip=ONLY_RELAY - {"account"},
        )
        report = await diagnose(request, ctx=ctx)
    ids = {c.id for c in report.causes}
    assert ids == {revoked.cause, "provider.sendgrid.recipient_suppressed"}
    assert api_key not in report.to_json() and SENDGRID_KEY not in report.to_json()


async def test_without_a_key_the_account_layer_says_why(monkeypatch):
    monkeypatch.delenv("POSTMARK_ACCOUNT_TOKEN", raising=False)
    request = DiagnoseRequest(
        sender="sender@example.com", provider="postmark", skip=ONLY_RELAY - {"account"}
    )
    ctx = Context(resolver=StaticResolver({}), timeout=1.0)
    report = await diagnose(request, ctx=ctx)
    layer = report.meta["layers"]["account"]
    assert layer["state"] == "skipped" and "POSTMARK_ACCOUNT_TOKEN" in layer["reason"]
