"""Amazon SES event notifications (JSON): bounces, complaints, deliveries, delays.

SES publishes one JSON object per event (REFERENCE.md section 4). It reaches us in
several envelopes, all unwrapped by :func:`notifications`:

- the raw notification (``notificationType``, or ``eventType`` with event publishing);
- the SNS envelope, whose ``Message`` is the notification as a JSON *string*;
- an EventBridge event, whose ``detail`` is the notification;
- SQS/Lambda batches (``Records[].Sns.Message``, ``Records[].body``, ``Messages[].Body``);
- a JSON array of any of these.

:func:`records` turns one notification into raw :class:`DeliveryStatus` rows, one
per recipient; :mod:`maildoctor.bounce.classify` decides reason and cause.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ._text import find_address
from .model import DeliveryStatus, Draft

__all__ = ["SUBTYPE_REASONS", "SUBTYPE_HINTS", "is_notification", "notifications", "records"]

NAME = "amazonses"

#: Deepest envelope nesting unwrapped (SNS inside SQS inside a list...).
MAX_ENVELOPES = 6

#: ``bounceSubType`` values that decide the reason on their own. SES: "Suppressed - Amazon
#: SES has suppressed sending to this address because it has a recent history of bouncing
#: as an invalid address"; "OnAccountSuppressionList - Amazon SES has suppressed sending to
#: this address because it is on the account-level suppression list"; "MailboxFull - the
#: recipient's inbox is full"; "MessageTooLarge - the message you sent was too large".
SUBTYPE_REASONS: dict[str, str] = {
    "Suppressed": "suppressed",
    "OnAccountSuppressionList": "suppressed",
    "MailboxFull": "mailboxfull",
    "MessageTooLarge": "emailtoolarge",
}

#: ``bounceSubType`` values used only when the remote text names no reason. SES:
#: "NoEmail - the intended recipient's email provider sent a bounce message indicating
#: that the email address doesn't exist"; "ContentRejected - the recipient's email
#: provider rejected the message because of its content"; "AttachmentRejected - the
#: recipient's email provider rejected the message because it contained an
#: unacceptable attachment".
SUBTYPE_HINTS: dict[str, str] = {
    "NoEmail": "userunknown",
    "ContentRejected": "contenterror",
    "AttachmentRejected": "policyviolation",
}

_KINDS = ("bounce", "complaint", "delivery", "deliverydelay", "reject")


def is_notification(obj: object) -> bool:
    """True for a bare SES notification (not an envelope)."""
    if not isinstance(obj, dict):
        return False
    kind = obj.get("notificationType") or obj.get("eventType")
    return isinstance(kind, str) and isinstance(obj.get("mail", {}), dict)


def notifications(obj: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every SES notification inside ``obj``, whatever envelope carries it.

    Args:
        obj: Decoded JSON: a notification, an envelope, or a list of them.
        depth: Envelope nesting so far (bounded by :data:`MAX_ENVELOPES`).

    Yields:
        The bare notifications, in order; objects that are none are skipped.
    """
    if depth > MAX_ENVELOPES:
        return
    if isinstance(obj, list):
        for item in obj:
            yield from notifications(item, depth + 1)
        return
    if isinstance(obj, str):
        yield from notifications(_loads(obj), depth + 1)
        return
    if not isinstance(obj, dict):
        return
    if is_notification(obj):
        yield obj
        return
    for inner in _envelope_contents(obj):
        yield from notifications(inner, depth + 1)


def _envelope_contents(obj: dict[str, Any]) -> list[Any]:
    """What an SNS, EventBridge, SQS or Lambda envelope carries."""
    if "Message" in obj:  # SNS: the notification as a JSON string
        return [obj["Message"]]
    if isinstance(obj.get("detail"), dict):  # EventBridge
        return [obj["detail"]]
    if isinstance(obj.get("Sns"), dict):  # Lambda record from SNS
        return [obj["Sns"]]
    for key in ("body", "Body"):  # SQS record / ReceiveMessage result
        if isinstance(obj.get(key), str):
            return [obj[key]]
    for key in ("Records", "Messages"):
        if isinstance(obj.get(key), list):
            return [obj[key]]
    return []


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def records(note: dict[str, Any]) -> list[DeliveryStatus]:
    """The per-recipient rows of one notification (unclassified).

    Bounces and delays give one row per recipient with SES's status and the remote
    ``diagnosticCode``; complaints give ``feedback`` rows; deliveries ``delivered``
    rows; a ``Reject`` (SES found a virus) one row per destination. Other events
    (Send, Open, Click, Rendering Failure, Subscription) give none.
    """
    kind = str(note.get("notificationType") or note.get("eventType") or "").lower()
    kind = kind.replace(" ", "")
    if kind not in _KINDS:
        return []
    body = note.get(kind) or note.get(_CAMEL.get(kind, kind)) or {}
    if not isinstance(body, dict):
        body = {}
    found = note.get("mail")
    mail: dict[str, Any] = found if isinstance(found, dict) else {}
    drafts = _READERS[kind](body, mail)
    for draft in drafts:
        draft.date = draft.date or _text(body.get("timestamp")) or _text(mail.get("timestamp"))
    return [_freeze(d, mail) for d in drafts if d.recipient]


