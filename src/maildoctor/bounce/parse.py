"""Reading one message: MIME flattening, RFC 3464 DSN fields, RFC 3834, ARF.

:class:`Mail` wraps a parsed message and offers what every source needs: the
decoded top-level headers, the *flat* text of the report (text parts decoded,
``message/delivery-status`` and ``message/feedback-report`` parts kept behind a
``Content-Type:`` marker line) and the headers of the returned original message.

MIME is read by :mod:`maildoctor.bounce.mime`. Bounds (DESIGN.md "Safety"): messages
are cut at :data:`MAX_MESSAGE_BYTES`, MIME nesting is read to ``mime.MAX_DEPTH``
levels and ``mime.MAX_PARTS`` parts; problems become warnings, never exceptions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from typing import Any

from ..workers import checkpoint
from ._text import clean_address, html_to_text, sweep
from .mime import MAX_DEPTH, MAX_PARTS, Part, decode_body, parse_text, split_boundary, split_headers
from .model import Draft

__all__ = [
    "DSN_FIELDS",
    "MAX_DEPTH",
    "MAX_HEADER_CHARS",
    "MAX_MESSAGE_BYTES",
    "MAX_PARTS",
    "Mail",
    "dsn_field",
    "parse_dsn_lines",
    "read_mail",
]

log = logging.getLogger(__name__)

#: Bytes of one message that are read; bounce information sits at the top.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
#: A header value is cut here before any decoder or pattern sees it (RFC 5322 2.1.1 limits a
#: line to 998 characters; folded values of a few kilobytes are the most seen in bounces).
MAX_HEADER_CHARS = 16 * 1024
RFC822 = "Content-Type: message/rfc822"
HEADERS_ONLY = "Content-Type: text/rfc822-headers"
DELIVERY_STATUS = "Content-Type: message/delivery-status"
FEEDBACK = "Content-Type: message/feedback-report"
#: Marker lines that start the returned original message in the flat text.
ORIGINAL_MARKERS = (RFC822, HEADERS_ONLY, "Content-Type: message/partial")

_STATUS_TYPES = frozenset(
    ("message/delivery-status", "message/global-delivery-status", "message/xdelivery-status",
     "message/disposition-notification")
)  # fmt: skip
_ORIGINAL_TYPES = frozenset(("message/rfc822", "message/global", "message/partial",
                             "text/rfc822-headers", "message/global-headers"))  # fmt: skip


@dataclass(slots=True)
class Mail:
    """One message as the bounce sources see it.

    Attributes:
        headers: Top-level headers, lower-cased names, RFC 2047-decoded, all values.
        flat: The report as text: decoded text parts and DSN parts, then the original.
        warnings: Problems met while reading (truncation, nesting, charset...).
        inner: The first returned message as Latin-1 text, for reading it again when
            the report itself is not recognised (a bounce of a bounce), or None.
    """

    headers: dict[str, list[str]]
    flat: str
    warnings: list[str] = field(default_factory=list)
    inner: str | None = None
    _split: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    _first: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """The first value of header ``name`` (decoded), or ``""``."""
        # Sources ask for From, To and Subject dozens of times per message.
        found = self._first.get(name)
        if found is None:
            values = self.headers.get(name.lower())
            found = self._first[name] = values[0] if values else ""
        return found

    @property
    def subject(self) -> str:
        """The decoded ``Subject:``."""
        return self.header("subject")

    @property
    def sender(self) -> str:
        """The decoded ``From:``."""
        return self.header("from")

    def split(self, boundaries: tuple[str, ...] = ORIGINAL_MARKERS) -> tuple[str, str]:
        """The flat text cut at the first of ``boundaries``: (report, original message)."""
        cached = self._split.get(boundaries)
        if cached is None:
            cached = split_at(self.flat, boundaries)
            self._split[boundaries] = cached
        return cached

    @property
    def report(self) -> str:
        """The flat text before the original message."""
        return self.split()[0]

    @property
    def original(self) -> str:
        """The original message's text (headers first), or ``""``."""
        return self.split()[1]

    def original_header(self, name: str) -> str:
        """A header of the returned original message, or ``""``."""
        return original_header(self.original, name)


