"""Input streams: .eml, mbox (streamed), maildir, directories, JSON, JSON lines, stdin."""

from __future__ import annotations

import io
import itertools
import json
import sys
from pathlib import Path

import pytest

from maildoctor.bounce import classify_path, readers
from maildoctor.bounce.readers import Item, iter_inputs, read_stream
from maildoctor.errors import InputError

BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    b"To: sender@example.org\nSubject: Undelivered Mail Returned to Sender\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
    b"--b\nContent-Type: text/plain\n\nThe mail system\n\n"
    b"<nobody@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown\n\n"
    b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
    b"Final-Recipient: rfc822; nobody@example.net\nAction: failed\nStatus: 5.1.1\n"
    b"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: User unknown\n\n--b--\n"
)


def _mbox(*messages: bytes) -> bytes:
    return b"".join(b"From MAILER-DAEMON Thu Apr 29 23:34:45 2021\n" + m + b"\n" for m in messages)


def test_single_message_file(tmp_path: Path) -> None:
    path = tmp_path / "one.eml"
    path.write_bytes(BOUNCE)
    (record,) = classify_path(path)
    assert (record.recipient, record.reason, record.origin) == (
        "nobody@example.net", "userunknown", str(path))  # fmt: skip


def test_mbox_is_split_at_from_lines_only(tmp_path: Path) -> None:
    text = BOUNCE.replace(b"The mail system\n", b"The mail system\nFrom here on, nothing.\n")
    path = tmp_path / "box"
    path.write_bytes(_mbox(text, BOUNCE, b"From: a@example.com\nSubject: hi\n\nhello\n"))
    items = list(iter_inputs(path))
    assert [i.origin for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert b"From here on, nothing." in items[0].raw
    assert [r.origin for r in classify_path(path)] == [f"{path}#1", f"{path}#2"]


def test_eml_holding_two_messages_is_read_as_mbox(corpus: Path) -> None:
    records = list(classify_path(corpus / "rfc3464-28.eml"))
    assert [r.origin.rsplit("#", 1)[1] for r in records] == ["1", "2"]


class _EndlessMbox(io.RawIOBase):
    """An mbox that never ends; counts the bytes handed out."""

    def __init__(self) -> None:
        self.served = 0
        self._chunks = itertools.cycle([_mbox(BOUNCE)])
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._buffer) < len(target):
            self._buffer += next(self._chunks)
        size = len(target)
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        self.served += size
        return size


def test_mbox_is_streamed_not_loaded() -> None:
    raw = _EndlessMbox()
    stream = io.BufferedReader(raw)
    first = list(itertools.islice(read_stream(stream, "endless"), 3))
    assert [i.origin for i in first] == ["endless#1", "endless#2", "endless#3"]
    assert raw.served < 64 * 1024


def test_oversized_mbox_message_is_cut(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(readers, "MAX_MESSAGE_BYTES", 2000)
    big = BOUNCE + b"x" * 100 + b"\n" + (b"y" * 70 + b"\n") * 200
    path = tmp_path / "big.mbox"
    path.write_bytes(_mbox(big, BOUNCE))
    first, second = iter_inputs(path)
    assert len(first.raw) <= 2100 and first.warnings
    assert second.raw.startswith(b"From: Mail Delivery") and not second.warnings


def test_single_file_is_read_up_to_the_cap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(readers, "MAX_MESSAGE_BYTES", 1000)
    path = tmp_path / "huge.eml"
    path.write_bytes(BOUNCE + b"z" * 5000)
    (item,) = iter_inputs(path)
    assert len(item.raw) == 1000 and "cut" in item.warnings[0]


def test_maildir_reads_cur_new_tmp_only(tmp_path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (tmp_path / sub).mkdir()
    (tmp_path / "cur" / "1.host:2,S").write_bytes(BOUNCE)
    (tmp_path / "new" / "2.host").write_bytes(BOUNCE.replace(b"nobody@", b"other@"))
    (tmp_path / "dovecot-uidlist").write_bytes(BOUNCE)
    (tmp_path / ".Sent" / "cur").mkdir(parents=True)
    (tmp_path / ".Sent" / "new").mkdir()
    (tmp_path / ".Sent" / "cur" / "3.host").write_bytes(BOUNCE.replace(b"nobody@", b"third@"))
    got = [r.recipient for r in classify_path(tmp_path)]
    assert got == ["nobody@example.net", "other@example.net", "third@example.net"]


def test_directory_walk_skips_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.eml").write_bytes(BOUNCE)
    (tmp_path / ".hidden.eml").write_bytes(BOUNCE)
    (tmp_path / "empty.eml").write_bytes(b"")
    assert [r.origin for r in classify_path(tmp_path)] == [str(tmp_path / "a" / "x.eml")]


def test_empty_file_is_an_item_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty.eml").write_bytes(b"\n\n")
    (item,) = iter_inputs(tmp_path / "empty.eml")
    assert (item.raw, item.notification, item.warnings) == (b"", None, ("empty: nothing to read",))


def test_json_document_and_json_lines(tmp_path: Path) -> None:
    note = {"notificationType": "Bounce", "mail": {},
            "bounce": {"bounceType": "Permanent", "bounceSubType": "Suppressed",
                       "bouncedRecipients": [{"emailAddress": "a@example.net"}]}}  # fmt: skip
    pretty = tmp_path / "one.json"
    pretty.write_text("\ufeff" + json.dumps(note, indent=2), encoding="utf-8")
    assert [i.notification for i in iter_inputs(pretty)] == [note]
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps(note) + "\n\n[1, 2]\n" + json.dumps({"Message": json.dumps(note)}))
    items = list(iter_inputs(lines))
    assert [i.origin.rsplit(":", 1)[1] for i in items] == ["1", "3", "4"]
    assert items[1].notification is None and items[1].warnings


def test_brace_that_is_not_json_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "odd.eml"
    path.write_bytes(b"{ this is not json\nSubject: x\n")
    (item,) = iter_inputs(path)
    assert item.raw.startswith(b"{") and item.notification is None
    assert list(classify_path(path)) == []


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_mbox(BOUNCE, BOUNCE))))
    assert [r.origin for r in classify_path("-")] == ["<stdin>#1", "<stdin>#2"]


def test_unreadable_paths_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        list(iter_inputs(tmp_path / "missing.eml"))


def test_long_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "junk.mbox"
    path.write_bytes(b"From x Thu Apr 29 23:34:45 2021\n" + b"\xff" * (3 * readers.LINE_CHUNK))
    (item,) = iter_inputs(path)
    assert isinstance(item, Item) and len(item.raw) == 3 * readers.LINE_CHUNK
