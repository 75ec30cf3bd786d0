"""Passwords and secret keys never show: not in stdout, stderr, JSON, logs or exceptions.

Only the access key id may appear, never a function of a secret (no hash, no
fingerprint: those let anyone holding a report confirm guesses). Every path is run with
logging at DEBUG and with ``-v``, on success and on failure.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import subprocess
import sys

import pytest
from smtp_data import KEY_ID, SECRET, SES_HOST

from maildoctor.cli import main
from maildoctor.secrets import Secret
from maildoctor.smtp.probe import Credentials, probe_smtp
from maildoctor.smtp.ses_password import derive_smtp_password
from maildoctor.testing.smtpserver import HostileSmtpServer

GOOD = derive_smtp_password(Secret(SECRET), "us-east-1").reveal()
STALE = derive_smtp_password(
    Secret("rotated+away+secret+key+0000000000000000"), "us-east-1"
).reveal()


def forms(value: str) -> list[str]:
    """A value and the encodings it travels in on the wire (AUTH PLAIN / LOGIN)."""
    plain = base64.b64encode(f"\0{KEY_ID}\0{value}".encode()).decode()
    digests = [hashlib.new(n, value.encode()).hexdigest() for n in ("sha256", "sha1", "md5")]
    return [value, base64.b64encode(value.encode()).decode(), plain, *(d[:8] for d in digests)]


SENSITIVE = [*forms(GOOD), *forms(STALE), *forms(SECRET)]


def assert_clean(*texts: str) -> None:
    for text in texts:
        for value in SENSITIVE:
            assert value not in text, f"secret material leaked: {value[:6]}..."


@pytest.fixture
def env(monkeypatch, caplog):
    for name in ("AWS_SECRET_ACCESS_KEY", "MAILDOCTOR_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.DEBUG)
    return monkeypatch


@pytest.fixture
def common(dns_server, pki):
    dns_server.load({SES_HOST: [{"A": "127.0.0.1"}]})
    return [
        "--nameserver",
        f"127.0.0.1:{dns_server.port}",
        "--timeout",
        "1",
        "--ca-file",
        pki.ca_file,
    ]


@pytest.mark.parametrize("password", [GOOD, STALE])
@pytest.mark.parametrize("fmt", [["-v"], ["--format", "json"]])
def test_smtp_command(env, capsys, caplog, ses, common, password, fmt):
    env.setattr("sys.stdin", io.StringIO(f"{password}\n{SECRET}\n"))
    main(
        [
            "smtp",
            SES_HOST,
            "--port",
            str(ses.port),
            "--tls",
            "starttls",
            "--user",
            KEY_ID,
            "--password-stdin",
            "--check-secret",
            "--from",
            "admin@example.com",
            "--to",
            "someone@example.net",
            *fmt,
            *common,
        ]
    )
    captured = capsys.readouterr()
    assert KEY_ID in captured.out  # the key id is what identifies the credential
    assert_clean(captured.out, captured.err, caplog.text)


def test_smtp_command_failure_paths(env, capsys, caplog, common, expired_ses_port, pki):
    env.setenv("MAILDOCTOR_SMTP_PASSWORD", GOOD)
    with HostileSmtpServer("drop") as hostile:
        main(["smtp", "127.0.0.1", "--port", str(hostile.port), "--user", KEY_ID, "-v", *common])
    main(["smtp", SES_HOST, "--port", str(expired_ses_port), "--user", KEY_ID, "-v", *common])
    main(
        [
            "smtp",
            SES_HOST,
            "--port",
            str(expired_ses_port),
            "--user",
            KEY_ID,
            "--no-verify",
            "--format",
            "json",
            *common,
        ]
    )
    captured = capsys.readouterr()
    assert "fail" in captured.out.lower()
    assert_clean(captured.out, captured.err, caplog.text)


@pytest.fixture
def expired_ses_port(pki):
    from maildoctor.testing.smtpserver import SesLikeServer

    with SesLikeServer(
        "us-east-1", current_secret=Secret(SECRET), pki=pki, cert_expired=True
    ) as server:
        yield server.port


@pytest.mark.parametrize("stored", [GOOD, STALE, SECRET])
@pytest.mark.parametrize("fmt", [["-v"], ["--format", "json"]])
def test_ses_password_check(env, capsys, caplog, stored, fmt):
    env.setattr("sys.stdin", io.StringIO(f"{SECRET}\n{stored}\n"))
    main(["ses-smtp-password", "--region", "us-east-1", "--check", "--user", KEY_ID, *fmt])
    captured = capsys.readouterr()
    assert "matches" in captured.out or "does not match" in captured.out or "fail" in captured.out
    assert_clean(captured.out, captured.err, caplog.text)


def test_ses_password_derive_prints_only_the_password(env, capsys, caplog):
    env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    main(["ses-smtp-password", "--region", "us-east-1", "-v"])
    captured = capsys.readouterr()
    assert captured.out.strip() == GOOD  # printing it is the command's purpose
    assert SECRET not in captured.out + captured.err + caplog.text


async def test_library_results_and_errors(caplog, ses, make_ctx):
    caplog.set_level(logging.DEBUG)
    ctx = make_ctx(SES_HOST)
    for password in (GOOD, STALE):
        findings = await probe_smtp(
            SES_HOST,
            port=ses.port,
            user=KEY_ID,
            password=Secret(password),
            secret=Secret(SECRET),
            ctx=ctx,
        )
        assert_clean(repr(findings), "".join(f.to_dict().__repr__() for f in findings))
    creds = Credentials(user=KEY_ID, password=Secret(GOOD), secret=Secret(SECRET))
    assert_clean(repr(creds), str(creds))
    with pytest.raises(Exception) as info:  # invalid input: the message names the address only
        await probe_smtp(
            SES_HOST,
            port=ses.port,
            user=KEY_ID,
            password=Secret(GOOD),
            mail_from="bad address",
            ctx=ctx,
        )
    assert_clean(str(info.value), repr(info.value), caplog.text)


def test_subprocess_at_verbose(subprocess_env, ses, common):
    env = {**subprocess_env, "MAILDOCTOR_SMTP_PASSWORD": STALE}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maildoctor",
            "smtp",
            SES_HOST,
            "--port",
            str(ses.port),
            "--tls",
            "starttls",
            "--user",
            KEY_ID,
            "-v",
            *common,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "client.smtp_auth.stale_ses_password" in done.stdout or "535" in done.stdout
    assert_clean(done.stdout, done.stderr)
