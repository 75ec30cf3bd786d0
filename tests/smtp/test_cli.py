"""``maildoctor smtp``, ``mx`` and ``ses-smtp-password`` in-process, against loopback servers."""

from __future__ import annotations

import io
import json

import pytest
from smtp_data import KEY_ID, SECRET, SES_HOST

from maildoctor.cli import main
from maildoctor.secrets import Secret
from maildoctor.smtp.ses_password import derive_smtp_password

GOOD = derive_smtp_password(Secret(SECRET), "us-east-1").reveal()


@pytest.fixture
def no_env(monkeypatch):
    for name in ("AWS_SECRET_ACCESS_KEY", "MAILDOCTOR_SMTP_PASSWORD", "MAILDOCTOR_SES_REGIONS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.fixture
def smtp_args(dns_server, pki):
    dns_server.load(
        {
            SES_HOST: [{"A": "127.0.0.1"}],
            "mx.example.com": [{"A": "127.0.0.1"}],
            "example.com": [{"MX": [10, "mx.example.com"]}],
        }
    )
    return [
        "--nameserver",
        f"127.0.0.1:{dns_server.port}",
        "--timeout",
        "2",
        "--ca-file",
        pki.ca_file,
    ]


def test_derive_v4_from_stdin(no_env, capsys):
    stdin(no_env, SECRET + "\n")
    assert main(["ses-smtp-password", "--region", "us-east-1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9\n"
    assert "sha256" not in captured.err and "secret access key given" in captured.err


def test_derive_v2_from_env(no_env, capsys):
    no_env.setenv("AWS_SECRET_ACCESS_KEY", "some+secret+key")
    assert main(["ses-smtp-password", "--legacy-v2"]) == 0
    assert capsys.readouterr().out.strip() == "AnkqhOiWEcszZZzTMCQbOY1sPGoLFgMH9zhp4eNgSjo4"


def test_check_says_why_as_json(no_env, capsys):
    stored = derive_smtp_password(Secret(SECRET), "us-west-2").reveal()
    stdin(no_env, f"{SECRET}\n{stored}\n")
    assert main(["ses-smtp-password", "--region", "us-east-1", "--check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    check = next(f for f in report["findings"] if f["check"] == "client.smtp_auth.password_check")
    assert check["cause"] == "client.smtp_auth.wrong_region_password"
    assert check["data"]["matched_region"] == "us-west-2"


def test_check_match_exits_0(no_env, capsys):
    no_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    no_env.setenv("MAILDOCTOR_SMTP_PASSWORD", GOOD)
    assert main(["ses-smtp-password", "--region", "us-east-1", "--check", "--user", KEY_ID]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["ses-smtp-password"],  # no region
        ["ses-smtp-password", "--region", "us-east-1", "--check"],  # no stored password
        ["ses-smtp-password", "--region", "us-east1"],  # a typo would derive a wrong password
        ["ses-smtp-password", "--region", "US-EAST-1"],
    ],
)
def test_ses_password_usage_errors(no_env, capsys, argv):
    stdin(no_env, SECRET + "\n")
    assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_bad_region_in_the_check_table_is_a_usage_error(no_env, capsys):
    stdin(no_env, f"{SECRET}\n{GOOD}\n")
    argv = ["ses-smtp-password", "--region", "us-east-1", "--check", "--regions", "eu west 1"]
    assert main(argv) == 2
    assert "'eu west 1' is not an AWS region name" in capsys.readouterr().err


def test_no_secret_is_a_usage_error(no_env, capsys):
    stdin(no_env, "")
    assert main(["ses-smtp-password", "--region", "us-east-1"]) == 2
    assert "AWS_SECRET_ACCESS_KEY" in capsys.readouterr().err


def test_smtp_good_credentials_exit_0(no_env, capsys, ses, smtp_args):
    no_env.setenv("MAILDOCTOR_SMTP_PASSWORD", GOOD)
    code = main(
        [
            "smtp",
            SES_HOST,
            "--port",
            str(ses.port),
            "--tls",
            "starttls",
            "--user",
            KEY_ID,
            *smtp_args,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "authenticated as AKIAIOSFODNN7EXAMPLE" in out


def test_smtp_stale_password_is_the_root_cause(no_env, capsys, ses, smtp_args):
    stale = derive_smtp_password(Secret("an-old-rotated-secret"), "us-east-1").reveal()
    stdin(no_env, stale + "\n")
    code = main(
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
            "--client",
            "gmail-send-as",
            "--format",
            "json",
            *smtp_args,
        ]
    )
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    auth = next(f for f in report["findings"] if f["check"] == "client.smtp.auth")
    assert auth["cause"] == "client.smtp_auth.stale_ses_password"
    assert auth["data"]["code"] == 535 and auth["evidence"][0]["server"].startswith("127.0.0.1")
    preset = next(f for f in report["findings"] if f["check"] == "client.smtp.client_preset")
    assert preset["status"] == "fail"  # a loopback test port is not one Gmail can use


def test_smtp_check_secret_pinpoints_the_region(no_env, capsys, ses, smtp_args):
    stored = derive_smtp_password(Secret(SECRET), "eu-central-1").reveal()
    stdin(no_env, f"{stored}\n{SECRET}\n")
    code = main(
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
            "--format",
            "json",
            *smtp_args,
        ]
    )
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert "client.smtp_auth.wrong_region_password" in {f["cause"] for f in report["findings"]}


@pytest.mark.parametrize(
    "argv", [["--to", "a@example.com"], ["--send-test", "--from", "a@example.com"]]
)
def test_smtp_usage_errors(no_env, capsys, argv):
    assert main(["smtp", "relay.example.com", *argv]) == 2


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--password-stdin"], "--password-stdin: no password on standard input"),
        ([], "no SMTP password for --user"),
        (["--password-stdin", "--check-secret"], "--check-secret: no secret access key"),
    ],
)
def test_smtp_missing_secret_is_a_usage_error_not_a_skipped_auth(
    no_env, capsys, ses, smtp_args, argv, said
):
    stdin(no_env, f"{GOOD}\n" if "--check-secret" in argv else "")
    args = ["smtp", SES_HOST, "--port", str(ses.port), "--user", KEY_ID, *argv, *smtp_args]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert said in captured.err and captured.out == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_smtp_empty_answer_at_the_password_prompt_is_a_usage_error(no_env, capsys):
    # On a terminal the password is asked for; an empty answer must not probe without AUTH
    # and exit 0 as if the login had been checked.
    asked = []
    no_env.setattr("sys.stdin", Terminal(""))
    no_env.setattr("click.prompt", lambda text, **kwargs: asked.append(text) or "")
    assert main(["smtp", SES_HOST, "--user", KEY_ID]) == 2
    captured = capsys.readouterr()
    assert asked == ["SMTP password"]
    assert captured.out == ""
    said = "no SMTP password for --user: the prompt was answered empty"
    assert captured.err == f"maildoctor: {said}\n"


def test_smtp_bad_address_is_a_usage_error(no_env, capsys, smtp_args):
    assert main(["smtp", "127.0.0.1", "--from", "a@example.com>\r\nDATA", *smtp_args]) == 2


def test_mx_command(capsys, exchange, smtp_args):
    code = main(["mx", "example.com", "--port", str(exchange.port), "--format", "json", *smtp_args])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    checks = {f["check"]: f["status"] for f in report["findings"]}
    assert checks["transport.mx.starttls"] == "pass"
    assert checks["transport.mx.certificate"] == "pass"
