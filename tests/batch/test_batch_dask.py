"""The Dask back end: the same rows as in-process, and a worker killed mid-run loses nothing."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import distributed
import pytest
from batch_data import domain_list, zone

from maildoctor.batch import Backend, JobSpec, domain_partitions, run_job
from maildoctor.batch.output import read_rows
from maildoctor.testing.dnsserver import DnsServer

GUARD_DIR = Path(__file__).resolve().parent.parent / "guard"


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on loopback, each loading the network guard."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD_DIR), saved) if p)
    try:
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ) as local:
            yield local
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


@pytest.fixture(scope="module")
def dns():
    with DnsServer(zone(), delay=0.02) as server:
        yield server


def _spec(dns: DnsServer, out: Path) -> JobSpec:
    return JobSpec(
        out_dir=str(out),
        output_format="jsonl",
        nameservers=(f"127.0.0.1:{dns.port}",),
        timeout=2.0,
        retries=1,
        concurrency=4,
    )


def _rows(out: Path) -> list[tuple]:
    rows = [row for path in out.glob("*.jsonl") for row in read_rows(path)]
    return sorted(tuple(sorted(row.items())) for row in rows)


def test_dask_rows_are_the_in_process_rows(cluster, dns, tmp_path):
    domains = domain_list(24)
    local = run_job(_spec(dns, tmp_path / "a"), domain_partitions(domains, size=5), kind="domains")
    remote = run_job(
        _spec(dns, tmp_path / "b"),
        domain_partitions(domains, size=5),
        kind="domains",
        backend=Backend(kind="scheduler", address=cluster.scheduler_address),
    )
    assert _rows(tmp_path / "b") == _rows(tmp_path / "a") != []
    assert (remote.items, remote.rows, dict(remote.statuses)) == (
        local.items,
        local.rows,
        dict(local.statuses),
    )


def test_a_worker_killed_mid_run_loses_nothing(cluster, dns, tmp_path):
    domains = domain_list(40)
    run_job(_spec(dns, tmp_path / "a"), domain_partitions(domains, size=4), kind="domains")
    client = distributed.Client(cluster)
    pids = sorted(client.run(os.getpid).values())
    client.close()
    killed: list[int] = []

    def kill_once(_summary: object) -> None:
        if not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    job = run_job(
        _spec(dns, tmp_path / "b"),
        domain_partitions(domains, size=4),
        kind="domains",
        backend=Backend(kind="scheduler", address=cluster.scheduler_address),
        on_done=kill_once,
    )
    assert killed
    assert job.partitions == 10 and job.items == 40
    assert _rows(tmp_path / "b") == _rows(tmp_path / "a")
    assert not [p for p in (tmp_path / "b").iterdir() if p.name.startswith(".")]
