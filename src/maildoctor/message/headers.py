"""A bounded, forgiving reader for the header section of a message (RFC 5322 section 2.2).

The stdlib :mod:`email` parser is built to render mail, not to diagnose it: it
silently drops malformed lines and decodes with guesses. Here every field is
kept with its raw bytes (DKIM needs them) and every oddity is recorded as a
warning, so a truncated, 8-bit or binary input gives a partial parse, never an
exception.

Bounds (DESIGN.md "Safety"): at most :data:`MAX_HEADER_BYTES` of header
section and :data:`MAX_FIELDS` fields are read; the rest is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

__all__ = [
    "MAX_FIELDS",
    "MAX_HEADER_BYTES",
    "HeaderField",
    "ParsedMessage",
    "address_domain",
    "parse_message",
    "parse_tag_list",
]

#: The header section is read up to this many bytes (real ones are a few KiB).
MAX_HEADER_BYTES = 1024 * 1024
#: At most this many fields are kept.
MAX_FIELDS = 5000

# RFC 5322 section 3.6.8: field-name = 1*ftext, printable US-ASCII except ":".
_FIELD_NAME = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)[ \t]*:")
_BODY_SPLIT = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderField:
    """One header field, unfolded for reading and raw for signatures.

    Attributes:
        name: The field name as written.
        value: The unfolded value as text (UTF-8, undecodable bytes replaced).
        index: Position in the header section, 0 = topmost.
    """

    name: str
    value: str
    index: int

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedMessage:
    """The header section of a message plus what was wrong with it.

    Attributes:
        fields: Header fields in order, topmost first.
        has_body: Whether a blank line and a body followed the header section.
        body_bytes: Length of the body in bytes.
        warnings: Human-readable notes about malformed or truncated input.
    """

    fields: tuple[HeaderField, ...]
    has_body: bool = False
    body_bytes: int = 0
    warnings: tuple[str, ...] = ()

    def get_all(self, name: str) -> tuple[HeaderField, ...]:
        """All fields called ``name`` (case-insensitive), topmost first."""
        key = name.lower()
        return tuple(f for f in self.fields if f.key == key)

    def get(self, name: str) -> str | None:
        """The value of the topmost field called ``name``, or None."""
        found = self.get_all(name)
        return found[0].value if found else None

    @property
    def looks_like_mail(self) -> bool:
        """At least one field that every message has (RFC 5322 section 3.6) or a trace field."""
        keys = {f.key for f in self.fields}
        return bool(keys & {"from", "received", "date", "message-id", "return-path", "subject"})


def parse_message(raw: bytes) -> ParsedMessage:
    """Split ``raw`` into header fields, tolerating any input.

    Args:
        raw: A full message or only its header section, CRLF or LF line ends.

    Returns:
        The parsed header section with warnings for anything skipped.
    """
    warnings: list[str] = []
    head, body = _split(raw, warnings)
    if b"\x00" in head:
        warnings.append("NUL bytes in the header section: this does not look like a message")
    fields = _fields(head, warnings)
    return ParsedMessage(
        fields=tuple(fields),
        has_body=body is not None,
        body_bytes=len(body) if body is not None else 0,
        warnings=tuple(warnings),
    )


def _split(raw: bytes, warnings: list[str]) -> tuple[bytes, bytes | None]:
    if raw.startswith(b"From ") and b"\n" in raw:  # an mbox "From " separator line
        raw = raw.split(b"\n", 1)[1]
    match = _BODY_SPLIT.search(raw, 0, MAX_HEADER_BYTES + 4)
    if match is None:
        if len(raw) > MAX_HEADER_BYTES:
            warnings.append(f"header section longer than {MAX_HEADER_BYTES} bytes: truncated")
            return raw[:MAX_HEADER_BYTES], None
        return raw, None
    return raw[: match.start()], raw[match.end() :]


def _fields(head: bytes, warnings: list[str]) -> list[HeaderField]:
    fields: list[HeaderField] = []
    name: str | None = None
    parts: list[bytes] = []
    junk = 0
    for line in head.splitlines():
        if line[:1] in (b" ", b"\t") and name is not None:
            parts.append(line)  # folded continuation (RFC 5322 section 2.2.3)
            continue
        if name is not None:
            fields.append(_field(name, parts, len(fields)))
        match = _FIELD_NAME.match(line)
        if match is None:
            name, parts = None, []
            junk += bool(line.strip())
            continue
        name, parts = match.group(1).decode("ascii"), [line[match.end() :]]
        if len(fields) >= MAX_FIELDS:
            warnings.append(f"more than {MAX_FIELDS} header fields: the rest were ignored")
            return fields
    if name is not None:
        fields.append(_field(name, parts, len(fields)))
    if junk:
        warnings.append(f"{junk} line(s) in the header section are not header fields")
    if any(_non_utf8(f.value) for f in fields):
        warnings.append("8-bit header bytes that are not UTF-8 (RFC 6532): shown replaced")
    return fields


def _field(name: str, parts: list[bytes], index: int) -> HeaderField:
    raw = b" ".join(p.strip(b"\r") for p in parts)
    value = " ".join(raw.decode("utf-8", "replace").split())
    return HeaderField(name=name, value=value, index=index)


def _non_utf8(value: str) -> bool:
    return "\ufffd" in value


def address_domain(value: str | None) -> str | None:
    """The domain of the single address in a From/Return-Path value, lower-cased.

    Returns None when there is no address or more than one (RFC 7489 section 6.6.1
    leaves multi-address From out of DMARC).
    """
    if not value:
        return None
    addresses = [a for _, a in getaddresses([value]) if a]
    if len(addresses) != 1 or "@" not in addresses[0]:
        return None
    domain = addresses[0].rsplit("@", 1)[1].strip().strip(">").rstrip(".").lower()
    return domain or None


def parse_tag_list(value: str) -> dict[str, str]:
    """A DKIM/ARC tag list (RFC 6376 section 3.2) as ``{tag: value}``, whitespace removed.

    Later duplicates are ignored (a duplicate tag makes the signature invalid per
    RFC 6376 section 3.2, which dkimpy checks; here we only read). Never raises.
    """
    tags: dict[str, str] = {}
    for part in value.split(";"):
        if "=" not in part:
            continue
        name, _, text = part.partition("=")
        name = name.strip().lower()
        if name and name not in tags:
            tags[name] = "".join(text.split())
    return tags
