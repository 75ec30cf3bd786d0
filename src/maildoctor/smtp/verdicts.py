"""What a relay conversation means: a :class:`~.transcript.Transcript` -> findings (pure).

The completion rule (issue 9): a step passes only on the reply it is due (220 to the
greeting and STARTTLS, 250 to EHLO and MAIL FROM, 235 to AUTH...). Otherwise:

* ``5xx``: refused, ``fail``, read through :mod:`.replies` for the cause and fix;
* ``4xx``: a temporary failure, ``error`` (the check could not complete; exit 3),
  with the table's meaning and, where it names one, its cause;
* ``3xx`` or another ``2xx`` where a different reply is due (AUTH answered with
  ``334`` forever): the step did not complete, ``error``, never "accepted";
* no reply (timeout, hang-up, not SMTP): ``fail`` with the transport cause.

A step after the one that stopped the dialogue is ``skipped`` with the reason, so a
probe that did not reach its last step never reads as healthy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Evidence, Finding, Layer, Status
from .client import SmtpReply, parse_ehlo
from .exceptions import CertificateInvalid, SmtpProbeError
from .plan import ProbePlan, TlsMode
from .replies import interpret
from .ses_password import (
    KeyIdKind,
    Verdict,
    cause_for_shape,
    cause_for_verdict,
    check_stored_password,
    key_id_kind,
    password_shape,
)
from .tlsinfo import TlsInfo, describe_verify_error
from .transcript import Step, Transcript

if TYPE_CHECKING:
    from .probe import Credentials

__all__ = ["EXPECTED", "FAILURES", "relay_findings"]

RFC_SMTP = "RFC 5321"
RFC_STARTTLS = "RFC 3207"
RFC_AUTH = "RFC 4954"
GMAIL_NO_AUTH = (
    "Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability"
)

#: The reply each step is due; anything else means the step did not complete.
EXPECTED: dict[str, tuple[int, ...]] = {
    "banner": (220,),
    "ehlo": (250,),
    "ehlo_tls": (250,),
    "starttls": (220,),
    "auth": (235,),
    "mail_from": (250,),
    "rcpt_to": (250, 251),
    "data": (354,),
    "data_end": (250,),
    "quit": (221,),
}

#: failure kind -> (cause, what happened)
FAILURES: dict[str, tuple[str, str]] = {
    "timeout": ("client.smtp.protocol_error", "no answer within the timeout"),
    "refused": ("client.smtp.unreachable", "connection refused"),
    "unreachable": ("client.smtp.unreachable", "no route to the server"),
    "resolve": ("client.smtp.unreachable", "the host name has no address"),
    "dropped": ("client.smtp.protocol_error", "the server closed the connection"),
    "protocol": ("client.smtp.protocol_error", "the server does not speak SMTP"),
    "tls": ("client.smtp_tls.handshake_failed", "the TLS handshake failed"),
    "certificate": ("client.smtp_tls.certificate_invalid", "the certificate did not verify"),
    "error": ("client.smtp.protocol_error", "the step failed"),
}

#: Steps judged together: every AUTH exchange (AUTH LOGIN has three), DATA and its body.
_GROUPED = frozenset({"auth", "data"})


def relay_findings(
    transcript: Transcript, plan: ProbePlan, creds: Credentials, *, now: float
) -> tuple[Finding, ...]:
    """Judge a relay conversation.

    Args:
        transcript: What was said.
        plan: The probe's plan (port, TLS mode, SES region, vendor, preset).
        creds: The credentials; the password only refines why an SES ``535`` happened.
        now: The time to judge certificate expiry at.

    Returns:
        One finding per step under ``client.smtp.*``, in the order of the dialogue.
    """
    return _Judge(transcript, plan, creds, now).run()


def _groups(steps: Sequence[Step]) -> Iterator[list[Step]]:
    group: list[Step] = []
    for step in steps:
        if group and (step.step != group[0].step or step.step not in _GROUPED):
            yield group
            group = []
        group.append(step)
    if group:
        yield group


class _Judge:
    """Walks a transcript once; findings keyed by step, first record wins."""

    def __init__(
        self, transcript: Transcript, plan: ProbePlan, creds: Credentials, now: float
    ) -> None:
        self.t, self.plan, self.creds, self.now = transcript, plan, creds, now
        self.results: dict[str, Finding] = {}
        self.stopped_at = ""
        self.cert_error: CertificateInvalid | None = None
        self.tls_active = False

    def run(self) -> tuple[Finding, ...]:
        for group in _groups([_complete(s) for s in self.t.steps]):
            handler = getattr(self, f"_on_{group[0].step}", None)
            if handler is not None:
                handler(group)
        self._skip_rest()
        return tuple(self.results.values())

    # -- recording ---------------------------------------------------------------------

    @property
    def subject(self) -> str:
        return f"{self.plan.host}:{self.plan.port}"

    def _record(self, key: str, finding: Finding, *, replace: bool = False) -> None:
        if replace or key not in self.results:
            self.results[key] = finding

    def _stop(self, reason: str) -> None:
        self.stopped_at = self.stopped_at or reason

    def _finding(self, step: str, status: Status, summary: str, **extra: Any) -> Finding:
        return Finding(
            check=f"client.smtp.{step}",
            layer=Layer.CLIENT,
            status=status,
            subject=extra.pop("subject", self.subject),
            summary=summary,
            **extra,
        )

    def _ok(self, s: Step, summary: str, *, ms: float | None = None, **extra: Any) -> None:
        """Record a step that got the reply it was due."""
        reply = s.reply
        assert reply is not None
        ms = s.elapsed_ms if ms is None else ms
        self._record(
            s.name,
            self._finding(
                s.step.removesuffix("_end"),
                Status.PASS,
                f"{summary} ({ms:.0f} ms)",
                subject=extra.pop("subject", self.subject),
                evidence=(self._evidence(s, ms=ms),),
                reference=extra.pop("reference", RFC_SMTP),
                data={**_reply_data(reply, ms), **extra.pop("data", {})},
                **extra,
            ),
        )

    def _evidence(self, s: Step, *, ms: float | None = None, query: str = "") -> Evidence:
        suffix = ":" + s.name.partition(":")[2] if ":" in s.name else ""
        ev = s.evidence(suffix=suffix)
        if ms is None and not query:
            return ev
        return Evidence(
            id=ev.id.removesuffix("_end"),
            source=ev.source,
            query=query or ev.query,
            server=ev.server,
            outcome=ev.outcome,
            raw=ev.raw,
            elapsed_ms=ev.elapsed_ms if ms is None else ms,
        )

    def _fail(self, s: Step) -> None:
        """A transport failure (no reply): the dialogue stopped here."""
        error = s.failure
        assert error is not None
        step = s.step.removesuffix("_end")
        cause, what = FAILURES.get(error.kind, FAILURES["error"])
        if step == "connect":
            cause = "client.smtp.unreachable"
        elif step == "banner" and error.kind == "timeout":
            cause = "client.smtp.no_banner"
        self._record(
            step,
            self._finding(
                step,
                Status.FAIL,
                f"{step}: {what} after {s.elapsed_ms:.0f} ms ({error.detail})",
                detail=_hint(step, error, self.plan),
                evidence=(self._evidence(s),),
                cause=cause,
                fix=_fix_for(cause, self.plan),
                reference=RFC_SMTP,
                data={"step": step, "error": error.kind, "elapsed_ms": round(s.elapsed_ms, 1)},
            ),
        )
        self._stop(f"{step} failed")

    def _not_completed(
        self,
        s: Step,
        *,
        ms: float | None = None,
        query: str = "",
        subject: str = "",
        cause: str = "",
        detail: str = "",
        stops: bool = True,
    ) -> None:
        """A reply other than the one due: refused (5xx), temporary (4xx) or incomplete."""
        reply = s.reply
        assert reply is not None
        ms = s.elapsed_ms if ms is None else ms
        step = s.step.removesuffix("_end")
        status, what, cause, fix, reference, reason = self._read(reply, step, cause)
        self._record(
            s.name.removesuffix("_end"),
            self._finding(
                step,
                status,
                f"{step}: {reply} ({ms:.0f} ms) - {what}",
                subject=subject or self.subject,
                detail=detail,
                evidence=(self._evidence(s, ms=ms, query=query),),
                cause=cause,
                fix=fix,
                reference=reference,
                data={
                    **_reply_data(reply, ms),
                    "reply_class": f"{reply.code // 100}xx",
                    "temporary": reply.code // 100 == 4,
                    "reason": reason,
                    "vendor": self.plan.vendor,
                },
            ),
        )
        if stops:
            self._stop(_stop_reason(step, reply.code))

    def _read(
        self, reply: SmtpReply, step: str, cause: str
    ) -> tuple[Status, str, str, str, str, str]:
        """(status, meaning, cause, fix, reference, reason) of a reply that was not due."""
        due = "/".join(str(c) for c in EXPECTED.get(step, (250,)))
        if reply.code < 400:
            what = (
                f"did not complete: the server asked for more ({reply.code}) where {due} was due"
                if reply.code // 100 == 3
                else f"did not complete: unexpected reply, {due} was due"
            )
            return Status.ERROR, what, "", "", RFC_SMTP, ""
        meaning = interpret(reply, host=self.plan.reply_host)
        rule = meaning.rule
        fix = rule.fix.replace("REGION", self.plan.region or "REGION") if rule else ""
        reference = rule.reference if rule else RFC_SMTP
        reason = rule.reason if rule else ""
        if reply.code < 500:
            what = f"temporary failure: {meaning.meaning}" if rule else "temporary failure"
            return Status.ERROR, what, cause or meaning.cause, fix, reference, reason
        return Status.FAIL, meaning.meaning, cause or meaning.cause, fix, reference, reason

    def _exchange(self, s: Step) -> bool:
        """Judge a plain exchange; True when it got the reply it was due."""
        if s.error:
            self._fail(s)
            return False
        if s.code in EXPECTED.get(s.step, (250,)):
            return True
        self._not_completed(s, stops=s.step != "rcpt_to")
        return False

    # -- connection and greeting -------------------------------------------------------

    def _on_resolve(self, group: list[Step]) -> None:
        s = group[0]
        addresses = list(s.data.get("addresses", []))
        evidence = tuple(_evidence_from(e) for e in s.data.get("evidence", []))
        data = {"addresses": addresses, "elapsed_ms": round(s.elapsed_ms, 1)}
        described = str(s.data.get("describe", ""))
        if addresses:
            self._record(
                "resolve",
                self._finding("resolve", Status.PASS, described, evidence=evidence, data=data),
            )
            return
        definite = bool(s.data.get("definite"))
        self._record(
            "resolve",
            self._finding(
                "resolve",
                Status.FAIL if definite else Status.ERROR,
                f"cannot resolve {self.plan.host}: {described}",
                evidence=evidence,
                cause="client.smtp.unreachable" if definite else "",
                data=data,
                fix="Check the relay host name in the client's settings." if definite else "",
            ),
        )
        self._stop("the host name did not resolve")

    def _on_connect(self, group: list[Step]) -> None:
        s = group[0]
        self.tls_active = False
        if s.error:
            self._fail(s)
            return
        failed = [f.get("address", "") for f in s.data.get("failures", [])]
        self._record(
            "connect",
            self._finding(
                "connect",
                Status.PASS,
                f"connected to {s.peer} ({s.elapsed_ms:.0f} ms)",
                evidence=(self._evidence(s),),
                data={
                    "peer": s.peer,
                    "elapsed_ms": round(s.elapsed_ms, 1),
                    "failed_addresses": failed,
                },
            ),
        )

    def _on_banner(self, group: list[Step]) -> None:
        s = group[0]
        if not self._exchange(s):
            return
        reply = s.reply
        assert reply is not None
        name = reply.lines[0].split(" ")[0] if reply.lines else ""
        self._ok(s, f"banner from {name or '?'}: {reply}", data={"server_name": name})

    def _on_ehlo(self, group: list[Step]) -> None:
        s = group[0]
        if not self._exchange(s):
            return
        reply = s.reply
        assert reply is not None
        extensions = parse_ehlo(reply)
        offered = ", ".join(f"{k} {v}".strip() for k, v in extensions.items()) or "nothing"
        after = " after TLS" if s.step == "ehlo_tls" else ""
        self._ok(s, f"EHLO{after}: offers {offered}", data={"extensions": extensions})

    _on_ehlo_tls = _on_ehlo

    def _on_starttls(self, group: list[Step]) -> None:
        s = group[0]
        if s.note == "starttls_not_offered":
            self._record(
                "starttls",
                self._finding(
                    "starttls",
                    Status.FAIL,
                    "the server does not offer STARTTLS",
                    cause="client.smtp_tls.starttls_not_offered",
                    reference=RFC_STARTTLS,
                    detail=_starttls_hint(self.plan),
                    fix="Use implicit TLS on port 465 if the server offers it, or a relay that "
                    "supports STARTTLS.",
                ),
            )
            self._stop("STARTTLS is not offered")
        elif self._exchange(s):
            self._ok(s, "STARTTLS accepted", reference=RFC_STARTTLS)

    # -- TLS ---------------------------------------------------------------------------

    def _on_tls(self, group: list[Step]) -> None:
        s = group[0]
        failure = s.failure
        if isinstance(failure, CertificateInvalid):
            self.cert_error = failure
            self._record("certificate", self._cert_fail(failure, None))
            if self.t.verify_tls:
                self._stop("the certificate did not verify")
            return
        if failure is not None:
            self._fail(s)
            return
        info = TlsInfo.from_dict(s.data.get("tls"))
        if info is None:
            return
        self.tls_active = True
        self._record("tls", self._tls_finding(info, s.elapsed_ms))
        self._record("certificate", self._certificate_finding(info), replace=True)

    def _tls_finding(self, info: TlsInfo, ms: float) -> Finding:
        old = info.version in ("TLSv1", "TLSv1.1", "SSLv3")
        return self._finding(
            "tls",
            Status.WARN if old else Status.PASS,
            f"TLS: {info.version}, {info.cipher} ({ms:.0f} ms)",
            cause="client.smtp_tls.old_protocol" if old else "",
            reference="RFC 8996 (TLS 1.0 and 1.1 deprecated)",
            data={**info.to_dict(), "elapsed_ms": round(ms, 1)},
        )

    def _cert_fail(self, exc: CertificateInvalid, info: TlsInfo | None) -> Finding:
        reason, text = describe_verify_error(exc.verify_code, exc.verify_message)
        cert = info.certificate if info else None
        detail = f"OpenSSL: {exc.verify_message or exc.detail} (code {exc.verify_code})."
        if cert is not None:
            until = f"{cert.not_after:%Y-%m-%d}" if cert.not_after else "?"
            detail += (
                f" Certificate for {', '.join(cert.names) or cert.subject}, issued by "
                f"{cert.issuer}, valid until {until}."
            )
        if not self.t.verify_tls:
            detail += " Carrying on without verification (--no-verify)."
        return self._finding(
            "certificate",
            Status.FAIL,
            f"certificate for {self.plan.host} does not verify: {text}",
            detail=detail,
            cause="client.smtp_tls.certificate_invalid",
            fix="Install a certificate for this host name from a trusted CA; for a private CA "
            "pass --ca-file.",
            reference="RFC 6125; RFC 8314 section 4.1",
            data={
                "reason": reason,
                "verify_code": exc.verify_code,
                "certificate": cert.to_dict() if cert else None,
            },
        )

    def _certificate_finding(self, info: TlsInfo) -> Finding:
        if self.cert_error is not None:
            return self._cert_fail(self.cert_error, info)
        cert = info.certificate
        days = cert.days_left(self.now) if cert else None
        soon = days is not None and days < 14
        names = ", ".join(cert.names) if cert else "?"
        summary = (
            f"certificate valid for {self.plan.host} ({names}), issued by "
            f"{cert.issuer if cert else '?'}, expires in {days:.0f} days"
            if days is not None
            else f"certificate valid for {self.plan.host}"
        )
        return self._finding(
            "certificate",
            Status.WARN if soon else Status.PASS,
            summary,
            cause="client.smtp_tls.certificate_expiring" if soon else "",
            reference="RFC 6125",
            data={
                "certificate": cert.to_dict() if cert else None,
                "chain": list(info.chain),
                "days_left": days,
            },
        )

    # -- AUTH --------------------------------------------------------------------------

    def _on_auth_mechanisms(self, group: list[Step]) -> None:
        mechanisms = list(group[0].data.get("mechanisms", []))
        self._record(
            "auth_mechanisms",
            self._finding(
                "auth_mechanisms",
                Status.INFO if mechanisms else Status.WARN,
                f"AUTH offered: {' '.join(mechanisms)}" if mechanisms else "no AUTH offered",
                reference=RFC_AUTH,
                data={"mechanisms": mechanisms, "tls": bool(group[0].data.get("tls"))},
            ),
        )

    def _on_auth(self, group: list[Step]) -> None:
        decision = next((s for s in group if s.note), None)
        exchanges = [s for s in group if not s.note]
        failed = next((s for s in exchanges if s.error), None)
        if failed is not None:
            self._fail(failed)
        elif decision is None:
            self._auth_result(exchanges)
        else:
            self._auth_decision(decision, exchanges)

    def _auth_decision(self, decision: Step, exchanges: list[Step]) -> None:
        note = decision.note
        if note == "no_credentials":
            why = str(decision.data.get("why", "no credentials given"))
            self._record("auth", self._finding("auth", Status.SKIPPED, f"AUTH not tested: {why}"))
        elif note == "auth_not_offered" and exchanges:
            self._not_completed(
                exchanges[-1],
                query=exchanges[0].command,
                cause="client.smtp_auth.not_offered",
                detail="The server offers AUTH only after STARTTLS; the client must use TLS "
                "on this port (no credentials were sent).",
            )
            self._stop("AUTH is offered only after STARTTLS")
        elif note == "auth_not_offered":
            self._auth_not_offered(bool(decision.data.get("tls")))
        elif note == "plaintext_refused":
            self._record("auth", self._plaintext_finding())
            self._stop("credentials are not sent without TLS")
        else:
            mechanisms = " ".join(decision.data.get("mechanisms", []))
            self._record(
                "auth",
                self._finding(
                    "auth",
                    Status.FAIL,
                    f"no common AUTH mechanism ({mechanisms})",
                    cause="client.smtp_auth.no_common_mechanism",
                    reference=RFC_AUTH,
                ),
            )
            self._stop("no common AUTH mechanism")

    def _plaintext_finding(self) -> Finding:
        return self._finding(
            "auth",
            Status.WARN,
            "not sending credentials without TLS",
            cause="client.smtp_tls.plaintext_auth",
            reference="RFC 8314 section 3",
            fix="Use STARTTLS or implicit TLS; a password sent in clear can be read on the way.",
        )

    def _auth_not_offered(self, tls: bool) -> None:
        detail = "The relay offers no AUTH mechanism" + (" even after STARTTLS" if tls else "")
        detail += "."
        if self.plan.preset is not None:
            detail += f" Gmail reports this as: {GMAIL_NO_AUTH}."
        self._record(
            "auth",
            self._finding(
                "auth",
                Status.FAIL,
                "the server does not offer AUTH",
                detail=detail,
                cause="client.smtp_auth.not_offered",
                reference=RFC_AUTH,
                fix="Use the relay's submission port with TLS, or a relay that supports SMTP AUTH.",
            ),
        )
        self._stop("AUTH is not offered")

    def _auth_result(self, exchanges: list[Step]) -> None:
        """The last AUTH reply decides; AUTH LOGIN's 334 challenges are not an answer."""
        last = exchanges[-1]
        reply = last.reply
        assert reply is not None
        ms = sum(s.elapsed_ms for s in exchanges)
        query = exchanges[0].command
        if "[credentials redacted]" not in query:
            query += " [credentials redacted]"
        who = self.t.user or "?"
        if reply.code == 235:
            ok = Step.exchange(
                "auth", query, peer=last.peer, reply=reply, elapsed_ms=ms, host=last.host
            )
            self._ok(ok, f"authenticated as {who}", reference=RFC_AUTH)
            return
        cause, detail = self._auth_cause(reply) if reply.code >= 500 else ("", "")
        if reply.code // 100 == 3:
            detail = (
                f"The server answered {reply.code} (send more) to the credentials and never "
                "said whether they were accepted."
            )
        self._not_completed(
            last, ms=ms, query=query, cause=cause, detail=f"Tried {who}. {detail}".strip()
        )

    def _auth_cause(self, reply: SmtpReply) -> tuple[str, str]:
        """The most specific cause for a refused AUTH, and an explanation."""
        cause = interpret(reply, host=self.plan.reply_host).cause
        if self.plan.vendor != "ses" or reply.code != 535:
            return cause, ""
        user = self.t.user
        if user and key_id_kind(user) is KeyIdKind.TEMPORARY:
            return "client.smtp_auth.temporary_key", "ASIA... keys are temporary; SES refuses them."
        if self.creds.secret and self.creds.password and self.plan.region:
            return self._cause_from_secret()
        if self.creds.password is not None:
            shape_cause = cause_for_shape(password_shape(self.creds.password).kind)
            if shape_cause:
                return shape_cause, "The stored password's shape shows how it was made."
        return cause, (
            "The password has the right shape but SES refuses it: it was derived "
            "from a secret key that has since been rotated, or for another region. "
            "Check it offline: maildoctor ses-smtp-password --check --region "
            f"{self.plan.region}."
        )

    def _cause_from_secret(self) -> tuple[str, str]:
        assert self.creds.secret is not None and self.creds.password is not None
        assert self.plan.region is not None
        check = check_stored_password(self.creds.secret, self.creds.password, self.plan.region)
        if check.verdict is Verdict.MATCH:
            return "client.smtp_auth.failed", (
                "The password matches the given secret for this region, so the username is not "
                "this secret's access key id, or the key is inactive or deleted."
            )
        where = f" (derived for {check.matched_region})" if check.matched_region else ""
        return cause_for_verdict(check.verdict), f"Offline check: {check.verdict}{where}."

    # -- envelope, DATA, QUIT ----------------------------------------------------------

    def _on_mail_from(self, group: list[Step]) -> None:
        s = group[0]
        if self._exchange(s):
            self._ok(s, f"MAIL FROM:<{self.t.mail_from}> accepted")

    def _on_rcpt_to(self, group: list[Step]) -> None:
        s = group[0]
        rcpt = str(s.data.get("rcpt", ""))
        if s.error:
            self._fail(s)
        elif s.code in EXPECTED["rcpt_to"]:
            self._ok(s, f"RCPT TO:<{rcpt}> accepted", subject=rcpt)
        else:
            self._not_completed(s, subject=rcpt, stops=False)

    def _on_data(self, group: list[Step]) -> None:
        first = group[0]
        if first.note == "no_recipient":
            self._record(
                "data",
                self._finding("data", Status.SKIPPED, "DATA not sent: no recipient was accepted"),
            )
            return
        if not self._exchange(first) or len(group) < 2:
            return
        body = group[1]
        ms = first.elapsed_ms + body.elapsed_ms
        if body.error:
            self._fail(body)
        elif body.code in EXPECTED["data_end"]:
            self._ok(body, "test message accepted for delivery", ms=ms)
        else:
            self._not_completed(body, ms=ms, query="DATA (end of message)")

    def _on_quit(self, group: list[Step]) -> None:
        s = group[0]
        if s.error:
            self._record(
                "quit",
                self._finding("quit", Status.INFO, f"QUIT: {s.detail}", data={"error": s.error}),
            )
        elif s.reply is not None:
            self._ok(s, f"QUIT: {s.reply}")

    def _skip_rest(self) -> None:
        reason = f"not attempted: {self.stopped_at or 'an earlier step failed'}"
        wanted = []
        if self.t.user:
            wanted.append(("auth", "AUTH"))
        if self.t.mail_from:
            wanted.append(("mail_from", f"MAIL FROM:<{self.t.mail_from}>"))
            wanted += [(f"rcpt_to:{i}", f"RCPT TO:<{r}>") for i, r in enumerate(self.t.rcpt_to)]
        if self.t.send_test:
            wanted.append(("data", "DATA"))
        for key, what in wanted:
            if key not in self.results:
                step = key.partition(":")[0]
                self._record(key, self._finding(step, Status.SKIPPED, f"{what}: {reason}"))


