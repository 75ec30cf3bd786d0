"""``maildoctor headers``: a real DNS server on loopback behind ``--nameserver``."""

from __future__ import annotations

import io
import json
import sys

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


def test_non_mail_input_exits_3(capsys, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    with DnsServer({}) as server:
        code = main(["headers", str(path), "--nameserver", f"127.0.0.1:{server.port}"])
    assert code == 3
    assert "does not look like an email message" in capsys.readouterr().out
