"""DNS layer benchmarks (issue 2).

1. Critical path: with the embedded server answering after 30 ms, ``check_domain`` on a
   domain whose SPF nests three includes deep, in-process, against the longest chain of
   dependent lookups (4 round trips: apex TXT -> include 1 -> include 2 -> include 3).
2. Whole process, side by side in one run: ``maildoctor dns`` vs ``checkdmarc DOMAIN -n ADDR``
   against the same server (port 53 on 127.0.0.2, so checkdmarc can use it; needs root).
3. Bulk: 1,000 domains from a file with the same delay: wall time and peak memory.

Run: ``.venv/bin/python bench/bench_dns.py [--only critical|peer|bulk]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BIN, dns_server_process, run_with_peak_rss, time_command  # noqa: E402

from maildoctor.context import Context  # noqa: E402
from maildoctor.dns.resolver import DnsResolver, Nameserver  # noqa: E402
from maildoctor.testing.dnsserver import DnsServer  # noqa: E402

DELAY = 0.030
SPF_DEPTH = 4  # apex TXT, then three nested includes: the longest dependent chain


def domain_zone(domain: str) -> dict[str, Any]:
    return {
        domain: [
            {"TXT": f"v=spf1 include:_s1.{domain} mx -all"},
            {"MX": [10, f"mx.{domain}"]},
        ],
        f"_s1.{domain}": [{"TXT": f"v=spf1 include:_s2.{domain} -all"}],
        f"_s2.{domain}": [{"TXT": f"v=spf1 include:_s3.{domain} -all"}],
        f"_s3.{domain}": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}],
        f"mx.{domain}": [{"A": "127.0.0.1"}],
        f"_dmarc.{domain}": [{"TXT": f"v=DMARC1; p=reject; rua=mailto:dmarc@{domain}"}],
        f"sel._domainkey.{domain}": [{"TXT": "v=DKIM1; k=rsa; p=" + _KEY}],
    }


_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvsYJoOPE6Eq2HbIH9PcMP2c9D/i8O5PaOjbdw/d47mqDKBW8"
    "sMpaAOcTkNbGth0g4M3o/ewuDYIpjYqTUWnwxEomz6+PUhIhEUiZA4CeQGvicGNujA16I18Xp/7no6Y6ycX1MNHH534i"
    "W8fFhcD5xWGsKBWUa1AakAdyu4jSAmqY/ENko/9lCDxH+xF6LfjAkoeSuN6TzI/PNd84kYyyhIflTwoz2GbfQKmfDGtK"
    "1q2TCRd80PfcrdpGE1uSjwTTdFbDQRO0Oo+2wLmPMLqXWiMEJeCfEJpykzyQwYnqdRTQbSwSFhhg5Lq6doEgjm9RyiAL"
    "LQCkX7p2d1QZjjrYkQIDAQAB"
)


def bench_critical_path(runs: int = 7) -> dict[str, float]:
    from maildoctor.dns.check import check_domain

    floor = SPF_DEPTH * DELAY
    times = []
    with DnsServer(domain_zone("example.com"), delay=DELAY) as server:
        for _ in range(runs):
            resolver = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=2, retries=0)
            ctx = Context(resolver=resolver, timeout=2)
            start = time.perf_counter()
            asyncio.run(check_domain("example.com", ctx=ctx, selectors=("sel",)))
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"critical path: floor {floor * 1000:.0f} ms ({SPF_DEPTH} x {DELAY * 1000:.0f} ms), "
        f"check_domain median {median * 1000:.0f} ms over {runs} runs, "
        f"ratio {median / floor:.2f}x (bar: <= 1.5x)"
    )
    return {"floor_ms": floor * 1000, "median_ms": median * 1000, "ratio": median / floor}


def bench_peer(runs: int = 5) -> dict[str, float] | None:
    checkdmarc = shutil.which("checkdmarc", path=str(BIN))
    if checkdmarc is None:
        print("peer: checkdmarc not installed (pip install checkdmarc); skipped")
        return None
    try:
        ctx = dns_server_process(domain_zone("example.com"), delay=DELAY, host="127.0.0.2", port=53)
        address = ctx.__enter__()
    except (RuntimeError, OSError) as exc:
        print(f"peer: cannot serve on 127.0.0.2:53 ({exc}); skipped")
        return None
    try:
        ours = time_command(
            [
                str(BIN / "maildoctor"),
                "dns",
                "example.com",
                "--nameserver",
                address,
                "--selector",
                "sel",
                "--format",
                "json",
            ],
            runs=runs,
        )
        theirs = time_command([checkdmarc, "example.com", "-n", "127.0.0.2", "-t", "2"], runs=runs)
    finally:
        ctx.__exit__(None, None, None)
    print(
        f"peer: maildoctor dns {ours * 1000:.0f} ms, checkdmarc {theirs * 1000:.0f} ms "
        f"(median of {runs}, whole process, {DELAY * 1000:.0f} ms per answer); "
        f"maildoctor is {theirs / ours:.1f}x faster (bar: >= 5x)"
    )
    return {"maildoctor_ms": ours * 1000, "checkdmarc_ms": theirs * 1000, "speedup": theirs / ours}


def bench_bulk(count: int = 1000) -> dict[str, float]:
    zone: dict[str, Any] = {}
    names = [f"d{i:04d}.example.com" for i in range(count)]
    for name in names:
        zone.update(domain_zone(name))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(names) + "\n")
    with dns_server_process(zone, delay=DELAY) as address:
        elapsed, rss, code = run_with_peak_rss(
            [
                str(BIN / "maildoctor"),
                "dns",
                "--file",
                fh.name,
                "--nameserver",
                address,
                "--format",
                "json",
                "--timeout",
                "5",
            ]
        )
    Path(fh.name).unlink()
    print(
        f"bulk: {count} domains in {elapsed:.2f} s (bar: < 10 s), peak RSS {rss:.0f} MB "
        f"(bar: < 300 MB), exit {code}"
    )
    return {"seconds": elapsed, "peak_rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["critical", "peer", "bulk"])
    args = parser.parse_args()
    if args.only in (None, "critical"):
        bench_critical_path()
    if args.only in (None, "peer"):
        bench_peer()
    if args.only in (None, "bulk"):
        bench_bulk()


if __name__ == "__main__":
    main()
