"""Log lines into events: the shared model and the pieces every format uses.

A line is offered to each format of :data:`maildoctor.logs.formats.FORMATS` in
turn; the first that recognises it returns a :class:`ParsedLine` (zero or more
:class:`LogEvent` - zero for a line that is understood but says nothing about
an outcome, such as ``connect from``). A line no format recognises is counted
as unrecognised, never an error.

Files are read line by line with a bound on line length
(:data:`MAX_LINE_BYTES`), gzip-compressed rotations included, so memory does
not grow with the file.
"""

from __future__ import annotations

import gzip
import itertools
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, cast

from ..workers import checkpoint

__all__ = [
    "MAX_LINE_BYTES",
    "LogEvent",
    "ParseState",
    "ParsedLine",
    "Reply",
    "find_reply",
    "parse_iso_time",
    "parse_syslog_prefix",
    "read_lines",
]

#: Longer lines are cut here (the rest of the line is skipped, not buffered).
MAX_LINE_BYTES = 64 * 1024
#: Per-queue-id memory (Postfix sender/SASL user) is bounded to this many ids.
MAX_TRACKED_IDS = 50_000

#: SMTP reply codes (RFC 5321 section 4.2.3, RFC 4954 section 6) that a text may carry.
SMTP_CODES = frozenset(
    {
        211,
        214,
        220,
        221,
        235,
        250,
        251,
        252,
        334,
        354,
        421,
        432,
        450,
        451,
        452,
        454,
        455,
        500,
        501,
        502,
        503,
        504,
        521,
        530,
        534,
        535,
        538,
        550,
        551,
        552,
        553,
        554,
        555,
        556,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """An SMTP reply as (code, enhanced status, text) (MODELS.md section 4)."""

    code: int | None = None
    enhanced: str = ""
    text: str = ""

    def label(self) -> str:
        parts = [str(self.code) if self.code else "", self.enhanced]
        return " ".join(p for p in parts if p) or "no reply"


@dataclass(frozen=True, slots=True, kw_only=True)
class LogEvent:
    """One outcome read from a log line.

    Attributes:
        format: Which parser read it (``postfix``, ``exim``, ``sendmail``, ``ses``,
            ``exchange``, ``app``).
        kind: ``delivery`` (an attempt for a recipient), ``auth_failure`` (SMTP AUTH
            refused), ``submission`` (a message accepted from a client) or ``error``
            (an application error carrying an SMTP reply).
        status: ``sent``, ``deferred``, ``bounced``, ``expired`` or ``failed``.
        timestamp: When, if the line says (timezone-aware).
        queue_id: The MTA's queue id, if any.
        recipient: The recipient address, if any.
        sender: The envelope sender, if known.
        relay_host: The server the message went to (or the client came from).
        relay_ip: Its address, if logged.
        relay_port: Its port, if logged.
        reply: The SMTP reply, when one was logged.
        username: The SMTP AUTH identity involved, if logged.
        connection: A key for one SMTP connection (process id, connection id).
        path: The file and ``line_no`` it came from.
    """

    format: str
    kind: str
    status: str
    timestamp: datetime | None = None
    queue_id: str = ""
    recipient: str = ""
    sender: str = ""
    relay_host: str = ""
    relay_ip: str = ""
    relay_port: int | None = None
    reply: Reply = field(default_factory=Reply)
    username: str = ""
    connection: str = ""
    path: str = ""
    line_no: int = 0


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """What a format made of a line it recognised."""

    format: str
    events: tuple[LogEvent, ...] = ()


class _BoundedMap(OrderedDict[str, str]):
    """A dict that forgets its oldest keys past a bound (constant memory)."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def remember(self, key: str, value: str) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.bound:
            self.popitem(last=False)


class ParseState:
    """What parsers remember between lines: the year for syslog stamps, per-id facts."""

    def __init__(self, *, year: int | None = None, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)
        self.year = year
        self.senders = _BoundedMap(MAX_TRACKED_IDS)
        self.usernames = _BoundedMap(MAX_TRACKED_IDS)
        #: Column names a format read from a file's header line (Exchange tracking logs).
        self.columns: dict[str, list[str]] = {}


# -- timestamps -------------------------------------------------------------------------

_SYSLOG = re.compile(
    r"^(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
    r" (?P<host>\S+) (?P<prog>[\w/.-]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$"
)
_ISO = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?\s?(Z|[+-]\d\d:?\d\d)?")


def parse_syslog_prefix(
    line: str, state: ParseState
) -> tuple[datetime | None, str, str, str] | None:
    """``(timestamp, program, pid, message)`` of a syslog line (RFC 3164 or RFC 5424 stamp)."""
    match = _SYSLOG.match(line)
    if match is None:
        return None
    stamp = match.group("ts")
    when = parse_iso_time(stamp) if stamp[0].isdigit() else _bsd_time(stamp, state)
    return when, match.group("prog"), match.group("pid") or "", match.group("msg")


def _bsd_time(stamp: str, state: ParseState) -> datetime | None:
    """RFC 3164 stamps have no year or zone: assume UTC and the most recent such date."""
    year = state.year or state.now.year
    when = _bsd_stamp(year, stamp)
    if when is not None and state.year is None and when > state.now + timedelta(days=1):
        when = when.replace(year=year - 1)  # a December log read in January
    return when


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _bsd_stamp(year: int, stamp: str) -> datetime | None:
    """``Mar  4 10:00:01`` in ``year``, UTC (no strptime: it dominates the parse time)."""
    month = _MONTHS.get(stamp[:3])
    try:
        day, clock = int(stamp[4:6]), stamp[7:15]
        hour, minute, second = int(clock[0:2]), int(clock[3:5]), int(clock[6:8])
        return datetime(year, month or 0, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def parse_iso_time(text: str) -> datetime | None:
    """An ISO-8601-ish stamp anywhere at the start of ``text``; naive means UTC."""
    match = _ISO.search(text[:64])
    if match is None:
        return None
    date, clock, frac, zone = match.groups()
    zone = (zone or "+00:00").replace("Z", "+00:00")
    if len(zone) == 5:
        zone = zone[:3] + ":" + zone[3:]
    try:
        return datetime.fromisoformat(f"{date}T{clock}{zone}")
    except ValueError:
        return None


# -- replies ------------------------------------------------------------------------

#: After the code: a space or hyphen, Python's ``, b'``, or the end of the text (a quote and
#: a closing parenthesis allowed before it). ``\s*(?:\)\s*)?$`` rather than ``\s*\)?\s*$``:
#: two repeats of the same class in a row rescan a long run of spaces quadratically.
_CODE = re.compile(r"(?<![\w.:/,-])(?P<code>[2-5]\d\d)(?:[ -]|, b?['\"]|['\"]?\s*(?:\)\s*)?$)")
_ENHANCED = re.compile(r"(?P<enh>[245]\.\d{1,3}\.\d{1,3})(?:\s+|$)")


def find_reply(text: str, *, need_enhanced_for_2xx: bool = True) -> Reply | None:
    """The first SMTP reply in ``text``: ``535 Authentication Credentials Invalid``,
    ``550-5.7.26 ...``, Python's ``(535, b'...')``. Codes outside SMTP's set are ignored.
    """
    for match in _CODE.finditer(text):
        code = int(match.group("code"))
        rest = text[match.end() :]
        enhanced = _ENHANCED.match(rest)
        if code not in SMTP_CODES or (code < 400 and need_enhanced_for_2xx and not enhanced):
            continue
        if enhanced is not None:
            rest = rest[enhanced.end() :]
        return Reply(
            code=code,
            enhanced=enhanced.group("enh") if enhanced else "",
            text=_clean_reply_text(rest),
        )
    return None


_IN_REPLY_TO = re.compile(r"\(in reply to [^)]*\)\)?\s*")


def _clean_reply_text(text: str) -> str:
    # Postfix's "(in reply to RCPT TO command)" at the end. Found with rfind and checked with
    # a fullmatch from there: a search for "\s*\(in reply to" would rescan every run of
    # spaces from each of its positions (quadratic; a 640 KB log took 40 s).
    at = text.rfind("(in reply to ")
    if at >= 0 and _IN_REPLY_TO.fullmatch(text, at):
        text = text[:at].rstrip()
    text = re.sub(r"['\"]\)*\s*$", "", text.strip())  # the end of Python's (535, b'...')
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()  # the parenthesis the reply was quoted in
    return text.strip()[:500]


# -- reading ------------------------------------------------------------------------


def read_lines(path: Path) -> Iterator[str]:
    """Yield the lines of ``path`` (gzip or plain), decoded leniently, one at a time.

    Raises:
        OSError: if the file cannot be opened or read.
    """
    with path.open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if magic == b"\x1f\x8b" else raw
        yield from _lines(stream)


#: Lines between two :func:`~maildoctor.workers.checkpoint` calls.
CHECK_EVERY = 512


def _lines(stream: IO[bytes]) -> Iterator[str]:
    for n in itertools.count():
        if n % CHECK_EVERY == 0:
            checkpoint()  # a run's deadline can stop a log of gigabytes here
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk:
            return
        if not chunk.endswith(b"\n") and len(chunk) == MAX_LINE_BYTES:
            _skip_rest(stream)
        yield chunk.rstrip(b"\r\n").decode("utf-8", "replace")


def _skip_rest(stream: IO[bytes]) -> None:
    while True:
        more = stream.readline(MAX_LINE_BYTES)
        if not more or more.endswith(b"\n"):
            return
