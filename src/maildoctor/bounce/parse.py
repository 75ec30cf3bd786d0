"""Reading one message: MIME flattening, RFC 3464 DSN fields, RFC 3834, ARF.

:class:`Mail` wraps a parsed message and offers what every source needs: the
decoded top-level headers, the *flat* text of the report (text parts decoded,
``message/delivery-status`` and ``message/feedback-report`` parts kept behind a
``Content-Type:`` marker line) and the headers of the returned original message.

Bounds (DESIGN.md "Safety"): messages are cut at :data:`MAX_MESSAGE_BYTES`, MIME
nesting is walked to :data:`MAX_DEPTH` levels and :data:`MAX_PARTS` parts, and any
parser failure degrades to "headers plus raw text" with a warning.
"""

from __future__ import annotations

import email
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32

from ._text import clean_address, html_to_text, sweep
from .codes import find_command, find_reply, find_status, prefer_status
from .model import Draft

__all__ = [
    "DSN_FIELDS",
    "MAX_DEPTH",
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
#: Deepest ``multipart`` nesting walked (RFC 2046 sets no bound; we do).
MAX_DEPTH = 24
#: Most MIME parts examined in one message.
MAX_PARTS = 256

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
        message: The parsed message (``email`` package, compat32 policy).
        headers: Top-level headers, lower-cased names, RFC 2047-decoded, all values.
        flat: The report as text: decoded text parts and DSN parts, then the original.
        warnings: Problems met while reading (truncation, nesting, charset...).
    """

    message: Message
    headers: dict[str, list[str]]
    flat: str
    warnings: list[str] = field(default_factory=list)
    inner: Message | None = None
    _split: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """The first value of header ``name`` (decoded), or ``""``."""
        values = self.headers.get(name.lower())
        return values[0] if values else ""

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
    warnings: list[str] = []
    if len(raw) > MAX_MESSAGE_BYTES:
        raw = raw[:MAX_MESSAGE_BYTES]
        warnings.append(f"message cut at {MAX_MESSAGE_BYTES} bytes")
    message = _parse_bytes(raw, warnings)
    return mail_from_message(message, warnings)


def mail_from_message(message: Message, warnings: list[str] | None = None) -> Mail:
    """Wrap an already parsed message (for example a returned message/rfc822 part)."""
    warnings = [] if warnings is None else warnings
    headers = _decoded_headers(message, warnings)
    inner: list[Message] = []
    flat = _flatten(message, warnings, inner)
    flat = _unforward(headers, flat)
    return Mail(message=message, headers=headers, flat=flat, warnings=warnings,
                inner=inner[0] if inner else None)  # fmt: skip


def _unforward(headers: dict[str, list[str]], flat: str) -> str:
    """A bounce forwarded inline ("Fwd: ..."): drop the prefix and the "> " quoting."""
    subject = headers.get("subject", [""])[0]
    if not subject.lower().startswith(("fwd:", "fw:")):
        return flat
    headers["subject"][0] = subject.split(":", 1)[1].strip()
    return flat.replace("\n> ", "\n").replace("\n>\n", "\n\n")


def _parse_bytes(raw: bytes, warnings: list[str]) -> Message:
    try:
        message = email.message_from_bytes(raw, policy=compat32)
    except (RecursionError, MemoryError) as exc:  # 1,000-deep multipart nesting
        warnings.append(f"MIME structure not parsed ({type(exc).__name__}); read as text")
        message = _headers_only(raw)
    except Exception as exc:  # noqa: BLE001 - the parser must never take a run down
        warnings.append(f"MIME structure not parsed ({type(exc).__name__}); read as text")
        message = _headers_only(raw)
    if message.defects:
        warnings.append("MIME defects: " + ", ".join(sorted({type(d).__name__ for d in message.defects})))
    return message


def _headers_only(raw: bytes) -> Message:
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    message = email.message_from_bytes(head + b"\n\n", policy=compat32)
    del message["content-type"]
    message.set_payload(body.decode("utf-8", "replace"))
    return message


def _decoded_headers(message: Message, warnings: list[str]) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), []).append(decode_value(value, warnings))
    return headers


def decode_value(value: object, warnings: list[str] | None = None) -> str:
    """A header value as text: RFC 2047 words decoded, folding removed."""
    text = str(value) if not isinstance(value, str) else value
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:  # noqa: BLE001 - malformed encoded-words are common in bounces
            if warnings is not None:
                warnings.append("undecodable encoded-word in a header")
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return sweep(text.replace("\r", "").replace("\n", " "))


def _flatten(message: Message, warnings: list[str], inner: list[Message]) -> str:
    chunks: list[str] = []
    in_original = False
    for part, parent_type in _leaves(message, warnings):
        ctype = part.get_content_type()
        if ctype in _ORIGINAL_TYPES:
            chunks.append(_original_chunk(part, ctype))
            in_original = True
            payload = part.get_payload()
            if not inner and isinstance(payload, list) and payload:
                inner.append(payload[0])
            continue
        if ctype in _STATUS_TYPES or ctype == "message/feedback-report":
            marker = FEEDBACK if ctype == "message/feedback-report" else DELIVERY_STATUS
            chunks.append(marker + "\n" + _status_text(part, warnings) + "\n")
            continue
        if not in_original:
            chunks.append(_text_chunk(part, ctype, parent_type, warnings))
    return "".join(c if c.endswith("\n\n") else c + "\n\n" for c in chunks if c)


def _leaves(message: Message, warnings: list[str]) -> Iterator[tuple[Message, str]]:
    """Depth-first leaf parts, bounded in depth and count; message/* are leaves."""
    stack: list[tuple[Message, str, int]] = [(message, "", 0)]
    seen = 0
    while stack:
        part, parent, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            warnings.append(f"more than {MAX_PARTS} MIME parts; the rest ignored")
            return
        if part.get_content_maintype() == "multipart":
            if depth >= MAX_DEPTH:
                warnings.append(f"MIME nesting deeper than {MAX_DEPTH}; inner parts ignored")
                continue
            children = part.get_payload() if part.is_multipart() else _repair(part)
            if isinstance(children, list):
                ctype = part.get_content_type()
                stack.extend((c, ctype, depth + 1) for c in reversed(children)
                             if isinstance(c, Message))  # fmt: skip
                continue
        yield part, parent


_BOUNDARY_LINE = re.compile(r'\A\s*boundary\s*=\s*"?([^"\r\n;]+)"?[^\n]*\n', re.I)


def _repair(part: Message) -> list[Message] | None:
    """Re-read a multipart whose ``boundary=`` sat on an unfolded line of its own.

    Some MTAs write ``Content-Type: multipart/alternative;`` and ``boundary="..."`` on
    the next line without the leading blank RFC 5322 2.2.3 requires; the parser then
    takes the boundary line for the start of the body.
    """
    payload = part.get_payload()
    if not isinstance(payload, str):
        return None
    match = _BOUNDARY_LINE.match(payload)
    if match is None:
        return None
    ctype = part.get_content_type()
    head = f'Content-Type: {ctype}; boundary="{match.group(1).strip()}"\n\n'
    try:
        inner = email.message_from_string(head + payload[match.end() :], policy=compat32)
    except Exception:  # noqa: BLE001 - leave the part as it was
        return None
    children = inner.get_payload()
    return children if isinstance(children, list) else None


def _text_chunk(part: Message, ctype: str, parent: str, warnings: list[str]) -> str:
    if part.get_content_maintype() == "multipart":
        # A multipart without its boundary lines (RFC 2046 5.1.1 violated): read it as text.
        return payload_text(part, warnings)
    if part.get_content_maintype() not in ("text", "") and ctype != "message/external-body":
        if ctype not in ("application/octet-stream",) or part.get_filename():
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


_SIGNATURES = ("\x89PNG", "GIF8", "\xff\xd8\xff", "%PDF", "PK\x03\x04")


def _looks_binary(text: str) -> bool:
    """True for decoded "text" that is really binary (an image sent as text/plain)."""
    sample = text[:2048]
    if not sample:
        return False
    if "\x00" in sample or sample.lstrip().startswith(_SIGNATURES):
        return True
    # C0 controls other than blanks and ESC (ISO-2022-JP shifts) do not occur in text.
    controls = sum(1 for c in sample if c < " " and c not in "\n\r\t\f\x1b")
    return controls > len(sample) // 10


def payload_text(part: Message, warnings: list[str]) -> str:
    """The decoded body of a non-multipart part as text (charset best effort)."""
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    if not isinstance(payload, bytes):
        return str(payload)
    charset = (part.get_content_charset() or "utf-8").strip("\"' ")
    try:
        text = payload.decode(charset, "replace")
    except LookupError:
        warnings.append(f"unknown charset {charset!r}; read as UTF-8")
        text = payload.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def _status_text(part: Message, warnings: list[str]) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [_status_block(b) for b in payload if isinstance(b, Message)]
        return "\n\n".join(b for b in blocks if b)
    return payload_text(part, warnings)


def _status_block(block: Message) -> str:
    """One DSN field block; lines the header parser could not take stay as text."""
    text = _header_block(block)
    rest = block.get_payload()
    if isinstance(rest, str) and rest.strip():
        text = (text + "\n" if text else "") + rest.replace("\r\n", "\n").strip("\n")
    return text


def _header_block(block: Message) -> str:
    lines = []
    for name, value in block.items():
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        lines.append(f"{name}: {text.strip()}")
    return "\n".join(lines)


def _original_chunk(part: Message, ctype: str) -> str:
    marker = HEADERS_ONLY if ctype in ("text/rfc822-headers", "message/global-headers") else RFC822
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return marker + "\n" + _header_block(payload[0]) + "\n\n"
    if isinstance(payload, str):
        text = payload
        if part.get("content-transfer-encoding", "").lower() in ("base64", "quoted-printable"):
            text = payload_text(part, [])
        return marker + "\n" + text.replace("\r\n", "\n") + "\n\n"
    return marker + "\n\n"


# ------------------------------------------------------------------ RFC 3464 fields

#: DSN field -> (Draft attribute, per-message?) (RFC 3464 2.2 and 2.3, plus common X- fields).
DSN_FIELDS: dict[str, tuple[str, bool]] = {
    "reporting-mta": ("lhost", True),
    "received-from-mta": ("rhost", True),
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
_ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
_ACTION_FIXES = {"deliverable": "delivered", "expired": "delayed", "failure": "failed"}


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


def fill_from_text(draft: Draft, text: str) -> None:
    """Complete command, reply code and status from the diagnostic text."""
    if not draft.command:
        draft.command = find_command(text)
    if not draft.reply_code:
        draft.reply_code = find_reply(text, draft.status)
    found = find_status(text, draft.reply_code)
    draft.status = prefer_status(draft.status, found, draft.reply_code) if found else draft.status
