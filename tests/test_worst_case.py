"""Every parser of outside input does near-linear work on its worst known input.

For each parser, an input shaped to hurt it (long runs of one character, thousands of
encoded words, endless folded lines, repeated terms) is parsed at size n and at 2n. The
time may at most grow 3 times (linear: 2x; quadratic: 4x; the margin absorbs a machine
shared by many test runs). Time is CPU time of this
process (other processes on the machine do not count), the best of several runs, with n
grown until one run takes long enough to measure; a ratio over the bound is measured
again before the test fails. Beyond a cap, work must not grow at all: caps pass too.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from maildoctor.bounce.parse import MAX_HEADER_CHARS, read_mail
from maildoctor.dns.dkim import parse_dkim_key
from maildoctor.dns.dmarc_record import parse_dmarc
from maildoctor.dns.spf_parse import parse_record
from maildoctor.logs.parse import find_reply
from maildoctor.message.auth_results import parse_authentication_results
from maildoctor.message.headers import parse_message
from maildoctor.smtp.client import make_reply, parse_reply_line
from maildoctor.smtp.replies import interpret

BOUND = 3.0
#: Total CPU time of one measurement: process_time resolution is ~1 ms on Linux.
MIN_SECONDS = 0.015
#: Inputs stay small: past the CPU caches and malloc's mmap threshold (128 KB), memory
#: alone makes 2x input cost far more than 2x time.
MAX_BYTES = 1 << 15


def _cpu(fn: Callable[[object], object], arg: object, reps: int, runs: int = 3) -> float:
    """Best CPU time of ``runs`` runs of ``reps`` calls, without the cyclic GC (its passes
    come in steps set by object counts, not by the work of one call)."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            for _ in range(reps):
                fn(arg)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def _size(value: object) -> int:
    return len(value) if isinstance(value, str | bytes) else len(repr(value))


def growth(
    fn: Callable[[object], object], make: Callable[[int], object], n: int = 512, tries: int = 6
) -> float:
    """Time at 2n over time at n; n grows until one call is measurable, calls repeat."""
    while _cpu(fn, make(n), 1, runs=1) < 0.001 and _size(make(2 * n)) <= MAX_BYTES:
        n *= 2
    small, large = make(n), make(2 * n)
    gc.collect()
    one = max(_cpu(fn, small, 1, runs=3), 1e-6)
    reps = max(1, int(MIN_SECONDS / one) + 1)
    best_small = best_large = float("inf")
    for _ in range(tries):  # more runs before a ratio over the bound counts
        best_small = min(best_small, _cpu(fn, small, reps))
        best_large = min(best_large, _cpu(fn, large, reps))
        if best_large / best_small <= BOUND:
            break
    return best_large / max(best_small, 1e-9)


def _mail(head: str) -> bytes:
    return (
        "From: MAILER-DAEMON@example.net\nTo: sender@example.org\n"
        + head
        + "\nContent-Type: text/plain\n\n550 5.1.1 user unknown\n"
    ).encode("latin-1", "replace")


def _headers(head: str) -> bytes:
    return ("From: a@example.com\nTo: b@example.net\n" + head + "\n\nbody\n").encode()


CASES: dict[str, tuple[Callable[[object], object], Callable[[int], object]]] = {
    "logs reply: run of spaces": (find_reply, lambda n: "host said: 550 " + " " * n + "x"),
    "logs reply: in reply to": (find_reply, lambda n: "550 5.1.1 x" + " (in reply to" * n),
    "logs reply: many codes": (find_reply, lambda n: "999 " * n + "550 x"),
    "bounce: encoded words": (read_mail, lambda n: _mail("Subject: " + "=?utf-8?q?a?= " * n)),
    "bounce: folded header": (read_mail, lambda n: _mail("Subject: a" + "\n b" * n)),
    "bounce: many headers": (read_mail, lambda n: _mail("X-A: b\n" * n)),
    "bounce: long line": (read_mail, lambda n: _mail("Subject: " + "a" * n)),
    "headers: many fields": (parse_message, lambda n: _headers("Received: from x by y\n" * n)),
    "headers: folded field": (parse_message, lambda n: _headers("Subject: a" + "\n b" * n)),
    "auth results": (
        parse_authentication_results,
        lambda n: "mx.example.net; " + "spf=pass smtp.mailfrom=example.com; " * n,
    ),
    "spf: many terms": (parse_record, lambda n: "v=spf1 " + "a:example.com " * n + "-all"),
    "spf: macros": (parse_record, lambda n: "v=spf1 exists:" + "%{d}" * n + " -all"),
    "dmarc: many tags": (parse_dmarc, lambda n: "v=DMARC1; p=none; " + "x=y; " * n),
    "dmarc: long rua": (parse_dmarc, lambda n: "v=DMARC1; p=none; rua=" + "mailto:a@b.c," * n),
    "dkim: many tags": (parse_dkim_key, lambda n: "v=DKIM1; " + "t=y; " * n + "p=AAAA"),
    "smtp reply line": (parse_reply_line, lambda n: b"250 " + b"x " * n + b"\r\n"),
    "smtp reply meaning": (
        lambda reply: interpret(reply, host="email-smtp.us-east-1.amazonaws.com"),  # type: ignore[arg-type]
        lambda n: make_reply(554, ["5.7.1 " + "a " * n]),
    ),
}


#: Where a parser cuts its input, the smallest size measured is past the cut: below it the
#: work may grow faster (decode_header is quadratic) but is bounded by the cut itself.
START = {"bounce: encoded words": MAX_HEADER_CHARS // len("=?utf-8?q?a?= ") + 1}


@pytest.mark.parametrize("name", list(CASES))
def test_work_grows_at_most_linearly(name):
    fn, make = CASES[name]
    ratio = growth(fn, make, n=START.get(name, 512))
    assert ratio <= BOUND, f"{name}: doubling the input took {ratio:.1f}x the time"


def test_the_measure_sees_quadratic_work():
    def quadratic(text: object) -> None:
        size = len(str(text)) // 16
        for i in range(size):  # rescans the rest from every position
            for _ in range(i, size):
                pass

    assert growth(quadratic, lambda n: "a" * n, tries=1) > BOUND
