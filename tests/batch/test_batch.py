"""The batch runner in-process: partitions, rows, summaries, resume, timeouts, rate limit."""

from __future__ import annotations

import asyncio
import json
import time
from itertools import islice
from pathlib import Path

import pytest
from batch_data import BOUNCES, domain_list, zone

from maildoctor.batch import (
    JobSpec,
    bounce_partitions,
    domain_partitions,
    parse_backend,
    run_job,
)
from maildoctor.batch.output import read_rows
from maildoctor.batch.partition import mbox_ranges
from maildoctor.bounce.classify import classify_inputs
from maildoctor.dns.ratelimit import TokenBucket
from maildoctor.errors import InputError
from maildoctor.testing.dnsserver import DnsServer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _rows(out: Path, suffix: str = ".jsonl") -> list[dict]:
    return [row for path in sorted(out.glob(f"*{suffix}")) for row in read_rows(path)]


def _key(row: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.items()))


@pytest.fixture(scope="module")
def dns():
    with DnsServer(zone(), timeout_names=["slow0.example"]) as server:
        yield server


def _spec(dns: DnsServer, out: Path, **kw) -> JobSpec:
    settings = dict(
        out_dir=str(out),
        output_format="jsonl",
        nameservers=(f"127.0.0.1:{dns.port}",),
        timeout=0.5,
        retries=0,
        item_timeout=5.0,
    )
    settings.update(kw)
    return JobSpec(**settings)


# -- partitions -----------------------------------------------------------------------


def test_domain_partitions_are_named_by_their_content():
    lines = [f"d{i}.example\n" for i in range(10)] + ["# comment\n", "\n"]
    first = list(domain_partitions(lines, size=4))
    assert [len(p.items) for p in first] == [4, 4, 2]
    assert [p.index for p in first] == [0, 1, 2]
    again = list(domain_partitions(lines, size=4))
    assert [p.key for p in again] == [p.key for p in first]
    changed = lines.copy()
    changed[5] = "other.example\n"
    keys = [p.key for p in domain_partitions(changed, size=4)]
    assert keys[0] == first[0].key and keys[2] == first[2].key
    assert keys[1] != first[1].key
    salted = [p.key for p in domain_partitions(lines, size=4, salt="s1")]
    assert not set(salted) & {p.key for p in first}


def test_mbox_ranges_cut_only_at_message_boundaries(tmp_path):
    messages = [
        b"From a@example.com Mon Jan  1 00:00:00 2024\nSubject: m%d\n\nbody From here\n%s\n"
        % (i, b"x" * (i * 37))
        for i in range(40)
    ]
    mbox = tmp_path / "archive.mbox"
    mbox.write_bytes(b"\n".join(messages))
    ranges = list(mbox_ranges(mbox, 500))
    assert ranges[0][0] == 0 and ranges[-1][1] == mbox.stat().st_size
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    data = mbox.read_bytes()
    assert all(data[start:].startswith(b"From ") for start, _ in ranges)
    assert len(ranges) > 5


def test_parse_backend_reads_every_form_and_refuses_others():
    assert parse_backend(None).kind == "inprocess"
    assert parse_backend("local:3").workers == 3
    assert parse_backend("local").kind == "local"
    assert parse_backend("tcp://127.0.0.1:8786").address == "tcp://127.0.0.1:8786"
    for bad in ("local:0", "local:x", "remote", "tcp://nohost"):
        with pytest.raises(InputError):
            parse_backend(bad)


# -- domains -----------------------------------------------------------------------------


def test_audit_rows_match_the_single_check(dns, tmp_path):
    domains = domain_list(12)
    job = run_job(_spec(dns, tmp_path), domain_partitions(domains, size=5), kind="domains")
    rows = _rows(tmp_path)
    assert job.partitions == 3 and job.items == 12 and job.rows == len(rows)
    assert {r["domain"] for r in rows} == {d.strip() for d in domains}
    # Broken SPF on every third domain, no DMARC on every fourth (see batch_data.zone).
    failing = {r["domain"] for r in rows if r["status"] == "fail"}
    assert "d3.example" in failing and "d1.example" not in failing
    dmarc_missing = {
        r["domain"] for r in rows if r["check"].startswith("dns.dmarc") and r["status"] == "fail"
    }
    assert "d4.example" in dmarc_missing and "d5.example" not in dmarc_missing
    assert job.statuses["fail"] == len(failing)
    summary = json.loads(
        (
            tmp_path / f"domains-{next(iter(domain_partitions(domains, size=5))).key}.summary.json"
        ).read_text()
    )
    assert summary["items"] == 5


def test_a_stuck_domain_is_a_timeout_row_not_a_lost_job(dns, tmp_path):
    spec = _spec(dns, tmp_path, timeout=5.0, item_timeout=0.3)
    job = run_job(spec, domain_partitions(["slow0.example", "d1.example"], size=10), kind="domains")
    rows = _rows(tmp_path)
    stuck = [r for r in rows if r["domain"] == "slow0.example"]
    assert [r["status"] for r in stuck] == ["timeout"]
    assert any(r["domain"] == "d1.example" for r in rows)
    assert job.statuses["timeout"] == 1


