"""``diagnose`` aimed and fed like the single commands: --secret-stdin, --mx-port, --client,
--regions, on loopback servers (an SES-like relay, an Exchange-like MX)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from maildoctor.cli import main
from maildoctor.demo import zones
from maildoctor.secrets import Secret
from maildoctor.smtp.ses_password import derive_smtp_password
from maildoctor.testing.smtpserver import ExchangeLikeServer, SesLikeServer, TestPki

SECRET = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
RELAY = "email-smtp.us-east-1.amazonaws.com"


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki()


def _run(args: list[str], capsys, monkeypatch, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.delenv("MAILDOCTOR_SMTP_PASSWORD", raising=False)
    code = main(["diagnose", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _zone() -> dict:
    return zones.merge(zones.base_zone(), zones.loopback_hosts(RELAY, zones.RECIPIENT_MX))


def test_secret_on_stdin_names_the_region_the_password_was_derived_for(
    dns_server, pki, capsys, monkeypatch
) -> None:
    dns_server.load(_zone())
    stored = derive_smtp_password(SECRET, "eu-west-1")  # the client's password: wrong region
    with SesLikeServer("us-east-1", current_secret=SECRET, access_key_id=KEY_ID, pki=pki) as relay:
        code, out, err = _run(
            [
                "--from",
                "admin@example.com",
                "--relay",
                f"{RELAY}:{relay.port}",
                "--relay-user",
                KEY_ID,
                "--password-stdin",
                "--secret-stdin",
                "--client",
                "gmail-send-as",
                "--ca-file",
                pki.ca_file,
                "--skip",
                "ses",
                "--nameserver",
                f"127.0.0.1:{dns_server.port}",
                "--timeout",
                "2",
                "--format",
                "json",
            ],
            capsys,
            monkeypatch,
            stdin=f"{stored.reveal()}\n{SECRET.reveal()}\n",
        )
    data = json.loads(out)
    assert code == 1 == data["exit_code"]
    assert "client.smtp_auth.wrong_region_password" in {c["id"] for c in data["causes"]}
    assert data["meta"]["request"]["relay_secret_given"] is True
    assert data["meta"]["request"]["client"] == "gmail-send-as"
    for secret in (SECRET.reveal(), stored.reveal()):
        assert secret not in out + err


def test_secret_stdin_without_a_line_is_a_usage_error(capsys, monkeypatch) -> None:
    code, _out, err = _run(["--from", "admin@example.com", "--secret-stdin"], capsys, monkeypatch)
    assert code == 2 and "--secret-stdin" in err


@pytest.mark.parametrize("regions", ["nowhere", ",", "us-east-1,../x"])
def test_bad_regions_are_usage_errors(regions, capsys, monkeypatch) -> None:
    code, _out, err = _run(
        ["--from", "admin@example.com", "--regions", regions], capsys, monkeypatch
    )
    assert code == 2 and "--regions" in err


def test_mx_port_aims_the_recipient_probe(dns_server, pki, capsys, monkeypatch) -> None:
    dns_server.load(_zone())
    with ExchangeLikeServer(None, pki=pki, host_name=zones.RECIPIENT_MX) as mx:
        code, out, _err = _run(
            [
                "--from",
                "admin@example.com",
                "--to",
                "alice@example.net",
                "--mx-port",
                str(mx.port),
                "--ca-file",
                pki.ca_file,
                "--skip",
                "ses",
                "--nameserver",
                f"127.0.0.1:{dns_server.port}",
                "--timeout",
                "2",
                "--format",
                "json",
            ],
            capsys,
            monkeypatch,
        )
        reached = mx.commands
    data = json.loads(out)
    assert data["meta"]["layers"]["recipient"]["state"] == "done"
    assert "EHLO" in reached  # the probe spoke to the test MX on the port given
    assert code == data["exit_code"]
