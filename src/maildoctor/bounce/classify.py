"""From a message to classified :class:`DeliveryStatus` records.

Pipeline for one message (one function per step):

1. :func:`parse.read_mail` - MIME, headers, flat text;
2. the first source in :data:`sources.SOURCES` that claims the message extracts
   raw per-recipient records (what the report *says*);
3. :func:`finalize` normalises codes and text, then decides reason (local
   delivery agents, then provider rules, then the phrase tables), hard/soft,
   layer and root cause (what it *means*).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Evidence, Finding, Layer, Status
from ..replies import classify as read_reply
from ._text import find_address, find_host, is_email, parse_date, sweep
from .codes import find_reply, find_status, is_real_status, is_temporary, prefer_status
from .model import DeliveryStatus
from .parse import Mail, mail_from_text, read_mail
from .readers import Item, iter_inputs
from .ses_events import SUBTYPE_HINTS, records
from .sources import SOURCES
from .sources.googleworkspace import SEND_AS

__all__ = [
    "Result",
    "classify_bytes",
    "classify_inputs",
    "classify_item",
    "classify_mail",
    "classify_path",
    "finalize",
    "to_findings",
]

log = logging.getLogger(__name__)

#: How many returned messages deep a report is looked for (a bounce of a bounce).
MAX_NESTED_REPORTS = 2

_HTML = re.compile(r"(?is)<html>.*?</html>")
_RECEIVED_FROM = re.compile(r"\bfrom\s+([A-Za-z0-9._-]+\.[A-Za-z]{2,})", re.I)
_RECEIVED_BY = re.compile(r"\bby\s+([A-Za-z0-9._-]+\.[A-Za-z]{2,})", re.I)


def classify_path(path: str | Path) -> Iterator[DeliveryStatus]:
    """Classify every bounced recipient in a file, mailbox, maildir or JSON file.

    Args:
        path: A path, or ``-`` for standard input.

    Yields:
        One :class:`DeliveryStatus` per bounced recipient, in input order.

    Raises:
        InputError: When the path cannot be read.
    """
    for result in classify_inputs(path):
        yield from result.records


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The outcome for one input item: its records (none for a non-bounce) and warnings."""

    origin: str
    records: tuple[DeliveryStatus, ...]
    warnings: tuple[str, ...] = ()

    @property
    def is_bounce(self) -> bool:
        """True when the item yielded at least one record."""
        return bool(self.records)


def classify_inputs(path: str | Path) -> Iterator[Result]:
    """Classify every message and notification under ``path``, one result per item.

    Args:
        path: A file, mbox, maildir, directory, JSON file, or ``-`` for standard input.

    Yields:
        One :class:`Result` per message or notification read.

    Raises:
        InputError: When the path cannot be read.
    """
    for item in iter_inputs(path):
        yield classify_item(item)


def classify_item(item: Item) -> Result:
    """Classify one input item; a failure is reported as a warning, never raised."""
    try:
        found, warnings = _classify_item(item)
    except Exception as exc:  # noqa: BLE001 - one unreadable message must not end a run
        log.warning("cannot classify %s: %s", item.origin, exc)
        failure = f"not classified: {type(exc).__name__}: {exc}"
        return Result(origin=item.origin, records=(), warnings=(*item.warnings, failure))
    if item.warnings:
        found = [dataclasses.replace(r, warnings=item.warnings + r.warnings) for r in found]
    return Result(origin=item.origin, records=tuple(found), warnings=item.warnings + warnings)


def _classify_item(item: Item) -> tuple[list[DeliveryStatus], tuple[str, ...]]:
    if item.notification is not None:
        rows = (finalize(row, origin=item.origin) for row in records(item.notification))
        return [r for r in rows if r], ()
    if not item.raw:
        return [], ()
    mail = read_mail(item.raw)
    return classify_mail(mail, origin=item.origin), tuple(mail.warnings)


def classify_bytes(raw: bytes, *, origin: str = "") -> list[DeliveryStatus]:
    """Classify one raw message (bytes); a non-bounce gives an empty list."""
    return classify_mail(read_mail(raw), origin=origin)


def classify_mail(mail: Mail, *, origin: str = "", depth: int = 0) -> list[DeliveryStatus]:
    """Classify one parsed message with the first source that claims it.

    When no source claims it and it carries a returned message that is itself a
    bounce (a bounce of a bounce, a forwarded report), that message is read instead,
    at most :data:`MAX_NESTED_REPORTS` levels deep.
    """
    rows = _first_source(mail, origin)
    if rows is None and depth < MAX_NESTED_REPORTS and mail.inner is not None:
        return classify_mail(mail_from_text(mail.inner), origin=origin, depth=depth + 1)
    return rows or []


