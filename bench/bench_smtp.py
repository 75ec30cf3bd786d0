"""SMTP layer benchmarks (issue 3).

1. Relay probe overhead: a full STARTTLS + AUTH probe (``probe_smtp``) against the
   SES-like loopback server answering every reply after 50 ms. The floor is the
   dialogue's round trips (replies the server sent, counted by the server) x 50 ms; the
   bar is floor + 150 ms.
2. MX concurrency: ``check_mx`` on a domain with 10 MX hosts, all served by one
   Exchange-like loopback server with the same 50 ms per reply. Concurrent probing costs
   about one host's dialogue; sequential probing would cost ten. Reported as the ratio to
   one host's floor, with the most connections the server saw open at once.

Run: ``.venv/bin/python bench/bench_smtp.py [--runs N]``. Figures are medians of N runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from maildoctor.context import Context
from maildoctor.dns.resolver import StaticResolver
from maildoctor.secrets import Secret
from maildoctor.smtp.mx_probe import check_mx
from maildoctor.smtp.probe import probe_smtp
from maildoctor.smtp.ses_password import derive_smtp_password
from maildoctor.testing import netguard
from maildoctor.testing.smtpserver import ExchangeLikeServer, SesLikeServer, TestPki

DELAY = 0.050
BUDGET_MS = 150.0
SECRET = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SES_HOST = "email-smtp.us-east-1.amazonaws.com"
MX_HOSTS = [f"mx{i}.example.com" for i in range(10)]


def context(pki: TestPki, records: dict[str, dict[str, list[str]]]) -> Context:
    # A static resolver: DNS latency is the DNS benchmark's business, not this one's.
    return Context(resolver=StaticResolver(records), timeout=5.0, ca_file=pki.ca_file)


async def one_probe(server: SesLikeServer, ctx: Context) -> tuple[float, int]:
    """(wall ms, replies the server sent) for one full probe."""
    before = server.replies
    start = time.perf_counter()
    findings = await probe_smtp(
        SES_HOST,
        port=server.port,
        tls="starttls",
        user="AKIAIOSFODNN7EXAMPLE",
        password=derive_smtp_password(SECRET, "us-east-1"),
        ctx=ctx,
    )
    elapsed = (time.perf_counter() - start) * 1000
    auth = next(f for f in findings if f.check == "client.smtp.auth")
    if str(auth.status) != "pass":
        raise SystemExit(f"probe did not authenticate: {auth.summary}")
    await asyncio.sleep(0.1)  # let the QUIT reply be counted
    return elapsed, server.replies - before


def bench_relay(pki: TestPki, runs: int) -> bool:
    ctx = context(pki, {SES_HOST: {"A": ["127.0.0.1"]}})
    with SesLikeServer("us-east-1", current_secret=SECRET, pki=pki, reply_delay=DELAY) as server:
        asyncio.run(one_probe(server, ctx))  # warm-up: imports, first handshake
        samples = [asyncio.run(one_probe(server, ctx)) for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    trips = samples[-1][1]
    floor = trips * DELAY * 1000
    overhead = wall - floor
    ok = overhead <= BUDGET_MS
    print(f"relay probe (STARTTLS+AUTH, {DELAY * 1000:.0f} ms/reply, median of {runs})")
    print(f"  round trips        {trips} (banner, EHLO, STARTTLS, EHLO, AUTH, QUIT)")
    print(f"  floor              {floor:7.1f} ms")
    print(f"  measured           {wall:7.1f} ms   ratio {wall / floor:.2f}x")
    print(
        f"  overhead           {overhead:7.1f} ms   bar <= {BUDGET_MS:.0f} ms "
        f"[{'ok' if ok else 'OVER'}]"
    )
    return ok


async def one_mx(ctx: Context, port: int) -> float:
    start = time.perf_counter()
    findings = await check_mx("example.com", port=port, ctx=ctx)
    elapsed = (time.perf_counter() - start) * 1000
    banners = sum(f.check == "transport.mx.banner" and str(f.status) == "pass" for f in findings)
    if banners != len(MX_HOSTS):
        raise SystemExit(f"only {banners} of {len(MX_HOSTS)} MX hosts answered")
    return elapsed


def bench_mx(pki: TestPki, runs: int) -> bool:
    records = {h: {"A": ["127.0.0.1"]} for h in MX_HOSTS}
    records["example.com"] = {"MX": [f"10 {h}" for h in MX_HOSTS]}
    ctx = context(pki, records)
    with ExchangeLikeServer(None, pki=pki, reply_delay=DELAY, cert_names=MX_HOSTS) as server:
        asyncio.run(one_mx(ctx, server.port))
        walls, peaks, replies = [], [], []
        for _ in range(runs):
            time.sleep(0.1)  # let the previous run's connections close
            server.reset_stats()
            walls.append(asyncio.run(one_mx(ctx, server.port)))
            peaks.append(server.max_concurrent)
            replies.append(server.replies)
        wall = statistics.median(walls)
        per_host = statistics.median(replies) / len(MX_HOSTS)
        peak = min(peaks)
    floor = per_host * DELAY * 1000
    sequential = floor * len(MX_HOSTS)
    ok = peak == len(MX_HOSTS) and wall < sequential / 2
    print(f"\nmx probe, {len(MX_HOSTS)} MX hosts ({DELAY * 1000:.0f} ms/reply, median of {runs})")
    print(f"  round trips/host   {per_host:.0f} (banner, EHLO, STARTTLS, EHLO, QUIT)")
    print(f"  one host's floor   {floor:7.1f} ms   sequential floor {sequential:7.1f} ms")
    print(
        f"  measured           {wall:7.1f} ms   ratio to one host {wall / floor:.2f}x, "
        f"speed-up over sequential {sequential / wall:.1f}x"
    )
    verdict = "ok" if ok else "NOT CONCURRENT"
    print(f"  connections open at once: {peak} of {len(MX_HOSTS)} [{verdict}]")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    netguard.install()  # loopback only, as in the tests
    pki = TestPki()
    ok = bench_relay(pki, args.runs)
    ok = bench_mx(pki, max(3, args.runs // 2)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
