"""Amazon SES event logs: one JSON event per line (event publishing or SNS notifications).

Each line is an SES event (``eventType``) or notification (``notificationType``), or an
SNS envelope whose ``Message`` holds one (REFERENCE.md section 4). ``Bounce`` gives one
event per bounced recipient (Permanent: bounced, else deferred) with its
``diagnosticCode``; ``DeliveryDelay`` deferred; ``Delivery`` sent; ``Reject`` failed.
Reference: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
"""

from __future__ import annotations

import json
from typing import Any

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_iso_time

NAME = "ses"

_MAX_RECIPIENTS = 100


def parse(line: str, _state: ParseState) -> ParsedLine | None:
    """Read one JSON line holding an SES event; None when it is not one."""
    text = line.strip()
    if not text.startswith("{") or ("eventType" not in text and "notificationType" not in text):
        return None
    try:
        event = _event(json.loads(text))
    except (ValueError, RecursionError):
        return None
    if event is None:
        return None
    return ParsedLine(NAME, tuple(_events(event)))


def _event(obj: Any) -> dict[str, Any] | None:
    if isinstance(obj, dict) and isinstance(obj.get("Message"), str):
        try:
            obj = json.loads(obj["Message"])
        except ValueError:
            return None
    if not isinstance(obj, dict):
        return None
    return obj if (obj.get("eventType") or obj.get("notificationType")) else None


def _events(event: dict[str, Any]) -> list[LogEvent]:
    kind = str(event.get("eventType") or event.get("notificationType"))
    mail = _dict(event.get("mail"))
    sender = str(mail.get("source", ""))
    if kind == "Bounce":
        return _bounced(_dict(event.get("bounce")), sender)
    if kind == "DeliveryDelay":
        body = _dict(event.get("deliveryDelay"))
        return [_one(r, "deferred", body, sender) for r in _items(body, "delayedRecipients")]
    if kind == "Delivery":
        body = _dict(event.get("delivery"))
        return [_sent(str(r), body, sender) for r in _list(body.get("recipients"))]
    if kind == "Reject":
        reason = str(_dict(event.get("reject")).get("reason", ""))
        return [LogEvent(format=NAME, kind="error", status="failed", sender=sender,
                         reply=Reply(text=reason[:300]))]  # fmt: skip
    return []


def _bounced(body: dict[str, Any], sender: str) -> list[LogEvent]:
    status = "bounced" if body.get("bounceType") == "Permanent" else "deferred"
    return [_one(r, status, body, sender) for r in _items(body, "bouncedRecipients")]


def _one(item: dict[str, Any], status: str, body: dict[str, Any], sender: str) -> LogEvent:
    text = str(item.get("diagnosticCode", ""))
    reply = find_reply(text) or Reply(enhanced=str(item.get("status", "")), text=text[:300])
    return LogEvent(
        format=NAME, kind="delivery", status=status,
        timestamp=parse_iso_time(str(body.get("timestamp", ""))),
        recipient=str(item.get("emailAddress", "")), sender=sender,
        relay_host=str(body.get("reportingMTA", "")).removeprefix("dns;").strip(),
        reply=reply,
    )  # fmt: skip


def _sent(recipient: str, body: dict[str, Any], sender: str) -> LogEvent:
    return LogEvent(
        format=NAME, kind="delivery", status="sent",
        timestamp=parse_iso_time(str(body.get("timestamp", ""))), recipient=recipient,
        sender=sender, relay_host=str(body.get("reportingMTA", "")),
        reply=find_reply(str(body.get("smtpResponse", ""))) or Reply(code=250),
    )  # fmt: skip


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value[:_MAX_RECIPIENTS] if isinstance(value, list) else []


def _items(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [i for i in _list(body.get(key)) if isinstance(i, dict)]
