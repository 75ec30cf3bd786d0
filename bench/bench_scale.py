"""Scale-out: ``maildoctor audit`` in-process vs Dask LocalCluster(1) and (2), on real servers.

Domains: a generated zone of ``--domains`` realistic domains (MX pairs, SPF with an ESP
include, DMARC of every policy, some broken: two SPF records, null MX, no DMARC) served
by NSD from the distribution on 127.0.0.1 (the benchmark starts it; as root it installs
the ``nsd`` package when missing), so the test server is not the bottleneck. Each mode
runs the real ``maildoctor audit`` as a process; the figures are wall time, domains per
second, the ratio to in-process, CPU per domain, peak memory per process, and whether the
rows are identical to the in-process rows.

Bounces: an archive of ``--bounces`` messages built from the corpus under
``tests/fixtures/corpus/bounces/dev`` (each copy with its own recipients and date) as mbox
shards, classified in-process and on LocalCluster(2); peak memory per process at a quarter
of the archive and at the whole of it shows whether memory stays flat.

``--write-doc`` puts the tables and the projection into docs/SCALE.md (between its
``bench:scale`` markers); ``make bench`` does this.

    .venv/bin/python bench/bench_scale.py [--domains N] [--bounces N] [--only domains|bounces]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from common import BIN, ROOT, guarded_env

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "bounces" / "dev"
DOC = ROOT / "docs" / "SCALE.md"
#: Each part has its own block in docs/SCALE.md, so ``--only`` rewrites only its own.
MARKERS = "<!-- bench:scale-{part}:start -->", "<!-- bench:scale-{part}:end -->"


# -- NSD and the zone -----------------------------------------------------------------


def zone_text(count: int) -> str:
    """A zone ``example.`` holding ``count`` customer domains and five ESPs."""
    lines = [
        "$ORIGIN example.",
        "$TTL 3600",
        "@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300",
        "@ NS ns.example.",
        "ns A 192.0.2.53",
    ]
    for esp in range(5):
        lines.append(f'_spf.esp{esp} TXT "v=spf1 ip4:198.51.100.{esp}/32 ip4:203.0.113.0/26 -all"')
    policies = ("none", "quarantine", "reject")
    for i in range(count):
        d = f"d{i}"
        if i % 13 == 5:
            lines.append(f"{d} MX 0 .")
        else:
            lines += [
                f"{d} MX 10 mx1.{d}",
                f"{d} MX 20 mx2.{d}",
                f"mx1.{d} A 192.0.2.{i % 250 + 1}",
            ]
            lines.append(f"mx2.{d} AAAA 2001:db8::{i % 65535:x}")
        lines.append(
            f'{d} TXT "v=spf1 include:_spf.esp{i % 5}.example ip4:192.0.2.{i % 250}/32 ~all"'
        )
        if i % 11 == 3:
            lines.append(f'{d} TXT "v=spf1 -all"')
        if i % 7:
            rua = f"mailto:dmarc@{d}.example"
            lines.append(f'_dmarc.{d} TXT "v=DMARC1; p={policies[i % 3]}; rua={rua}"')
    return "\n".join(lines) + "\n"


def start_nsd(workdir: Path, count: int) -> tuple[subprocess.Popen[bytes], int]:
    """Write the zone and config, start NSD in the foreground; return it and its port."""
    nsd = shutil.which("nsd") or "/usr/sbin/nsd"
    if not Path(nsd).exists():
        if os.geteuid() != 0:
            raise SystemExit("bench_scale: needs NSD (apt-get install nsd) or root to install it")
        subprocess.run(["apt-get", "install", "-y", "-qq", "nsd"], check=True, capture_output=True)
    (workdir / "example.zone").write_text(zone_text(count))
    port = _free_port()
    conf = workdir / "nsd.conf"
    conf.write_text(
        f"""server:
    ip-address: 127.0.0.1@{port}
    port: {port}
    username: ""
    chroot: ""
    zonesdir: "{workdir}"
    zonelistfile: "{workdir}/zone.list"
    xfrdfile: "{workdir}/xfrd.state"
    pidfile: "{workdir}/nsd.pid"
    database: ""
    # Two listening processes with their own sockets (reuseport): with one, bursts from
    # several workers overflowed its receive buffer, and a dropped question is a timeout
    # row, not a measure of maildoctor.
    server-count: 2
    reuseport: yes
    verbosity: 0
    hide-version: yes
    # Response rate limiting is for a public authoritative server under a reflection
    # attack; left at its default (200 answers a second per client /24 and response
    # kind) it drops most answers of an audit (every NXDOMAIN in the zone is one kind),
    # and each dropped answer is a timeout row, not a measure of maildoctor.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: example.
    zonefile: example.zone
