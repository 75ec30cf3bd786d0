"""Sending logs summarised: outcomes per recipient, reply codes and reasons over time,
shared relays and credentials, and the findings they point to.

:func:`analyze_logs` streams every file once (memory bounded by the number of
distinct recipients, codes and hours, each capped), :func:`log_findings` turns
the summary into findings:

* ``client.logs.empty``, ``client.logs.unrecognised`` - what could not be read;
* ``recipient.logs.outcomes`` - per-recipient outcomes, counts by code and hour;
* ``<layer>.logs.<reason>`` - one per failure group, reason in Sisimai's
  vocabulary (``client.logs.securityerror``, ``recipient.logs.userunknown``,
  ``provider.logs.rejected``, ``transport.logs.networkerror``...), with ``cause=``;
* ``client.logs.single_relay``, ``client.logs.single_connection``,
  ``client.logs.single_credential`` - every message through one relay, one
  SMTP connection or one credential.

* ``client.logs.inbound_auth_failures`` - clients failing to log in to the user's own
  server (Postfix smtpd, Exim, sendmail SASL): a security note, not why mail fails.

Replies are read by :func:`maildoctor.replies.classify`, the classifier bounces, probes
and ``explain`` use too.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from ..model import Evidence, Finding, Layer, Status
from ..replies import ReplyVerdict
from ..replies import classify as read_reply
from .formats import parse_line
from .parse import LogEvent, ParseState, Reply, read_lines

__all__ = [
    "FailureGroup",
    "FileStats",
    "LogSummary",
    "RecipientOutcome",
    "analyze_logs",
    "cause_for",
    "classify",
    "log_findings",
]

log = logging.getLogger(__name__)

#: Bounds on what a summary keeps (DESIGN.md "Safety").
MAX_RECIPIENTS = 10_000
MAX_KEYS = 1_000
MAX_SAMPLES = 5

#: Formats whose AUTH failures are clients logging in to the user's own server.
_SERVER_FORMATS = frozenset(("postfix", "exim", "sendmail"))


# -- classification ------------------------------------------------------------------


def side_of(event: LogEvent) -> str:
    """``inbound`` for a client failing to log in to this server (smtpd SASL), else ""."""
    return "inbound" if event.kind == "auth_failure" and event.format in _SERVER_FORMATS else ""


def verdict_for(reply: Reply, relay_host: str = "", *, side: str = "") -> ReplyVerdict:
    """What one logged reply means (:func:`maildoctor.replies.classify`, context ``log``).

    Args:
        reply: Code, enhanced status and text.
        relay_host: The server that gave it (or, inbound, the client).
        side: ``inbound`` when our own server refused a client.

    Returns:
        The verdict.
    """
    return read_reply(
        reply.text,
        code="" if reply.code is None else str(reply.code),
        status=reply.enhanced,
        host="" if side else relay_host,
        side=side,
        context="log",
    )


def classify(reply: Reply) -> str:
    """Sisimai reason for an SMTP reply (REFERENCE.md section 5).

    Args:
        reply: Code, enhanced status and text.

    Returns:
        A reason word; ``delivered`` for 2xx, ``onhold`` when nothing matches.
    """
    if reply.code is not None and reply.code < 400:
        return "delivered"
    return verdict_for(reply).reason


def cause_for(reason: str, reply: Reply, relay_host: str) -> tuple[Layer, str]:
    """The layer and catalogue id a failed reply points to.

    Args:
        reason: Sisimai reason of the reply (kept for callers; the classifier decides).
        reply: The reply itself.
        relay_host: The server that gave it.

    Returns:
        ``(layer, cause id or "")``.
    """
    verdict = verdict_for(reply, relay_host)
    return verdict.layer, verdict.cause


# -- summary model ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class FileStats:
    """How one file read: lines, recognised lines, events and unrecognised samples."""

    path: str
    lines: int
    recognised: int
    events: int
    unrecognised: int
    samples: tuple[str, ...] = ()
    formats: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecipientOutcome:
    """Every attempt for one recipient, and the last one."""

    recipient: str
    attempts: int
    by_status: Mapping[str, int]
    last_status: str
    last_reply: str
    last_reason: str
    last_time: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "recipient": self.recipient,
            "attempts": self.attempts,
            "by_status": dict(self.by_status),
            "last_status": self.last_status,
            "last_reply": self.last_reply,
            "last_reason": self.last_reason,
            "last_time": self.last_time.isoformat() if self.last_time else None,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FailureGroup:
    """Failures sharing a layer, reason and cause."""

    layer: Layer
    reason: str
    cause: str
    count: int
    permanent: int
    first: datetime | None
    last: datetime | None
    codes: Mapping[str, int]
    relays: Mapping[str, int]
    usernames: Mapping[str, int]
    connections: Mapping[str, int]
    recipients: int
    sample: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSummary:
    """What a set of log files says.

    Attributes:
        files: Per-file reading statistics.
        events: Outcome events read.
        by_status: Events per status (``sent``, ``deferred``, ``bounced``...).
        by_code: Events per reply label (``535``, ``550 5.1.1``).
        by_reason: Failures per Sisimai reason.
        by_hour: ``{hour (UTC ISO): {"<code> <reason>": count}}``.
        recipients: Outcomes per recipient (at most :data:`MAX_RECIPIENTS`).
        recipients_dropped: Recipients not tracked because of that bound.
        failures: Failure groups, largest first.
        relays: Events per relay host.
        connections: Events per SMTP connection key.
        usernames: Events per SMTP AUTH identity.
    """

    files: tuple[FileStats, ...]
    events: int
    by_status: Mapping[str, int]
    by_code: Mapping[str, int]
    by_reason: Mapping[str, int]
    by_hour: Mapping[str, Mapping[str, int]]
    recipients: Mapping[str, RecipientOutcome]
    recipients_dropped: int
    failures: tuple[FailureGroup, ...]
    relays: Mapping[str, int]
    connections: Mapping[str, int]
    usernames: Mapping[str, int]

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.files)

    @property
    def unrecognised(self) -> int:
        return sum(f.unrecognised for f in self.files)


# -- accumulation ------------------------------------------------------------------


def _bump(counter: Counter[str], key: str, amount: int = 1) -> None:
    if key in counter or len(counter) < MAX_KEYS:
        counter[key] += amount


@dataclass
class _Group:
    count: int = 0
    permanent: int = 0
    first: datetime | None = None
    last: datetime | None = None
    codes: Counter[str] = field(default_factory=Counter)
    relays: Counter[str] = field(default_factory=Counter)
    usernames: Counter[str] = field(default_factory=Counter)
    connections: Counter[str] = field(default_factory=Counter)
    recipients: set[str] = field(default_factory=set)
    sample: str = ""


@dataclass
class _Recipient:
    attempts: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    last: LogEvent | None = None
    last_reason: str = ""


@dataclass
class _Accumulator:
    events: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    by_hour: dict[str, Counter[str]] = field(default_factory=dict)
    recipients: dict[str, _Recipient] = field(default_factory=dict)
    recipients_dropped: int = 0
    groups: dict[tuple[Layer, str, str, str], _Group] = field(default_factory=dict)
    relays: Counter[str] = field(default_factory=Counter)
    connections: Counter[str] = field(default_factory=Counter)
    usernames: Counter[str] = field(default_factory=Counter)

    def add(self, event: LogEvent) -> None:
        self.events += 1
        _bump(self.by_status, event.status)
        side = side_of(event)
        verdict = None if event.status == "sent" else verdict_for(
            event.reply, event.relay_host, side=side
        )  # fmt: skip
        reason = verdict.reason if verdict else "delivered"
        if event.reply.code or event.reply.enhanced:
            _bump(self.by_code, event.reply.label())
        self._track_paths(event)
        self._track_hour(event, reason)
        if event.recipient:
            self._track_recipient(event, reason)
        if event.status != "sent":
            _bump(self.by_reason, reason)
            assert verdict is not None
            self._track_failure(event, verdict)

    def _track_paths(self, event: LogEvent) -> None:
        if event.relay_host:
            _bump(self.relays, event.relay_host.lower())
        if event.connection:
            _bump(self.connections, _connection_key(event))
        if event.username:
            _bump(self.usernames, event.username)

    def _track_hour(self, event: LogEvent, reason: str) -> None:
        if event.timestamp is None:
            return
        hour = event.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:00Z")
        if hour not in self.by_hour and len(self.by_hour) >= MAX_KEYS:
            return
        _bump(self.by_hour.setdefault(hour, Counter()), f"{event.reply.label()} {reason}")

    def _track_recipient(self, event: LogEvent, reason: str) -> None:
        key = event.recipient.lower()
        entry = self.recipients.get(key)
        if entry is None:
            if len(self.recipients) >= MAX_RECIPIENTS:
                self.recipients_dropped += 1
                return
            entry = self.recipients[key] = _Recipient()
        entry.attempts += 1
        entry.by_status[event.status] += 1
        entry.last, entry.last_reason = event, reason

    def _track_failure(self, event: LogEvent, verdict: ReplyVerdict) -> None:
        key = (verdict.layer, verdict.reason, verdict.cause, verdict.note)
        group = self.groups.setdefault(key, _Group())
        group.count += 1
        group.permanent += _is_permanent(event)
        if event.timestamp is not None:
            group.first = min(group.first or event.timestamp, event.timestamp)
            group.last = max(group.last or event.timestamp, event.timestamp)
        _bump(group.codes, event.reply.label())
        # Inbound, the "relay" is the client that failed to log in: name it by address.
        peer = event.relay_host or (event.relay_ip if verdict.note else "")
        if peer:
            _bump(group.relays, peer.lower())
        if event.username:
            _bump(group.usernames, event.username)
        if event.connection:
            _bump(group.connections, _connection_key(event))
        if event.recipient and len(group.recipients) < MAX_RECIPIENTS:
            group.recipients.add(event.recipient.lower())
        group.sample = group.sample or _sample(event)


def _connection_key(event: LogEvent) -> str:
    relay = f" -> {event.relay_host.lower()}" if event.relay_host else ""
    return f"{event.connection}{relay}"


def _is_permanent(event: LogEvent) -> bool:
    if event.kind == "auth_failure":
        return True
    if event.status in ("bounced", "expired"):
        return True
    return bool(event.reply.code and event.reply.code >= 500 and event.status != "deferred")


def _sample(event: LogEvent) -> str:
    where = f"{event.path}:{event.line_no}" if event.path else ""
    return f"{where} {event.reply.label()} {event.reply.text}".strip()[:300]


# -- reading ------------------------------------------------------------------------


def analyze_logs(
    paths: Iterable[str | Path], *, year: int | None = None, now: datetime | None = None
) -> LogSummary:
    """Read every file line by line and summarise what happened to the mail.

    Args:
        paths: Log files (plain or gzip).
        year: Year for syslog stamps that carry none (default: the most recent
            year that does not put the line in the future).
        now: The current time, for that inference (default: the wall clock).

    Returns:
        The summary.

    Raises:
        InputError: if a file cannot be opened or read.
    """
    state = ParseState(year=year, now=now)
    acc = _Accumulator()
    files = tuple(_read_file(Path(p), state, acc) for p in paths)
    return _freeze(files, acc)


def _read_file(path: Path, state: ParseState, acc: _Accumulator) -> FileStats:
    lines = recognised = events = 0
    samples: list[str] = []
    formats: Counter[str] = Counter()
    try:
        for line_no, line in enumerate(read_lines(path), 1):
            if not line.strip():
                continue
            lines += 1
            parsed = parse_line(line, state)
            if parsed is None:
                if len(samples) < MAX_SAMPLES:
                    samples.append(f"{line_no}: {line[:200]}")
                continue
            recognised += 1
            formats[parsed.format] += 1
            for event in parsed.events:
                acc.add(_located(event, path, line_no))
                events += 1
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return FileStats(
        path=str(path),
        lines=lines,
        recognised=recognised,
        events=events,
        unrecognised=lines - recognised,
        samples=tuple(samples),
        formats=dict(formats),
    )


def _located(event: LogEvent, path: Path, line_no: int) -> LogEvent:
    return replace(event, path=str(path), line_no=line_no)


def _freeze(files: tuple[FileStats, ...], acc: _Accumulator) -> LogSummary:
    groups = sorted(acc.groups.items(), key=lambda item: -item[1].count)
    return LogSummary(
        files=files,
        events=acc.events,
        by_status=dict(acc.by_status),
        by_code=dict(acc.by_code.most_common()),
        by_reason=dict(acc.by_reason.most_common()),
        by_hour={h: dict(c) for h, c in sorted(acc.by_hour.items())},
        recipients={k: _recipient_outcome(k, r) for k, r in acc.recipients.items()},
        recipients_dropped=acc.recipients_dropped,
        failures=tuple(_failure_group(key, g) for key, g in groups),
        relays=dict(acc.relays.most_common()),
        connections=dict(acc.connections.most_common()),
        usernames=dict(acc.usernames.most_common()),
    )


def _recipient_outcome(address: str, entry: _Recipient) -> RecipientOutcome:
    last = entry.last
    assert last is not None
    return RecipientOutcome(
        recipient=address,
        attempts=entry.attempts,
        by_status=dict(entry.by_status),
        last_status=last.status,
        last_reply=f"{last.reply.label()} {last.reply.text}".strip(),
        last_reason=entry.last_reason,
        last_time=last.timestamp,
    )


def _failure_group(key: tuple[Layer, str, str, str], group: _Group) -> FailureGroup:
    layer, reason, cause, note = key
    return FailureGroup(
        layer=layer,
        reason=reason,
        cause=cause,
        note=note,
        count=group.count,
        permanent=group.permanent,
        first=group.first,
        last=group.last,
        codes=dict(group.codes.most_common()),
        relays=dict(group.relays.most_common()),
        usernames=dict(group.usernames.most_common()),
        connections=dict(group.connections.most_common()),
        recipients=len(group.recipients),
        sample=group.sample,
    )


# -- findings ------------------------------------------------------------------------


def log_findings(summary: LogSummary) -> tuple[Finding, ...]:
    """Findings from a summary (check ids in the module docstring).

    Args:
        summary: What :func:`analyze_logs` returned.

    Returns:
        Findings, failures first.
    """
    findings = [_failure_finding(g) for g in summary.failures]
    findings += _pattern_findings(summary)
    findings += _reading_findings(summary)
    if summary.events:
        findings.append(_outcomes_finding(summary))
    return tuple(findings)


def _when(group: FailureGroup) -> str:
    if group.first is None or group.last is None:
        return ""
    return f" between {group.first.isoformat()} and {group.last.isoformat()}"


def _top(counts: Mapping[str, int], limit: int = 5) -> str:
    return ", ".join(f"{k} ({v})" for k, v in list(counts.items())[:limit]) or "none logged"


def _failure_finding(group: FailureGroup) -> Finding:
    if group.note:
        return _note_finding(group)
    status = Status.FAIL if group.permanent else Status.WARN
    codes = _top(group.codes, 3)
    subject = next(iter(group.relays), "") or next(iter(group.usernames), "") or group.reason
    summary = f"{group.count} {group.reason} failure(s) [{codes}]" + (
        f" via {_top(group.relays, 2)}" if group.relays else ""
    )
    detail = "\n".join(
        (
            f"{group.permanent} permanent, {group.count - group.permanent} temporary{_when(group)}",
            f"recipients affected: {group.recipients}",
            f"SMTP usernames: {_top(group.usernames)}",
            f"connections: {_top(group.connections)}",
            f"example: {group.sample}",
        )
    )
    return Finding(
        check=f"{group.layer}.logs.{group.reason}",
        layer=group.layer,
        status=status,
        subject=subject,
        summary=summary,
        detail=detail,
        cause=group.cause,
        fix=_FIXES.get(group.cause, ""),
        reference=_REFERENCES.get(group.reason, ""),
        evidence=(
            Evidence(
                id=f"logs:{group.reason}:{group.cause}",
                source="file",
                query="log lines",
                outcome=codes,
                raw=(group.sample,),
            ),
        ),
        data={
            "count": group.count,
            "permanent": group.permanent,
            "codes": dict(group.codes),
            "relays": dict(group.relays),
            "usernames": dict(group.usernames),
            "connections": dict(list(group.connections.items())[:20]),
        },
    )


def _note_finding(group: FailureGroup) -> Finding:
    """Inbound login failures: a security note about the user's server, never a cause."""
    clients = _top(group.relays, 3)
    return Finding(
        check="client.logs.inbound_auth_failures",
        layer=Layer.CLIENT,
        status=Status.INFO,
        subject=clients,
        summary=f"{group.count} failed SMTP login(s) to this server from {clients}: someone "
        "may be guessing passwords. A security note, not why outgoing mail fails.",
        detail=f"usernames tried: {_top(group.usernames)}\nexample: {group.sample}",
        fix="Block the clients (fail2ban), require TLS for AUTH, and check that no account "
        "uses a guessable password.",
        reference="RFC 4954 section 6; catalogue " + group.note,
        evidence=(
            Evidence(
                id="logs:inbound_auth",
                source="file",
                query="log lines",
                outcome=_top(group.codes, 3),
                raw=(group.sample,),
            ),
        ),  # fmt: skip
        data={"count": group.count, "usernames": dict(group.usernames)},
    )


