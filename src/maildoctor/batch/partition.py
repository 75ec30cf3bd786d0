"""Cutting an input into partitions, each named by what it holds.

A partition is the unit of work a batch back end hands to one worker: a chunk of
a domain list, a group of bounce files, or a byte range of an mbox. Its ``key``
is a hash of its content (and of the job settings that change its rows), so a
rerun on the same input finds the same names: finished partitions are skipped
with ``--resume``, and a partition written twice replaces itself, never adding
rows.

For domain lists the key hashes the domains themselves. For files it hashes each
file's path, size and modification time (reading every file twice to hash it
would cost as much as classifying it); for mbox ranges it adds the byte range.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..dns.check import domains_from_lines
from ..errors import InputError

__all__ = [
    "DEFAULT_MBOX_BYTES",
    "DEFAULT_SIZE",
    "Partition",
    "bounce_partitions",
    "domain_partitions",
    "mbox_ranges",
]

#: Domains (or bounce files) per partition.
DEFAULT_SIZE = 1000
#: Bytes of mbox per partition (cut at the next message boundary).
DEFAULT_MBOX_BYTES = 32 * 1024 * 1024
#: Bytes read at a time while looking for a message boundary.
_SCAN = 64 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """One chunk of input.

    Attributes:
        kind: ``domains`` or ``bounces``.
        key: Hex digest naming the partition's output (content and settings).
        index: Position in the input (partitions are written in any order).
        items: Domains; bounce file paths; or ``PATH@START-END`` mbox byte ranges.
    """

    kind: str
    key: str
    index: int
    items: tuple[str, ...]


def _key(kind: str, salt: str, parts: Iterable[str]) -> str:
    digest = hashlib.sha256(f"{kind}\0{salt}\0".encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def domain_partitions(lines: Iterable[str], *, size: int, salt: str = "") -> Iterator[Partition]:
    """Domain-list partitions of ``size`` domains each, in input order.

    Args:
        lines: The list's lines (``#`` comments and blanks are dropped).
        size: Domains per partition (at least 1).
        salt: Job settings that change the rows (e.g. DKIM selectors).

    Yields:
        Partitions keyed by their domains.
    """
    chunk: list[str] = []
    index = 0
    for domain in domains_from_lines(lines):
        chunk.append(domain)
        if len(chunk) >= max(1, size):
            yield Partition(
                kind="domains", key=_key("domains", salt, chunk), index=index, items=tuple(chunk)
            )
            chunk, index = [], index + 1
    if chunk:
        yield Partition(
            kind="domains", key=_key("domains", salt, chunk), index=index, items=tuple(chunk)
        )


def bounce_partitions(
    paths: Iterable[str | Path],
    *,
    size: int,
    mbox_bytes: int = DEFAULT_MBOX_BYTES,
    kind: str = "bounces",
) -> Iterator[Partition]:
    """Partitions of an archive: files in groups of ``size``, mboxes in byte ranges.

    ``kind`` is ``bounces`` or ``reports`` (DMARC and TLS reports, read the same way).

    Directories are walked in sorted order (hidden entries skipped). A file that
    starts with ``From `` is an mbox and is cut into ranges of about
    ``mbox_bytes`` at message boundaries; other files are single messages.

    Raises:
        InputError: a path that does not exist or is not a regular file or directory.
    """
    group: list[str] = []
    index = 0
    for path in _files(paths):
        stat = path.stat()
        if _is_mbox(path):
            for start, end in mbox_ranges(path, mbox_bytes):
                item = f"{path}@{start}-{end}"
                yield Partition(
                    kind=kind,
                    key=_key(kind, str(stat.st_mtime_ns), [item]),
                    index=index,
                    items=(item,),
                )
                index += 1
            continue
        group.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        if len(group) >= max(1, size):
            yield _file_group(kind, group, index)
            group, index = [], index + 1
    if group:
        yield _file_group(kind, group, index)


def _file_group(kind: str, group: list[str], index: int) -> Partition:
    items = tuple(entry.split("\0", 1)[0] for entry in group)
    return Partition(kind=kind, key=_key(kind, "", group), index=index, items=items)


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        elif path.exists() or path.is_symlink():
            raise InputError(f"{path}: not a regular file or directory")
        else:
            raise InputError(f"{path}: no such file or directory")


def _walk(top: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and path.is_file():
                yield path


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def mbox_ranges(path: Path, target: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of an mbox, each ending where a message starts (or at the end).

    A boundary is a line starting with ``From `` that follows an empty line (or
    is the first line), the mboxrd/mboxo rule.
    """
    size = path.stat().st_size
    start = 0
    with path.open("rb") as handle:
        while start < size:
            end = _boundary_after(handle, start + max(1, target), size)
            yield start, end
            start = end


def _boundary_after(stream: BinaryIO, offset: int, size: int) -> int:
    """The first message boundary at or after ``offset`` (``size`` if none)."""
    if offset >= size:
        return size
    # Back up one byte so a "\n\nFrom " straddling the offset is still seen.
    position = max(0, offset - 2)
    stream.seek(position)
    tail = b""
    while position < size:
        block = stream.read(_SCAN)
        if not block:
            break
        data = tail + block
        found = data.find(b"\n\nFrom ")
        if found >= 0:
            return position - len(tail) + found + 2
        tail = data[-6:]
        position += len(block)
    return size
