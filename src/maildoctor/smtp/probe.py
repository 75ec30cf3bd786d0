"""Probe an SMTP relay step by step: can this client submit mail through it?

Steps: resolve, connect, (implicit TLS), banner, EHLO, STARTTLS and the handshake,
EHLO again, AUTH, and with an envelope MAIL FROM / RCPT TO, then QUIT. DATA only
with ``send_test``. The probe here only talks and records each step in a
:class:`~.transcript.Transcript`; :mod:`.verdicts` (pure) turns the transcript
into findings under ``client.smtp.*``, with timing, reply code, enhanced status
and text. A transcript can be written to a file and judged again offline
(:func:`replay_smtp`), so a user's failing relay becomes a test case.

Credentials never leave a :class:`~maildoctor.secrets.Secret` except as the AUTH
line itself, which is never logged or recorded (the transcript shows it redacted).
A certificate that does not verify stops the probe, unless ``ctx.verify_tls`` is
False: then the probe reconnects without verification and carries on, with the
certificate still reported as failed.
"""

from __future__ import annotations

import base64
import email.utils
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..model import Finding
from ..secrets import Secret
from .client import SmtpReply, SmtpSession, address_literal, parse_ehlo
from .dialogue import connect_first, negotiate_tls, timed
from .exceptions import CertificateInvalid, SmtpProbeError
from .plan import ProbePlan, TlsMode, plan_probe
from .profiles import credential_findings, shown_user
from .resolve import resolve_host
from .ses_password import (
    KeyIdKind,
    check_credentials_shape,
    check_stored_password,
    key_id_kind,
    password_check_finding,
)
from .transcript import Step, Transcript
from .verdicts import relay_findings

