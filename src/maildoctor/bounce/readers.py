"""Input streams: .eml files, mbox files, maildirs, SES JSON and standard input.

:func:`iter_inputs` turns a path into a stream of :class:`Item` objects, one per
message or SES notification, reading lazily: an mbox is split line by line and
each message is capped at :data:`parse.MAX_MESSAGE_BYTES`, so a 1 GB mailbox is
read in constant memory. What a file holds is decided by its first line, never
by its name:

- ``{`` or ``[``: JSON (one document, or JSON lines when the first line is a
  complete object), read by :mod:`maildoctor.bounce.ses_events`;
- ``From ``: an mbox (also when a ``.eml`` file holds several messages);
- anything else: one message.

A directory is walked in name order; a maildir's ``cur``, ``new`` and ``tmp``
are read and its index files are not.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from .parse import MAX_MESSAGE_BYTES
from .ses_events import notifications

__all__ = ["MAX_JSON_BYTES", "Item", "iter_inputs", "read_stream"]

log = logging.getLogger(__name__)

#: Largest JSON document read whole (JSON lines are read line by line).
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Bytes read per ``readline`` call: a very long line is read in pieces.
LINE_CHUNK = 64 * 1024
#: Deepest directory nesting walked.
MAX_DIR_DEPTH = 32

#: An mbox ``From_`` line: ``From sender  Thu Apr 29 23:34:45 2015`` (RFC 4155).
_FROM_LINE = re.compile(rb"^From \S*\s+.*\d{1,2}:\d{1,2}")
_MAILDIR_PARTS = ("cur", "new", "tmp")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One unit of input: a raw message or a decoded SES notification.

    Attributes:
        origin: Where it came from: the path, ``path#N`` for the Nth message of an
            mbox or JSON document, ``path:N`` for line N of a JSON lines file.
        raw: The message bytes (empty for a notification).
        notification: The SES notification, for JSON input.
        warnings: Problems met while reading it (truncation, bad JSON...).
    """

    origin: str
    raw: bytes = b""
    notification: dict[str, Any] | None = None
    warnings: tuple[str, ...] = ()


def iter_inputs(path: str | Path) -> Iterator[Item]:
    """Every message and notification under ``path`` (``-`` is standard input).

    Args:
        path: A file, an mbox, a maildir or other directory, or ``-``.

    Yields:
        One :class:`Item` per message or notification, in input order.

    Raises:
        InputError: When ``path`` does not exist or cannot be read.
    """
    if str(path) == "-":
        yield from read_stream(sys.stdin.buffer, "<stdin>")
        return
    target = Path(path)
    if target.is_dir():
        if not os.access(target, os.R_OK | os.X_OK):
            raise InputError(f"cannot read directory {target}: permission denied")
        yield from _walk(target, 0)
        return
    try:
        stream = target.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {target}: {exc.strerror or exc}") from exc
    with stream:
        yield from read_stream(stream, str(target))


def _walk(directory: Path, depth: int) -> Iterator[Item]:
    if depth > MAX_DIR_DEPTH:
        log.warning("directory nesting deeper than %d at %s; not read", MAX_DIR_DEPTH, directory)
        return
    if _is_maildir(directory):
        for part in _MAILDIR_PARTS:
            yield from _files(directory / part)
        for sub in _entries(directory):
            if sub.is_dir() and sub.name.startswith(".") and _is_maildir(sub):  # Maildir++
                yield from _walk(sub, depth + 1)
        return
    for entry in _entries(directory):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, depth + 1)
        elif entry.is_file():
            yield from _read_file(entry)


def _is_maildir(directory: Path) -> bool:
    return all((directory / part).is_dir() for part in ("cur", "new"))