def split_at(text: str, boundaries: tuple[str, ...]) -> tuple[str, str]:
    """Cut ``text`` at the earliest boundary; the boundary line is dropped."""
    best = -1
    size = 0
    for boundary in boundaries:
        pos = text.find(boundary)
        if pos >= 0 and (best < 0 or pos < best):
            best, size = pos, len(boundary)
    if best < 0:
        return text, ""
    rest = text[best + size :]
    newline = rest.find("\n")
    return text[:best], (rest[newline + 1 :] if newline >= 0 else "")


def original_header(original: str, name: str) -> str:
    """The value of header ``name`` in the header block of ``original`` (unfolded)."""
    match = re.search(
        rf"^{re.escape(name)}:[ \t]*(.*(?:\n[ \t]+.*)*)", original[:65536], re.I | re.M
    )
    return sweep(match.group(1).replace("\n", " ")) if match else ""


# --------------------------------------------------------------------------- reading


def read_mail(raw: bytes) -> Mail:
    """Parse ``raw`` into a :class:`Mail`; never raises for malformed input.

    Args:
        raw: One message, as bytes (CRLF or LF line ends).

    Returns:
        The parsed message; problems are listed in ``warnings``.
    """
    checkpoint()  # one per message: a run's deadline can stop an archive here
    warnings: list[str] = []
    if len(raw) > MAX_MESSAGE_BYTES:
        raw = raw[:MAX_MESSAGE_BYTES]
        warnings.append(f"message cut at {MAX_MESSAGE_BYTES} bytes")
    return mail_from_text(raw.decode("latin-1"), warnings)


def mail_from_text(text: str, warnings: list[str] | None = None) -> Mail:
    """Read a message given as Latin-1 text (one character per byte).

    Used for the top-level message and for a returned message read again (a
    bounce of a bounce).
    """
    warnings = [] if warnings is None else warnings
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    top = parse_text(text)
    headers = _decoded_headers(top.headers, warnings)
    inner: list[str] = []
    flat = _flatten(top, warnings, inner)
    flat = _unforward(headers, flat)
    return Mail(headers=headers, flat=flat, warnings=warnings, inner=inner[0] if inner else None)


def _unforward(headers: dict[str, list[str]], flat: str) -> str:
    """A bounce forwarded inline ("Fwd: ..."): drop the prefix and the "> " quoting."""
    subject = headers.get("subject", [""])[0]
    if not subject.lower().startswith(("fwd:", "fw:")):
        return flat
    headers["subject"][0] = subject.split(":", 1)[1].strip()
    return flat.replace("\n> ", "\n").replace("\n>\n", "\n\n")


class Headers(dict[str, list[str]]):
    """Header name -> decoded values, each name decoded on first access.

    Most of a bounce's headers are never read, and decoding (RFC 2047, 8-bit bytes,
    unfolding) is the costliest step of reading one, so it waits until a source asks.
    Only ``get``, ``[]``, ``in`` and ``len`` are meant to be used.
    """

    __slots__ = ("_done", "_warnings")

    def __init__(self, pairs: list[tuple[str, str]], warnings: list[str]) -> None:
        raw: dict[str, list[str]] = {}
        for name, value in pairs:
            raw.setdefault(name.lower(), []).append(value)
        super().__init__(raw)
        self._warnings = warnings
        self._done: set[str] = set()

    def __getitem__(self, name: str) -> list[str]:
        values = dict.__getitem__(self, name)
        if name not in self._done:
            self._decode(name, values)
        return values

    def get(self, name: str, default: Any = None) -> Any:
        """The decoded values of ``name``, or ``default``."""
        values = dict.get(self, name)
        if values is None:
            return default
        if name not in self._done:
            self._decode(name, values)
        return values

    def _decode(self, name: str, values: list[str]) -> None:
        self._done.add(name)
        values[:] = [decode_value(v, self._warnings) for v in values]


def _decoded_headers(pairs: list[tuple[str, str]], warnings: list[str]) -> dict[str, list[str]]:
    return Headers(pairs, warnings)


