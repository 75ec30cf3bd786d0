"""Reports from files, directories, mboxes, maildirs and standard input, lazily.

One file is read at a time (at most :data:`MAX_FILE_BYTES`; a larger one is an error item,
not a crash), and an mbox is split message by message by the bounce reader
(:func:`maildoctor.bounce.readers.read_stream`), so memory stays bounded however much input
there is. Directories are walked in name order, skipping dot files, to
:data:`MAX_DIR_DEPTH` levels.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError
from .model import ReportItem
from .unpack import MAX_REPORT_BYTES, read_payload

__all__ = ["MAX_DIR_DEPTH", "MAX_FILE_BYTES", "iter_reports", "read_stream"]

log = logging.getLogger(__name__)

#: Largest file read whole (compressed reports are far smaller; an mbox is streamed).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Deepest directory nesting walked.
MAX_DIR_DEPTH = 32


def iter_reports(path: str | Path, *, limit: int = MAX_REPORT_BYTES) -> Iterator[ReportItem]:
    """Every report under ``path`` (``-`` is standard input).

    Args:
        path: A report file (XML, JSON, gzip, zip), an e-mail, an mbox, a directory, or ``-``.
        limit: Largest decompressed report read.

    Yields:
        Items in input order: a report, or an error saying why a piece of input is not one.

    Raises:
        InputError: When ``path`` does not exist or cannot be opened.
    """
    if str(path) == "-":
        yield from _stream(sys.stdin.buffer, "<stdin>", limit)
        return
    target = Path(path)
    if target.is_dir():
        if not os.access(target, os.R_OK | os.X_OK):
            raise InputError(f"cannot read directory {target}: permission denied")
        yield from _walk(target, 0, limit)
        return
    try:
        stream = target.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {target}: {exc.strerror or exc}") from exc
    with stream:
        yield from _stream(stream, str(target), limit)


def read_stream(
    stream: IO[bytes], origin: str, *, limit: int = MAX_REPORT_BYTES
) -> Iterator[ReportItem]:
    """Every report in one stream (a file's bytes, or a byte range of an mbox).

    Args:
        stream: The bytes.
        origin: What to call the input in each item.
        limit: Largest decompressed report read.
    """
    yield from _stream(stream, origin, limit)


def _walk(directory: Path, depth: int, limit: int) -> Iterator[ReportItem]:
    if depth > MAX_DIR_DEPTH:
        yield ReportItem(origin=str(directory), error=f"nested deeper than {MAX_DIR_DEPTH}")
        return
    try:  # scandir: the entries' types come with the listing, no stat per file
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield ReportItem(origin=str(directory), error=f"cannot list: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            yield from _walk(path, depth + 1, limit)
        elif entry.is_file():
            yield from _file(path, limit)


def _file(path: Path, limit: int) -> Iterator[ReportItem]:
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield ReportItem(origin=str(path), error=f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from _stream(stream, str(path), limit)


def _stream(stream: IO[bytes], origin: str, limit: int) -> Iterator[ReportItem]:
    head = _peek(stream)
    if head.startswith(b"From "):
        from ..bounce.readers import read_stream  # loaded only for an mbox

        for item in read_stream(stream, origin):
            if item.raw:
                yield from read_payload(item.raw, item.origin, limit=limit)
            else:
                yield ReportItem(origin=item.origin, error="; ".join(item.warnings) or "empty")
        return
    data = _read_limited(stream, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        yield ReportItem(origin=origin, error=f"larger than {MAX_FILE_BYTES} bytes; not read")
        return
    yield from read_payload(data, origin, limit=limit)


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes (one more says "too large"), without allocating ``limit``
    bytes up front: a regular file is sized first, a pipe is read in chunks."""
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = -1
    if 0 <= size <= limit:
        return stream.read()
    chunks, total = [], 0
    while total <= limit:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _peek(stream: IO[bytes]) -> bytes:
    """The first five bytes, left in the stream (buffered files peek, BytesIO seeks back)."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        if not stream.seekable():
            return b""
        where = stream.tell()
        first: bytes = stream.read(5)
        stream.seek(where)
        return first
    head: bytes = peek(5)[:5]
    return head