def _entries(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except OSError as exc:
        log.warning("cannot list %s: %s", directory, exc.strerror or exc)
        return []


def _files(directory: Path) -> Iterator[Item]:
    for entry in _entries(directory):
        if entry.is_file() and not entry.name.startswith("."):
            yield from _read_file(entry)


def _read_file(path: Path) -> Iterator[Item]:
    """One file found while walking a directory; unreadable ones are skipped with a warning."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc.strerror or exc)
        return
    with stream:
        yield from read_stream(stream, str(path))


def read_stream(stream: IO[bytes], origin: str) -> Iterator[Item]:
    """Split one byte stream into items, deciding its kind from the first line.

    Args:
        stream: A binary stream positioned at its start.
        origin: Its name, for the items' ``origin``.

    Yields:
        The stream's messages or notifications.
    """
    first = stream.readline(LINE_CHUNK)
    while first.strip() == b"" and first:  # leading blank lines
        first = stream.readline(LINE_CHUNK)
    if not first:  # said, not skipped: an empty file is often a failed save or export
        yield Item(origin=origin, warnings=("empty: nothing to read",))
        return
    head = first.removeprefix(_BOM).lstrip()
    if head.startswith((b"{", b"[")):
        yield from _json(first, stream, origin)
    elif head.startswith(b"From "):
        yield from _mbox(first, stream, origin)
    else:
        yield _single(first, stream, origin)


def _single(first: bytes, stream: IO[bytes], origin: str) -> Item:
    raw = first + stream.read(max(MAX_MESSAGE_BYTES - len(first), 0))
    warnings: tuple[str, ...] = ()
    if stream.read(1):
        warnings = (f"message cut at {MAX_MESSAGE_BYTES} bytes",)
    return Item(origin=origin, raw=raw, warnings=warnings)


def _mbox(first: bytes, stream: IO[bytes], origin: str) -> Iterator[Item]:
    """Messages of an mbox, split at ``From_`` lines, each capped in size."""
    chunks: list[bytes] = []
    size = count = 0
    cut = started = False
    line_start = True
    line = first
    while line:
        if line_start and _starts_message(line, started):
            if chunks:
                count += 1
                yield _mbox_item(chunks, origin, count, cut)
            chunks, size, cut, started = [], 0, False, True
        elif size < MAX_MESSAGE_BYTES:
            chunks.append(line)
            size += len(line)
        else:
            cut = True
        line_start = line.endswith(b"\n")
        line = stream.readline(LINE_CHUNK)
    if chunks:
        yield _mbox_item(chunks, origin, count + 1, cut)


def _starts_message(line: bytes, started: bool) -> bool:
    """A ``From_`` line: any at the top of the file, then only well-formed ones."""
    return line.startswith(b"From ") and (not started or _FROM_LINE.match(line) is not None)


def _mbox_item(chunks: list[bytes], origin: str, number: int, cut: bool) -> Item:
    raw = b"".join(chunks)
    if raw.startswith(b">From "):
        raw = raw[1:]
    warnings = (f"message cut at {MAX_MESSAGE_BYTES} bytes",) if cut else ()
    return Item(origin=f"{origin}#{number}", raw=raw, warnings=warnings)


def _json(first: bytes, stream: IO[bytes], origin: str) -> Iterator[Item]:
    """A JSON document, or JSON lines when the first line is a complete value."""
    try:
        value = json.loads(first)
    except ValueError:
        yield from _json_document(first, stream, origin)
        return
    yield from _json_items(value, f"{origin}:1", ())
    for number, line in enumerate(_lines(stream), start=2):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            warning = f"line {number} is not JSON; skipped"
            yield Item(origin=f"{origin}:{number}", warnings=(warning,))
            continue
        yield from _json_items(value, f"{origin}:{number}", ())


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Whole lines (a line longer than :data:`MAX_JSON_BYTES` is cut)."""
    while True:
        line = stream.readline(MAX_JSON_BYTES)
        if not line:
            return
        if not line.endswith(b"\n") and len(line) == MAX_JSON_BYTES:
            while (rest := stream.readline(LINE_CHUNK)) and not rest.endswith(b"\n"):
                pass
        yield line


def _json_document(first: bytes, stream: IO[bytes], origin: str) -> Iterator[Item]:
    data = first + stream.read(MAX_JSON_BYTES)
    if stream.read(1):
        yield Item(origin=origin, warnings=(f"JSON larger than {MAX_JSON_BYTES} bytes; not read",))
        return
    try:
        value = json.loads(data)
    except ValueError:
        # Not JSON after all: let the message reader decide (it reports "not a bounce").
        yield Item(origin=origin, raw=data[:MAX_MESSAGE_BYTES])
        return
    yield from _json_items(value, origin, ())


def _json_items(value: object, origin: str, warnings: tuple[str, ...]) -> Iterator[Item]:
    found = list(notifications(value))
    if not found:
        yield Item(origin=origin, warnings=warnings + ("JSON holds no SES notification",))
        return
    for number, note in enumerate(found, start=1):
        where = origin if len(found) == 1 else f"{origin}#{number}"
        yield Item(origin=where, notification=note, warnings=warnings)
