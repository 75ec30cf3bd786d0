"""maildoctor postfix: the relay, TLS, SASL and the stored credential, never the password."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from maildoctor.cli import main
from maildoctor.errors import InputError
from maildoctor.postfix import check_postfix, read_config
from maildoctor.postfix.config import parse_main_cf, parse_relayhost
from maildoctor.secrets import Secret
from maildoctor.smtp.ses_password import derive_smtp_password

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "postfix"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # the key's current secret
OLD_SECRET = "oldOLDoldOLDoldOLDoldOLDoldOLDoldOLDold1"
STALE = derive_smtp_password(Secret(OLD_SECRET), "us-east-1").reveal()
SG_KEY = "SG.mdTESTrevokedKey00000A.mdTESTrevokedSecret0000000000000000000000000"


def causes(findings) -> set[str]:
    return {f.cause for f in findings if f.cause}


def test_main_cf_continuations_comments_and_expansion():
    text = "# c\nmydomain = example.com\nmyorigin = $mydomain\nlong = a,\n   b\nself = $self\n"
    cf = parse_main_cf(text)
    assert cf["myorigin"] == "example.com" and cf["long"] == "a, b"
    assert "self" in cf  # a self-reference ends, bounded


@pytest.mark.parametrize(
    ("text", "host", "port", "mx"),
    [
        ("[smtp.sendgrid.net]:587", "smtp.sendgrid.net", 587, False),
        ("smtp.sendgrid.net:587", "smtp.sendgrid.net", 587, True),
        ("[192.0.2.1]", "192.0.2.1", 25, False),
        ("relay.example.com", "relay.example.com", 25, True),
    ],
)
def test_relayhost_forms(text, host, port, mx):
    relay = parse_relayhost(text)
    assert relay is not None and (relay.host, relay.port, relay.mx_lookup) == (host, port, mx)


def test_bad_relayhost_port_is_an_input_error():
    with pytest.raises(InputError):
        parse_relayhost("[smtp.example.com]:smtp")


def test_ses_stale_password_is_named_with_the_current_secret():
    config = read_config(SAMPLES / "ses-stale")
    assert config.relayhost is not None and config.relayhost.port == 587
    assert config.credential is not None and config.credential.user == "AKIAIOSFODNN7EXAMPLE"
    found = check_postfix(config, secret=Secret(SECRET))
    assert causes(found) == {"client.smtp_auth.stale_ses_password"}
    check = next(f for f in found if f.check == "client.postfix.ses_password")
    assert "stale" in check.summary
    text = json.dumps([f.to_dict() for f in found])
    assert STALE not in text and SECRET not in text


def test_ses_password_that_matches_passes(tmp_path):
    for name in ("main.cf", "master.cf"):
        (tmp_path / name).write_text((SAMPLES / "ses-stale" / name).read_text())
    good = derive_smtp_password(Secret(SECRET), "us-east-1").reveal()
    (tmp_path / "sasl_passwd").write_text(
        f"[email-smtp.us-east-1.amazonaws.com]:587 AKIAIOSFODNN7EXAMPLE:{good}\n"
    )
    found = check_postfix(read_config(tmp_path), secret=Secret(SECRET))
    assert not causes(found)


def test_sendgrid_config_shape_passes_and_the_key_is_never_shown():
    found = check_postfix(read_config(SAMPLES / "sendgrid"))
    assert not causes(found)
    assert "mdTESTrevokedSecret" not in json.dumps([f.to_dict() for f in found])


def test_port_465_without_wrappermode_and_other_gmail_mistakes():
    found = check_postfix(read_config(SAMPLES / "port465"))
    assert "client.postfix.tls_wrappermode_missing" in causes(found)
    gmail = [f for f in found if f.check == "client.smtp_auth.password_shape"]
    assert gmail and gmail[0].status.value == "warn"  # not an app password


def test_missing_map_entry_and_disabled_sasl(tmp_path):
    (tmp_path / "main.cf").write_text(
        "relayhost = [smtp.sendgrid.net]:587\nsmtp_tls_security_level = encrypt\n"
        "smtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n"
    )
    (tmp_path / "sasl_passwd").write_text(f"smtp.sendgrid.net:587 apikey:{SG_KEY}\n")
    assert causes(check_postfix(read_config(tmp_path))) == {
        "client.postfix.no_credential_for_relay"
    }
    (tmp_path / "main.cf").write_text(
        "relayhost = [smtp.office365.com]:587\nsmtp_tls_security_level = none\n"
    )
    assert causes(check_postfix(read_config(tmp_path))) == {
        "client.postfix.sasl_disabled",
        "client.postfix.tls_disabled",
    }


def test_master_cf_overrides_apply(tmp_path):
    (tmp_path / "main.cf").write_text(
        "relayhost = [smtp.gmail.com]:465\nsmtp_sasl_auth_enable = yes\n"
        "smtp_tls_security_level = encrypt\n"
    )
    (tmp_path / "master.cf").write_text(
        "smtp      unix  -       -       y       -       -       smtp\n"
        "  -o smtp_tls_wrappermode=yes\n"
    )
    assert "client.postfix.tls_wrappermode_missing" not in causes(
        check_postfix(read_config(tmp_path))
    )


def test_cli_names_the_stale_password_without_showing_it(monkeypatch, capsys):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["postfix", str(SAMPLES / "ses-stale"), "--check-secret"])
    out = capsys.readouterr()
    assert code == 1
    assert "client.smtp_auth.stale_ses_password" in out.out
    assert STALE not in out.out + out.err and SECRET not in out.out + out.err


def test_cli_secret_from_stdin_and_bad_directory(monkeypatch, capsys):
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert main(["postfix", str(SAMPLES / "ses-stale"), "--check-secret", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "client.smtp_auth.stale_ses_password" in {f["cause"] for f in report["findings"]}
    assert main(["postfix", str(SAMPLES / "does-not-exist")]) == 2


def test_diagnose_takes_relay_and_login_from_postfix(capsys, monkeypatch):
    monkeypatch.delenv("MAILDOCTOR_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    args = ["diagnose", "--from", "admin@example.com", "--postfix", str(SAMPLES / "port465")]
    from maildoctor.diagnose import ADAPTERS

    for adapter in ADAPTERS:  # only the Postfix layer: the others would leave loopback
        if adapter.name != "postfix":
            args += ["--skip", adapter.name]
    args += ["--format", "json"]
    assert main(args) == 1
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["meta"]["request"]["relay"] == "smtp.gmail.com:465"
    assert report["meta"]["request"]["relay_user"] == "user@example.com"
    assert "client.postfix.tls_wrappermode_missing" in {c["id"] for c in report["causes"]}
    assert "accountpassword" not in out
