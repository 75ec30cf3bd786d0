"""Helpers shared by the benchmarks: a DNS server in its own process, timing, peak memory."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "guard"
BIN = Path(sys.executable).parent


def guarded_env() -> dict[str, str]:
    """Environment whose Python processes refuse any connection outside loopback."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD), env.get("PYTHONPATH", "")) if p)
    return env


@contextmanager
def dns_server_process(
    zone: dict[str, Any], *, delay: float, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Run ``maildoctor.testing.dnsserver`` in a subprocess; yields ``host:port``."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(zone, fh)
    cmd = [
        sys.executable,
        "-m",
        "maildoctor.testing.dnsserver",
        fh.name,
        "--host",
        host,
        "--port",
        str(port),
        "--delay",
        str(delay),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=guarded_env())
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"DNS server did not start: {line!r}")
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(10)
        os.unlink(fh.name)


def time_command(cmd: Sequence[str], *, runs: int = 5, stdin: str | None = None) -> float:
    """Median wall time in seconds of a command (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            input=stdin,
            text=True,
            capture_output=True,
            env=guarded_env(),
            timeout=600,
            check=False,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_with_peak_rss(cmd: Sequence[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one command run as a child."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=guarded_env()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def peak_rss_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
