"""A small, bounded MIME reader tuned for bounce messages.

The standard library's ``email`` parser builds a full object tree line by line
(the returned original message included, with its attachments). A bounce report
needs much less: the top-level headers, the text parts, the delivery-status and
feedback parts, and only the *headers* of the returned message. This reader
splits the message with ``str`` operations implemented in C and decodes only what
is read, so it is several times faster and its cost does not grow with the size
of the returned attachments.

It follows the ``email`` package's (``compat32``) rules where they matter for
bounces: header lines as ``headerRE`` defines them, a body that starts at the first
line that is not a header, ``--boundary`` lines matched as whole lines, and an
unterminated multipart read to its end. Bounds: :data:`MAX_DEPTH` levels and
:data:`MAX_PARTS` parts; everything beyond is reported in ``defects``.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

__all__ = [
    "MAX_DEPTH",
    "MAX_PARTS",
    "Part",
    "decode_body",
    "parse_text",
    "split_boundary",
    "split_headers",
]

#: Deepest ``multipart`` nesting read (RFC 2046 sets no bound; we do).
MAX_DEPTH = 24
#: Most MIME parts read in one message.
MAX_PARTS = 256

#: A header line or continuation (``email.feedparser.headerRE``).
_HEADER_LINE = re.compile(r"(?:From |[\041-\071\073-\176]*:|[\t ])")
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')


@dataclass(slots=True)
class Part:
    """One MIME entity: its header lines, content type and (still encoded) body.

    Attributes:
        headers: ``(name, value)`` pairs in order; folded values keep their line breaks.
        body: The body as a Latin-1 string (one character per byte), ``\\n`` line ends.
        ctype: Lower-case ``type/subtype`` (``text/plain`` when missing or malformed).
        params: Content-Type parameters, lower-case names, unquoted values.
        children: The parts of a multipart whose boundary was found, else None.
        defects: Structural problems met while reading.
    """

    headers: list[tuple[str, str]]
    body: str
    ctype: str = "text/plain"
    params: dict[str, str] = field(default_factory=dict)
    children: list[Part] | None = None
    defects: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        """The first value of header ``name`` (case-insensitive), or ``default``."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return default

    @property
    def maintype(self) -> str:
        """``text`` of ``text/plain``."""
        return self.ctype.partition("/")[0]

    @property
    def charset(self) -> str:
        """The ``charset`` parameter, lower-case, or ``""``."""
        return self.params.get("charset", "").strip("\"' ").lower()


def parse_text(text: str, *, default_type: str = "text/plain") -> Part:
    """Read one message given as a Latin-1 string with ``\\n`` line ends.

    Args:
        text: The message; ``raw.decode("latin-1")`` with CRLF turned into LF.
        default_type: Content type assumed without a ``Content-Type`` header.

    Returns:
        The top-level part, its multipart children read to :data:`MAX_DEPTH`.
    """
    budget = [MAX_PARTS]
    return _part(text, default_type, 0, budget)


def _part(text: str, default_type: str, depth: int, budget: list[int]) -> Part:
    headers, body = split_headers(text)
    part = Part(headers=headers, body=body)
    _content_type(part, default_type)
    budget[0] -= 1
    if part.maintype == "multipart":
        _read_children(part, depth, budget)
    return part


def split_headers(text: str) -> tuple[list[tuple[str, str]], str]:
    """Header lines (unfolded into ``(name, value)``) and the body after them."""
    if text.startswith("From "):  # an mbox From_ line (email.feedparser does the same)
        text = text.partition("\n")[2]
    end = text.find("\n\n")
    block, body = (text, "") if end < 0 else (text[:end], text[end + 2 :])
    if text.startswith("\n"):
        return [], text[1:]
    # Each field's lines are collected, then joined once: adding every folded line to the
    # value as it came would copy the value again per line (quadratic on a long fold).
    fields: list[tuple[str, list[str]]] = []
    lines = block.split("\n")
    for n, line in enumerate(lines):
        if line[:1] in (" ", "\t") and fields:
            fields[-1][1].append(line)
            continue
        colon = line.find(":")
        if colon < 0 or not _HEADER_LINE.match(line):
            # Not a header: the body starts here (MissingHeaderBodySeparatorDefect).
            rest = "\n".join(lines[n:])
            return _joined(fields), rest + ("\n\n" + body if end >= 0 else "")
        fields.append((line[:colon].rstrip(), [line[colon + 1 :].lstrip(" \t")]))
    return _joined(fields), body