def decode_value(value: str, warnings: list[str] | None = None) -> str:
    """A header value as text: 8-bit bytes read as UTF-8, RFC 2047 words decoded, unfolded.

    Values longer than :data:`MAX_HEADER_CHARS` are cut first: ``decode_header`` is
    quadratic in the number of encoded words (a 3.4 MB Subject took 93 s).
    """
    if len(value) > MAX_HEADER_CHARS:
        value = value[:MAX_HEADER_CHARS]
        if warnings is not None:
            warnings.append(f"a header value was cut at {MAX_HEADER_CHARS} characters")
    text = value if value.isascii() else _utf8(value)
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:  # noqa: BLE001 - malformed encoded-words are common in bounces
            if warnings is not None:
                warnings.append("undecodable encoded-word in a header")
    return sweep(text.replace("\r", "").replace("\n", " "))


def _utf8(latin: str) -> str:
    """Latin-1 text (raw bytes) re-read as UTF-8; invalid sequences become U+FFFD."""
    return latin.encode("latin-1", "replace").decode("utf-8", "replace")


def _flatten(top: Part, warnings: list[str], inner: list[str]) -> str:
    chunks: list[str] = []
    in_original = False
    defects: set[str] = set()
    for part, parent_type in _leaves(top, warnings, defects):
        ctype = part.ctype
        if ctype in _ORIGINAL_TYPES:
            chunks.append(_original_chunk(part, ctype, inner))
            in_original = True
            continue
        if ctype in _STATUS_TYPES or ctype == "message/feedback-report":
            marker = FEEDBACK if ctype == "message/feedback-report" else DELIVERY_STATUS
            chunks.append(marker + "\n" + _status_text(part, warnings) + "\n")
            continue
        if not in_original:
            chunks.append(_text_chunk(part, ctype, parent_type, warnings))
    if defects:
        warnings.append("MIME defects: " + ", ".join(sorted(defects)))
    return "".join(c if c.endswith("\n\n") else c + "\n\n" for c in chunks if c)


def _leaves(top: Part, warnings: list[str], defects: set[str]) -> Iterator[tuple[Part, str]]:
    """Depth-first leaf parts; multiparts without their boundary lines are leaves too."""
    stack: list[tuple[Part, str, int]] = [(top, "", 0)]
    while stack:
        part, parent, depth = stack.pop()
        for defect in part.defects:
            if defect.startswith(("MIME nesting", "more than")):
                warnings.append(defect)
            else:
                defects.add(defect)
        if part.maintype == "multipart" and depth < MAX_DEPTH:
            children = part.children if part.children is not None else _repair(part)
            if children is not None:
                stack.extend((c, part.ctype, depth + 1) for c in reversed(children))
                continue
        yield part, parent


_BOUNDARY_LINE = re.compile(r'\A\s*boundary\s*=\s*"?([^"\r\n;]+)"?[^\n]*\n', re.I)


def _repair(part: Part) -> list[Part] | None:
    """Re-read a multipart whose ``boundary=`` sat on an unfolded line of its own.

    Some MTAs write ``Content-Type: multipart/alternative;`` and ``boundary="..."`` on
    the next line without the leading blank RFC 5322 2.2.3 requires; a parser then
    takes the boundary line for the start of the body.
    """
    match = _BOUNDARY_LINE.match(part.body)
    if match is None:
        return None
    chunks = split_boundary(part.body[match.end() :], match.group(1).strip(), [])
    if chunks is None:
        return None
    return [parse_text(chunk) for chunk in chunks[:MAX_PARTS]]


def _text_chunk(part: Part, ctype: str, parent: str, warnings: list[str]) -> str:
    if part.maintype == "multipart":
        # A multipart without its boundary lines (RFC 2046 5.1.1 violated): read it as text.
        return payload_text(part, warnings)
    if part.maintype != "text" and ctype != "message/external-body":
        if ctype != "application/octet-stream" or _has_filename(part):
            return ""
    if ctype == "text/html" and parent == "multipart/alternative":
        return ""
    text = payload_text(part, warnings)
    if _looks_binary(text):
        warnings.append(f"{ctype} part holds binary data; ignored")
        return ""
    if ctype == "text/html":
        text = html_to_text(text)
    return text


