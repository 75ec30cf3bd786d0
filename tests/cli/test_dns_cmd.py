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
    assert len(lines) == 3
    by_domain = {line.split(":", 1)[0]: line for line in lines}
    assert "(exit 0)" in by_domain["example.com"]
    assert "dns.dmarc.missing" in by_domain["example.net"]
    assert "not checked" in by_domain["not a domain"]


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
    assert len(proc.stdout.splitlines()) == 2