_CAMEL = {"deliverydelay": "deliveryDelay"}


def _bounce(body: dict[str, Any], mail: dict[str, Any]) -> list[Draft]:
    subtype = _text(body.get("bounceSubType"))
    drafts = []
    for item in _items(body.get("bouncedRecipients")):
        draft = _recipient(item, body)
        draft.bounce_type = _text(body.get("bounceType"))
        draft.bounce_subtype = subtype
        draft.reason = SUBTYPE_REASONS.get(subtype, "")
        if draft.reason == "suppressed" and not draft.diagnosis:
            draft.diagnosis = f"Amazon SES did not send to this address: {subtype}"
        drafts.append(draft)
    return drafts


def _complaint(body: dict[str, Any], mail: dict[str, Any]) -> list[Draft]:
    drafts = []
    for item in _items(body.get("complainedRecipients")):
        draft = Draft(recipient=_text(item.get("emailAddress")).lower(), reason="feedback")
        draft.feedback_type = _text(body.get("complaintFeedbackType")) or "abuse"
        draft.bounce_subtype = _text(body.get("complaintSubType"))
        draft.diagnosis = _text(body.get("userAgent"))
        draft.action = "failed"
        drafts.append(draft)
    return drafts


def _delivery(body: dict[str, Any], mail: dict[str, Any]) -> list[Draft]:
    response = _text(body.get("smtpResponse"))
    rhost = _text(body.get("remoteMtaIp"))
    lhost = _text(body.get("reportingMTA"))
    return [
        Draft(
            recipient=_text(r).lower(),
            action="delivered",
            reason="delivered",
            diagnosis=response,
            rhost=rhost,
            lhost=lhost,
        )  # fmt: skip
        for r in body.get("recipients") or []
        if isinstance(r, str)
    ]


def _delay(body: dict[str, Any], mail: dict[str, Any]) -> list[Draft]:
    drafts = []
    for item in _items(body.get("delayedRecipients")):
        draft = _recipient(item, body)
        draft.action = "delayed"
        draft.bounce_type = "DeliveryDelay"
        draft.bounce_subtype = _text(body.get("delayType"))
        drafts.append(draft)
    return drafts


def _reject(body: dict[str, Any], mail: dict[str, Any]) -> list[Draft]:
    """SES refused to send: "Bad content" means it found a virus in the message."""
    why = _text(body.get("reason"))
    reason = "virusdetected" if "bad content" in why.lower() else ""
    return [
        Draft(
            recipient=_text(r).lower(),
            action="failed",
            reason=reason,
            diagnosis=f"Amazon SES rejected the message: {why}".strip(": "),
        )  # fmt: skip
        for r in mail.get("destination") or []
        if isinstance(r, str)
    ]


_READERS = {
    "bounce": _bounce,
    "complaint": _complaint,
    "delivery": _delivery,
    "deliverydelay": _delay,
    "reject": _reject,
}


def _recipient(item: dict[str, Any], body: dict[str, Any]) -> Draft:
    diagnosis = _text(item.get("diagnosticCode"))
    spec = ""
    if ";" in diagnosis[:8]:
        spec, _, diagnosis = diagnosis.partition(";")
    return Draft(
        recipient=_text(item.get("emailAddress")).lower(),
        action=_text(item.get("action")) or "failed",
        status=_text(item.get("status")),
        diagnosis=diagnosis.strip(),
        spec=spec.strip().upper(),
        lhost=_text(body.get("reportingMTA")).partition(";")[2].strip()
        or _text(body.get("reportingMTA")),
        rhost=_text(body.get("remoteMtaIp")),
    )


#: ``DeliveryStatus.notice`` of every record read from an SES event notification.
NOTICE = "ses-event"


def _freeze(draft: Draft, mail: dict[str, Any]) -> DeliveryStatus:
    draft.notice = NOTICE
    row = draft.freeze(NAME)
    sender = find_address(_text(mail.get("source")))
    return replace(row, sender=sender) if sender else row


def _items(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
