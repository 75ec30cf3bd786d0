"""DMARC aggregate report benchmark (issue 13): maildoctor vs parsedmarc, and memory.

1. 10,000 aggregate reports are generated in a temporary directory (``--reports``): a mix
   of plain XML (40 %), gzip (40 %) and zip (20 %), each with 1-20 records from reserved
   addresses, some from SES failing alignment, some forwarded, in the RFC 7489 and the
   RFC 9990 schemas. The generator knows the total message count.
2. maildoctor: ``maildoctor reports --summary --format json DIR`` in a child process (start-up
   included), peak RSS measured; its message total must equal the generator's.
3. parsedmarc: ``parsedmarc.parse_report_file(path, offline=True)`` on every file, in one
   child process of its own virtualenv (``.venv-bench``; created and filled with
   ``pip install parsedmarc`` on first use, since it is heavy and not a dependency of
   maildoctor), start-up included, with the loopback guard loaded: no DNS, no IP
   lookups. Its message total must also equal the generator's.
4. The ratio of parsedmarc's CPU time (user + system, from the kernel's accounting of each
   child) over maildoctor's: the bar is at least 5x. CPU time is the measure because the
   machines are shared and wall time depends on what else runs; wall time is printed too.
5. Memory: maildoctor's peak RSS on the 10,000 reports next to the same run on a quarter
   of them; bounded memory means the two are close.

Run: ``.venv/bin/python bench/bench_reports.py [--reports N] [--no-peer]``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GUARD, ROOT, guarded_env  # noqa: E402

PEER_VENV = ROOT / ".venv-bench"
PEER_PYTHON = PEER_VENV / "bin" / "python"

#: Runs parsedmarc over a directory in one process; prints {"seconds", "messages", "errors"}.
PEER_TIMER = r"""
import json, os, sys, time
start = time.perf_counter()
import parsedmarc
messages = errors = 0
for name in sorted(os.listdir(sys.argv[1])):
    try:
        parsed = parsedmarc.parse_report_file(os.path.join(sys.argv[1], name), offline=True)
    except Exception:
        errors += 1
        continue
    messages += sum(r["count"] for r in parsed["report"]["records"])
print(json.dumps({"seconds": time.perf_counter() - start, "messages": messages,
                  "errors": errors}))