_FIXES = {
    "client.smtp_auth.stale_ses_password": "The SES SMTP password no longer matches an active "
    "IAM access key (rotated or deleted). Derive a new SMTP password from the current secret "
    "for this region (maildoctor ses-smtp-password) and update it where it is stored - for Gmail "
    "'Send mail as', in Gmail's settings.",
    "client.smtp_auth.failed": "Update the SMTP username/password the sender uses for this relay.",
    "client.smtp_auth.required": "Configure the client to authenticate (after STARTTLS).",
    "provider.ses.identity_unverified": "Verify the sender address or its domain in this SES "
    "region (and leave the sandbox to send to unverified recipients).",
    "provider.ses.send_permission_missing": "Grant ses:SendRawEmail to the IAM user behind "
    "the SMTP credentials.",
    "provider.ses.throttled": "Slow the sending rate or request a higher SES quota.",
}
_REFERENCES = {
    "securityerror": "RFC 4954 section 6",
    "userunknown": "RFC 3463 section 3.2 (X.1.1)",
    "authfailure": "RFC 7489 section 6.6; REFERENCE.md section 5",
}


def _pattern_findings(summary: LogSummary) -> list[Finding]:
    findings: list[Finding] = []
    relayed = sum(summary.relays.values())
    if len(summary.relays) == 1 and relayed >= 2:
        host = next(iter(summary.relays))
        findings.append(
            _pattern(
                "client.logs.single_relay",
                host,
                f"All {relayed} logged attempts went through one relay: {host}",
                "Whatever is wrong with this relay or its login affects every message.",
            )
        )
    if len(summary.connections) == 1 and summary.events >= 2:
        key = next(iter(summary.connections))
        findings.append(
            _pattern(
                "client.logs.single_connection",
                key,
                f"Every logged attempt used the same SMTP connection ({key})",
                "One session carried all the mail: a failure at login affects all of it.",
            )
        )
    auth_users = {
        u for g in summary.failures if g.reason == "securityerror" and not g.note
        for u in g.usernames
    }  # fmt: skip
    if len(auth_users) == 1:
        user = next(iter(auth_users))
        findings.append(
            _pattern(
                "client.logs.single_credential",
                user,
                f"Every SMTP AUTH failure used the same credential ({user})",
                "One stored username/password is the common factor: fix it where it is stored.",
                status=Status.WARN,
            )
        )
    return findings