__all__ = ["Credentials", "probe_smtp", "record_smtp", "replay_smtp"]


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
    """The dialogue cannot go on; the step that stopped it is recorded."""


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
    ctx: Context,
    on_transcript: Callable[[Transcript], None] | None = None,
    provider: str | None = None,
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
        ctx: Resolver, timeout, TLS trust settings.
        on_transcript: Called with the conversation's transcript (to save it).
        provider: The sending service (``sendgrid``...), when the host does not say.

    Returns:
        Findings under ``client.smtp.*``, ``client.smtp_auth.*``; never raises for a
        broken server or wrong credentials.

    Raises:
        InputError: for a bad host, port, TLS mode, preset or address.
    """
    plan = plan_probe(host, port=port, tls=tls, client=client, provider=provider)
    creds = Credentials(user=user, password=password, secret=secret)
    transcript = await record_smtp(
        plan,
        creds,
        tls=tls,
        client=client,
        mail_from=mail_from,
        rcpt_to=tuple(rcpt_to),
        send_test=send_test,
        ehlo_name=ehlo_name,
        ctx=ctx,
    )
    if on_transcript is not None:
        on_transcript(transcript)
    judged = relay_findings(transcript, plan, creds, now=ctx.clock())
    return plan.findings + offline_findings(plan, creds) + judged


async def record_smtp(
    plan: ProbePlan,
    creds: Credentials,
    *,
    tls: str | None = None,
    client: str | None = None,
    mail_from: str | None = None,
    rcpt_to: tuple[str, ...] = (),
    send_test: bool = False,
    ehlo_name: str | None = None,
    ctx: Context,
) -> Transcript:
    """Talk to the relay of ``plan`` and record every step (no judgement).

    Raises:
        InputError: for a bad envelope address.
    """
    for address in (mail_from, *rcpt_to):
        _check_address(address)
    probe = _RelayProbe(
        plan,
        creds,
        mail_from=mail_from,
        rcpt_to=rcpt_to,
        send_test=send_test,
        ehlo_name=ehlo_name,
        ctx=ctx,
    )
    steps = await probe.run()
    return Transcript(
        host=plan.host,
        port=plan.port,
        tls=tls,
        client=client,
        user=shown_user(creds.user, creds.password),  # a Postmark token is never written
        has_password=creds.password is not None,
        mail_from=mail_from,
        rcpt_to=rcpt_to,
        send_test=send_test,
        verify_tls=ctx.verify_tls,
        recorded_at=ctx.clock(),
        steps=steps,
    )


def replay_smtp(
    transcript: Transcript,
    *,
    password: Secret | None = None,
    secret: Secret | None = None,
) -> tuple[Finding, ...]:
    """Judge a recorded conversation again, offline.

    Args:
        transcript: A transcript written by ``--smtp-transcript``.
        password / secret: Optional, to refine an SES ``535`` as the live probe would.

    Raises:
        InputError: when the transcript's host, port, TLS mode or preset are unusable.
    """
    plan = plan_probe(
        transcript.host, port=transcript.port, tls=transcript.tls, client=transcript.client
    )
    creds = Credentials(user=transcript.user, password=password, secret=secret)
    judged = relay_findings(transcript, plan, creds, now=transcript.recorded_at)
    return plan.findings + offline_findings(plan, creds) + judged


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
        findings += (password_check_finding(check),)
    return findings


class _RelayProbe:
    """One run of the relay dialogue: talks, and records each step; judges nothing."""

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
        self.steps: list[Step] = []
        self.session: SmtpSession | None = None
        self.extensions: dict[str, str] = {}
        self.tls_active = False
        self.accepted = 0

    # -- driver ------------------------------------------------------------------------

    async def run(self) -> tuple[Step, ...]:
        addresses = await self._resolve()
        if addresses:
            try:
                await self._attempt(addresses, verify=True)
            except _Retry:
                await self._attempt(addresses, verify=False)
        return tuple(self.steps)

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
        await self._expect("banner", None)
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
    def peer(self) -> str:
        return self.session.peer if self.session else f"{self.plan.host}:{self.plan.port}"

    def _decide(self, step: str, note: str, **data: Any) -> _Stop:
        """Record a decision taken without an exchange; returns the exception that stops."""
        self.steps.append(Step(step=step, key=step, peer=self.peer, note=note, data=data))
        return _Stop()

    async def _exchange(
        self,
        step: str,
        line: str | None,
        *,
        shown: str | None = None,
        key: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> SmtpReply:
        """Send ``line`` (or just read, for the banner) and record it; a failure stops."""
        assert self.session is not None
        query = shown or line or "(banner)"
        start = time.perf_counter()
        reply: SmtpReply | None = None
        error: SmtpProbeError | None = None
        try:
            if line is None:
                reply = await self.session.read_reply(step)
            else:
                reply = await self.session.command(line, step=step, shown=shown)
        except SmtpProbeError as exc:
            error = exc
        ms = (time.perf_counter() - start) * 1000
        self.steps.append(
            Step.exchange(
                step,
                query,
                peer=self.peer,
                reply=reply,
                error=error,
                elapsed_ms=ms,
                key=key,
                data=data,
            )
        )
        if reply is None:
            raise _Stop
        return reply

    async def _expect(self, step: str, line: str | None, *codes: int) -> SmtpReply:
        """An exchange that must get one of ``codes`` (default 220 / 250) to go on."""
        reply = await self._exchange(step, line)
        if reply.code not in (codes or ((220,) if line is None else (250,))):
            raise _Stop
        return reply

    # -- steps -------------------------------------------------------------------------

    async def _resolve(self) -> tuple[str, ...]:
        hosts, ms = await timed(resolve_host(self.plan.host, ctx=self.ctx))
        self.steps.append(
            Step(
                step="resolve",
                key="resolve",
                command=f"A/AAAA {self.plan.host}",
                elapsed_ms=ms,
                data={
                    "addresses": list(hosts.addresses),
                    "describe": hosts.describe(),
                    "definite": hosts.definite,
                    "evidence": [e.to_dict() for e in hosts.evidence()],
                },
            )
        )
        return hosts.addresses

    async def _connect(self, addresses: Sequence[str]) -> None:
        result = await connect_first(addresses, self.plan.port, timeout=self.ctx.timeout)
        failures = [
            {
                "address": f.address,
                "error": f.error.kind,
                "detail": f.error.detail,
                "elapsed_ms": round(f.elapsed_ms, 1),
            }
            for f in result.failures
        ]
        query = f"TCP connect port {self.plan.port}"
        error = None
        if result.session is None:
            tried = "; ".join(f"{f.address}: {f.error.detail}" for f in result.failures)
            error = type(result.failures[-1].error)("connect", tried)
        self.session = result.session
        self.steps.append(
            Step.exchange(
                "connect",
                query,
                peer=self.peer,
                error=error,
                elapsed_ms=result.elapsed_ms,
                data={"failures": failures},
            )
        )
        if self.session is None:
            raise _Stop

    async def _ehlo(self, step: str) -> None:
        assert self.session is not None
        name = self.ehlo_name or address_literal(self.session.local_address)
        self.extensions = parse_ehlo(await self._expect(step, f"EHLO {name}"))

    async def _starttls(self, *, verify: bool) -> None:
        if "STARTTLS" not in self.extensions:
            raise self._decide("starttls", "starttls_not_offered")
        await self._expect("starttls", "STARTTLS", 220)
        await self._handshake(verify=verify)

    async def _handshake(self, *, verify: bool) -> None:
        assert self.session is not None
        start = time.perf_counter()
        try:
            info = await negotiate_tls(
                self.session, self.plan.host, verify=verify, ca_file=self.ctx.ca_file, step="tls"
            )
        except SmtpProbeError as exc:
            ms = (time.perf_counter() - start) * 1000
            self.steps.append(
                Step.exchange("tls", "TLS handshake", peer=self.peer, error=exc, elapsed_ms=ms)
            )
            if isinstance(exc, CertificateInvalid) and verify and not self.ctx.verify_tls:
                raise _Retry from None
            raise _Stop from None
        ms = (time.perf_counter() - start) * 1000
        self.tls_active = True
        self.steps.append(
            Step(
                step="tls",
                key="tls",
                command="TLS handshake",
                peer=self.peer,
                elapsed_ms=ms,
                data={"tls": info.to_dict()},
            )
        )

    # -- AUTH --------------------------------------------------------------------------

    async def _auth(self) -> None:
        mechanisms = self.extensions.get("AUTH", "").upper().split()
        self._decide("auth_mechanisms", "offered", mechanisms=mechanisms, tls=self.tls_active)
        if not self.creds.user or not self.creds.password:
            why = "no username given" if not self.creds.user else "no password given"
            self._decide("auth", "no_credentials", why=why)
            return
        if not mechanisms:
            await self._auth_not_offered()
        if not self.tls_active and not _is_loopback(self.peer):
            raise self._decide("auth", "plaintext_refused")
        await self._authenticate(mechanisms)

    async def _auth_not_offered(self) -> None:
        if not self.tls_active and "STARTTLS" in self.extensions:
            # Ask without credentials to record the server's own words (RFC 4954 4: "*" cancels).
            reply = await self._exchange("auth", "AUTH PLAIN")
            if reply.code == 334:
                await self._exchange("auth", "*")
        raise self._decide("auth", "auth_not_offered", tls=self.tls_active)

    async def _authenticate(self, mechanisms: list[str]) -> None:
        if "PLAIN" in mechanisms:
            reply = await self._auth_plain()
        elif "LOGIN" in mechanisms:
            reply = await self._auth_login()
        else:
            raise self._decide("auth", "no_common_mechanism", mechanisms=mechanisms)
        if reply.code != 235:
            raise _Stop

    @property
    def _password(self) -> Secret:
        assert self.creds.password is not None
        return self.creds.password

    async def _auth_plain(self) -> SmtpReply:
        token = f"\0{self.creds.user}\0{self._password.reveal()}".encode()
        line = "AUTH PLAIN " + base64.b64encode(token).decode("ascii")
        return await self._exchange("auth", line, shown="AUTH PLAIN [credentials redacted]")

    async def _auth_login(self) -> SmtpReply:
        reply = await self._exchange("auth", "AUTH LOGIN")
        for value, shown in (
            (self.creds.user or "", "[username]"),
            (self._password.reveal(), "[password redacted]"),
        ):
            if reply.code != 334:
                break
            encoded = base64.b64encode(value.encode()).decode("ascii")
            reply = await self._exchange("auth", encoded, shown=shown)
        return reply

    # -- envelope, DATA, QUIT ----------------------------------------------------------

    async def _envelope(self) -> None:
        if not self.mail_from:
            return
        await self._expect("mail_from", f"MAIL FROM:<{self.mail_from}>")
        for i, rcpt in enumerate(self.rcpt_to):
            reply = await self._exchange(
                "rcpt_to", f"RCPT TO:<{rcpt}>", key=f"rcpt_to:{i}", data={"rcpt": rcpt}
            )
            self.accepted += reply.code in (250, 251)

    async def _data(self) -> None:
        if not self.accepted:
            self._decide("data", "no_recipient")
            return
        await self._expect("data", "DATA", 354)
        assert self.session is not None
        start = time.perf_counter()
        reply: SmtpReply | None = None
        error: SmtpProbeError | None = None
        try:
            reply = await self.session.send_data(self._message(), step="data")
        except SmtpProbeError as exc:
            error = exc
        ms = (time.perf_counter() - start) * 1000
        self.steps.append(
            Step.exchange(
                "data",
                "message body",
                peer=self.peer,
                reply=reply,
                error=error,
                elapsed_ms=ms,
                data={"part": "end"},
            )
        )
        if reply is None or reply.code != 250:
            raise _Stop

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
        await self._exchange("quit", "QUIT")


def _is_loopback(peer: str) -> bool:
    import ipaddress

    host = peer.rpartition(":")[0].strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