def test_a_line_that_is_not_a_domain_is_an_invalid_row(dns, tmp_path):
    job = run_job(
        _spec(dns, tmp_path), domain_partitions(["not a domain!"], size=10), kind="domains"
    )
    assert [r["status"] for r in _rows(tmp_path)] == ["invalid"]
    assert job.statuses == {"invalid": 1}


def test_an_interrupted_run_resumed_equals_an_uninterrupted_one(dns, tmp_path):
    domains = domain_list(20)
    whole = tmp_path / "whole"
    run_job(_spec(dns, whole), domain_partitions(domains, size=4), kind="domains")
    part = tmp_path / "part"
    # "Interrupted": only the first two partitions got written.
    run_job(_spec(dns, part), islice(domain_partitions(domains, size=4), 2), kind="domains")
    seen: list[str] = []
    job = run_job(
        _spec(dns, part),
        domain_partitions(domains, size=4),
        kind="domains",
        resume=True,
        on_done=lambda s: seen.append(s.key),
    )
    assert job.resumed == 2 and job.partitions == 5 and len(seen) == 5
    assert sorted(p.name for p in part.iterdir()) == sorted(p.name for p in whole.iterdir())
    assert sorted(map(_key, _rows(part))) == sorted(map(_key, _rows(whole)))
    # A rerun without --resume rewrites in place: still no duplicate rows.
    run_job(_spec(dns, part), domain_partitions(domains, size=4), kind="domains")
    assert len(_rows(part)) == len(_rows(whole))


def test_parquet_rows_are_the_jsonl_rows(dns, tmp_path):
    domains = domain_list(6)
    run_job(_spec(dns, tmp_path / "j"), domain_partitions(domains, size=4), kind="domains")
    spec = _spec(dns, tmp_path / "p", output_format="parquet")
    run_job(spec, domain_partitions(domains, size=4), kind="domains")
    parquet = _rows(tmp_path / "p", ".parquet")
    assert parquet and sorted(map(_key, parquet)) == sorted(map(_key, _rows(tmp_path / "j")))


def test_rate_limit_spaces_the_questions():
    async def ask(count: int, rate: float) -> float:
        bucket = TokenBucket(rate=rate, burst=1)
        start = time.monotonic()
        await asyncio.gather(*(bucket.take() for _ in range(count)))
        return time.monotonic() - start

    # 11 questions at 20/s with a burst of 1 cannot finish before 0.5 s.
    assert asyncio.run(ask(11, 20.0)) >= 0.45


# -- bounces -----------------------------------------------------------------------------


def test_bounce_archive_rows_match_the_bounce_command(tmp_path):
    files = sorted(BOUNCES.glob("*.eml"))[:8]
    mbox = tmp_path / "shard.mbox"
    mbox.write_bytes(
        b"".join(
            b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
            + f.read_bytes().replace(b"\nFrom ", b"\n>From ")
            + b"\n\n"
            for f in files
        )
    )
    out = tmp_path / "out"
    parts = list(bounce_partitions([*files, mbox], size=3, mbox_bytes=20_000))
    assert len(parts) >= 4
    job = run_job(JobSpec(out_dir=str(out), output_format="jsonl"), parts, kind="bounces")
    rows = [r for r in _rows(out) if r["status"] == "ok"]
    expected = [rec.recipient for f in files for res in classify_inputs(f) for rec in res.records]
    assert sorted(r["recipient"] for r in rows) == sorted(expected * 2)
    assert job.statuses["ok"] == 2 * len(files)
    reasons = {r["reason"] for r in rows}
    assert reasons and "" not in reasons


# -- reports -----------------------------------------------------------------------------

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "built"


def test_report_archive_rows_carry_every_record_and_its_exact_count(tmp_path):
    from maildoctor.reports.model import AggregateReport
    from maildoctor.reports.reader import iter_reports

    expected = sorted(
        (record.source_ip, record.count)
        for path in sorted(REPORTS.iterdir())
        if path.suffix != ".mbox"
        for item in iter_reports(path)
        if isinstance(item.report, AggregateReport)
        for record in item.report.records
    )
    assert expected, "the fixtures hold aggregate reports"
    paths = [p for p in sorted(REPORTS.iterdir()) if p.suffix != ".mbox"]
    job = run_job(
        JobSpec(out_dir=str(tmp_path), output_format="jsonl"),
        bounce_partitions(paths, size=3, kind="reports"),
        kind="reports",
    )
    rows = _rows(tmp_path)
    aggregate = [r for r in rows if r["kind"] == "aggregate" and r["source_ip"]]
    assert sorted((r["source_ip"], r["count"]) for r in aggregate) == expected
    assert {r["kind"] for r in rows} >= {"aggregate", "tls", "failure"}
    failing = sum(n for key, n in job.counts.items() if key.endswith("\tfail"))
    assert failing == sum(r["count"] for r in aggregate if not r["passed"]) > 0


def test_report_mbox_split_in_ranges_reads_every_report_once(tmp_path):
    from maildoctor.reports.reader import iter_reports

    mbox = REPORTS / "reports.mbox"
    whole = sorted(item.origin.rsplit("#", 1)[-1] for item in iter_reports(mbox))
    parts = list(bounce_partitions([mbox], size=10, mbox_bytes=2_000, kind="reports"))
    assert len(parts) > 1
    job = run_job(JobSpec(out_dir=str(tmp_path), output_format="jsonl"), parts, kind="reports")
    assert job.items == len(whole)
