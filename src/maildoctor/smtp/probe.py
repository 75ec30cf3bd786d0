"""Probe an SMTP relay step by step: can this client submit mail through it?

Steps, each a finding under ``client.smtp.*`` with timing, reply code, enhanced
status and text: resolve, connect, (implicit TLS), banner, EHLO, STARTTLS and
the handshake (protocol, cipher, certificate), EHLO again, AUTH, and with an
envelope MAIL FROM / RCPT TO, then QUIT. DATA only with ``send_test``.

Replies are read through :mod:`maildoctor.smtp.replies`; an SES ``535`` is
refined with the offline credential checks into the most specific cause.
Credentials never leave a :class:`~maildoctor.secrets.Secret` except as the AUTH
line itself, which is never logged or recorded (evidence shows it redacted).
A certificate that does not verify stops the probe, unless ``ctx.verify_tls`` is
False: then the probe reconnects without verification and carries on, with the
certificate still reported as failed.
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..model import Finding, Layer, Status
from ..secrets import Secret
from .client import SmtpReply, SmtpSession, address_literal, parse_ehlo
from .dialogue import connect_first, negotiate_tls, smtp_evidence, timed
from .exceptions import CertificateInvalid, SmtpProbeError
from .plan import ProbePlan, TlsMode, plan_probe
from .profiles import credential_findings, shown_user
from .replies import interpret
from .resolve import resolve_host
from .ses_password import (
    KeyIdKind,
    Verdict,
    cause_for_shape,
    cause_for_verdict,
    check_credentials_shape,
    check_stored_password,
    key_id_kind,
    password_check_finding,
    password_shape,
)
from .tlsinfo import TlsInfo, describe_verify_error

__all__ = ["Credentials", "probe_smtp"]

RFC_SMTP = "RFC 5321"
RFC_STARTTLS = "RFC 3207"
RFC_AUTH = "RFC 4954"
GMAIL_NO_AUTH = (
    "Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability"
)

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Credentials:
    """What the client authenticates with (and, optionally, the secret to check it against).

    Attributes:
        user: SMTP username (for SES: the access key id).
        password: SMTP password.
        secret: The current IAM secret access key, to pinpoint why an SES password fails.
    """

    user: str | None = None
    password: Secret | None = None
    secret: Secret | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=..., secret=...)"


class _Stop(Exception):
    """The dialogue cannot go on; the reason is already a finding."""


class _Retry(Exception):
    """The certificate failed and the caller asked to carry on without verification."""


async def probe_smtp(
    host: str,
    *,
    port: int | None = None,
    tls: str | None = None,
    user: str | None = None,
    password: Secret | None = None,
    secret: Secret | None = None,
    mail_from: str | None = None,
    rcpt_to: Sequence[str] = (),
    send_test: bool = False,
    client: str | None = None,
    ehlo_name: str | None = None,
    provider: str | None = None,
    ctx: Context,
) -> tuple[Finding, ...]:
    """Probe a relay and return one finding per step.

    Args:
        host: The relay's host name or address.
        port: TCP port; default 587 (465 for implicit TLS).
        tls: ``starttls``, ``implicit`` or ``none``; default implied by the port.
        user: SMTP username; AUTH is tested only with a username and password.
        password: SMTP password.
        secret: Optional current IAM secret key, to explain an SES ``535`` exactly.
        mail_from: Envelope sender for MAIL FROM (no envelope when None).
        rcpt_to: Envelope recipients for RCPT TO.
        send_test: Send a short test message (DATA). Never done otherwise.
        client: A client preset (``gmail-send-as``) whose constraints to check.
        ehlo_name: Name to announce; default an address literal of this end.
        provider: The sending service (``sendgrid``...), when the host does not say.
        ctx: Resolver, timeout, TLS trust settings.

    Returns:
        Findings under ``client.smtp.*``, ``client.smtp_auth.*``; never raises for a
        broken server or wrong credentials.

    Raises:
        InputError: for a bad host, port, TLS mode, preset or address.
    """
    plan = plan_probe(host, port=port, tls=tls, client=client, provider=provider)
    for address in (mail_from, *rcpt_to):
        _check_address(address)
    creds = Credentials(user=user, password=password, secret=secret)
    probe = _RelayProbe(
        plan,
        creds,
        mail_from=mail_from,
        rcpt_to=tuple(rcpt_to),
        send_test=send_test,
        ehlo_name=ehlo_name,
        ctx=ctx,
    )
    return plan.findings + offline_findings(plan, creds) + await probe.run()


def _check_address(address: str | None) -> None:
    from ..errors import InputError

    if address is not None and (any(c in address for c in "\r\n<> ") or len(address) > 320):
        raise InputError(f"bad envelope address {address!r}")


def offline_findings(plan: ProbePlan, creds: Credentials) -> tuple[Finding, ...]:
    """Credential checks made before connecting (relay profiles, SES and AKIA/ASIA usernames)."""
    if plan.profile is not None and plan.profile.vendor != "ses":
        return credential_findings(plan.profile, creds.user, creds.password)
    looks_ses = plan.region is not None or (
        creds.user is not None and key_id_kind(creds.user) is not KeyIdKind.NOT_A_KEY_ID
    )
    if not looks_ses:
        return ()
    findings = check_credentials_shape(creds.user, creds.password, region=plan.region)
    if creds.secret and creds.password and plan.region:
        check = check_stored_password(creds.secret, creds.password, plan.region)
        findings += (password_check_finding(check, secret=creds.secret),)
    return findings


class _RelayProbe:
    """One run of the relay dialogue; findings keyed by step, first record wins."""

    def __init__(
        self,
        plan: ProbePlan,
        creds: Credentials,
        *,
        mail_from: str | None,
        rcpt_to: tuple[str, ...],
        send_test: bool,
        ehlo_name: str | None,
        ctx: Context,
    ) -> None:
        self.plan, self.creds, self.ctx = plan, creds, ctx
        self.mail_from, self.rcpt_to, self.send_test = mail_from, rcpt_to, send_test
        self.ehlo_name = ehlo_name
        self.results: dict[str, Finding] = {}
        self.session: SmtpSession | None = None
        self.extensions: dict[str, str] = {}
        self.tls_active = False
        self.cert_error: CertificateInvalid | None = None
        self.stopped_at = ""
        self.accepted = 0

    # -- driver ------------------------------------------------------------------------

    async def run(self) -> tuple[Finding, ...]:
        addresses = await self._resolve()
        if addresses:
            try:
                await self._attempt(addresses, verify=True)
            except _Retry:
                await self._attempt(addresses, verify=False)
        self._skip_rest()
        return tuple(self.results.values())

    async def _attempt(self, addresses: Sequence[str], *, verify: bool) -> None:
        self.tls_active, self.extensions = False, {}
        try:
            await self._dialogue(addresses, verify=verify)
        except _Stop:
            pass
        finally:
            if self.session is not None:
                await self.session.close()
                self.session = None

    async def _dialogue(self, addresses: Sequence[str], *, verify: bool) -> None:
        await self._connect(addresses)
        if self.plan.tls is TlsMode.IMPLICIT:
            await self._handshake(verify=verify)
        await self._banner()
        await self._ehlo("ehlo")
        if self.plan.tls is TlsMode.STARTTLS:
            await self._starttls(verify=verify)
            await self._ehlo("ehlo_tls")
        await self._auth()
        await self._envelope()
        if self.send_test:
            await self._data()
        await self._quit()

    # -- recording ---------------------------------------------------------------------

    @property
    def subject(self) -> str:
        return f"{self.plan.host}:{self.plan.port}"

    @property
    def peer(self) -> str:
        return self.session.peer if self.session else self.subject

    def _record(self, key: str, finding: Finding, *, replace: bool = False) -> None:
        if replace or key not in self.results:
            self.results[key] = finding

    def _finding(self, step: str, status: Status, summary: str, **extra: Any) -> Finding:
        return Finding(
            check=f"client.smtp.{step}",
            layer=Layer.CLIENT,
            status=status,
            subject=extra.pop("subject", self.subject),
            summary=summary,
            **extra,
        )

    def _step_ok(
        self,
        step: str,
        reply: SmtpReply,
        ms: float,
        query: str,
        summary: str,
        *,
        key: str = "",
        subject: str = "",
        reference: str = RFC_SMTP,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Record a step that got the reply it expected."""
        suffix = ":" + key.partition(":")[2] if ":" in key else ""
        ev = smtp_evidence(
            peer=self.peer, step=step, query=query, reply=reply, elapsed_ms=ms, suffix=suffix
        )
        self._record(
            key or step,
            self._finding(
                step,
                Status.PASS,
                f"{summary} ({ms:.0f} ms)",
                subject=subject or self.subject,
                evidence=(ev,),
                reference=reference,
                data={**_reply_data(reply, ms), **(data or {})},
            ),
        )

    def _fail(self, step: str, error: SmtpProbeError, ms: float, query: str) -> None:
        """Record a transport failure of ``step`` and stop the dialogue."""
        cause, what = FAILURES.get(error.kind, FAILURES["error"])
        if step == "connect":
            cause = "client.smtp.unreachable"
        elif step == "banner" and error.kind == "timeout":
            cause = "client.smtp.no_banner"
        ev = smtp_evidence(peer=self.peer, step=step, query=query, error=error, elapsed_ms=ms)
        self._record(
            step,
            self._finding(
                step,
                Status.FAIL,
                f"{step}: {what} after {ms:.0f} ms ({error.detail})",
                detail=_hint(step, error, self.plan),
                evidence=(ev,),
                cause=cause,
                fix=_fix_for(cause, self.plan),
                reference=RFC_SMTP,
                data={"step": step, "error": error.kind, "elapsed_ms": round(ms, 1)},
            ),
        )
        self.stopped_at = self.stopped_at or f"{step} failed"
        raise _Stop

    def _refused(
        self,
        step: str,
        reply: SmtpReply,
        ms: float,
        query: str,
        *,
        key: str = "",
        subject: str = "",
        cause: str = "",
        detail: str = "",
    ) -> Finding:
        """Record a negative reply read through the table; returns the finding."""
        meaning = interpret(reply, host=self.plan.reply_host)
        rule = meaning.rule
        cause = cause or meaning.cause
        status = Status.FAIL if reply.code >= 500 or cause else Status.WARN
        suffix = ":" + key.partition(":")[2] if ":" in key else ""
        ev = smtp_evidence(
            peer=self.peer, step=step, query=query, reply=reply, elapsed_ms=ms, suffix=suffix
        )
        finding = self._finding(
            step,
            status,
            f"{step}: {reply} ({ms:.0f} ms) - {meaning.meaning}",
            subject=subject or self.subject,
            detail=detail,
            evidence=(ev,),
            cause=cause,
            fix=rule.fix.replace("REGION", self.plan.region or "REGION") if rule else "",
            reference=rule.reference if rule else RFC_SMTP,
            data={
                **_reply_data(reply, ms),
                "reason": rule.reason if rule else "",
                "vendor": self.plan.vendor,
            },
        )
        self._record(key or step, finding)
        return finding

    def _stop_refused(self, step: str, reply: SmtpReply, ms: float, query: str, **kw: Any) -> None:
        self._refused(step, reply, ms, query, **kw)
        self.stopped_at = self.stopped_at or f"{step} was refused ({reply.code})"
        raise _Stop

    def _skip_rest(self) -> None:
        reason = f"not attempted: {self.stopped_at or 'an earlier step failed'}"
        wanted = []
        if self.creds.user:
            wanted.append(("auth", "AUTH"))
        if self.mail_from:
            wanted.append(("mail_from", f"MAIL FROM:<{self.mail_from}>"))
            wanted += [(f"rcpt_to:{i}", f"RCPT TO:<{r}>") for i, r in enumerate(self.rcpt_to)]
        if self.send_test:
            wanted.append(("data", "DATA"))
        for key, what in wanted:
            if key not in self.results:
                step = key.partition(":")[0]
                self._record(key, self._finding(step, Status.SKIPPED, f"{what}: {reason}"))

    # -- steps -------------------------------------------------------------------------

    async def _resolve(self) -> tuple[str, ...]:
        hosts, ms = await timed(resolve_host(self.plan.host, ctx=self.ctx))
        data = {"addresses": list(hosts.addresses), "elapsed_ms": round(ms, 1)}
        if hosts.addresses:
            self._record(
                "resolve",
                self._finding(
                    "resolve", Status.PASS, hosts.describe(), evidence=hosts.evidence(), data=data
                ),
            )
            return hosts.addresses
        definite = hosts.definite
        self._record(
            "resolve",
            self._finding(
                "resolve",
                Status.FAIL if definite else Status.ERROR,
                f"cannot resolve {self.plan.host}: {hosts.describe()}",
                evidence=hosts.evidence(),
                cause="client.smtp.unreachable" if definite else "",
                data=data,
                fix="Check the relay host name in the client's settings." if definite else "",
            ),
        )
        self.stopped_at = "the host name did not resolve"
        return ()

    async def _connect(self, addresses: Sequence[str]) -> None:
        result = await connect_first(addresses, self.plan.port, timeout=self.ctx.timeout)
        query = f"TCP connect port {self.plan.port}"
        if result.session is None:
            tried = "; ".join(f"{f.address}: {f.error.detail}" for f in result.failures)
            error = type(result.failures[-1].error)("connect", tried)
            self._fail("connect", error, result.elapsed_ms, query)
        assert result.session is not None
        self.session = result.session
        ev = smtp_evidence(
            peer=self.peer, step="connect", query=query, elapsed_ms=result.elapsed_ms
        )
        self._record(
            "connect",
            self._finding(
                "connect",
                Status.PASS,
                f"connected to {self.peer} ({result.elapsed_ms:.0f} ms)",
                evidence=(ev,),
                data={
                    "peer": self.peer,
                    "elapsed_ms": round(result.elapsed_ms, 1),
                    "failed_addresses": [f.address for f in result.failures],
                },
            ),
        )

    async def _exchange(
        self, step: str, line: str | None, *, shown: str | None = None
    ) -> tuple[SmtpReply, float, str]:
        """Send ``line`` (or just read, for the banner); a transport failure stops."""
        assert self.session is not None
        query = shown or line or "(banner)"
        start = time.perf_counter()
        try:
            if line is None:
                reply = await self.session.read_reply(step)
            else:
                reply = await self.session.command(line, step=step, shown=shown)
        except SmtpProbeError as exc:
            self._fail(step, exc, (time.perf_counter() - start) * 1000, query)
            raise  # unreachable: _fail raises _Stop
        return reply, (time.perf_counter() - start) * 1000, query

    async def _banner(self) -> None:
        reply, ms, query = await self._exchange("banner", None)
        if reply.code != 220:
            self._stop_refused("banner", reply, ms, query)
        name = reply.lines[0].split(" ")[0] if reply.lines else ""
        self._step_ok(
            "banner",
            reply,
            ms,
            query,
            f"banner from {name or '?'}: {reply}",
            data={"server_name": name},
        )

    async def _ehlo(self, step: str) -> None:
        assert self.session is not None
        name = self.ehlo_name or address_literal(self.session.local_address)
        reply, ms, query = await self._exchange(step, f"EHLO {name}")
        if reply.code != 250:
            self._stop_refused(step, reply, ms, query)
        self.extensions = parse_ehlo(reply)
        offered = ", ".join(f"{k} {v}".strip() for k, v in self.extensions.items()) or "nothing"
        self._step_ok(
            step,
            reply,
            ms,
            query,
            f"EHLO{' after TLS' if self.tls_active else ''}: offers {offered}",
            data={"extensions": dict(self.extensions)},
        )

    async def _starttls(self, *, verify: bool) -> None:
        if "STARTTLS" not in self.extensions:
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
            self.stopped_at = "STARTTLS is not offered"
            raise _Stop
        reply, ms, query = await self._exchange("starttls", "STARTTLS")
        if reply.code != 220:
            self._stop_refused("starttls", reply, ms, query)
        self._step_ok("starttls", reply, ms, query, "STARTTLS accepted", reference=RFC_STARTTLS)
        await self._handshake(verify=verify)

    async def _handshake(self, *, verify: bool) -> None:
        assert self.session is not None
        try:
            info, ms = await timed(
                negotiate_tls(
                    self.session,
                    self.plan.host,
                    verify=verify,
                    ca_file=self.ctx.ca_file,
                    step="tls",
                )
            )
        except CertificateInvalid as exc:
            self._certificate_failed(exc)
            if verify and not self.ctx.verify_tls:
                raise _Retry from None
            self.stopped_at = "the certificate did not verify"
            raise _Stop from None
        except SmtpProbeError as exc:
            self._fail("tls", exc, 0.0, "TLS handshake")
        self.tls_active = True
        self._record("tls", self._tls_finding(info, ms))
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

    def _certificate_failed(self, exc: CertificateInvalid) -> None:
        self.cert_error = exc
        self._record("certificate", self._cert_fail(exc, None))

    def _cert_fail(self, exc: CertificateInvalid, info: TlsInfo | None) -> Finding:
        reason, text = describe_verify_error(exc.verify_code, exc.verify_message)
        cert = info.certificate if info else None
        detail = f"OpenSSL: {exc.verify_message or exc.detail} (code {exc.verify_code})."
        if cert is not None:
            detail += (
                f" Certificate for {', '.join(cert.names) or cert.subject}, issued by "
                f"{cert.issuer}, valid until {cert.not_after:%Y-%m-%d}."
            )
        if not self.ctx.verify_tls:
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
        days = cert.days_left(self.ctx.clock()) if cert else None
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

    async def _auth(self) -> None:
        mechanisms = self.extensions.get("AUTH", "").upper().split()
        self._record(
            "auth_mechanisms",
            self._finding(
                "auth_mechanisms",
                Status.INFO if mechanisms else Status.WARN,
                f"AUTH offered: {' '.join(mechanisms)}" if mechanisms else "no AUTH offered",
                reference=RFC_AUTH,
                data={"mechanisms": mechanisms, "tls": self.tls_active},
            ),
        )
        if not self.creds.user or not self.creds.password:
            why = "no username given" if not self.creds.user else "no password given"
            self._record("auth", self._finding("auth", Status.SKIPPED, f"AUTH not tested: {why}"))
            return
        if not mechanisms:
            await self._auth_not_offered()
        if not self.tls_active and not _is_loopback(self.peer):
            self._record(
                "auth",
                self._finding(
                    "auth",
                    Status.WARN,
                    "not sending credentials without TLS",
                    cause="client.smtp_tls.plaintext_auth",
                    reference="RFC 8314 section 3",
                    fix="Use STARTTLS or implicit TLS; a password sent in clear can be read on the "
                    "way.",
                ),
            )
            self.stopped_at = "credentials are not sent without TLS"
            raise _Stop
        await self._authenticate(mechanisms)

    async def _auth_not_offered(self) -> None:
        if not self.tls_active and "STARTTLS" in self.extensions:
            # Ask without credentials to record the server's own words (RFC 4954 4: "*" cancels).
            reply, ms, query = await self._exchange("auth", "AUTH PLAIN")
            if reply.code == 334:
                reply, ms, query = await self._exchange("auth", "*")
            self._stop_refused(
                "auth",
                reply,
                ms,
                query,
                cause="client.smtp_auth.not_offered",
                detail="The server offers AUTH only after STARTTLS; the client must use TLS "
                "on this port (no credentials were sent).",
            )
        detail = (
            "The relay offers no AUTH mechanism"
            + (" even after STARTTLS" if self.tls_active else "")
            + "."
        )
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
        self.stopped_at = "AUTH is not offered"
        raise _Stop

    async def _authenticate(self, mechanisms: list[str]) -> None:
        if "PLAIN" in mechanisms:
            reply, ms, query = await self._auth_plain()
        elif "LOGIN" in mechanisms:
            reply, ms, query = await self._auth_login()
        else:
            self._record(
                "auth",
                self._finding(
                    "auth",
                    Status.FAIL,
                    f"no common AUTH mechanism ({' '.join(mechanisms)})",
                    cause="client.smtp_auth.no_common_mechanism",
                    reference=RFC_AUTH,
                ),
            )
            self.stopped_at = "no common AUTH mechanism"
            raise _Stop
        who = (
            f"{shown_user(self.creds.user, self._password)} (password {self._password.fingerprint})"
        )
        if reply.code == 235:
            self._step_ok("auth", reply, ms, query, f"authenticated as {who}", reference=RFC_AUTH)
            return
        cause, detail = self._auth_cause(reply)
        self._stop_refused(
            "auth", reply, ms, query, cause=cause, detail=f"Tried {who}. {detail}".strip()
        )

    @property
    def _password(self) -> Secret:
        assert self.creds.password is not None
        return self.creds.password

    async def _auth_plain(self) -> tuple[SmtpReply, float, str]:
        token = f"\0{self.creds.user}\0{self._password.reveal()}".encode()
        line = "AUTH PLAIN " + base64.b64encode(token).decode("ascii")
        return await self._exchange("auth", line, shown="AUTH PLAIN [credentials redacted]")

    async def _auth_login(self) -> tuple[SmtpReply, float, str]:
        reply, ms, query = await self._exchange("auth", "AUTH LOGIN")
        for value, shown in (
            (self.creds.user or "", "[username]"),
            (self._password.reveal(), "[password redacted]"),
        ):
            if reply.code != 334:
                break
            encoded = base64.b64encode(value.encode()).decode("ascii")
            reply, more, _ = await self._exchange("auth", encoded, shown=shown)
            ms += more
        return reply, ms, "AUTH LOGIN [credentials redacted]"

    def _auth_cause(self, reply: SmtpReply) -> tuple[str, str]:
        """The most specific cause for a refused AUTH, and an explanation."""
        cause = interpret(reply, host=self.plan.reply_host).cause
        if self.plan.vendor != "ses" or reply.code != 535:
            return cause, ""
        if self.creds.user and key_id_kind(self.creds.user) is KeyIdKind.TEMPORARY:
            return "client.smtp_auth.temporary_key", "ASIA... keys are temporary; SES refuses them."
        if self.creds.secret and self.plan.region:
            return self._cause_from_secret()
        shape_cause = cause_for_shape(password_shape(self._password).kind)
        if shape_cause:
            return shape_cause, "The stored password's shape shows how it was made."
        return cause, (
            "The password has the right shape but SES refuses it: it was derived "
            "from a secret key that has since been rotated, or for another region. "
            "Check it offline: maildoctor ses-smtp-password --check --region "
            f"{self.plan.region}."
        )

    def _cause_from_secret(self) -> tuple[str, str]:
        assert self.creds.secret is not None and self.plan.region is not None
        check = check_stored_password(self.creds.secret, self._password, self.plan.region)
        if check.verdict is Verdict.MATCH:
            return "client.smtp_auth.failed", (
                "The password matches the given secret for this region, so the username is not "
                "this secret's access key id, or the key is inactive or deleted."
            )
        where = f" (derived for {check.matched_region})" if check.matched_region else ""
        return cause_for_verdict(check.verdict), f"Offline check: {check.verdict}{where}."

    # -- envelope, DATA, QUIT ----------------------------------------------------------

    async def _envelope(self) -> None:
        if not self.mail_from:
            return
        reply, ms, query = await self._exchange("mail_from", f"MAIL FROM:<{self.mail_from}>")
        if reply.code != 250:
            self._stop_refused("mail_from", reply, ms, query)
        self._step_ok("mail_from", reply, ms, query, f"MAIL FROM:<{self.mail_from}> accepted")
        for i, rcpt in enumerate(self.rcpt_to):
            await self._rcpt(i, rcpt)

    async def _rcpt(self, index: int, rcpt: str) -> None:
        key = f"rcpt_to:{index}"
        reply, ms, query = await self._exchange("rcpt_to", f"RCPT TO:<{rcpt}>")
        if reply.code in (250, 251):
            self.accepted += 1
            self._step_ok(
                "rcpt_to", reply, ms, query, f"RCPT TO:<{rcpt}> accepted", subject=rcpt, key=key
            )
        else:
            self._refused("rcpt_to", reply, ms, query, key=key, subject=rcpt)

    async def _data(self) -> None:
        if not self.accepted:
            self._record(
                "data",
                self._finding("data", Status.SKIPPED, "DATA not sent: no recipient was accepted"),
            )
            return
        reply, ms, query = await self._exchange("data", "DATA")
        if reply.code != 354:
            self._stop_refused("data", reply, ms, query)
        assert self.session is not None
        try:
            final, more = await timed(self.session.send_data(self._message(), step="data"))
        except SmtpProbeError as exc:
            self._fail("data", exc, 0.0, "message body")
        if final.code != 250:
            self._stop_refused("data", final, ms + more, "DATA (end of message)")
        self._step_ok("data", final, ms + more, "DATA", "test message accepted for delivery")

    def _message(self) -> bytes:
        headers = {
            "From": f"<{self.mail_from}>",
            "To": ", ".join(f"<{r}>" for r in self.rcpt_to),
            "Subject": "maildoctor test message",
            "Date": email.utils.formatdate(localtime=True),
            "Message-ID": f"<{uuid.uuid4()}@maildoctor.invalid>",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=utf-8",
        }
        head = "\r\n".join(f"{k}: {v}" for k, v in headers.items())
        return (
            head + "\r\n\r\nThis is a test message sent by maildoctor smtp --send-test.\r\n"
        ).encode()

    async def _quit(self) -> None:
        assert self.session is not None
        try:
            reply, ms = await timed(self.session.command("QUIT", step="quit"))
        except SmtpProbeError as exc:
            self._record(
                "quit",
                self._finding("quit", Status.INFO, f"QUIT: {exc.detail}", data={"error": exc.kind}),
            )
            return
        self._step_ok("quit", reply, ms, "QUIT", f"QUIT: {reply}")


def _reply_data(reply: SmtpReply, ms: float) -> dict[str, Any]:
    return {
        "code": reply.code,
        "enhanced_status": reply.enhanced_status,
        "text": reply.text[:512],
        "elapsed_ms": round(ms, 1),
    }


def _is_loopback(peer: str) -> bool:
    host = peer.rpartition(":")[0].strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
