"""``maildoctor dns``: one domain, lists of domains, bad input, bad nameservers."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer

ZONE = {
    "example.com": [{"MX": [10, "mx.example.com"]}, {"TXT": "v=spf1 -all"}],
    "mx.example.com": [{"A": "192.0.2.1"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
    "example.net": [{"MX": [10, "mx.example.com"]}],
    "_dmarc.example.org": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.org"}],
    "example.org": [{"MX": [10, "mx.example.com"]}, {"TXT": "v=spf1 -all"}],
}


@pytest.fixture
def server() -> Iterator[DnsServer]:
    with DnsServer(ZONE) as srv:
        yield srv


def _ns(port: int, timeout: float = 2.0) -> list[str]:
    return ["--nameserver", f"127.0.0.1:{port}", "--timeout", str(timeout), "--retries", "0"]


def test_single_domain_json(server: DnsServer, capsys) -> None:
    code = main(["dns", "example.com", *_ns(server.port), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["command"] == "dns" and report["subject"] == "example.com"
    assert code == report["exit_code"] == 0
    checks = {f["check"] for f in report["findings"]}
    assert {"dns.dmarc.record", "dns.dmarc.recommendation", "dns.mx.records"} <= checks


def test_single_domain_text_failure(server: DnsServer, capsys) -> None:
    code = main(["dns", "example.net", *_ns(server.port), "--selector", "s1", "-v"])
    out = capsys.readouterr().out
    assert code == 1
    assert "maildoctor dns example.net" in out
    assert "dns.dmarc.record" in out and "dns.dkim.key" in out
    assert "_dmarc.example.net TXT" in out  # evidence, with -v


@pytest.mark.parametrize(
    "argv",
    [
        ["dns", "not a domain"],
        ["dns", "example.com", "--ip", "999.1.1.1"],
        ["dns", "example.com", "--mail-from", "x@y"],
        ["dns", "example.com", "--selector", "bad selector"],
        ["dns"],
        ["dns", "example.com", "--file", "-"],
        ["dns", "example.com", "--nameserver", "not_an_ip"],
        ["dns", "--file", "/nonexistent/domains.txt"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.out == ""
    assert len([line for line in captured.err.splitlines() if line.strip()]) <= 3


def test_file_of_domains_streams_text_lines(server: DnsServer, tmp_path, capsys) -> None:
    path = tmp_path / "domains.txt"
    path.write_text("# senders\nexample.com\nexample.net  # no DMARC\n\nnot a domain\n")
    code = main(["dns", "--file", str(path), "--concurrency", "2", *_ns(server.port)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(lines) == 4
    assert [line.split(":", 1)[0] for line in lines[:3]] == [
        "example.com",
        "example.net",
        "not a domain",
    ]
    assert lines[3] == "3 domains: 1 without problems, 1 with problems, 0 incomplete, 1 not domains"
    by_domain = {line.split(":", 1)[0]: line for line in lines}
    assert "(exit 0)" in by_domain["example.com"]
    assert "dns.dmarc.missing" in by_domain["example.net"]
    assert "not checked" in by_domain["not a domain"]


def test_file_keeps_input_order_when_answers_come_out_of_order(tmp_path, capsys) -> None:
    # The first domain's questions time out: the others finish first, but print after it.
    names = ["slow.example", *(f"d{i}.example" for i in range(6))]
    zone = {n: [{"TXT": "v=spf1 -all"}] for n in names}
    path = tmp_path / "domains.txt"
    path.write_text("\n".join(names) + "\n")
    with DnsServer(zone, timeout_names=["slow.example"]) as srv:
        code = main(["dns", "--file", str(path), "--format", "json", *_ns(srv.port, 0.5)])
    captured = capsys.readouterr()
    subjects = [json.loads(line)["subject"] for line in captured.out.splitlines()]
    assert subjects == names and code in (1, 3)
    assert captured.err.strip().startswith("7 domains: ")  # the summary; no progress bar
    assert "\x1b[" not in captured.err


def test_file_as_csv(server: DnsServer, tmp_path, capsys) -> None:
    import csv

    path = tmp_path / "domains.txt"
    path.write_text("example.net\nexample.com\nnot a domain\n")
    code = main(["dns", "--file", str(path), "--format", "csv", *_ns(server.port)])
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [r["domain"] for r in rows] == ["example.net", "example.com", "not a domain"]
    assert rows[0]["exit_code"] == "1" and "dns.dmarc.missing" in rows[0]["causes"]
    assert rows[1]["exit_code"] == "0" and int(rows[1]["pass"]) > 0
    assert rows[2]["exit_code"] == "2" and rows[2]["error_message"]
    assert code == 1 and captured.err.startswith("3 domains: ")


def test_stdin_json_lines(server: DnsServer, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("example.com\nexample.org\n"))
    code = main(["dns", "--file", "-", "--format", "json", *_ns(server.port)])
    lines = capsys.readouterr().out.splitlines()
    reports = [json.loads(line) for line in lines]
    assert sorted(r["subject"] for r in reports) == ["example.com", "example.org"]
    assert code == 0


def test_bad_line_alone_exits_2(server: DnsServer, tmp_path, capsys) -> None:
    path = tmp_path / "d.txt"
    path.write_text("example.com\n-bad-.example\n")
    assert main(["dns", "--file", str(path), "--format", "json", *_ns(server.port)]) == 2
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r.get("error", "") != "" for r in sorted(rows, key=lambda r: r["subject"])] == [
        True,
        False,
    ]


class _Silent:
    """A UDP 'nameserver' on loopback that reads queries and never answers, or answers junk."""

    def __init__(self, *, junk: bool) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.junk = junk
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                data, addr = self.sock.recvfrom(4096)
            except OSError:
                continue
            if self.junk:
                self.sock.sendto(data[:2] + b"\x81\x80 this is not DNS at all", addr)

    def __enter__(self) -> _Silent:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.mark.parametrize("junk", [False, True])
def test_broken_nameserver_is_reported_within_the_timeout(junk: bool, capsys) -> None:
    with _Silent(junk=junk) as ns:
        start = time.perf_counter()
        code = main(
            ["dns", "example.com", "--ip", "192.0.2.1", "--format", "json", *_ns(ns.port, 0.3)]
        )
        elapsed = time.perf_counter() - start
    report = json.loads(capsys.readouterr().out)
    assert code == 3 == report["exit_code"]
    assert elapsed < 3
    statuses = {f["check"]: f["status"] for f in report["findings"]}
    assert statuses["dns.dmarc.record"] == "error"
    assert "fail" not in statuses.values()


def test_console_script_reads_stdin(server: DnsServer, subprocess_env) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "maildoctor", "dns", "--file", "-", *_ns(server.port)],
        input="example.com\nexample.net\n",
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["example.com", "example.net", "2 domains"]
    assert proc.stderr == ""  # piped: no progress bar


def test_progress_bar_on_a_terminal_only(server: DnsServer, tmp_path, subprocess_env) -> None:
    path = tmp_path / "domains.txt"
    path.write_text("example.com\nexample.net\n")
    argv = [sys.executable, "-m", "maildoctor", "dns", "--file", str(path), *_ns(server.port)]
    # FORCE_COLOR makes Rich treat stderr as a terminal, as an interactive run would.
    env = dict(subprocess_env, FORCE_COLOR="1", COLUMNS="100")
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert "checking domains" in proc.stderr and "2/2" in proc.stderr
    assert "\x1b[" not in proc.stdout.splitlines()[0]  # the rows themselves stay plain


def test_bounce_directory_shows_progress_on_a_terminal_only(tmp_path, subprocess_env) -> None:
    from pathlib import Path

    source = Path(__file__).resolve().parents[1] / "fixtures" / "bounces"
    for sample in sorted(source.glob("exo-*.eml"))[:3]:
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    argv = [sys.executable, "-m", "maildoctor", "bounce", str(tmp_path)]
    piped = subprocess.run(argv, capture_output=True, text=True, env=subprocess_env, timeout=60)
    assert piped.stderr == "" and "3 message(s)" in piped.stdout
    env = dict(subprocess_env, FORCE_COLOR="1", COLUMNS="100")
    shown = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert "reading messages" in shown.stderr
    assert "3 message(s)" in shown.stdout


def test_ses_notes_only_when_the_domain_uses_ses(capsys) -> None:
    zone = {
        "example.com": [{"TXT": "v=spf1 include:amazonses.com -all"}],
        "example.org": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
        "s1._domainkey.example.org": [{"CNAME": "s1.dkim.amazonses.com"}],
        "example.net": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    }
    with DnsServer(zone) as srv:
        checks = {}
        for domain, extra in (("example.com", []), ("example.org", ["--selector", "s1"]),
                              ("example.net", [])):  # fmt: skip
            main(["dns", domain, *extra, *_ns(srv.port), "--format", "json"])
            report = json.loads(capsys.readouterr().out)
            checks[domain] = {f["check"] for f in report["findings"]}
    assert "dns.mailfrom.default" in checks["example.com"]  # SPF includes SES
    assert "dns.mailfrom.default" in checks["example.org"]  # Easy DKIM CNAME
    assert "dns.mailfrom.default" not in checks["example.net"]  # no sign of SES


def test_spf_duplicate_includes_flagged_and_repeated_warnings_grouped(capsys) -> None:
    zone = {
        "example.com": [{"TXT": "v=spf1 include:_a.example.com include:_b.example.com -all"}],
        "_a.example.com": [{"TXT": "v=spf1 include:_c.example.com -all"}],
        "_b.example.com": [{"TXT": "v=spf1 include:_c.example.com -all"}],
        "_c.example.com": [{"TXT": "v=spf1 ptr -all"}],
    }
    with DnsServer(zone) as srv:
        main(["dns", "example.com", *_ns(srv.port), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    dup = [f for f in findings if f["check"] == "dns.spf.duplicate_include"]
    assert len(dup) == 1 and dup[0]["status"] == "warn"
    assert dup[0]["data"]["include"] == "_c.example.com" and dup[0]["data"]["count"] == 2
    ptr = [f for f in findings if f["data"].get("term") == "ptr"]
    assert len(ptr) == 1 and ptr[0]["data"]["count"] == 2  # said once, with where
    assert "and 1 more" in ptr[0]["summary"]