def _first_source(mail: Mail, origin: str) -> list[DeliveryStatus] | None:
    for name, parse in SOURCES:
        try:
            rows = parse(mail)
        except Exception as exc:  # noqa: BLE001 - one broken source must not stop the rest
            log.warning("bounce source %s failed on %s: %s", name, origin or "input", exc)
            mail.warnings.append(f"source {name} failed: {type(exc).__name__}")
            continue
        if rows:
            return [r for r in (finalize(row, mail, origin=origin) for row in rows) if r]
    return None


def finalize(
    row: DeliveryStatus, mail: Mail | None = None, *, origin: str = ""
) -> DeliveryStatus | None:
    """Normalise one raw record and decide its reason, hard/soft, layer and cause.

    Args:
        row: The record a source produced.
        mail: The message it came from (hosts, dates and sender fall back to it).
        origin: Where the message came from, for reports.

    Returns:
        The classified record, or None when the recipient is not an address.
    """
    if not is_email(row.recipient):
        return None
    diagnostic, status, reply = _normalise_codes(row.diagnostic, row.status, row.reply_code)
    spec = row.diagnostic_type or _default_spec(row.reason)
    rhost, lhost = _hosts(row, diagnostic, mail)
    verdict = read_reply(
        diagnostic,
        code=reply,
        status=status,
        host=rhost,
        reporting_host=lhost or row.generating_server,
        recipient_domain=row.domain,
        step=row.command,
        context="bounce",
        notice=row.notice,
        reason=row.reason,
        fallback_reason=SUBTYPE_HINTS.get(row.bounce_subtype, ""),
        diagnostic_type=spec,
        action=row.action,
    )
    reason = verdict.reason
    if reason in ("feedback", "vacation"):
        reply = ""
    reply = _align_reply(reason, status, reply, diagnostic)
    action = _action(row.action, reason, status, reply, mail)
    layer, cause = verdict.layer, verdict.cause
    if action == "delayed" and cause == "transport.delivery_expired":
        # A warning: nothing has expired yet. The reply it quotes says what is failing
        # now (a timeout is the network), read as a log line would be.
        now = read_reply(diagnostic, code=reply, status=status, host=rhost, context="log")
        layer, cause = (now.layer, now.cause) if now.reason != "expired" else (layer, "")
    return dataclasses.replace(
        row,
        diagnostic=diagnostic,
        diagnostic_type=spec,
        status=status if is_real_status(status) else "",
        reply_code=reply,
        reason=reason,
        hard_bounce=verdict.hard,
        action=action,
        permanent=action == "failed",
        retry_until=retry_until(mail) if mail and action == "delayed" else "",
        remote_mta=rhost,
        reporting_mta=lhost,
        layer=layer,
        cause=cause,
        outbound_ban=verdict.cause == "provider.microsoft365.outbound_ban",
        timestamp=row.timestamp or (parse_date(mail.header("date")) if mail else None),
        sender=row.sender or (_sender(mail, row.notice) if mail else ""),
        origin=origin or row.origin,
        warnings=row.warnings + tuple(mail.warnings if mail else ()),
    )


def _normalise_codes(diagnostic: str, status: str, reply: str) -> tuple[str, str, str]:
    """Codes found in the text refine the fields; ``550-5.7.1`` continuations are folded."""
    text = diagnostic.replace("\r", "")
    if not text:
        return "", status, reply
    in_text = find_status(text)
    found_reply = find_reply(text, in_text)
    status = prefer_status(status, in_text, found_reply)
    if len(found_reply) == 3:
        reply = reply or found_reply
        if found_reply + "-" in text:
            # "550-5.7.1 line one 550-5.7.1 line two 550 5.7.1 last": keep one prefix.
            for sep in ("-", " "):
                if in_text:
                    text = text.replace(found_reply + sep + in_text, "")
                text = text.replace(found_reply + sep, "")
            if found_reply in text:
                text = f"{found_reply} {in_text} {text}"
    lowered = text.lower()
    start, end = lowered.find("<html>"), lowered.find("</html>")
    if start > 0 and end > 0:
        text = text[:start] + " " + text[end + 7 :]
    return sweep(text), status, reply


def _default_spec(reason: str) -> str:
    if reason == "mailererror":
        return "X-UNIX"
    return "" if reason in ("feedback", "vacation") else "SMTP"