"""

NAMESPACES = ("", ' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"')


def _record(rng: random.Random) -> tuple[str, int]:
    count = rng.randint(1, 500)
    kind = rng.random()
    if kind < 0.5:  # the sender's own server, aligned
        ip, dkim, spf, ddom, sdom, reason = (
            "192.0.2.10",
            "pass",
            "pass",
            "example.com",
            "example.com",
            "",
        )
    elif kind < 0.85:  # SES without a domain identity: passes, unaligned
        ip = f"198.51.100.{rng.randint(1, 254)}"
        dkim, spf, ddom, sdom, reason = "fail", "fail", "amazonses.com", "amazonses.com", ""
    else:  # forwarded
        ip = f"203.0.113.{rng.randint(1, 254)}"
        dkim, spf, ddom, sdom = "fail", "fail", "example.com", "lists.example.org"
        reason = "<reason><type>forwarded</type><comment>list</comment></reason>"
    xml = (
        f"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated>"
        f"<disposition>none</disposition><dkim>{dkim}</dkim><spf>{spf}</spf>{reason}"
        "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"
        "</identifiers><auth_results><dkim><domain>"
        f"{ddom}</domain><selector>s1</selector><result>{'fail' if reason else 'pass'}</result>"
        f"</dkim><spf><domain>{sdom}</domain><scope>mfrom</scope><result>pass</result></spf>"
        "</auth_results></record>"
    )
    return xml, count


def _report(rng: random.Random, number: int) -> tuple[bytes, int]:
    records = [_record(rng) for _ in range(rng.randint(1, 20))]
    begin = 1764547200 + 86400 * (number % 30)
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><feedback{rng.choice(NAMESPACES)}>'
        "<version>1.0</version><report_metadata>"
        f"<org_name>receiver{number % 50}.example</org_name><email>dmarc@receiver.example"
        f"</email><report_id>r{number}</report_id><date_range><begin>{begin}</begin>"
        f"<end>{begin + 86399}</end></date_range></report_metadata><policy_published>"
        "<domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp>"
        f"<pct>100</pct></policy_published>{''.join(x for x, _ in records)}</feedback>"
    )
    return xml.encode(), sum(c for _, c in records)


def generate(directory: Path, count: int, seed: int = 13) -> int:
    """Write ``count`` reports; returns the total message count."""
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        data, messages = _report(rng, number)
        total += messages
        name = f"receiver{number % 50}.example!example.com!{number}"
        roll = rng.random()
        if roll < 0.4:
            (directory / f"{name}.xml").write_bytes(data)
        elif roll < 0.8:
            (directory / f"{name}.xml.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{name}.xml", data)
            (directory / f"{name}.zip").write_bytes(out.getvalue())
    return total


def _child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, bytes]:
    """(wall seconds, CPU seconds, peak RSS MB, stdout) of one child process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise RuntimeError(f"{cmd[0]} exited {code}")
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def run_maildoctor(directory: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, messages counted) of ``maildoctor reports`` on it."""
    cmd = [str(Path(sys.executable).parent / "maildoctor"), "reports", "--summary"]
    cmd += ["--format", "json", str(directory)]
    wall, cpu, rss, out = _child(cmd, guarded_env())
    summary = json.loads(out.splitlines()[-1])
    return wall, cpu, rss, int(summary["messages"])


def ensure_peer() -> str | None:
    """Make ``.venv-bench`` with parsedmarc; None when ready, else why it is not."""
    if PEER_PYTHON.exists() and _peer_imports():
        return None
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_PYTHON), "-m", "pip", "install", "-q", "parsedmarc"],
            check=True,
            timeout=1200,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return f"parsedmarc could not be installed: {exc}"
    return None if _peer_imports() else "parsedmarc installed but does not import"


def _peer_imports() -> bool:
    probe = subprocess.run([str(PEER_PYTHON), "-c", "import parsedmarc"], capture_output=True)
    return probe.returncode == 0


def run_peer(directory: Path) -> tuple[float, float, int, int]:
    """(wall s, CPU s, messages, errors) of parsedmarc over the directory, start-up included."""
    env = guarded_env()
    # The loopback guard (tests/guard) imports maildoctor.testing.netguard (stdlib only).
    env["PYTHONPATH"] = os.pathsep.join((str(GUARD), str(ROOT / "src")))
    wall, cpu, _, out = _child([str(PEER_PYTHON), "-c", PEER_TIMER, str(directory)], env)
    result = json.loads(out.splitlines()[-1])
    return wall, cpu, int(result["messages"]), int(result["errors"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--no-peer", action="store_true", help="maildoctor only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full, quarter = Path(tmp) / "full", Path(tmp) / "quarter"
        full.mkdir()
        quarter.mkdir()
        expected = generate(full, args.reports)
        generate(quarter, args.reports // 4)
        size = sum(p.stat().st_size for p in full.iterdir()) / 1e6
        print(f"{args.reports} reports ({size:.1f} MB on disk), {expected} messages")
        wall, cpu, rss, counted = run_maildoctor(full)
        _, _, rss_quarter, _ = run_maildoctor(quarter)
        ok = "matches" if counted == expected else f"MISMATCH ({counted})"
        print(
            f"maildoctor reports: {wall:.2f} s wall, {cpu:.2f} s CPU, "
            f"{args.reports / cpu:.0f} reports per CPU second, messages {ok}; "
            f"peak RSS {rss:.0f} MB ({rss_quarter:.0f} MB on a quarter of the reports)"
        )
        why = "--no-peer given" if args.no_peer else ensure_peer()
        if why:
            print(f"parsedmarc: not measured ({why})")
            return
        peer_wall, peer_cpu, peer_messages, errors = run_peer(full)
        ok = "matches" if peer_messages == expected else f"MISMATCH ({peer_messages})"
        print(
            f"parsedmarc (offline=True): {peer_wall:.2f} s wall, {peer_cpu:.2f} s CPU, "
            f"{args.reports / peer_cpu:.0f} reports per CPU second, messages {ok}, "
            f"{errors} errors"
        )
        ratio = peer_cpu / cpu
        verdict = "meets" if ratio >= 5 else "BELOW"
        print(
            f"ratio: maildoctor is {ratio:.2f}x faster than parsedmarc in CPU time "
            f"({peer_wall / wall:.2f}x in wall time) - {verdict} the 5x bar"
        )


if __name__ == "__main__":
    main()