def _joined(fields: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    return [(name, "\n".join(parts)) for name, parts in fields]


def _content_type(part: Part, default_type: str) -> None:
    value = part.get("content-type")
    if not value:
        part.ctype = default_type
        return
    head, _, rest = value.partition(";")
    ctype = head.strip().lower()
    part.ctype = ctype if ctype.count("/") == 1 else "text/plain"
    for name, raw in _PARAM.findall(";" + rest.replace("\n", " ")):
        if raw.startswith('"') and raw.endswith('"') and len(raw) > 1:
            raw = raw[1:-1].replace('\\"', '"')
        part.params.setdefault(name.lower(), raw)


def _read_children(part: Part, depth: int, budget: list[int]) -> None:
    boundary = part.params.get("boundary", "")
    if not boundary:
        part.defects.append("NoBoundaryInMultipartDefect")
        return
    if depth >= MAX_DEPTH:
        part.defects.append(f"MIME nesting deeper than {MAX_DEPTH}; inner parts ignored")
        part.children = []
        return
    chunks = split_boundary(part.body, boundary, part.defects)
    if chunks is None:
        return
    child_type = "message/rfc822" if part.ctype == "multipart/digest" else "text/plain"
    children = []
    for chunk in chunks:
        if budget[0] <= 0:
            part.defects.append(f"more than {MAX_PARTS} MIME parts; the rest ignored")
            break
        children.append(_part(chunk, child_type, depth + 1, budget))
    part.children = children


def split_boundary(body: str, boundary: str, defects: list[str]) -> list[str] | None:
    """The texts between ``--boundary`` lines; None when the boundary never occurs.

    A delimiter is a whole line (RFC 2046 5.1.1): ``--boundary``, optionally ``--``,
    then only blanks. The preamble and epilogue are dropped.
    """
    delimiter = "--" + boundary
    if body.startswith(delimiter):
        body = "\n" + body
    pieces = body.split("\n" + delimiter)
    if len(pieces) == 1:
        defects.append("StartBoundaryNotFoundDefect")
        return None
    chunks: list[str] = []
    current: str | None = None
    for piece in pieces[1:]:
        first, _, rest = piece.partition("\n")
        tail = first.rstrip(" \t")
        if tail == "--":
            if current is not None:
                chunks.append(current)
            return chunks
        if tail:  # "--boundaryXYZ" is not this delimiter: it is text of the current part
            if current is not None:
                current += "\n" + delimiter + piece
            continue
        if current is not None:
            chunks.append(current)
        current = rest
    if current is not None:
        chunks.append(current)
    defects.append("CloseBoundaryNotFoundDefect")
    return chunks


def decode_body(part: Part) -> bytes:
    """The body's bytes after undoing its Content-Transfer-Encoding (best effort)."""
    data = part.body.encode("latin-1", "replace")
    cte = part.get("content-transfer-encoding").strip().lower()
    if cte == "base64":
        return _base64(data)
    if cte == "quoted-printable":
        return binascii.a2b_qp(data)
    return data


def _base64(data: bytes) -> bytes:
    compact = b"".join(data.split())
    try:
        return binascii.a2b_base64(compact)
    except binascii.Error:
        pass
    try:  # missing padding
        return binascii.a2b_base64(compact + b"=" * (-len(compact) % 4))
    except binascii.Error:
        return data
