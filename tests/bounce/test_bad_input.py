"""Bad input: a partial parse with a warning, or "not a bounce" - never a crash or a hang."""

from __future__ import annotations

import os
import time
from pathlib import Path

from maildoctor.bounce import classify_bytes, classify_path, read_mail
from maildoctor.bounce.classify import classify_inputs
from maildoctor.bounce.parse import MAX_MESSAGE_BYTES

HEAD = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    b"To: sender@example.org\nSubject: Undelivered Mail Returned to Sender\n"
)
REPORT = (
    HEAD + b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
    b"--b\nContent-Type: text/plain; charset=us-ascii\n\nThe mail system\n\n"
    b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
    b"Final-Recipient: rfc822; nobody@example.net\nAction: failed\nStatus: 5.1.1\n"
    b"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: User unknown\n\n"
    b"--b\nContent-Type: message/rfc822\n\nFrom: sender@example.org\nTo: nobody@example.net\n"
    b"Subject: hello\n\nbody\n--b--\n"
)


def test_truncated_mime_gives_a_partial_parse_with_a_warning() -> None:
    cut = REPORT[: REPORT.index(b"Diagnostic-Code")]
    (record,) = classify_bytes(cut)
    assert record.recipient == "nobody@example.net" and record.status == "5.1.1"
    assert any("CloseBoundaryNotFound" in w for w in record.warnings)


def test_unknown_and_wrong_charsets() -> None:
    odd = REPORT.replace(b"charset=us-ascii", b"charset=x-no-such-charset")
    odd = odd.replace(b"The mail system", "Le syst\u00e8me de courrier".encode("latin-1"))
    (record,) = classify_bytes(odd)
    assert record.reason == "userunknown"
    assert any("unknown charset" in w for w in read_mail(odd).warnings)


def test_eight_bit_headers() -> None:
    raw = REPORT.replace(
        b"Subject: Undelivered", "Subject: Zustellung f\u00fcr M\u00fcller".encode()
    )
    raw = raw.replace(
        b"To: sender@example.org", "To: J\u00f6rg <sender@example.org>".encode("latin-1")
    )
    mail = read_mail(raw)
    assert "M\u00fcller" in mail.subject
    assert "\ufffd" in mail.header("to")  # Latin-1 byte that is not UTF-8: replaced, not fatal
    assert classify_bytes(raw)[0].reason == "userunknown"


def test_fifty_megabyte_attachment_is_not_read_whole() -> None:
    attachment = (
        b"--b\nContent-Type: application/octet-stream; name=big.bin\n"
        b"Content-Transfer-Encoding: base64\n\n" + (b"QUFB" * 19 + b"\n") * (50 * 1024 * 1024 // 77)
    )
    raw = REPORT.replace(b"--b--\n", attachment + b"--b--\n")
    assert len(raw) > 50 * 1024 * 1024
    start = time.perf_counter()
    (record,) = classify_bytes(raw)
    assert time.perf_counter() - start < 30  # a hang guard, not a speed test
    assert record.reason == "userunknown"
    assert any(str(MAX_MESSAGE_BYTES) in w for w in record.warnings)


def _nested(depth: int, same_boundary: bool) -> bytes:
    parts = [HEAD]
    for n in range(depth):
        boundary = b"x" if same_boundary else b"b%d" % n
        parts.append(b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\n\n--' + boundary
                     + b"\n")  # fmt: skip
    parts.append(b"Content-Type: text/plain\n\n550 5.1.1 <nobody@example.net> user unknown\n")
    return b"".join(parts)


def test_thousand_deep_multipart_nesting() -> None:
    for same in (False, True):
        raw = _nested(1000, same)
        mail = read_mail(raw)
        assert any("nesting deeper" in w or "MIME parts" in w for w in mail.warnings)
        assert classify_bytes(raw) == []


def test_binary_junk_empty_and_non_bounces(tmp_path: Path) -> None:
    assert classify_bytes(os.urandom(200_000)) == []
    assert classify_bytes(b"") == []
    assert classify_bytes(b"\x00" * 10_000) == []
    plain = b"From: a@example.com\nTo: b@example.net\nSubject: lunch?\n\nNoon at the usual place.\n"
    assert classify_bytes(plain) == []
    (tmp_path / "empty.eml").write_bytes(b"")
    assert list(classify_path(tmp_path / "empty.eml")) == []


def test_headers_only_and_garbage_structure() -> None:
    odd = (
        HEAD,
        HEAD + b"Content-Type: multipart/report\n\nno boundary at all\n",
        HEAD + b'Content-Type: multipart/mixed; boundary="q"\n\n--q\n--q\n--q--\n',
        b"\n\n\n",
        b"Subject: =?utf-8?B?!!!?=\n\n",
        b"Content-Type: message/rfc822\n\n",
    )
    for raw in odd:
        assert classify_bytes(raw) == []


def test_non_bounce_results_say_so(tmp_path: Path) -> None:
    path = tmp_path / "plain.eml"
    path.write_bytes(b"From: a@example.com\nSubject: hi\n\nhello\n")
    (result,) = classify_inputs(path)
    assert not result.is_bounce and result.records == ()


def test_line_endings_do_not_change_the_answer(corpus: Path) -> None:
    checked = 0
    for path in sorted(corpus.iterdir())[::7]:
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        if raw.startswith(b"From ") or raw.lstrip().startswith(b"{"):
            continue
        as_lf = [(r.recipient, r.reason, r.status) for r in classify_bytes(raw)]
        as_crlf = [
            (r.recipient, r.reason, r.status) for r in classify_bytes(raw.replace(b"\n", b"\r\n"))
        ]
        assert as_lf == as_crlf, path.name
        checked += 1
    assert checked > 40
