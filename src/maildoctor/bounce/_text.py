"""Small text helpers shared by the bounce parsers (no I/O, no state)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "aligned",
    "between",
    "contains_any",
    "find_address",
    "html_to_text",
    "is_email",
    "parse_date",
    "sweep",
]

_SPACES = re.compile(r"[ \t]+")
#: An addr-spec good enough for bounce reports (RFC 5321 4.1.2, without quoted locals
#: containing spaces): what a Final-Recipient or "<user@host>:" line holds.
_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\"]+@[A-Za-z0-9\-\[\]:.]+[A-Za-z0-9\]]")
_EMAIL = re.compile(
    r"\A[^\s@<>()\[\],;:]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.?\Z|\A\S+@\[[0-9.]+\]\Z"
)
_TAGS = re.compile(r"<[^>]*>")


def sweep(text: str) -> str:
    """Fold runs of blanks, trim, and cut a trailing MIME boundary (`` --boundary``)."""
    if not text:
        return ""
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text.replace("\t", ""))
    text = text.strip()
    cut = text.find(" --")
    if cut >= 0 and "-- " not in text:
        text = text[:cut].rstrip()
    return text


def aligned(text: str, parts: Sequence[str]) -> bool:
    """True when every string of ``parts`` occurs in ``text`` in this order."""
    pos = 0
    for part in parts:
        found = text.find(part, pos)
        if found < 0:
            return False
        pos = found + len(part)
    return True


def contains_any(text: str, phrases: Iterable[str]) -> bool:
    """True when ``text`` contains any of ``phrases``."""
    for phrase in phrases:
        if phrase in text:
            return True
    return False


def between(text: str, start: str, end: str) -> str:
    """The text after the first ``start`` up to the next ``end`` (or the end), else ``""``."""
    p0 = text.find(start)
    if p0 < 0:
        return ""
    p0 += len(start)
    p1 = text.find(end, p0) if end else -1
    return text[p0:] if p1 < 0 else text[p0:p1]


def find_address(text: str) -> str:
    """The first e-mail address in ``text`` (``<...>`` preferred), lower-cased host."""
    for candidate in re.findall(r"<([^<>\s]+@[^<>\s]+)>", text):
        if is_email(candidate):
            return candidate
    for match in _ADDRESS.finditer(text):
        candidate = match.group(0).strip(".\"'")
        if is_email(candidate):
            return candidate
    return ""


def is_email(text: str) -> bool:
    """True for a plausible ``local@domain`` address."""
    return 5 <= len(text) <= 254 and _EMAIL.match(text) is not None


def clean_address(text: str) -> str:
    """``rfc822; <User@Example.jp>`` -> ``User@Example.jp`` (or ``""``)."""
    text = text.strip().strip("<>").strip()
    if ";" in text:
        text = text.split(";", 1)[1].strip().strip("<>").strip()
    if is_email(text):
        return text
    return find_address(text)


def parse_date(text: str) -> datetime | None:
    """An RFC 5322 date (or ISO 8601 as SES writes it), as an aware datetime, else None."""
    text = text.strip()
    if not text:
        return None
    value: datetime | None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        value = _iso_date(text)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _iso_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def html_to_text(text: str) -> str:
    """Strip tags and entities from an HTML part, keeping line structure."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</h\d>", "\n", text)
    return html.unescape(_TAGS.sub(" ", text))


#: Where MTAs name the remote host: text between two markers (RFC 1123 host names).
_HOST_BETWEEN = (
    ("host ", " said: "),  # Postfix: "host %s said: %s (in reply to %s)"
    ("host ", " talk to me: "),  # Postfix: "host %s refused to talk to me:"
    ("while talking to ", ":"),  # Sendmail: "... while talking to mx.example.jp.:"
    ("host ", " ["),  # Exim: "host mx.example.jp [192.0.2.20]: 550 ..."
    (" by ", ". ["),  # Gmail: "... by mx.example.jp. [192.0.2.1]."
    ("delivery failed for the following reason: ", " with"),  # MailFoundry
    ("remote system: ", "("),  # MessagingServer: "Remote system: dns;mx.example.net (..."
    ("smtp server <", ">"),  # X6
    ("-mta: ", ">"),  # MailMarshal: "Reporting-MTA: <rr1.example.com>"
    (" : ", "["),  # SendGrid
)
_HOST_AFTER = ("generating server: ", "serveur de g", "server di generazione", "genererande server")
_HOST_UNTIL = (
    " did not like our ",
)  # DragonFly: "mx.example.net [192.0.2.25] did not like our DATA"


def is_internet_host(host: str) -> bool:
    """True for an RFC 1123 host name with a dot and an alphabetic top-level label."""
    if host in ("localhost", "localhost6"):
        return True
    if not 4 <= len(host) <= 255 or "." not in host or ".." in host:
        return False
    if host[0] in ".-" or host.endswith("-") or ("--" in host and not host.startswith("xn--")):
        return False
    if not all(c.isalnum() or c in ".-" for c in host) or not host.isascii():
        return False
    tld = host.rsplit(".", 1)[1]
    return 0 < len(tld) <= 63 and not any(c.isdigit() for c in tld)


def find_host(text: str) -> str:
    """The remote host named in a diagnostic (longest candidate), or ``""``."""
    if not text:
        return ""
    source = text.lower()
    for ch in "([<":
        source = source.replace(ch, " " + ch)
    for ch in ")]>:;":
        source = source.replace(ch, ch + " ")
    words = _host_words(source)
    found = []
    for word in words:
        if "." not in word:
            continue
        word = word.rstrip(".")
        for ch in "([<)]>:;":
            word = word.replace(ch, "")
        if len(word) >= 4 and "." in word and is_internet_host(word):
            found.append(word)
    return max(found, key=len) if found else ""


def _host_words(source: str) -> list[str]:
    for start, end in _HOST_BETWEEN:
        if not aligned(source, (start, end)):
            continue
        p1, p2 = source.find(start), source.find(end)
        if p1 + len(start) < p2:
            return source[p1 + len(start) : p2].split(" ")
    for start in _HOST_AFTER:
        if start in source:
            return source.split(start, 1)[1].split(" ")
    for end in _HOST_UNTIL:
        if end in source:
            return source.split(end, 1)[0].split(" ")
    return source.split(" ")