def _has_filename(part: Part) -> bool:
    return "name" in part.params or "filename" in part.get("content-disposition").lower()


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_SIGNATURES = ("\x89PNG", "GIF8", "\xff\xd8\xff", "%PDF", "PK\x03\x04")


def _looks_binary(text: str) -> bool:
    """True for decoded "text" that is really binary (an image sent as text/plain)."""
    sample = text[:2048]
    if not sample:
        return False
    if "\x00" in sample or sample.lstrip().startswith(_SIGNATURES):
        return True
    # C0 controls other than blanks and ESC (ISO-2022-JP shifts) do not occur in text.
    if _CONTROL.search(sample) is None:
        return False
    return len(_CONTROL.findall(sample)) > len(sample) // 10


def payload_text(part: Part, warnings: list[str]) -> str:
    """The decoded body of a part as text (transfer encoding undone, charset best effort)."""
    data = decode_body(part)
    charset = part.charset or "utf-8"
    try:
        text = data.decode(charset, "replace")
    except (LookupError, ValueError):  # unknown, or a name no codec lookup accepts (NUL)
        warnings.append(f"unknown charset {charset!r}; read as UTF-8")
        text = data.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\t", " ")


_FIELD_LINE = re.compile(r"^([\041-\071\073-\176]+):[ \t]*", re.M)
_TRAILING_BLANKS = re.compile(r"[ \t]+$", re.M)


def _status_text(part: Part, warnings: list[str]) -> str:
    """A delivery-status or feedback part: its field blocks, ``Name: value`` spaced."""
    text = payload_text(part, warnings) if _encoded(part) else _utf8(part.body)
    return _TRAILING_BLANKS.sub("", _FIELD_LINE.sub(r"\1: ", text.strip("\n")))


def _encoded(part: Part) -> bool:
    return part.get("content-transfer-encoding").strip().lower() in ("base64", "quoted-printable")


def _original_chunk(part: Part, ctype: str, inner: list[str]) -> str:
    """The returned message: only its header block is kept in the flat text."""
    if ctype in ("text/rfc822-headers", "message/global-headers"):
        text = payload_text(part, []) if _encoded(part) else _utf8(part.body)
        return HEADERS_ONLY + "\n" + text + "\n\n"
    body = part.body
    if _encoded(part):
        body = decode_body(part).decode("latin-1")
    if not inner and body.strip():
        inner.append(body)
    pairs, _ = split_headers(body.lstrip("\n"))
    block = "\n".join(f"{name}: {value.strip()}" for name, value in pairs)
    return RFC822 + "\n" + _utf8(block) + "\n\n"


# ------------------------------------------------------------------ RFC 3464 fields

#: DSN field -> (Draft attribute, per-message?) (RFC 3464 2.2 and 2.3, plus common X- fields).
DSN_FIELDS: dict[str, tuple[str, bool]] = {
    "reporting-mta": ("lhost", True),
    "received-from-mta": ("", True),
    "arrival-date": ("date", True),
    "x-original-message-id": ("", True),
    "final-recipient": ("recipient", False),
    "original-recipient": ("alias", False),
    "x-actual-recipient": ("alias", False),
    "action": ("action", False),
    "status": ("status", False),
    "remote-mta": ("rhost", False),
    "diagnostic-code": ("diagnosis", False),
    "last-attempt-date": ("date", False),
}
_REQUIRED_MARK = {
    "reporting-mta": ";", "received-from-mta": ";", "arrival-date": ":",
    "x-original-message-id": "@", "action": "e", "diagnostic-code": ";",
    "final-recipient": ";", "last-attempt-date": ":", "original-recipient": ";",
    "remote-mta": ";", "status": ".", "x-actual-recipient": ";",
}  # fmt: skip
_ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded", "expired")
_ACTION_FIXES = {"deliverable": "delivered", "failure": "failed"}


@dataclass(frozen=True, slots=True)
class DsnField:
    """One parsed DSN line: ``Diagnostic-Code: SMTP; 550 ...`` -> name, type, value."""

    name: str
    kind: str
    value: str
    comment: str = ""

    @property
    def per_message(self) -> bool:
        """True for per-message fields (RFC 3464 2.2)."""
        return DSN_FIELDS[self.name][1]


