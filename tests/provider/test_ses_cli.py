"""``maildoctor ses`` through the real CLI entry point, against the loopback AWS."""

from __future__ import annotations

import json

import pytest

from maildoctor.cli import main
from maildoctor.testing.awsserver import easy_dkim_zone


@pytest.fixture
def cli_env(aws, dns_server, monkeypatch):
    """AWS_ENDPOINT_URL (boto3's own override) points every client at the loopback AWS."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint_url)
    return [
        "--nameserver",
        f"127.0.0.1:{dns_server.port}",
        "--timeout",
        "2",
        "--scan-region",
        "us-east-1",
        "--scan-region",
        "us-west-2",
    ]


def test_json_report(aws, dns_server, cli_env, capsys):
    tokens = aws.add_domain_identity("example.com")
    dns_server.load(easy_dkim_zone("example.com", tokens))
    aws.suppress("gone@example.org", reason="COMPLAINT")
    code = main(
        [
            "ses",
            "--sender",
            "admin@example.com",
            "--recipient",
            "gone@example.org",
            "--format",
            "json",
            *cli_env,
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["exit_code"] == 1 and report["command"] == "ses"
    assert {f["cause"] for f in report["findings"] if f["cause"]} == {
        "provider.ses.recipient_suppressed"
    }
    assert report["meta"]["region"] == "us-east-1"  # from AWS_DEFAULT_REGION


def test_region_taken_from_smtp_endpoint(aws, cli_env, monkeypatch, capsys):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    aws.add_domain_identity("example.com", region="us-west-2")
    code = main(
        [
            "ses",
            "--sender",
            "admin@example.com",
            "--smtp-endpoint",
            "email-smtp.us-west-2.amazonaws.com",
            "--format",
            "json",
            *cli_env,
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert report["meta"]["region"] == "us-west-2"
    identity = next(f for f in report["findings"] if f["check"] == "provider.ses.identity")
    assert identity["status"] == "pass" and code in (0, 1)


def test_text_report_names_the_cause(aws, cli_env, capsys):
    key = aws.add_access_key(aws.add_user("smtp"), status="Inactive")
    code = main(["ses", "--smtp-user", key.key_id, *cli_env])
    out = capsys.readouterr().out
    assert code == 1
    assert "no longer works" in out and "provider.ses.smtp_key" in out


def test_no_credentials_is_one_line_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert main(["ses", "--region", "us-east-1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "AWS_ACCESS_KEY_ID" in err and "Traceback" not in err


def test_unknown_profile_exit_2(capsys):
    assert main(["ses", "--profile", "nope", "--region", "us-east-1"]) == 2
    assert "'nope'" in capsys.readouterr().err


def test_no_region_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["ses"]) == 2
    assert "--region" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["admin@example.com", "short"])
def test_smtp_user_must_be_a_key_id(value, capsys):
    assert main(["ses", "--region", "us-east-1", "--smtp-user", value]) == 2
    err = capsys.readouterr().err
    assert "access key id" in err and value not in err


def _region_of(args, capsys) -> str:
    main(["ses", "--sender", "admin@example.com", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)["meta"]["region"]


def test_region_follows_the_aws_cli_order(aws, cli_env, monkeypatch, tmp_path, capsys):
    # The AWS CLI: --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`.
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert _region_of(cli_env, capsys) == "eu-west-1"
    monkeypatch.setenv("AWS_PROFILE", "other")
    assert _region_of(cli_env, capsys) == "ap-south-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert _region_of(cli_env, capsys) == "us-east-1"
    monkeypatch.setenv("AWS_REGION", "us-west-2")  # alone enough; beats the rest
    assert _region_of(cli_env, capsys) == "us-west-2"
    assert _region_of([*cli_env, "--region", "eu-central-1"], capsys) == "eu-central-1"


def test_aws_region_alone_selects_the_region(aws, cli_env, monkeypatch, capsys):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    aws.add_domain_identity("example.com", region="us-west-2")
    code = main(["ses", "--sender", "admin@example.com", "--format", "json", *cli_env])
    report = json.loads(capsys.readouterr().out)
    assert report["meta"]["region"] == "us-west-2"
    identity = next(f for f in report["findings"] if f["check"] == "provider.ses.identity")
    assert identity["status"] == "pass" and code in (0, 1)


def test_no_region_anywhere_is_one_line_exit_2(aws, cli_env, monkeypatch, capsys):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["ses", *cli_env]) == 2
    assert "no AWS region" in capsys.readouterr().err
