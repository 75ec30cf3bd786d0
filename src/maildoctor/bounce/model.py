"""The per-recipient record every bounce source produces: :class:`DeliveryStatus`.

A source module (``bounce/sources/*.py``) reads one message and fills a mutable
:class:`Draft` per bounced recipient with what the message *says* (recipient,
status, reply code, the remote server's text, hosts, SMTP command).
:mod:`maildoctor.bounce.classify` then decides what it *means* (reason, hard or
soft, layer, root cause) and freezes the result into a :class:`DeliveryStatus`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..model import Layer
from ._text import parse_date

__all__ = ["DeliveryStatus", "Draft"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryStatus:
    """What happened to one recipient of one message, and why.

    Attributes:
        recipient: The bounced address (RFC 3464 ``Final-Recipient``).
        action: RFC 3464 ``Action`` (failed, delayed, delivered, relayed, expanded).
        status: Enhanced status code ``X.Y.Z`` (RFC 3463), or ``""`` when the message
            carries no real one (Sisimai's ``X.0.9NN`` placeholders are never stored).
        reply_code: SMTP reply code (``550``) or ``""``.
        diagnostic: The remote server's text, whitespace-folded.
        diagnostic_type: RFC 3464 diagnostic type (``SMTP``, ``X-UNIX``...).
        remote_mta: The host that refused the message, if known.
        reporting_mta: The host that wrote the report, if known.
        command: The last SMTP command (``RCPT``, ``DATA``...), if known.
        timestamp: When the failure was reported, if a date could be read.
        reason: Sisimai's reason vocabulary (``userunknown``, ``authfailure``...).
        hard_bounce: True for permanent address failures (Sisimai's ``hardbounce``).
        permanent: True when delivery was given up (``action`` failed; a DSN's own
            ``Action: failed`` or ``expired`` wins over a 4.x.x status); False for a
            delay warning, which says the sender is still trying.
        retry_until: For a delay warning, when it says retries end ("5 days", a date).
        feedback_type: ARF ``Feedback-Type`` (``abuse``...) for complaints.
        source: The ``bounce/sources`` module that read the message.
        layer: Where along the path the failure belongs.
        cause: The root-cause catalogue id this record points to, or ``""``.
        alias: The original recipient when it differs from ``recipient``.
        sender: The envelope or header sender of the bounced message.
        generating_server: Exchange NDR "Generating server", if present.
        outbound_ban: True when the code is one of Microsoft's bans on a tenant's own
            *outbound* mail (5.7.705/708/750, 5.1.8), which cannot apply to mail
            arriving from SES.
        bounce_type: SES ``bounceType`` (Permanent, Transient, Undetermined).
        bounce_subtype: SES ``bounceSubType`` (General, OnAccountSuppressionList...).
        notice: The kind of notice when it changes the meaning: ``gmail-send-as`` (the
            failure is between the sender's client and its relay, not at the recipient)
            or ``ses-event`` (read from an SES event notification, not from a DSN).
        origin: The input the record came from (file path, ``path#N`` for mbox).
        warnings: Parse problems met on the way (truncated MIME, bad charset...).
    """

    recipient: str
    action: str = ""
    status: str = ""
    reply_code: str = ""
    diagnostic: str = ""
    diagnostic_type: str = ""
    remote_mta: str = ""
    reporting_mta: str = ""
    command: str = ""
    timestamp: datetime | None = None
    reason: str = ""
    hard_bounce: bool = False
    permanent: bool = False
    retry_until: str = ""
    feedback_type: str = ""
    source: str = ""
    layer: Layer = Layer.RECIPIENT
    cause: str = ""
    alias: str = ""
    sender: str = ""
    generating_server: str = ""
    outbound_ban: bool = False
    bounce_type: str = ""
    bounce_subtype: str = ""
    notice: str = ""
    origin: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        """The receiving domain: the part of ``recipient`` after ``@``."""
        return self.recipient.rpartition("@")[2].lower()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with stable keys."""
        return {
            "recipient": self.recipient,
            "action": self.action,
            "status": self.status,
            "reply_code": self.reply_code,
            "reason": self.reason,
            "hard_bounce": self.hard_bounce,
            "permanent": self.permanent,
            "retry_until": self.retry_until,
            "layer": str(self.layer),
            "cause": self.cause,
            "diagnostic": self.diagnostic,
            "diagnostic_type": self.diagnostic_type,
            "remote_mta": self.remote_mta,
            "reporting_mta": self.reporting_mta,
            "command": self.command,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "feedback_type": self.feedback_type,
            "source": self.source,
            "alias": self.alias,
            "sender": self.sender,
            "generating_server": self.generating_server,
            "outbound_ban": self.outbound_ban,
            "bounce_type": self.bounce_type,
            "bounce_subtype": self.bounce_subtype,
            "notice": self.notice,
            "origin": self.origin,
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class Draft:
    """A recipient row being filled by a source module (mutable; see :func:`Draft.freeze`).

    ``spec`` is the RFC 3464 diagnostic type, ``rhost``/``lhost`` the remote and
    reporting hosts, ``date`` the raw date text. ``reason`` is only set when the
    source itself knows (an SES ``bounceSubType``, an ARF report, an auto-reply).
    """

    recipient: str = ""
    alias: str = ""
    action: str = ""
    status: str = ""
    reply_code: str = ""
    diagnosis: str = ""
    spec: str = ""
    command: str = ""
    date: str = ""
    rhost: str = ""
    lhost: str = ""
    reason: str = ""
    feedback_type: str = ""
    generating_server: str = ""
    bounce_type: str = ""
    bounce_subtype: str = ""
    notice: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def set_field(self, name: str, value: str) -> None:
        """Set one attribute named by an RFC 3464 field key (see ``parse.DSN_FIELDS``)."""
        setattr(self, name, value)

    def get_field(self, name: str) -> str:
        """Read one attribute named by an RFC 3464 field key."""
        value = getattr(self, name)
        return value if isinstance(value, str) else ""

    def freeze(self, source: str) -> DeliveryStatus:
        """The raw (unclassified) record; :mod:`classify` fills reason and layer."""
        return DeliveryStatus(
            recipient=self.recipient,
            action=self.action,
            status=self.status,
            reply_code=self.reply_code,
            diagnostic=self.diagnosis,
            diagnostic_type=self.spec,
            remote_mta=self.rhost,
            reporting_mta=self.lhost,
            command=self.command,
            reason=self.reason,
            feedback_type=self.feedback_type,
            source=source,
            alias=self.alias,
            generating_server=self.generating_server,
            bounce_type=self.bounce_type,
            bounce_subtype=self.bounce_subtype,
            notice=self.notice,
            timestamp=parse_date(self.date) if self.date else None,
        )
