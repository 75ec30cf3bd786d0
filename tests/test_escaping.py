"""One escaping rule for every text output: a table of hostile strings, every format, commands.

Outside text (DNS records, SMTP replies, bounces, log lines) reaches the reports. Every
character a terminal, editor or browser would act on or hide must be shown as an escape:
a newline in a TXT record must not start a report line of its own (a forged
``PASS ...`` line), a carriage return must not be dropped silently, bidi overrides must not
reorder what is read, zero-width characters must not hide text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from maildoctor.cli import main
from maildoctor.cli.diagnose_cmd import render_report
from maildoctor.model import Evidence, Finding, Layer, Report, Status
from maildoctor.report import printable
from maildoctor.testing.dnsserver import DnsServer
from maildoctor.testing.smtpserver import ScriptedSmtpServer, TestPki

FORGED = "  PASS forged line: DMARC p=reject"

#: name -> (hostile text, what must be shown instead of the dangerous part)
HOSTILE: dict[str, tuple[str, str]] = {
    "newline": (f"v=spf1 -all\n{FORGED}", "\\n"),
    "carriage return": (f"ok\r{FORGED}", "\\r"),
    "crlf": (f"ok\r\n{FORGED}", "\\r\\n"),
    "escape sequences": ("a\x1b[2J\x1b]0;owned\x07b", "\\x1b"),
    "C1 controls": ("a\x85b\x9bc", "\\x85"),
    "bidi override": ("user\u202egnp.exe\u202c", "\\u202e"),
    "bidi isolate": ("a\u2066b\u2069c", "\\u2066"),
    "zero width": ("pay\u200bpal\ufeff\u200d", "\\u200b"),
    "line separator": ("a\u2028b\u2029c", "\\u2028"),
    "tab and vertical tab": ("a\tb\x0bc\x0cd", "\\t"),
    "nul and del": ("a\x00b\x7fc", "\\x00"),
}

#: Characters that must never reach the output as themselves (newline only as a separator).
_RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]"
)
_FORGED_LINE = re.compile(r"^\s*(?:[-*|>]\s*)*PASS forged", re.MULTILINE)


def assert_shown(output: str, hostile: str, shown: str, *, fmt: str) -> None:
    """Nothing invisible or active in ``output``; no forged line; the escape is visible."""
    bad = _RAW.search(output)
    where = output[max(0, bad.start() - 60) : bad.start() + 20] if bad else ""
    assert bad is None, f"{fmt}: raw {bad[0] if bad else ''!r} in {where!r}"
    assert not _FORGED_LINE.search(output), f"{fmt}: forged line in {output!r}"
    if fmt == "json":
        return  # JSON carries the data itself; a parser sees the original (checked below)
    visible = shown.replace("\\", "\\\\") if fmt == "markdown" else shown
    assert visible in output, f"{fmt}: {visible!r} not shown in {output!r}"


def hostile_report(text: str) -> Report:
    evidence = Evidence(
        id="dns:TXT:example.com",
        source="dns",
        query=f"TXT {text}",
        server=text,
        outcome=text,
        raw=(text, f"second {text}"),
    )
    finding = Finding(
        check="dns.spf.record",
        layer=Layer.DNS,
        status=Status.FAIL,
        subject=text,
        summary=f"record {text}",
        # a layer quoting outside text in a multi-line detail escapes it (maildoctor.escaping)
        detail=f"first line of ours\nquoted: {printable(text)}",
        fix=f"fix {text}",
        reference=text,
        evidence=(evidence,),
        cause="dns.spf.lookup_limit",
    )
    return Report(command="dns", subject=text, findings=(finding,), meta={"note": text})


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_format_shows_hostile_text(name, fmt):
    text, shown = HOSTILE[name]
    output = render_report(hostile_report(text), fmt, verbose=True)
    assert_shown(output, text, shown, fmt=fmt)
    if fmt == "json":
        data = json.loads(output)
        assert data["findings"][0]["summary"] == f"record {text}"  # data unchanged


def test_printable_table():
    for text, shown in HOSTILE.values():
        out = printable(text)
        assert shown in out and _RAW.search(out) is None and "\n" not in out


# -- through the commands ----------------------------------------------------------------


@pytest.fixture(scope="module")
def dns() -> Iterator[DnsServer]:
    zone = {
        "example.com": [{"TXT": f"v=spf1 -all\n{FORGED}\r\u202eevil\x1b[2J"}],
        "_dmarc.example.com": [{"TXT": f"v=DMARC1; p=none; rua=mailto:a@example.com\n{FORGED}"}],
    }
    with DnsServer(zone) as server:
        yield server


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_dns_command(dns, capsys, fmt):
    main(
        [
            "dns",
            "example.com",
            "--nameserver",
            f"127.0.0.1:{dns.port}",
            "--timeout",
            "2",
            "--format",
            fmt,
            "-v",
        ]
    )
    out = capsys.readouterr().out
    assert_shown(out, "", "\\n  PASS forged" if fmt == "text" else "", fmt=fmt)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_diagnose_with_hostile_bounce(tmp_path, capsys, fmt):
    bounce = tmp_path / "bounce.eml"
    bounce.write_bytes(
        b"From: MAILER-DAEMON@example.net\r\nTo: sender@example.com\r\n"
        b"Subject: =?utf-8?b?"
        + __import__("base64").b64encode(f"Undelivered\n{FORGED}\u202e".encode())
        + b"?=\r\nContent-Type: text/plain\r\n\r\n"
        b"<rcpt@example.net>: host mx.example.net said: 550 5.1.1 user unknown "
        + "\u202eevil\x1b[2J \u200b".encode()
        + b"\r\n"
    )
    main(
        [
            "diagnose",
            "--from",
            "sender@example.com",
            "--bounce",
            str(bounce),
            "--skip",
            "dns",
            "--skip",
            "blocklist",
            "--format",
            fmt,
            "-v",
        ]
    )
    out = capsys.readouterr().out
    assert_shown(out, "", "", fmt="json" if fmt == "json" else "none-" + fmt)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_bounce_command(tmp_path, capsys, fmt):
    bounce = tmp_path / "bounce.eml"
    bounce.write_bytes(
        b"From: MAILER-DAEMON@example.net\r\nTo: sender@example.com\r\nSubject: failure\r\n"
        b"Content-Type: text/plain\r\n\r\n<rcpt@example.net>: 550 5.1.1 user unknown "
        + "\u202eevil\x1b[2J\u200b\x85".encode()
        + b"\r\n"
    )
    main(["bounce", str(bounce), "--format", fmt])
    out = capsys.readouterr().out
    assert_shown(out, "", "\\u202e" if fmt == "text" else "", fmt=fmt)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_logs_command(tmp_path, capsys, fmt):
    log = tmp_path / "mail.log"
    log.write_text(
        "Nov 27 10:00:00 host postfix/smtp[1]: ABC123: to=<rcpt@example.net>, relay=mx.example.net"
        "[192.0.2.1]:25, delay=1, status=bounced (host said: 550 5.1.1 \u202eevil\x1b[2J\u200b)\n"
    )
    main(["logs", str(log), "--format", fmt, "-v"])
    out = capsys.readouterr().out
    assert_shown(out, "", "", fmt="json" if fmt == "json" else "none-text")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_smtp_command(capsys, monkeypatch, fmt):
    pki = TestPki()
    banner = "220 relay.example.com \u202eevil\x1b[2J\u200b\x85 ESMTP"
    with ScriptedSmtpServer({"banner": banner}, pki=pki, host_name="127.0.0.1") as relay:
        main(
            [
                "smtp",
                "127.0.0.1",
                "--port",
                str(relay.port),
                "--ca-file",
                pki.ca_file,
                "--timeout",
                "1",
                "--format",
                fmt,
                "-v",
            ]
        )
    out = capsys.readouterr().out
    assert_shown(out, "", "\\u202eevil\\x1b[2J\\u200b\\x85" if fmt == "text" else "", fmt=fmt)
    if fmt == "json":
        banner_finding = next(
            f for f in json.loads(out)["findings"] if f["check"] == "client.smtp.banner"
        )
        assert "\u202eevil\x1b[2J" in banner_finding["summary"]  # the data is intact
