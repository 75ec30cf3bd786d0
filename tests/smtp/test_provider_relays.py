"""Each service's relay on loopback, answering with its own words: the probe names its cause.

For every service row of ``replies/services.py`` a :class:`ProviderRelayServer` answers the
login (5.3x replies) or the recipient with the row's documented example; the probe - by
host name, or by ``--provider`` for a bare 127.0.0.1 - must name that row's cause and
fix, not SES's and not a generic one.
"""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from maildoctor.cli import main
from maildoctor.model import Finding
from maildoctor.replies.services import SERVICE_RULES
from maildoctor.secrets import Secret
from maildoctor.smtp.probe import probe_smtp
from maildoctor.smtp.profiles import profile_named
from maildoctor.testing.relays import ProviderRelayServer

SENDGRID_KEY = "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"
TOKEN = "0f3b8a52-6d1e-4c7a-9b2f-3e4d5c6b7a81"

#: vendor -> (profile, username, password) of a well-formed login for that service
LOGINS = {
    "microsoft": ("microsoft365", "user@example.com", "correct horse"),
    "google": ("gmail", "user@example.com", "abcd efgh ijkl mnop"),
    "sendgrid": ("sendgrid", "apikey", SENDGRID_KEY),
    "mailgun": ("mailgun", "postmaster@mg.example.com", "a-mailgun-password"),
    "postmark": ("postmark", TOKEN, TOKEN),
}
SERVICE_ROWS = [r for r in SERVICE_RULES if r.provider]


def _server_args(example: str) -> dict[str, str]:
    return {"auth_reply": example} if example.startswith("53") else {"rcpt_reply": example}


async def _probe(host: str, port: int, ctx, **kw) -> tuple[Finding, ...]:
    return await asyncio.wait_for(probe_smtp(host, port=port, ctx=ctx, **kw), 10)


@pytest.mark.parametrize("row", SERVICE_ROWS, ids=lambda r: r.id)
async def test_the_services_own_reply_names_its_cause(row, pki, make_ctx):
    name, user, password = LOGINS[row.provider]
    if row.cause == "provider.google_relay.not_registered":
        name = "google-relay"
    host = profile_named(name).hosts[0]
    with ProviderRelayServer(name, pki=pki, **_server_args(row.examples[0])) as relay:
        found = await _probe(
            host,
            relay.port,
            make_ctx(host),
            user=user,
            password=Secret(password),
            mail_from="sender@example.com",
            rcpt_to=["someone@example.net"],
        )
    named = [f for f in found if f.cause == row.cause]
    assert named, [(f.check, f.cause, f.summary) for f in found]
    assert named[0].fix == row.fix and named[0].reference == row.source
    assert not any(
        f.cause.startswith(("client.smtp_auth.stale_ses", "provider.ses.")) for f in found
    )


async def test_provider_option_reads_a_bare_loopback_relay_as_that_service(pki, make_ctx):
    revoked = next(r for r in SERVICE_ROWS if r.cause.endswith("sendgrid_api_key_revoked"))
    with ProviderRelayServer("sendgrid", pki=pki, auth_reply=revoked.examples[0]) as relay:
        ctx = make_ctx(verify=False)
        bare = await _probe(
            "127.0.0.1", relay.port, ctx, user="apikey", password=Secret(SENDGRID_KEY)
        )
        told = await _probe(
            "127.0.0.1",
            relay.port,
            ctx,
            user="apikey",
            password=Secret(SENDGRID_KEY),
            provider="sendgrid",
        )
    assert revoked.cause not in {f.cause for f in bare}  # nothing says it is SendGrid
    assert revoked.cause in {f.cause for f in told}


async def test_offline_shape_checks_name_the_sendgrid_mistakes(pki, make_ctx):
    with ProviderRelayServer("sendgrid", pki=pki) as relay:
        found = await _probe(
            "smtp.sendgrid.net",
            relay.port,
            make_ctx("smtp.sendgrid.net"),
            user="me@example.com",
            password=Secret("my account password"),
        )
    causes = {f.cause for f in found}
    assert {
        "client.smtp_auth.sendgrid_username_not_apikey",
        "client.smtp_auth.sendgrid_password_not_api_key",
    } <= causes
    assert not any("my account password" in json.dumps(f.to_dict()) for f in found)


async def test_a_good_login_passes(pki, make_ctx):
    with ProviderRelayServer("postmark", pki=pki, accept=(TOKEN, Secret(TOKEN))) as relay:
        found = await _probe(
            "smtp.postmarkapp.com",
            relay.port,
            make_ctx("smtp.postmarkapp.com"),
            user=TOKEN,
            password=Secret(TOKEN),
            mail_from="sender@example.com",
            rcpt_to=["someone@example.net"],
        )
    assert not [f for f in found if f.cause], [(f.check, f.cause) for f in found]


def test_smtp_command_names_the_sendgrid_cause_without_the_key(
    pki, dns_server, monkeypatch, capsys
):
    revoked = next(r for r in SERVICE_ROWS if r.cause.endswith("sendgrid_api_key_revoked"))
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", SENDGRID_KEY)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    dns_server.load({"smtp.sendgrid.net": [{"A": "127.0.0.1"}]})
    with ProviderRelayServer("sendgrid", pki=pki, auth_reply=revoked.examples[0]) as relay:
        code = main(
            [
                "smtp",
                "smtp.sendgrid.net",
                "--port",
                str(relay.port),
                "--user",
                "apikey",
                "--nameserver",
                f"127.0.0.1:{dns_server.port}",
                "--ca-file",
                pki.ca_file,
                "--timeout",
                "2",
                "--format",
                "json",
            ]
        )
    out = capsys.readouterr().out
    assert code == 1
    report = json.loads(out)
    assert revoked.cause in {f["cause"] for f in report["findings"]}
    assert SENDGRID_KEY not in out and SENDGRID_KEY.split(".")[2] not in out