"""
    )
    proc = subprocess.Popen([nsd, "-d", "-c", str(conf)], stderr=subprocess.PIPE)
    _wait_for_dns(port, f"d{count - 1}.example", proc)
    return proc, port


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_dns(port: int, name: str, proc: subprocess.Popen[bytes]) -> None:
    import dns.message
    import dns.query

    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"NSD exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            reply = dns.query.udp(
                dns.message.make_query(name, "TXT"), "127.0.0.1", port=port, timeout=0.5
            )
            if reply.answer:
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.1)
    raise SystemExit("NSD did not answer")


# -- running audit and watching its processes -------------------------------------------


class Watch:
    """Polls a process tree: peak RSS and last CPU time of every process seen."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.rss: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    with proc.oneshot():
                        self.rss[proc.pid] = max(
                            self.rss.get(proc.pid, 0), proc.memory_info().rss / 2**20
                        )
                        times = proc.cpu_times()
                        self.cpu[proc.pid] = times.user + times.system
                        self.names[proc.pid] = " ".join(proc.cmdline()[1:3])[:60]
                except psutil.Error:
                    continue
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_audit(args: list[str], out: Path) -> dict[str, Any]:
    """Run ``maildoctor audit ARGS -o OUT --format json``; time, CPU and memory."""
    cmd = [str(BIN / "maildoctor"), "audit", *args, "-o", str(out), "--format", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=guarded_env())
    watch = Watch(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    watch.stop()
    if proc.returncode not in (0, 1, 3):
        raise SystemExit(f"audit failed ({proc.returncode}): {stderr.decode()[-500:]}")
    summary = json.loads(stdout)
    workers = [
        rss
        for pid, rss in watch.rss.items()
        if "spawn" in watch.names.get(pid, "") or "multiprocessing" in watch.names.get(pid, "")
    ]
    return {
        "wall": wall,
        "items": summary["items"],
        "cpu": sum(watch.cpu.values()),
        "peak_main": watch.rss.get(proc.pid, 0.0),
        "peak_worker": max(workers) if workers else watch.rss.get(proc.pid, 0.0),
        "processes": len(watch.rss),
    }


def rows_of(out: Path) -> list[tuple[Any, ...]]:
    import pyarrow.parquet as pq

    rows: list[tuple[Any, ...]] = []
    for path in sorted(out.glob("*.parquet")):
        rows += [tuple(sorted(r.items())) for r in pq.read_table(path).to_pylist()]
    return sorted(rows)


# -- the two benchmarks ------------------------------------------------------------------


def bench_domains(count: int, work: Path) -> list[str]:
    nsd, port = start_nsd(work, count)
    try:
        listing = work / "domains.txt"
        listing.write_text("".join(f"d{i}.example\n" for i in range(count)))
        common = [str(listing), "--nameserver", f"127.0.0.1:{port}", "--concurrency", "100"]
        common += ["--partition-size", "1000", "--timeout", "2", "--retries", "2"]
        results: dict[str, dict[str, Any]] = {}
        baseline: list[tuple[Any, ...]] = []
        for mode, extra in (
            ("in-process", []),
            ("LocalCluster(1)", ["--dask", "local:1"]),
            ("LocalCluster(2)", ["--dask", "local:2"]),
        ):
            out = work / mode.replace("(", "-").replace(")", "")
            result = run_audit([*common, *extra], out)
            rows = rows_of(out)
            baseline = baseline or rows
            result["identical"] = rows == baseline
            results[mode] = result
            shutil.rmtree(out)
            print(f"  {mode}: {result['wall']:.1f} s", flush=True)
    finally:
        nsd.terminate()
        nsd.wait(10)
    base = results["in-process"]["items"] / results["in-process"]["wall"]
    lines = [
        f"Domains: {count:,}, NSD {nsd_version()} on 127.0.0.1, 2 cores.",
        "",
        "| mode | wall s | domains/s | vs in-process | CPU ms/domain | peak MB per worker"
        " | rows identical |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, r in results.items():
        rate = r["items"] / r["wall"]
        lines.append(
            f"| {mode} | {r['wall']:.1f} | {rate:,.0f} | {rate / base:.2f}x | "
            f"{1000 * r['cpu'] / r['items']:.2f} | {r['peak_worker']:.0f} | "
            f"{'yes' if r['identical'] else 'NO'} |"
        )
    two = results["LocalCluster(2)"]["items"] / results["LocalCluster(2)"]["wall"]
    lines += [
        "",
        *projection(
            two / 2, 1000 * results["LocalCluster(2)"]["cpu"] / results["LocalCluster(2)"]["items"]
        ),
    ]
    return lines


def nsd_version() -> str:
    out = subprocess.run(["nsd", "-v"], capture_output=True, text=True, check=False)
    match = re.search(r"NSD version (\S+)", out.stderr + out.stdout)
    return match.group(1) if match else "?"


def projection(per_worker: float, cpu_ms: float) -> list[str]:
    """Time and cost for 10 million domains from the measured per-worker rate."""
    lines = [
        "Projection for 10,000,000 domains from the LocalCluster(2) rate per worker "
        f"({per_worker:,.0f} domains/s/worker, {cpu_ms:.2f} CPU ms/domain):",
        "",
    ]
    lines += [
        "| workers (1 vCPU each) | hours | vCPU-hours | at $0.05 per vCPU-hour |",
        "|---|---|---|---|",
    ]
    for workers in (8, 32, 128):
        hours = 10_000_000 / (per_worker * workers) / 3600
        lines.append(
            f"| {workers} | {hours:.2f} | {hours * workers:.1f} | ${hours * workers * 0.05:.2f} |"
        )
    return lines


def build_archive(count: int, work: Path, shard: int = 50_000) -> Path:
    """``count`` bounces as mbox shards; each copy has its own recipients and date."""
    from maildoctor.bounce.classify import classify_inputs

    sources = []
    for path in sorted(CORPUS.glob("*.eml")):
        raw = path.read_bytes()
        recipients = {r.recipient.encode() for res in classify_inputs(path) for r in res.records}
        sources.append(
            (raw.replace(b"\nFrom ", b"\n>From "), sorted(r for r in recipients if b"@" in r))
        )
    folder = work / "archive"
    folder.mkdir()
    handle = None
    for n in range(count):
        if n % shard == 0:
            if handle:
                handle.close()
            handle = (folder / f"shard-{n // shard:04d}.mbox").open("wb")
        raw, recipients = sources[n % len(sources)]
        copy = n // len(sources)
        for address in recipients:
            local, _, domain = address.partition(b"@")
            raw = raw.replace(address, b"%s+%d@%s" % (local, copy, domain))
        day = 1 + copy % 28
        raw = re.sub(
            rb"(?m)^Date: .*$", b"Date: Mon, %d Jun 2026 12:00:00 +0000" % day, raw, count=1
        )
        assert handle is not None
        handle.write(b"From MAILER-DAEMON Mon Jun  1 00:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n")
    if handle:
        handle.close()
    return folder


def bench_bounces(count: int, work: Path) -> list[str]:
    lines = [
        "Bounce archive built from the corpus, as mbox shards of 50,000 messages, 2 cores.",
        "",
    ]
    lines += [
        "| messages | mode | wall s | messages/s | vs in-process | peak MB per worker |",
        "|---|---|---|---|---|---|",
    ]
    base = 0.0
    for size in (count // 4, count):
        part = work / f"n{size}"
        part.mkdir()
        archive = build_archive(size, part)
        # The in-process baseline at the quarter size only: the rate of one process does
        # not change with the archive's size, and at the whole size it alone would take
        # as long as the rest of the benchmark.
        modes = [("LocalCluster(2)", ["--dask", "local:2"])]
        if size == count // 4:
            modes.insert(0, ("in-process", []))
        for mode, extra in modes:
            out = part / mode.replace("(", "-").replace(")", "")
            r = run_audit(["--bounces", str(archive), "--mbox-mb", "16", *extra], out)
            rate = r["items"] / r["wall"]
            base = base or rate
            lines.append(
                f"| {size:,} | {mode} | {r['wall']:.1f} | {rate:,.0f} | {rate / base:.2f}x | "
                f"{r['peak_worker']:.0f} |"
            )
            print(f"  {size:,} {mode}: {r['wall']:.1f} s", flush=True)
            shutil.rmtree(out)
        shutil.rmtree(part)
    return lines


def write_doc(part: str, lines: list[str]) -> None:
    start, end = (marker.format(part=part) for marker in MARKERS)
    text = DOC.read_text()
    head, found, rest = text.partition(start)
    if not found:
        raise SystemExit(f"bench_scale: {DOC} has no {start} marker")
    _, _, tail = rest.partition(end)
    DOC.write_text(f"{head}{start}\n" + "\n".join(lines) + f"\n{end}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=100_000)
    parser.add_argument("--bounces", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("domains", "bounces"))
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    stamp = f"Measured {time.strftime('%Y-%m-%d')} by `bench/bench_scale.py"
    with tempfile.TemporaryDirectory(prefix="maildoctor-scale-") as tmp:
        work = Path(tmp)
        for part, size, bench in (
            ("domains", args.domains, bench_domains),
            ("bounces", args.bounces, bench_bounces),
        ):
            if args.only not in (None, part):
                continue
            (work / part).mkdir()
            lines = [f"{stamp} --{part} {size}`.", "", *bench(size, work / part)]
            print("\n".join(lines), flush=True)
            if args.write_doc:
                write_doc(part, lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