def _hosts(row: DeliveryStatus, diagnostic: str, mail: Mail | None) -> tuple[str, str]:
    rhost = _clean_host(row.remote_mta)
    if not rhost:
        rhost = find_host(diagnostic)
    received = mail.headers.get("received", []) if mail and not row.notice else []
    if not rhost:
        rhost = next((h for h in (_received_host(r, _RECEIVED_FROM) for r in reversed(received))
                      if h), "")  # fmt: skip
    lhost = _clean_host(row.reporting_mta)
    if lhost == rhost:
        lhost = ""
    if not lhost:
        lhost = next((h for h in (_received_host(r, _RECEIVED_BY) for r in received) if h), "")
    return rhost, lhost


def _received_host(header: str, pattern: re.Pattern[str]) -> str:
    match = pattern.search(header)
    host = match.group(1).lower().rstrip(".") if match else ""
    return "" if host in ("localhost", "localhost.localdomain") else host


def _clean_host(host: str) -> str:
    """``dns; [mx.example.jp] (192.0.2.1)`` -> ``mx.example.jp``."""
    host = host.strip()
    if "@" in host:
        host = host.split("@", 1)[1]
    for ch in "()[]\r":
        host = host.replace(ch, "")
    if "=" in host:
        host = host.split("=", 1)[1]
    words = host.split()
    if len(words) > 1:
        host = next((w for w in words if not re.fullmatch(r"[\d.]+", w)), words[0])
    return host.rstrip(".").lower()


def _align_reply(reason: str, status: str, reply: str, diagnostic: str) -> str:
    """Drop or re-find a reply code whose class disagrees with the status class."""
    klass = status[:1] or _pseudo_class(reason, reply, diagnostic)
    if klass == reply[:1]:
        return reply
    other = find_reply(diagnostic, klass)
    return other if other.startswith(klass) else ""


def _pseudo_class(reason: str, reply: str, diagnostic: str) -> str:
    """The class of Sisimai's placeholder code: 4 when the text reads as temporary."""
    if reason in ("delivered", "feedback", "vacation"):
        return ""
    text = reply + " " + diagnostic
    temporary = len(text) >= 4 and is_temporary(text)
    if temporary and reason in ("userunknown", "hostunknown", "hasmoved"):
        return ""
    return "4" if temporary else "5"


_FINAL_ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
_WARNING_SUBJECT = re.compile(
    r"(?i)\b(?:delay(?:ed)?|warning|still being retried|not yet (?:been )?delivered|"
    r"will (?:be )?retr(?:y|ied)|temporar(?:y|ily))\b"
)
_FAILURE_SUBJECT = re.compile(r"(?i)undeliver|fail|returned|rejected|could not be delivered")
_WARNING_TEXT = (
    "this is a warning message only", "no action is required on your part",
    "will continue to try", "will keep trying", "will retry", "still trying",
    "will be retried", "delivery attempts will continue", "has not yet been delivered",
    "hasn't been delivered yet", "delivery has been delayed", "message is delayed",
)  # fmt: skip
_GAVE_UP_TEXT = ("permanent", "giving up", "will not retry", "gave up", "too long",
                 "could not be delivered", "undeliverable", "has been rejected")  # fmt: skip
_RETRY_UNTIL = (
    re.compile(r"(?im)^will-retry-until:\s*(.+)$"),
    re.compile(r"(?i)retried until it is ([^.\n]{1,40}?) old"),
    re.compile(r"(?i)keep trying until (?:the )?message is ([^.\n]{1,40}?) old"),
    re.compile(
        r"(?i)(?:will (?:be )?(?:re)?tr(?:y|ied)|keep trying|continue (?:to try|trying))"
        r"(?: to deliver(?: it)?)? for (?:another |the next |up to )?"
        r"(\d+ (?:more )?(?:day|hour|minute)s?(?:\(s\))?)"
    ),
    re.compile(
        r"(?i)(?:will (?:be )?(?:re)?tr(?:y|ied)|continue (?:to try|trying|delivery "
        r"attempts)|keep trying)[^.\n]{0,30}?\buntil\s+([^.\n]{4,60})"
    ),
)


def _action(action: str, reason: str, status: str, reply: str, mail: Mail | None) -> str:
    """The final RFC 3464 action: the DSN's own field wins over the status class.

    ``Action: failed`` with a 4.x.x status is a message given up after retries (X.400
    gateways, "not collected after 30 days"): permanent. ``expired`` is reported as
    ``failed`` (the sender gave up). Without an Action field a notice that reads as a
    warning ("still trying", "will retry") is ``delayed``, any other failure ``failed``.
    """
    if reason == "delivered":
        return "delivered"
    if action == "expired":
        return "failed"
    if action in _FINAL_ACTIONS:
        return action
    if mail is not None and is_warning(mail):
        return "delayed"
    if reason in ("feedback", "vacation"):
        return action
    # A non-delivery notice that is not a warning reports a failure, code or not.
    return "failed"


