"""``maildoctor headers`` and ``maildoctor logs``: network critical path and parse throughput.

1. ``check_headers`` on the reference incident's message with every DNS answer delayed
   30 ms: its wall time against the critical path. The key, DMARC and SPF lookups are
   independent, so the floor is one round trip plus SPF's dependent lookups (here one
   record and no includes: one round trip in all).
2. Header parsing without network (parse, Received chain, Authentication-Results,
   spam headers): messages per second.
3. ``analyze_logs`` on a generated 100,000-line Postfix log: lines per second and peak
   memory (the reader streams, so memory does not follow the file size).
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "message"))

from msg_helpers import KEY_RECORD, ses_message  # noqa: E402

from maildoctor.context import Context  # noqa: E402
from maildoctor.dns.resolver import DnsResolver, Nameserver  # noqa: E402
from maildoctor.logs import analyze_logs  # noqa: E402
from maildoctor.message import check_headers  # noqa: E402
from maildoctor.message.facts import gather_facts  # noqa: E402
from maildoctor.message.headers import parse_message  # noqa: E402
from maildoctor.message.spamheaders import decode_spam_headers  # noqa: E402
from maildoctor.testing.dnsserver import DnsServer  # noqa: E402

DELAY = 0.030
ZONE = {
    "test._domainkey.amazonses.com": [{"TXT": KEY_RECORD}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=quarantine"}],
    "amazonses.com": [{"TXT": "v=spf1 ip4:198.51.100.0/24 -all"}],
}


def bench_network() -> None:
    raw = ses_message()
    with DnsServer(ZONE, delay=DELAY) as server:
        times = []
        for _ in range(5):
            resolver = DnsResolver([Nameserver("127.0.0.1", server.port)], timeout=2, retries=0)
            start = time.perf_counter()
            asyncio.run(check_headers(raw, ctx=Context(resolver=resolver)))
            times.append(time.perf_counter() - start)
    best = min(times)
    print(
        f"check_headers with {DELAY * 1000:.0f} ms per answer: best {best * 1000:.0f} ms, "
        f"critical path {DELAY * 1000:.0f} ms -> {best / DELAY:.1f}x"
    )


def bench_parse(count: int = 2000) -> None:
    raw = ses_message()
    start = time.perf_counter()
    for _ in range(count):
        parsed = parse_message(raw)
        gather_facts(parsed)
        decode_spam_headers(parsed)
    elapsed = time.perf_counter() - start
    print(f"header parsing: {count / elapsed:,.0f} messages/s")


def bench_logs(lines: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "maillog"
        with path.open("w") as out:
            for i in range(lines // 2):
                out.write(
                    f"Mar  4 10:{i % 60:02d}:00 mx postfix/qmgr[1]: Q{i:09X}: "
                    "from=<s@example.com>, size=1, nrcpt=1 (queue active)\n"
                )
                out.write(
                    f"Mar  4 10:{i % 60:02d}:01 mx postfix/smtp[2]: Q{i:09X}: "
                    f"to=<r{i % 5000}@example.net>, relay=mx.example.net[192.0.2.25]:25, "
                    "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.25] said: "
                    "550 5.1.1 User unknown (in reply to RCPT TO command))\n"
                )
        start = time.perf_counter()
        summary = analyze_logs([path], year=2024)
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"analyze_logs: {summary.lines / elapsed:,.0f} lines/s over {summary.lines:,} lines; "
        f"process peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    bench_network()
    bench_parse()
    bench_logs()
