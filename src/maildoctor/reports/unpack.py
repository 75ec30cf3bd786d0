"""From bytes to reports: compressed files, archives and e-mails, with hard limits.

:func:`read_payload` decides what a piece of input is from its first bytes, never from
its name: gzip (``1f 8b``), zip (``PK``), XML (``<``: a DMARC aggregate report), JSON
(``{``: an SMTP TLS report) or an e-mail (the reports' attachments, or an ARF failure
report). Decompression stops at :data:`MAX_REPORT_BYTES` (a zip or gzip "bomb" becomes a
one-line error), nesting at :data:`MAX_NESTING` and a zip archive at :data:`MAX_MEMBERS`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .aggregate import ReportError, parse_aggregate
from .model import ReportItem
from .tlsrpt import parse_tls_report

if TYPE_CHECKING:
    from ..bounce.mime import Part

__all__ = ["MAX_MEMBERS", "MAX_NESTING", "MAX_REPORT_BYTES", "decompress", "read_payload"]

#: Largest report read, after decompression (the biggest real ones are a few MB).
MAX_REPORT_BYTES = 64 * 1024 * 1024
#: Archives or compressed files inside each other, at most.
MAX_NESTING = 3
#: Members read from one zip archive.
MAX_MEMBERS = 64

_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
#: Attachment types that can hold a report (RFC 7489 section 7.2.1.1, RFC 8460 section 5.3).
_REPORT_TYPES = frozenset(
    {
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip",
        "application/x-zip-compressed",
        "application/xml",
        "text/xml",
        "application/tlsrpt+gzip",
        "application/tlsrpt+json",
        "application/json",
        "application/octet-stream",
    }
)
_REPORT_NAMES = (".xml", ".gz", ".zip", ".json", ".xml.gz", ".json.gz", ".gzip")


def read_payload(
    data: bytes, origin: str, *, limit: int = MAX_REPORT_BYTES
) -> Iterator[ReportItem]:
    """Every report held by ``data``.

    Args:
        data: A report, a compressed report, a zip archive of reports, or an e-mail.
        origin: Where it came from, for the items' ``origin``.
        limit: Largest decompressed report read.

    Yields:
        One item per report found, or one item with ``error`` saying why there is none.
    """
    yield from _payload(data, origin, limit, 0)


def _payload(data: bytes, origin: str, limit: int, depth: int) -> Iterator[ReportItem]:
    head = data[:8]
    if head.startswith(_GZIP) or head.startswith(_ZIP):
        if depth >= MAX_NESTING:
            yield ReportItem(origin=origin, error=f"compressed more than {MAX_NESTING} deep")
            return
        if head.startswith(_GZIP):
            yield from _gzip(data, origin, limit, depth)
        else:
            yield from _zip(data, origin, limit, depth)
        return
    stripped = _strip(data[:4096])
    if not stripped:
        yield ReportItem(origin=origin, error="empty: nothing to read")
    elif stripped.startswith(b"<"):
        yield _parsed(origin, "aggregate", data)
    elif stripped.startswith((b"{", b"[")):
        yield _parsed(origin, "tls", data)
    else:
        yield from _message(data, origin, limit, depth)


def _strip(data: bytes) -> bytes:
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
    return data.lstrip()


def _parsed(origin: str, kind: str, data: bytes) -> ReportItem:
    try:
        if kind == "aggregate":
            return ReportItem(origin=origin, report=parse_aggregate(data))
        return ReportItem(origin=origin, report=parse_tls_report(data))
    except ReportError as exc:
        return ReportItem(origin=origin, error=str(exc))


def decompress(data: bytes, limit: int = MAX_REPORT_BYTES) -> bytes:
    """Gunzip ``data`` (all members), never producing more than ``limit`` bytes.

    Raises:
        ReportError: When the data is not gzip, is truncated, or expands past ``limit``.
    """
    out: list[bytes] = []
    size = 0
    while data:
        engine = zlib.decompressobj(wbits=31)
        try:
            chunk = engine.decompress(data, limit - size + 1)
        except zlib.error as exc:
            raise ReportError(f"not valid gzip: {exc}") from None
        size += len(chunk)
        out.append(chunk)
        if size > limit:
            raise ReportError(f"decompresses to more than {limit} bytes; not read")
        if not engine.eof:
            raise ReportError("truncated gzip: the compressed data ends early")
        data = engine.unused_data.lstrip(b"\x00")  # concatenated members (RFC 1952 2.2)
    return b"".join(out)


def _gzip(data: bytes, origin: str, limit: int, depth: int) -> Iterator[ReportItem]:
    try:
        inner = decompress(data, limit)
    except ReportError as exc:
        yield ReportItem(origin=origin, error=str(exc))
        return
    yield from _payload(inner, origin, limit, depth + 1)


def _zip(data: bytes, origin: str, limit: int, depth: int) -> Iterator[ReportItem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        yield ReportItem(origin=origin, error=f"not a readable zip archive: {exc}")
        return
    if not members:
        yield ReportItem(origin=origin, error="the zip archive is empty")
    for number, member in enumerate(members):
        where = f"{origin}!{member.filename[:200]}"
        if number >= MAX_MEMBERS:
            yield ReportItem(origin=origin, error=f"more than {MAX_MEMBERS} members; rest not read")
            return
        content = _member(archive, member, limit)
        if isinstance(content, str):
            yield ReportItem(origin=where, error=content)
        else:
            yield from _payload(content, where, limit, depth + 1)


def _member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes | str:
    """The member's bytes, read in a bounded way, or why it cannot be read."""
    if member.flag_bits & 0x1:
        return "the zip member is encrypted"
    try:
        with archive.open(member) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return f"cannot read zip member: {exc}"
    except zlib.error as exc:
        return f"cannot read zip member: corrupt data ({exc})"
    if len(content) > limit:
        return f"decompresses to more than {limit} bytes; not read"
    return content


def _message(data: bytes, origin: str, limit: int, depth: int) -> Iterator[ReportItem]:
    """An e-mail: its report attachments, or the ARF failure report it is."""
    # Loaded on the first e-mail: bare reports do not pay for the bounce package.
    from ..bounce.mime import decode_body, parse_text
    from .failure import feedback_part, parse_failure

    root = parse_text(data.decode("latin-1").replace("\r\n", "\n"))
    feedback = feedback_part(root)
    if feedback is not None:
        yield ReportItem(origin=origin, report=parse_failure(root, feedback))
        return
    found = False
    for number, part in enumerate(_attachments(root), start=1):
        found = True
        name = part.params.get("name") or _filename(part) or f"part{number}"
        yield from _payload(decode_body(part), f"{origin}!{name[:200]}", limit, depth)
    if not found:
        yield ReportItem(
            origin=origin,
            error="not a report: no XML, JSON, gzip or zip attachment",
            invalid=False,
        )


def _attachments(part: Part) -> Iterator[Part]:
    if part.children is not None:
        for child in part.children:
            yield from _attachments(child)
        return
    name = _filename(part).lower()
    if part.ctype in _REPORT_TYPES or name.endswith(_REPORT_NAMES):
        yield part


def _filename(part: Part) -> str:
    disposition = part.get("content-disposition")
    for piece in disposition.replace("\n", " ").split(";")[1:]:
        key, _, value = piece.partition("=")
        if key.strip().lower() in ("filename", "filename*"):
            return value.strip().strip('"')
    return part.params.get("name", "")
