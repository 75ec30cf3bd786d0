"""``diagnose`` ends within its deadline plus a second, even when a layer's work is stuck.

The stuck input is a gzip-compressed mail log of a few megabytes that expands to
gigabytes of log lines: reading it takes minutes. The layer is abandoned at its deadline,
the report says so, and the process exits at once instead of waiting for the worker.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

LINE = (
    b"Nov 27 10:00:00 host postfix/smtp[1]: ABC123: to=<a@example.net>, relay=mx.example.net"
    b"[192.0.2.1]:25, delay=1, status=deferred (host said: 450 4.2.1 busy)\n"
)
DEADLINE = 1.0


@pytest.fixture(scope="module")
def endless_log(tmp_path_factory) -> Path:
    member = gzip.compress(LINE * 60_000, compresslevel=9)  # ~9 MB of lines per member
    path = tmp_path_factory.mktemp("logs") / "mail.log.1.gz"
    path.write_bytes(member * 400)  # gzip members concatenate: ~3.6 GB of lines
    return path


def _diagnose(env: dict[str, str], *extra: str) -> tuple[float, subprocess.CompletedProcess]:
    argv = [
        sys.executable,
        "-m",
        "maildoctor",
        "diagnose",
        "--from",
        "sender@example.com",
        "--skip",
        "dns",
        "--format",
        "json",
        *extra,
    ]
    start = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    return time.monotonic() - start, done


def test_stuck_layer_does_not_keep_the_process(endless_log, subprocess_env):
    baseline, _ = _diagnose(subprocess_env, "--deadline", str(DEADLINE))  # start-up, no layer
    elapsed, done = _diagnose(
        subprocess_env, "--log", str(endless_log), "--deadline", str(DEADLINE)
    )
    report = json.loads(done.stdout)
    logs = report["meta"]["layers"]["logs"]
    assert logs["state"] == "error" and "did not finish within 1 s" in logs["reason"], logs
    assert done.returncode == 3
    assert elapsed < baseline + DEADLINE + 1.0, (elapsed, baseline)
