"""What was said in one SMTP conversation, recorded step by step (no judgement).

The probes (:mod:`.probe`, :mod:`.mx_probe`) only talk and append :class:`Step`
records; :mod:`.verdicts` turns a :class:`Transcript` into findings. A transcript
is plain data: it is written to JSON with ``--smtp-transcript FILE`` and read back
with ``--smtp-transcript-replay FILE``, so a user's failing relay becomes a test case.

A step holds the command as shown (credentials already redacted: the AUTH line and
its payload are never recorded), the reply (code, enhanced status, lines) or the
failure (``timeout``, ``dropped`` = hang-up, ``protocol``...), the elapsed time, and
for steps that are not exchanges (a decision such as "AUTH not offered", the TLS
handshake, the connection) the facts in ``data``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..model import Evidence
from .client import SmtpReply, make_reply
from .dialogue import smtp_evidence
from .exceptions import (
    CertificateInvalid,
    ConnectionDropped,
    ConnectRefused,
    ProtocolViolation,
    ResolveFailed,
    SmtpProbeError,
    StepTimeout,
    TlsFailed,
    Unreachable,
)

__all__ = ["TRANSCRIPT_VERSION", "Step", "Transcript", "reply_class"]

TRANSCRIPT_VERSION = 1
#: A transcript file larger than this is not one maildoctor wrote.
MAX_TRANSCRIPT_BYTES = 4 * 1024 * 1024
MAX_STEPS = 500

_ERRORS: dict[str, type[SmtpProbeError]] = {
    cls.kind: cls
    for cls in (
        SmtpProbeError,
        StepTimeout,
        ResolveFailed,
        ConnectRefused,
        Unreachable,
        ConnectionDropped,
        ProtocolViolation,
        TlsFailed,
        CertificateInvalid,
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of a conversation: an exchange, a failure, or a decision not to go on.

    Attributes:
        step: ``resolve``, ``connect``, ``tls``, ``banner``, ``ehlo``, ``starttls``,
            ``ehlo_tls``, ``auth_mechanisms``, ``auth``, ``mail_from``, ``rcpt_to``,
            ``data``, ``quit``.
        key: Distinguishes repeated steps (``rcpt_to:1``); defaults to ``step``.
        command: What was sent, as shown (redacted); ``(banner)`` for the greeting.
        peer: The address spoken to.
        host: The host name (MX probes: several hosts may share an address).
        code: The reply code, if a reply came.
        enhanced_status: Its RFC 3463 status code, or "".
        lines: The reply's text lines.
        error: Why no reply came: ``timeout``, ``dropped`` (hang-up), ``protocol``,
            ``refused``, ``unreachable``, ``tls``, ``certificate``...
        detail: The failure in words (free of secrets).
        elapsed_ms: Time the step took, also when it failed.
        note: A decision taken without an exchange (``auth_not_offered``...).
        data: Other facts (TLS parameters, addresses, verify code).
    """

    step: str
    key: str = ""
    command: str = ""
    peer: str = ""
    host: str = ""
    code: int | None = None
    enhanced_status: str = ""
    lines: tuple[str, ...] = ()
    error: str = ""
    detail: str = ""
    elapsed_ms: float = 0.0
    note: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def exchange(
        cls,
        step: str,
        command: str,
        *,
        peer: str,
        reply: SmtpReply | None = None,
        error: SmtpProbeError | None = None,
        elapsed_ms: float = 0.0,
        key: str = "",
        host: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> Step:
        """A command and its reply, or the failure that replaced the reply."""
        extra: dict[str, Any] = dict(data or {})
        if isinstance(error, CertificateInvalid):
            extra.update(verify_code=error.verify_code, verify_message=error.verify_message)
        return cls(
            step=step,
            key=key or step,
            command=command,
            peer=peer,
            host=host,
            code=reply.code if reply else None,
            enhanced_status=reply.enhanced_status if reply else "",
            lines=reply.lines if reply else (),
            error=error.kind if error else "",
            detail=error.detail if error else "",
            elapsed_ms=elapsed_ms,
            data=extra,
        )

    @property
    def name(self) -> str:
        """The key findings are filed under (``rcpt_to:1``, else the step)."""
        return self.key or self.step

    @property
    def reply(self) -> SmtpReply | None:
        """The reply, rebuilt; None when the step failed or was a decision."""
        if self.code is None:
            return None
        return SmtpReply(code=self.code, enhanced_status=self.enhanced_status, lines=self.lines)

    @property
    def failure(self) -> SmtpProbeError | None:
        """The failure as the SMTP layer's exception (not raised), or None."""
        if not self.error:
            return None
        cls = _ERRORS.get(self.error, SmtpProbeError)
        if cls is CertificateInvalid:
            return CertificateInvalid(
                self.step,
                self.detail,
                verify_code=int(self.data.get("verify_code", 0) or 0),
                verify_message=str(self.data.get("verify_message", "")),
            )
        error = cls(self.step, self.detail)
        if cls is SmtpProbeError and self.error != "error":
            error.kind = self.error  # an unknown kind read from a file stays as it was
        return error

    def evidence(self, *, suffix: str = "") -> Evidence:
        """This step as report evidence."""
        return smtp_evidence(
            peer=self.peer,
            step=self.step,
            query=self.command,
            reply=self.reply,
            error=self.failure,
            elapsed_ms=self.elapsed_ms,
            suffix=suffix,
            host=self.host,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "key": self.key,
            "command": self.command,
            "peer": self.peer,
            "host": self.host,
            "code": self.code,
            "enhanced_status": self.enhanced_status,
            "lines": list(self.lines),
            "error": self.error,
            "detail": self.detail,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "note": self.note,
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Step:
        """Read a step written by :meth:`to_dict`.

        Raises:
            InputError: when a field has the wrong type.
        """
        code = raw.get("code")
        if code is not None and not (isinstance(code, int) and 200 <= code <= 599):
            raise InputError(f"transcript: bad reply code {code!r}")
        reply = make_reply(code, _strings(raw.get("lines", []))) if code is not None else None
        data = raw.get("data", {})
        if not isinstance(data, dict):
            raise InputError("transcript: step data must be an object")
        return cls(
            step=_string(raw, "step"),
            key=_string(raw, "key"),
            command=_string(raw, "command"),
            peer=_string(raw, "peer"),
            host=_string(raw, "host"),
            code=code,
            enhanced_status=reply.enhanced_status if reply else "",
            lines=reply.lines if reply else (),
            error=_string(raw, "error"),
            detail=_string(raw, "detail"),
            elapsed_ms=_number(raw.get("elapsed_ms", 0.0)),
            note=_string(raw, "note"),
            data=data,
        )


def reply_class(step: Step) -> str:
    """``2xx``..``5xx`` for a reply, ``timeout``, ``hang-up`` or the failure kind; "" else."""
    if step.code is not None:
        return f"{step.code // 100}xx"
    if step.error == "dropped":
        return "hang-up"
    return step.error


@dataclass(frozen=True, slots=True, kw_only=True)
class Transcript:
    """A whole relay probe: what was asked for, and every step in order.

    Attributes:
        host / port / tls / client: The probe's target and TLS mode (as asked).
        user: The username (an access key id is not a secret); never the password.
        has_password: Whether a password was given (AUTH is tried only then).
        mail_from / rcpt_to / send_test: The envelope tried.
        verify_tls: Whether the probe carried on past certificate problems.
        recorded_at: Clock at the time of the probe (certificate expiry is judged at it).
        steps: Every step, in order, over every attempt.
    """

    host: str
    port: int | None = None
    tls: str | None = None
    client: str | None = None
    user: str | None = None
    has_password: bool = False
    mail_from: str | None = None
    rcpt_to: tuple[str, ...] = ()
    send_test: bool = False
    verify_tls: bool = True
    recorded_at: float = 0.0
    steps: tuple[Step, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "transcript_version": TRANSCRIPT_VERSION,
            "host": self.host,
            "port": self.port,
            "tls": self.tls,
            "client": self.client,
            "user": self.user,
            "has_password": self.has_password,
            "mail_from": self.mail_from,
            "rcpt_to": list(self.rcpt_to),
            "send_test": self.send_test,
            "verify_tls": self.verify_tls,
            "recorded_at": self.recorded_at,
            "steps": [s.to_dict() for s in self.steps],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        """Read a transcript file.

        Raises:
            InputError: when the text is not a transcript this version can read.
        """
        if len(text) > MAX_TRANSCRIPT_BYTES:
            raise InputError("transcript: file too large")
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"transcript: not JSON ({exc})") from None
        if not isinstance(raw, dict) or raw.get("transcript_version") != TRANSCRIPT_VERSION:
            raise InputError(f"transcript: not a version {TRANSCRIPT_VERSION} SMTP transcript")
        steps = raw.get("steps")
        if not isinstance(steps, list) or len(steps) > MAX_STEPS:
            raise InputError(f"transcript: steps must be a list of at most {MAX_STEPS}")
        if not all(isinstance(s, dict) for s in steps):
            raise InputError("transcript: every step must be an object")
        port = raw.get("port")
        if port is not None and not isinstance(port, int):
            raise InputError("transcript: bad port")
        return cls(
            host=_string(raw, "host") or "?",
            port=port,
            tls=_string(raw, "tls") or None,
            client=_string(raw, "client") or None,
            user=_string(raw, "user") or None,
            has_password=bool(raw.get("has_password")),
            mail_from=_string(raw, "mail_from") or None,
            rcpt_to=_strings(raw.get("rcpt_to", [])),
            send_test=bool(raw.get("send_test")),
            verify_tls=bool(raw.get("verify_tls", True)),
            recorded_at=_number(raw.get("recorded_at", 0.0)),
            steps=tuple(Step.from_dict(s) for s in steps),
        )


def _string(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name) or ""
    if not isinstance(value, str):
        raise InputError(f"transcript: {name} must be a string")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("transcript: expected a list of strings")
    return tuple(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError("transcript: expected a number")
    return float(value)
