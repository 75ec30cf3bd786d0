"""``maildoctor audit`` end to end in-process: files written, summary, exit codes, bad usage."""

from __future__ import annotations

import json

import pytest
from batch_data import BOUNCES, domain_list, zone

from maildoctor.cli import main
from maildoctor.testing.dnsserver import DnsServer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def dns():
    with DnsServer(zone()) as server:
        yield server


def test_audit_writes_partitions_and_a_summary(dns, tmp_path, capsys):
    listing = tmp_path / "domains.txt"
    listing.write_text("".join(domain_list(9)))
    out = tmp_path / "out"
    argv = ["audit", str(listing), "-o", str(out), "--partition-size", "4"]
    argv += ["--nameserver", f"127.0.0.1:{dns.port}", "--format", "json", "--timeout", "1"]
    assert main(argv) == 1  # d3 and d6 have two SPF records
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads((out / "summary.json").read_text())
    assert printed["items"] == saved["items"] == 9
    assert printed["partitions"] == 3 and printed["resumed"] == 0
    assert saved["statuses"]["fail"] >= 2
    assert len(list(out.glob("domains-*.parquet"))) == 3
    assert main([*argv, "--resume"]) == 1
    assert json.loads(capsys.readouterr().out)["resumed"] == 3


def test_audit_of_healthy_domains_exits_0(dns, tmp_path, capsys):
    listing = tmp_path / "ok.txt"
    listing.write_text("d1.example\nd5.example\n")
    argv = ["audit", str(listing), "-o", str(tmp_path / "o"), "--output-format", "jsonl"]
    assert main([*argv, "--nameserver", f"127.0.0.1:{dns.port}"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("audit: 2 domains in 1 partitions")


def test_audit_of_a_bounce_archive(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["audit", "--bounces", str(BOUNCES), "-o", str(out), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "bounces" and summary["statuses"]["ok"] >= 10
    assert summary["counts"], "reason x source x day counts"


BAD = [
    ["audit", "-o", "x"],
    ["audit", "domains.txt", "--bounces", ".", "-o", "x"],
    ["audit", "domains.txt", "-o", "x", "--dask", "remote"],
    ["audit", "domains.txt", "-o", "x", "--dask", "local:0"],
    ["audit", "domains.txt", "-o", "x", "--output-format", "csv"],
]


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_audit_usage_is_one_line_and_exit_2(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "domains.txt").write_text("d1.example\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(("Error: ", "maildoctor: "))


def test_audit_of_a_report_archive_names_the_failing_sources(tmp_path, capsys):
    reports = BOUNCES.parent / "reports" / "built"
    out = tmp_path / "r"
    assert main(["audit", "--reports", str(reports), "-o", str(out)]) == 1
    text = capsys.readouterr().out
    assert "sources failing DMARC: messages" in text
    assert "198.51.100.25 (Amazon SES)" in text
