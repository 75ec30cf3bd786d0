"""``maildoctor headers``: a real DNS server on loopback behind ``--nameserver``."""

from __future__ import annotations

import io
import json
import sys

import pytest
from msg_helpers import KEY_RECORD, ses_message

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer

ZONE = {
    "test._domainkey.amazonses.com": [{"TXT": KEY_RECORD}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=quarantine"}],
}


def test_json_report_for_the_reference_message(capsys, tmp_path):
    path = tmp_path / "incident.eml"
    path.write_bytes(ses_message())
    with DnsServer(ZONE) as server:
        code = main(
            [
                "headers",
                str(path),
                "--nameserver",
                f"127.0.0.1:{server.port}",
                "--timeout",
                "1",
                "--retries",
                "0",
                "--format",
                "json",
            ]
        )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 == report["exit_code"]
    assert report["command"] == "headers"
    causes = {f["check"]: f["cause"] for f in report["findings"]}
    assert causes["message.dmarc.alignment"] == "dns.dkim.not_aligned"
    assert report["meta"] == {"bytes": len(ses_message()), "truncated": False}


def test_standard_input_and_text_output(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ses_message())))
    with DnsServer(ZONE) as server:
        code = main(
            [
                "headers",
                "-",
                "--nameserver",
                f"127.0.0.1:{server.port}",
                "--timeout",
                "1",
                "--retries",
                "0",
            ]
        )
    out = capsys.readouterr().out
    assert code == 1
    assert "DMARC fails" in out and "message.antispam.microsoft" in out


def test_unreadable_file_is_one_line_and_exit_2(capsys, tmp_path):
    assert main(["headers", str(tmp_path / "missing.eml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot read" in err and "\n" not in err
    assert main(["headers", str(tmp_path)]) == 2


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty input"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20, "no header fields"),
        (b"Foo: bar\nBaz: qux\n\nbody\n", "no From, Date, Received or Message-ID"),
    ],
)
def test_non_mail_input_is_unusable_input_exit_2(capsys, tmp_path, content, why):
    """Input that is no message at all is exit 2 with one line, like a missing file.

    It used to exit 3 with a ``message.headers.parse`` error finding, but DESIGN.md says
    unreadable or unusable input is exit 2 and 3 means checks could not complete; the
    library's ``check_headers`` still returns that finding (test_msg_check.py).
    """
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    with DnsServer({}) as server:
        code = main(["headers", str(path), "--nameserver", f"127.0.0.1:{server.port}"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"maildoctor: {path} does not look like an email message ({why})\n"


def test_empty_standard_input_is_exit_2(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["headers", "-"]) == 2
    err = capsys.readouterr().err
    assert err == "maildoctor: standard input does not look like an email message (empty input)\n"
