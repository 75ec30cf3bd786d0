"""Hypothesis fuzzing of the parsers, bounded in examples (a few seconds in all)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildoctor.bounce import classify_bytes
from maildoctor.bounce.mime import parse_text
from maildoctor.bounce.parse import parse_dsn_lines
from maildoctor.bounce.readers import read_stream
from maildoctor.bounce.ses_events import notifications, records

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAMPLES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "bounces").glob("*.eml"))
SEEDS = [p.read_bytes() for p in SAMPLES[:6]]

LINES = st.sampled_from([
    b"Content-Type: multipart/report; boundary=\"b\"", b"--b", b"--b--", b"",
    b"Content-Type: message/delivery-status", b"Content-Type: message/rfc822",
    b"Content-Transfer-Encoding: base64", b"Final-Recipient: rfc822; a@example.net",
    b"Status: 5.1.1", b"Diagnostic-Code: smtp; 550 5.1.1 user unknown", b"Action: failed",
    b"From: MAILER-DAEMON@example.com", b"Subject: Delivery Status Notification (Failure)",
    b"The response was:", b"Generating server: x.example.com", b"=?utf-8?B?w6k=?=", b"\xff\xfe",
])  # fmt: skip


@BOUNDED
@given(st.binary(max_size=4000))
def test_any_bytes(raw: bytes) -> None:
    for record in classify_bytes(raw):
        assert record.recipient


@BOUNDED
@given(st.lists(LINES, max_size=60))
def test_mime_shaped_lines(lines: list[bytes]) -> None:
    classify_bytes(b"\n".join(lines))


@BOUNDED
@given(st.sampled_from(SEEDS), st.integers(0, 20000), st.binary(max_size=64))
def test_mutated_samples(seed: bytes, cut: int, junk: bytes) -> None:
    classify_bytes(seed[:cut] + junk + seed[cut:])
    classify_bytes(seed[:cut])


@BOUNDED
@given(st.text(max_size=3000))
def test_mime_reader_and_dsn_fields(text: str) -> None:
    parse_text(text.encode("utf-8", "replace").decode("latin-1"))
    parse_dsn_lines(text.split("\n"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["notificationType", "eventType", "bounce", "mail", "bouncedRecipients",
                         "emailAddress", "Message", "detail", "complaint", "delivery",
                         "recipients", "diagnosticCode", "bounceSubType", "Records"]),
        children, max_size=5),
    max_leaves=25,
)  # fmt: skip


@BOUNDED
@given(JSON)
def test_ses_json(value: object) -> None:
    for note in notifications(value):
        records(note)
    for note in notifications(json.dumps(value)):
        records(note)


@BOUNDED
@given(st.binary(max_size=3000))
def test_stream_reader(raw: bytes) -> None:
    for _ in read_stream(io.BytesIO(raw), "fuzz"):
        pass
    for _ in read_stream(io.BytesIO(b"From x Thu Apr 29 23:34:45 2021\n" + raw), "fuzz"):
        pass