def dsn_field(line: str) -> DsnField | None:
    """Parse one RFC 3464 field line, or return None for any other line.

    Args:
        line: One (unfolded) line.

    Returns:
        The field, or None when the line is not a usable DSN field.
    """
    name, sep, value = line.partition(":")
    name = name.strip().lower()
    if not sep or name not in DSN_FIELDS:
        return None
    if _REQUIRED_MARK[name] not in line and not (name.endswith("recipient") and "@" in value):
        return None
    value = sweep(value)
    kind = ""
    if name in ("final-recipient", "original-recipient", "x-actual-recipient",
                "diagnostic-code", "remote-mta", "reporting-mta", "received-from-mta"):  # fmt: skip
        if ";" in value:
            kind, value = (s.strip() for s in value.split(";", 1))
            kind = kind.upper()
        if name.endswith("mta"):
            value = value.lower()
    elif name == "action":
        value = value.lower()
        value = value if value in _ACTIONS else _ACTION_FIXES.get(value, value)
    elif name == "status":
        value = value.lower()
    comment = ""
    if " (" in value and ")" in value[value.find(" (") :]:
        # Status: 5.0.0 (permanent failure); Reporting-MTA: dns; mx.example.jp (tcp-daemon)
        start = value.find(" (")
        end = value.find(")", start)
        comment, value = value[start + 2 : end], value[:start]
    return DsnField(name, kind, value.strip(), comment)


def parse_dsn_lines(lines: list[str]) -> tuple[list[Draft], dict[str, str]]:
    """Read DSN fields from ``lines`` into one :class:`Draft` per ``Final-Recipient``.

    A blank line ends a per-recipient block (RFC 3464 2.1); continuation lines of
    ``Diagnostic-Code`` (starting with a blank) are appended. Per-message fields
    (``Reporting-MTA``...) are returned separately and copied into every draft
    that lacks them.
    """
    drafts: list[Draft] = []
    per_message: dict[str, str] = {}
    current = Draft()
    previous = ""
    for line in lines:
        parsed = dsn_field(line)
        if parsed is None:
            if previous == "diagnostic-code" and line[:1] in (" ", "\t") and line.strip():
                current.diagnosis += " " + sweep(line)
                _note(current, sweep(line))
                continue
            if not line.strip() and current.recipient:
                current = Draft()
            previous = ""
            continue
        previous = parsed.name
        current = _apply_field(parsed, current, drafts, per_message)
    if not drafts and current.alias:
        # Only Original-Recipient / X-Actual-Recipient: the report still names one recipient.
        current.recipient = current.alias
        drafts.append(current)
    for draft in drafts:
        for attr, value in per_message.items():
            if not draft.get_field(attr):
                draft.set_field(attr, value)
    return drafts, per_message


def _apply_field(
    f: DsnField, current: Draft, drafts: list[Draft], per_message: dict[str, str]
) -> Draft:
    attr, _ = DSN_FIELDS[f.name]
    if f.name == "final-recipient":
        return _new_recipient(clean_address(f.value), current, drafts)
    if f.name in ("original-recipient", "x-actual-recipient"):
        current.alias = clean_address(f.value) or current.alias
    elif f.name == "diagnostic-code":
        current.spec = "SMTP" if f.kind in ("", "X-POSTFIX") else f.kind
        current.diagnosis = f.value
        _note(current, f.value)
    elif attr:
        if f.per_message:
            per_message[attr] = f.value
        current.set_field(attr, f.value)
        if f.comment:
            # "Status: 5.2.1 (mailbox disabled, not accepting messages)" - the comment is
            # often the only human-readable reason in the DSN part.
            _note(current, f.comment)
    return current


def _note(draft: Draft, text: str) -> None:
    """Keep the DSN part's text in field order (Draft.extra["notes"])."""
    draft.extra["notes"] = draft.extra.get("notes", "") + " " + text + " "


def _new_recipient(address: str, current: Draft, drafts: list[Draft]) -> Draft:
    if not address:
        return current
    if drafts and drafts[-1].recipient == address and drafts[-1] is current:
        return current
    if current.recipient:
        current = Draft()
    if not drafts or drafts[-1] is not current:
        drafts.append(current)
    current.recipient = address
    return current