def _pattern(
    check: str, subject: str, summary: str, detail: str, *, status: Status = Status.INFO
) -> Finding:
    return Finding(
        check=check,
        layer=Layer.CLIENT,
        status=status,
        subject=subject,
        summary=summary,
        detail=detail,
    )


def _reading_findings(summary: LogSummary) -> list[Finding]:
    if summary.lines == 0:
        return [
            Finding(
                check="client.logs.empty",
                layer=Layer.CLIENT,
                status=Status.INFO,
                subject="logs",
                summary="The log files have no lines",
            )
        ]
    if not summary.unrecognised:
        return []
    recognised = summary.lines - summary.unrecognised
    samples = [f"{f.path}:{s}" for f in summary.files for s in f.samples][:MAX_SAMPLES]
    return [
        Finding(
            check="client.logs.unrecognised",
            layer=Layer.CLIENT,
            status=Status.WARN if recognised == 0 else Status.INFO,
            subject="logs",
            summary=f"{summary.unrecognised} of {summary.lines} line(s) are in no known format"
            + (" - is this a mail log?" if recognised == 0 else ""),
            detail="\n".join(samples),
            data={"unrecognised": summary.unrecognised, "lines": summary.lines},
        )
    ]


def _outcomes_finding(summary: LogSummary) -> Finding:
    recipients = sorted(summary.recipients.values(), key=lambda r: r.recipient)
    lines = [
        f"{r.recipient}: {r.last_status} ({r.last_reply or 'no reply'}), {r.attempts} attempt(s)"
        for r in recipients[:20]
    ]
    if len(recipients) > 20:
        lines.append(f"... and {len(recipients) - 20} more")
    return Finding(
        check="recipient.logs.outcomes",
        layer=Layer.RECIPIENT,
        status=Status.INFO,
        subject="logs",
        summary=f"{summary.events} outcome(s): "
        + ", ".join(f"{n} {s}" for s, n in sorted(summary.by_status.items())),
        detail="\n".join(lines),
        data={
            "by_status": dict(summary.by_status),
            "by_code": dict(summary.by_code),
            "by_reason": dict(summary.by_reason),
            "by_hour": dict(list(summary.by_hour.items())[-200:]),
            "recipients": [r.to_dict() for r in recipients[:200]],
            "recipients_dropped": summary.recipients_dropped,
        },
    )