#: Steps that are not exchanges: they carry their facts in ``data``.
_NOT_EXCHANGES = frozenset({"resolve", "connect", "tls", "auth_mechanisms"})


#: The decisions each step can record instead of an exchange.
_NOTES: dict[str, frozenset[str]] = {
    "starttls": frozenset({"starttls_not_offered"}),
    "auth_mechanisms": frozenset({"offered"}),
    "auth": frozenset(
        {"no_credentials", "auth_not_offered", "plaintext_refused", "no_common_mechanism"}
    ),
    "data": frozenset({"no_recipient"}),
}


def _complete(s: Step) -> Step:
    """A step a transcript file got wrong (no reply and no failure, or a decision the step
    cannot take) is read as a failed step, never as one that went well."""
    if s.note and s.note not in _NOTES.get(s.step, frozenset()):
        return replace(s, note="", error="error", detail=f"unknown decision {s.note!r}")
    if s.code is not None or s.error or s.note or s.step in _NOT_EXCHANGES:
        return s
    return replace(s, error="error", detail="no reply recorded in the transcript")


def _stop_reason(step: str, code: int) -> str:
    if code >= 500:
        return f"{step} was refused ({code})"
    if code >= 400:
        return f"{step} failed temporarily ({code})"
    return f"{step} did not complete ({code})"