def is_warning(mail: Mail) -> bool:
    """True when a notice without an Action field is a delay warning, not a failure."""
    subject = mail.subject
    if _WARNING_SUBJECT.search(subject) and not _FAILURE_SUBJECT.search(subject):
        return True
    report = mail.report[:8192].lower()
    if not any(p in report for p in _WARNING_TEXT):
        return False
    return not any(p in report for p in _GAVE_UP_TEXT)


def retry_until(mail: Mail) -> str:
    """When a delay warning says retries end ("5 days", a date), or ""."""
    report = mail.report[:16384]
    for pattern in _RETRY_UNTIL:
        match = pattern.search(report)
        if match:
            return " ".join(match.group(1).split())[:80]
    return ""


def _sender(mail: Mail, notice: str) -> str:
    for name in ("from", "return-path", "x-postfix-sender"):
        value = mail.original_header(name)
        if value and (address := find_address(value)):
            return address
    if notice == SEND_AS:
        # Gmail writes this notice to the account holding the alias, not to the alias the
        # message was sent as, so its To says nothing about the sender.
        return ""
    # A DSN goes to the original message's reverse-path (RFC 5321 section 4.5.5).
    return find_address(mail.header("to"))


# ------------------------------------------------------------------------- findings


def to_findings(records: Iterable[DeliveryStatus]) -> tuple[Finding, ...]:
    """Turn classified bounces into findings for ``diagnose``.

    Each record becomes one finding with check id ``recipient.bounce.<reason>``
    (or ``<layer>.bounce.<reason>`` when the cause lies outside the recipient),
    ``cause=`` the root-cause id, and the remote server's text as evidence.
    """
    findings = []
    for n, record in enumerate(records):
        if record.reason == "vacation":
            continue
        if record.reason == "delivered":
            # Evidence that mail passed (RFC 3464 Action: delivered): it demotes a defect
            # that could not have stopped this mail (maildoctor.reasoning).
            findings.append(_delivered(record, n))
            continue
        findings.append(_finding(record, n))
    return tuple(findings)


def _delivered(record: DeliveryStatus, n: int) -> Finding:
    return Finding(
        check="recipient.bounce.delivered",
        layer=Layer.RECIPIENT,
        status=Status.PASS,
        subject=record.recipient,
        summary=f"{record.recipient}: delivered" + (f" ({record.status})" if record.status else ""),
        evidence=(
            Evidence(
                id=f"bounce:{n}:{record.recipient}",
                source="bounce",
                query=f"delivery to {record.recipient}",
                server=record.remote_mta or record.reporting_mta or None,
                outcome=record.status or "delivered",
                raw=tuple(x for x in (record.diagnostic,) if x),
            ),
        ),
    )


def _finding(record: DeliveryStatus, n: int) -> Finding:
    code = " ".join(c for c in (record.reply_code, record.status) if c)
    evidence = Evidence(
        id=f"bounce:{n}:{record.recipient}",
        source="bounce",
        query=f"delivery to {record.recipient}"
        + (f" ({record.command})" if record.command else ""),
        server=record.remote_mta or record.reporting_mta or None,
        outcome=code or record.reason,
        raw=tuple(x for x in (record.diagnostic, record.origin and f"from {record.origin}") if x),
    )
    status = Status.WARN if record.reason in ("feedback", "onhold", "undefined") else Status.FAIL
    if record.action == "delayed":
        status = Status.WARN
    where = "recipient" if record.layer is Layer.RECIPIENT else str(record.layer)
    summary = f"{record.recipient}: {record.reason}" + (f" ({code})" if code else "")
    if record.outbound_ban:
        summary += " - Microsoft outbound-only ban; cannot apply to mail sent through SES"
    return Finding(
        check=f"{where}.bounce.{record.reason}",
        layer=record.layer,
        status=status,
        subject=record.recipient,
        summary=summary,
        detail=record.diagnostic,
        evidence=(evidence,),
        reference="RFC 3464; Sisimai reason vocabulary",
        cause=record.cause,
        data={
            "hard_bounce": record.hard_bounce,
            "permanent": record.permanent,
            "retry_until": record.retry_until,
            "source": record.source,
            "outbound_ban": record.outbound_ban,
            "reply_code": record.reply_code,
            "status": record.status,
        },  # fmt: skip
    )
