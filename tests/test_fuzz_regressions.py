"""Inputs that fuzzing (tests/test_fuzz_bounded.py, tests/bounce/test_fuzz.py) found to crash.

Each is kept as a plain regression test with the smallest input that showed it.
"""

from __future__ import annotations

from maildoctor.bounce.parse import read_mail


def test_charset_with_nul_reads_as_utf8():
    # codecs.lookup raises ValueError ("embedded null character"), not LookupError
    raw = (
        b"From: MAILER-DAEMON@example.net\nTo: sender@example.org\nSubject: failure\n"
        b'Content-Type: text/plain; charset=\x00"us-ascii"\n\n'
        b"550 5.1.1 <friend@example.net>: Recipient address rejected: User unknown\n"
    )
    mail = read_mail(raw)
    assert any("unknown charset" in w for w in mail.warnings)
    assert "Recipient address rejected" in mail.flat
