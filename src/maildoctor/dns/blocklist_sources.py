"""Where the evidence names sending IPs and domains worth a blocklist lookup.

* ``--sending-ip``;
* the ``from`` part of every ``Received`` field of a message (``--headers``), and the host
  names of the links in its body;
* IPs quoted in a bounce's diagnostic text (``Client host [198.51.100.25] blocked using
  ...``), not the remote server's own address;
* IPs quoted in log lines that speak of a block or a listing, not the ``host name[IP]``
  of the server that said it.

Every reader is bounded (bytes read, IPs kept) and never raises for unreadable input: a
file that cannot be read gives nothing, and the layer that owns the file reports it.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..context import Context
from ..model import Finding
from ..workers import checkpoint, in_thread
from .blocklist import (
    MAX_SUBJECTS,
    check_blocklists,
    domains_in_text,
    ips_in_text,
    is_sending_candidate,
    left_out,
    select_lists,
)

__all__ = [
    "Subjects",
    "check_evidence_blocklists",
    "from_bounces",
    "from_headers",
    "from_logs",
    "gather",
]

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LOG_LINES = 200_000
MAX_LINE_CHARS = 64 * 1024
#: How many subjects past the limit are named in the report.
MAX_OVER = 1000
_BLOCK_WORDS = re.compile(
    r"(?i)block|listed|spamhaus|\brbl\b|dnsbl|blacklist|barracuda|spamcop|uceprotect|reputation"
)
#: Postfix writes the remote server as ``name[IP]`` (no space): that is not the sender.
_SAID_BY = re.compile(r"[A-Za-z0-9.-]+\[[0-9A-Fa-f:.]+\]")


@dataclass(slots=True)
class Subjects:
    """IPs and domains to look up, each with where the evidence named it (first wins)."""

    ips: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    #: Subjects past the limit, kept (bounded) so the report can name them.
    over: dict[str, None] = field(default_factory=dict)

    def add_ip(self, ip: str, origin: str) -> None:
        if not is_sending_candidate(ip) or ip in self.ips:
            return
        if len(self.ips) < MAX_SUBJECTS:
            self.ips[ip] = origin
        elif len(self.over) < MAX_OVER:
            self.over[ip] = None

    def add_domain(self, domain: str, origin: str) -> None:
        name = domain.rstrip(".").lower()
        if not name or name in self.domains:
            return
        if len(self.domains) < MAX_SUBJECTS:
            self.domains[name] = origin
        elif len(self.over) < MAX_OVER:
            self.over[name] = None


def from_headers(raw: bytes, subjects: Subjects) -> None:
    """Received-chain IPs and link domains of one message."""
    from ..message.received import parse_received

    message = email.message_from_bytes(raw[:MAX_FILE_BYTES], policy=email.policy.compat32)
    for index, value in enumerate(message.get_all("Received") or ()):
        hop = parse_received(" ".join(str(value).split()), header_index=index)
        if hop.from_ip:
            name = hop.from_rdns or hop.from_helo or "?"
            subjects.add_ip(hop.from_ip, f"Received: from {name} (hop {index + 1} from the top)")
    for text in _texts(message):
        for host in domains_in_text(text):
            subjects.add_domain(host, "a link in the message")


def _texts(message: email.message.Message) -> Iterator[str]:
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            yield payload.decode(part.get_content_charset() or "utf-8", "replace")


def from_bounces(records: Iterable[Any], subjects: Subjects) -> None:
    """IPs quoted in bounces' diagnostic text (records of :mod:`maildoctor.bounce`)."""
    for record in records:
        own = ips_in_text(getattr(record, "remote_mta", "") or "")
        for ip in ips_in_text(getattr(record, "diagnostic", "") or "", exclude=own):
            subjects.add_ip(ip, f"quoted in the bounce for {record.recipient}")


def from_logs(lines: Iterable[str], subjects: Subjects, *, name: str = "the log") -> None:
    """IPs quoted in log lines about a block or a listing."""
    for number, line in enumerate(lines, 1):
        if number > MAX_LOG_LINES:
            break
        if not _BLOCK_WORDS.search(line):
            continue
        for ip in ips_in_text(_SAID_BY.sub(" ", line)):
            subjects.add_ip(ip, f"quoted in {name} line {number}")


def gather(
    *,
    sending_ip: str | None = None,
    sender_domain: str | None = None,
    headers: Path | None = None,
    bounces: Iterable[Any] = (),
    logs: Iterable[Path] = (),
) -> Subjects:
    """Every IP and domain the evidence names, with where (bounded; never raises)."""
    subjects = Subjects()
    if sending_ip:
        subjects.add_ip(sending_ip, "--sending-ip")
    if sender_domain:
        subjects.add_domain(sender_domain, "the sender's domain")
    if headers is not None:
        _safely(lambda: from_headers(_read(headers), subjects), headers)
    from_bounces(bounces, subjects)
    for path in logs:
        _safely(_log_reader(path, subjects), path)
    return subjects


def _log_reader(path: Path, subjects: Subjects) -> Callable[[], None]:
    return lambda: from_logs(_lines(path), subjects, name=path.name)


def _read(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(MAX_FILE_BYTES)


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, each cut at :data:`MAX_LINE_CHARS` (a file with no newline, such as
    a compressed one, would otherwise be one 20 MB line handed to a regex that holds the
    interpreter for seconds)."""
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        read = 0
        for n in itertools.count():
            if n % 512 == 0:
                checkpoint()  # a run's deadline can stop a long log here
            line = fh.readline(MAX_LINE_CHARS)
            read += len(line)
            if not line or read > MAX_FILE_BYTES:
                return
            yield line


def _safely(action: Callable[[], None], path: Path) -> None:
    try:
        action()
    except (OSError, ValueError, LookupError) as exc:
        log.debug("cannot read %s for blocklist subjects: %s", path, exc)


async def check_evidence_blocklists(
    *,
    ctx: Context,
    sending_ip: str | None = None,
    sender_domain: str | None = None,
    headers: Path | None = None,
    bounces: Sequence[Path] = (),
    logs: Sequence[Path] = (),
    zones: Sequence[str] = (),
) -> tuple[Finding, ...]:
    """Look up every sending IP and domain the evidence names (``diagnose``'s blocklist layer).

    Args:
        ctx: The run's context.
        sending_ip: ``--sending-ip``.
        sender_domain: The From domain (asked of the domain lists).
        headers: A received message.
        bounces: Bounce files (read through :func:`maildoctor.bounce.classify_path`).
        logs: Mail logs.
        zones: Extra blocklist zones (``--dnsbl``).

    Returns:
        The blocklist findings; empty when the evidence names no IP or domain.

    Raises:
        ValueError: for a ``zones`` entry that is not a DNS name.
    """
    lists = select_lists(zones)
    records = await in_thread(_bounce_records, bounces)  # a stuck parse must not hold the run
    subjects = await in_thread(
        gather,
        sending_ip=sending_ip,
        sender_domain=sender_domain,
        headers=headers,
        bounces=records,
        logs=logs,
    )
    found = await check_blocklists(subjects.ips, subjects.domains, ctx=ctx, lists=lists)
    return found + left_out(list(subjects.over), MAX_SUBJECTS)


def _bounce_records(paths: Sequence[Path]) -> list[Any]:
    if not paths:
        return []
    from ..bounce import classify_path

    records: list[Any] = []
    for path in paths:
        try:
            records.extend(classify_path(path))
        except Exception as exc:  # noqa: BLE001 - the bounce layer reports unreadable input
            log.debug("cannot read %s for blocklist subjects: %s", path, exc)
    return records