def _reply_data(reply: SmtpReply, ms: float) -> dict[str, Any]:
    return {
        "code": reply.code,
        "enhanced_status": reply.enhanced_status,
        "text": reply.text[:512],
        "elapsed_ms": round(ms, 1),
    }


def _evidence_from(raw: Any) -> Evidence:
    d = raw if isinstance(raw, dict) else {}
    ms = d.get("elapsed_ms")
    return Evidence(
        id=str(d.get("id", "dns:?")),
        source=str(d.get("source", "dns")),
        query=str(d.get("query", "")),
        server=d.get("server") if isinstance(d.get("server"), str) else None,
        outcome=str(d.get("outcome", "")),
        raw=tuple(str(r) for r in d.get("raw", []) if isinstance(r, str)),
        elapsed_ms=float(ms) if isinstance(ms, int | float) else None,
    )


def _hint(step: str, error: SmtpProbeError, plan: ProbePlan) -> str:
    """Why a transport failure at this step most likely happened."""
    if step == "banner" and error.kind == "timeout" and plan.tls is not TlsMode.IMPLICIT:
        return (
            "The server accepted the connection but never sent a greeting. A server "
            "expecting implicit TLS (ports 465/2465) waits silently for a TLS handshake."
        )
    if step == "tls" and "wrong version" in error.detail.lower():
        return (
            "The server answered the TLS handshake with plain text: this port speaks "
            "plain SMTP; use STARTTLS."
        )
    if step == "connect" and plan.port == 25:
        return "Many home and cloud networks block outbound port 25; try port 587."
    if error.kind == "protocol":
        return "What came back is not an SMTP reply: wrong port, or not an SMTP server."
    if error.kind == "dropped":
        return "The server closed the connection in the middle of the dialogue."
    return ""


def _starttls_hint(plan: ProbePlan) -> str:
    if plan.port in (465, 2465):
        return f"Port {plan.port} normally speaks implicit TLS: use --tls implicit."
    return "Without STARTTLS, credentials and mail would travel in clear text."


def _fix_for(cause: str, plan: ProbePlan) -> str:
    fixes = {
        "client.smtp.unreachable": f"Check the host name and port ({plan.host}:{plan.port}) and "
        "any firewall between this machine and the relay.",
        "client.smtp.no_banner": "Check the TLS mode for this port (465: implicit TLS).",
        "client.smtp_tls.handshake_failed": "Check the TLS mode for this port and the server's "
        "TLS configuration.",
    }
    return fixes.get(cause, "Check that the host and port are an SMTP server's.")
