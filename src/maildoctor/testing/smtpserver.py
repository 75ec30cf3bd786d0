"""Loopback SMTP (and HTTPS) servers for the tests, the demo and the benchmarks.

Every server listens on 127.0.0.1 on a free port and runs its own event loop in
a daemon thread, so sync and async callers (and subprocesses) can use it::

    pki = TestPki()
    with SesLikeServer("us-east-1", current_secret=secret, pki=pki) as ses:
        ctx = Context(resolver=..., ca_file=pki.ca_file)   # name -> 127.0.0.1
        await probe_smtp(ses.host_name, port=ses.port, ...)

* :class:`SesLikeServer` behaves like ``email-smtp.<region>.amazonaws.com``:
  STARTTLS (or implicit TLS), AUTH PLAIN/LOGIN only after TLS, accepts only the
  V4 password derived from its current secret for its region, and answers with
  SES's reply texts (REFERENCE.md section 2).
* :class:`ExchangeLikeServer` is a recipient's inbound server (no AUTH) that
  rejects RCPT or DATA with a configured NDR line, Exchange Online style.
* :class:`HostileSmtpServer` misbehaves: silent, garbage, a 10 MB line, or a
  connection dropped in the middle of a reply.
* :class:`ScriptedSmtpServer` answers each step (banner, EHLO, STARTTLS, AUTH, MAIL,
  RCPT) with a chosen reply, silence (``timeout``) or a hang-up: the hostile relay
  table of the completion rule.
* :class:`PolicyHttpsServer` serves an MTA-STS policy file over HTTPS.

Certificates come from :class:`TestPki` (trustme), including expired ones and
ones for the wrong names. ``reply_delay`` adds latency to every reply.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import logging
import os
import socket
import ssl
import tempfile
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from ..secrets import Secret
from ..smtp.ses_password import derive_smtp_password

__all__ = [
    "ExchangeLikeServer",
    "HostileSmtpServer",
    "PolicyHttpsServer",
    "ReceivedMessage",
    "ScriptedSmtpServer",
    "SesLikeServer",
    "TestPki",
]


class _QuietLoginData(logging.Filter):
    """aiosmtpd warns on every successful AUTH about its own deprecated attribute."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Session.login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_QuietLoginData())

DEFAULT_NDR = (
    "550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC "
    "verification and has a DMARC policy of reject. "
    "[BN8NAM12FT061.eop-nam12.prod.protection.outlook.com]"
)


# -- certificates ------------------------------------------------------------------------


class TestPki:
    """A private CA (trustme) issuing server certificates on demand.

    Attributes:
        ca: The trustme CA.
        ca_file: Path of the CA certificate as PEM (for ``Context.ca_file`` / ``--ca-file``).
    """

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.ca = trustme.CA()
        fd, path = tempfile.mkstemp(prefix="maildoctor-ca-", suffix=".pem")
        os.close(fd)
        self.ca.cert_pem.write_to_path(path)
        self.ca_file = path
        #: The last leaf certificate issued for each name list, PEM (DANE TLSA fixtures).
        self.leaves: dict[tuple[str, ...], bytes] = {}
        atexit.register(_remove, path)

    def server_context(self, names: Sequence[str], *, expired: bool = False) -> ssl.SSLContext:
        """A server-side context with a leaf for ``names`` (expired a day ago if asked)."""
        kwargs: dict[str, Any] = {}
        if expired:
            now = dt.datetime.now(dt.UTC)
            kwargs = {
                "not_before": now - dt.timedelta(days=90),
                "not_after": now - dt.timedelta(days=1),
            }
        leaf = self.ca.issue_cert(*names, **kwargs)
        self.leaves[tuple(names)] = leaf.cert_chain_pems[0].bytes()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(context)
        return context


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- aiosmtpd plumbing -------------------------------------------------------------------


class _DelayedSMTP(SMTP):
    """aiosmtpd's SMTP with a delay before each complete reply and SES-style 530s."""

    def __init__(
        self, handler: Any, *, reply_delay: float = 0.0, auth_530: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(handler, **kwargs)
        self.reply_delay = reply_delay
        self.auth_530 = auth_530
        self._counted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self._counted:  # called again once STARTTLS completes
            self._counted = True
            self.event_handler.connected(+1)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._counted:
            self._counted = False
            self.event_handler.connected(-1)
        super().connection_lost(error)

    async def push(self, status: Any) -> None:
        text = status.decode("ascii", "replace") if isinstance(status, bytes) else status
        if text[3:4] != "-":  # the last line of a reply
            self.event_handler.replies += 1
            if self.reply_delay:
                await asyncio.sleep(self.reply_delay)
        await super().push(status)

    async def smtp_AUTH(self, arg: str) -> None:
        if self.auth_530 and not (self._tls_protocol or not self._auth_require_tls):
            await self.push("530 Authentication required")  # SES: no AUTH before STARTTLS
            return
        await super().smtp_AUTH(arg)

    async def check_auth_needed(self, caller_method: str) -> bool:
        if (
            self.auth_530
            and self._auth_required
            and self.session is not None
            and (not self.session.authenticated)
        ):
            await self.push("530 Authentication required")
            return True
        return await super().check_auth_needed(caller_method)


class _Controller(Controller):
    """A Controller bound to a free port on 127.0.0.1, building :class:`_DelayedSMTP`."""

    def __init__(
        self,
        handler: Any,
        *,
        smtp_kwargs: dict[str, Any],
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, ssl_context=ssl_context)
        self._smtp_kwargs = smtp_kwargs

    def factory(self) -> SMTP:
        with warnings.catch_warnings():  # "AUTH without requiring TLS": TLS is implicit here
            warnings.simplefilter("ignore")
            return _DelayedSMTP(self.handler, **self._smtp_kwargs)

    def _create_server(self) -> Any:
        # proto must be IPPROTO_TCP for asyncio to set TCP_NODELAY on accepted sockets;
        # without it, multi-line replies stall on delayed ACKs (~40 ms each).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        return self.loop.create_server(self._factory_invoker, sock=sock, ssl=self.ssl_context)


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A message a test server accepted (DATA completed)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes


@dataclass
class _Handler:
    """Hooks shared by the SMTP test servers; records what it saw."""

    server_name: str
    offer_auth: bool = True
    mail_reply: Callable[[str], str | None] = lambda _addr: None
    rcpt_reply: Callable[[str], str | None] = lambda _addr: None
    data_reply: Callable[[Envelope], str | None] = lambda _env: None
    messages: list[ReceivedMessage] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    replies: int = 0

    def connected(self, delta: int) -> None:
        """Count open connections (the most at once shows whether clients ran concurrently)."""
        self.active += delta
        self.max_active = max(self.max_active, self.active)

    async def handle_exception(self, error: Exception) -> str:
        # A client that hangs up during the TLS handshake is routine here (probes that
        # refuse a certificate); answer quietly instead of logging a traceback.
        return "421 4.3.0 Local error"

    async def handle_EHLO(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        self.commands.append("EHLO")
        if not self.offer_auth:
            responses = [r for r in responses if not r[4:].upper().startswith("AUTH")]
        return responses

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.commands.append("MAIL")
        reply = self.mail_reply(address)
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.commands.append("RCPT")
        reply = self.rcpt_reply(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.commands.append("DATA")
        reply = self.data_reply(envelope)
        if reply:
            return reply
        content = envelope.original_content or b""
        self.messages.append(
            ReceivedMessage(
                mail_from=str(envelope.mail_from),
                rcpt_tos=tuple(envelope.rcpt_tos),
                content=content,
            )
        )
        return "250 Ok 010001maildoctor-test-0000000"


class _SmtpTestServer:
    """Common start/stop, port and TLS set-up for the aiosmtpd-based servers."""

    def __init__(
        self,
        handler: _Handler,
        *,
        pki: TestPki,
        host_name: str,
        implicit_tls: bool,
        starttls: bool,
        cert_names: Sequence[str] | None,
        cert_expired: bool,
        reply_delay: float,
        ident: str,
        smtp_kwargs: dict[str, Any],
    ) -> None:
        self.handler = handler
        self.pki = pki
        self.host_name = host_name
        tls = pki.server_context(cert_names or (host_name,), expired=cert_expired)
        kwargs = {
            "hostname": host_name,
            "ident": ident,
            "reply_delay": reply_delay,
            "tls_context": tls if starttls and not implicit_tls else None,
            "timeout": 30,
            # aiosmtpd only sees STARTTLS: on an implicit-TLS port the whole session is TLS.
            "auth_require_tls": not implicit_tls,
            **smtp_kwargs,
        }
        self._controller = _Controller(
            handler, smtp_kwargs=kwargs, ssl_context=tls if implicit_tls else None
        )

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.handler.messages

    @property
    def commands(self) -> list[str]:
        return self.handler.commands

    @property
    def replies(self) -> int:
        """Complete replies sent so far (each one a round trip for the client)."""
        return self.handler.replies

    @property
    def max_concurrent(self) -> int:
        """The most connections that were open at once."""
        return self.handler.max_active

    def reset_stats(self) -> None:
        """Forget the commands, replies and peak connections seen so far."""
        self.handler.commands.clear()
        self.handler.max_active = self.handler.active
        self.handler.replies = 0

    def start(self) -> _SmtpTestServer:
        self._controller.start()
        # aiosmtpd's start-up probe connects once; wait for it to go, then forget it.
        deadline = time.monotonic() + 5
        while self.handler.active and time.monotonic() < deadline:
            time.sleep(0.01)
        self.reset_stats()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- the servers -------------------------------------------------------------------------


class SesLikeServer(_SmtpTestServer):
    """An Amazon SES SMTP endpoint on loopback.

    Args:
        region: The region it serves; the password must be derived for it.
        current_secret: The IAM secret access key currently valid.
        access_key_id: If given, the username must equal it.
        pki: Issues its certificate (for ``email-smtp.<region>.amazonaws.com``).
        implicit_tls: TLS from the first byte (ports 465/2465) instead of STARTTLS.
        verified: Verified identities (addresses or domains); others get SES's 554 at DATA.
            None (the default) accepts every sender; an empty list verifies none.
        throttle: If set, MAIL FROM answers ``454 Throttling failure: <throttle>``.
        cert_names / cert_expired: Serve a certificate for other names, or an expired one.
        mechanisms: AUTH mechanisms offered after TLS (PLAIN and/or LOGIN).
        reply_delay: Seconds before each reply.
    """

    def __init__(
        self,
        region: str,
        *,
        current_secret: Secret,
        pki: TestPki,
        access_key_id: str | None = None,
        implicit_tls: bool = False,
        verified: Sequence[str] | None = None,
        throttle: str | None = None,
        cert_names: Sequence[str] | None = None,
        cert_expired: bool = False,
        mechanisms: Sequence[str] = ("PLAIN", "LOGIN"),
        reply_delay: float = 0.0,
    ) -> None:
        self.region = region
        self._password = derive_smtp_password(current_secret, region)
        self.access_key_id = access_key_id
        self.verified = None if verified is None else {v.lower() for v in verified}
        self.throttle = throttle
        handler = _Handler(
            server_name=f"email-smtp.{region}.amazonaws.com",
            mail_reply=self._mail_reply,
            data_reply=self._data_reply,
        )
        super().__init__(
            handler,
            pki=pki,
            host_name=f"email-smtp.{region}.amazonaws.com",
            implicit_tls=implicit_tls,
            starttls=True,
            cert_names=cert_names,
            cert_expired=cert_expired,
            reply_delay=reply_delay,
            ident="ESMTP SimpleEmailService-d-MAILDOCTORTEST",
            smtp_kwargs={
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_530": True,
                "auth_exclude_mechanism": [m for m in ("PLAIN", "LOGIN") if m not in mechanisms],
            },
        )

    def rotate(self, new_secret: Secret) -> None:
        """Rotate the key: only passwords derived from ``new_secret`` work from now on."""
        self._password = derive_smtp_password(new_secret, self.region)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self._matches(auth_data)
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(
            success=False, handled=False, message="535 Authentication Credentials Invalid"
        )

    def _matches(self, login: LoginPassword) -> bool:
        import hmac

        user_ok = self.access_key_id is None or login.login.decode() == self.access_key_id
        expected = self._password.reveal().encode()
        return user_ok and hmac.compare_digest(login.password, expected)

    def _mail_reply(self, address: str) -> str | None:
        if self.throttle:
            return f"454 Throttling failure: {self.throttle}"
        return None

    def _data_reply(self, envelope: Envelope) -> str | None:
        sender = str(envelope.mail_from or "").lower()
        if (
            self.verified is None
            or sender in self.verified
            or sender.partition("@")[2] in self.verified
        ):
            return None
        return (
            "554 Message rejected: Email address is not verified. The following identities "
            f"failed the check in region {self.region.upper()}: {envelope.mail_from}"
        )


class ExchangeLikeServer(_SmtpTestServer):
    """A recipient's inbound server (Exchange Online style): no AUTH, optional STARTTLS.

    Args:
        reject_at: ``"rcpt"``, ``"data"`` or None (accept everything).
        ndr: The rejection line, code and enhanced status first.
        host_name: The name in its banner and certificate.
        starttls: Offer STARTTLS.
        implicit_tls: Speak TLS from the first byte instead.
        cert_names / cert_expired: Certificate for other names, or an expired one.
        reply_delay: Seconds before each reply.
    """

    def __init__(
        self,
        reject_at: str | None = "rcpt",
        ndr: str = DEFAULT_NDR,
        *,
        pki: TestPki,
        host_name: str = "mx.example.com",
        starttls: bool = True,
        implicit_tls: bool = False,
        cert_names: Sequence[str] | None = None,
        cert_expired: bool = False,
        reply_delay: float = 0.0,
    ) -> None:
        if reject_at not in ("rcpt", "data", None):
            raise ValueError("reject_at must be 'rcpt', 'data' or None")
        self.ndr = ndr
        handler = _Handler(
            server_name=host_name,
            offer_auth=False,
            rcpt_reply=(lambda _a: ndr) if reject_at == "rcpt" else (lambda _a: None),
            data_reply=(lambda _e: ndr) if reject_at == "data" else (lambda _e: None),
        )
        super().__init__(
            handler,
            pki=pki,
            host_name=host_name,
            implicit_tls=implicit_tls,
            starttls=starttls,
            cert_names=cert_names,
            cert_expired=cert_expired,
            reply_delay=reply_delay,
            ident="Microsoft ESMTP MAIL Service ready",
            smtp_kwargs={},
        )


# -- raw asyncio servers -----------------------------------------------------------------


class _ThreadedServer:
    """An asyncio stream server on 127.0.0.1 in its own thread."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.port = 0
        self.connections = 0
        self._ssl = ssl_context
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    async def _guarded(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handle(reader, writer)
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client went away, which is what clients of hostile servers do
        finally:
            writer.close()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._guarded, "127.0.0.1", 0, ssl=self._ssl)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    def start(self) -> Any:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("test server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class HostileSmtpServer(_ThreadedServer):
    """A server that breaks the protocol in one chosen way.

    Modes:
        ``silent``: accepts the connection and never says anything.
        ``garbage``: answers with bytes that are not SMTP.
        ``huge_line``: sends a 10 MB greeting line.
        ``drop``: greets, then drops the connection in the middle of the EHLO reply.
    """

    MODES = ("silent", "garbage", "huge_line", "drop")

    def __init__(self, mode: str, *, line_size: int = 10 * 1024 * 1024) -> None:
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}")
        super().__init__()
        self.mode = mode
        self.line_size = line_size

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        behaviours: dict[str, Callable[[], Awaitable[None]]] = {
            "silent": lambda: self._silent(reader),
            "garbage": lambda: self._garbage(reader, writer),
            "huge_line": lambda: self._huge(writer),
            "drop": lambda: self._drop(reader, writer),
        }
        await behaviours[self.mode]()

    async def _silent(self, reader: asyncio.StreamReader) -> None:
        await reader.read(65536)

    async def _garbage(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"\x00\xff\xfeHTTP/1.1 400 Bad Request\r\n\x16\x03\x01garbage\r\n")
        await writer.drain()
        await reader.read(65536)

    async def _huge(self, writer: asyncio.StreamWriter) -> None:
        chunk = b"x" * 65536
        writer.write(b"220 ")
        for _ in range(self.line_size // len(chunk)):
            writer.write(chunk)
            await writer.drain()
        writer.write(b"\r\n")
        await writer.drain()

    async def _drop(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 drop.example.com ESMTP\r\n")
        await writer.drain()
        await reader.readline()
        writer.write(b"250-drop.example.com\r\n250-PIPELINING\r\n")
        await writer.drain()
        writer.transport.abort()


class ScriptedSmtpServer(_ThreadedServer):
    """A relay whose answer to each step is chosen: a reply, silence, or a hang-up.

    Args:
        script: step -> behaviour, for the steps ``banner``, ``ehlo``, ``starttls``,
            ``auth`` (also every AUTH continuation line), ``mail_from``, ``rcpt_to``,
            ``data``. A behaviour is reply text (``"454 4.7.0 try later"``; lines
            separated by ``\n`` become a multi-line reply), ``"timeout"`` (say nothing
            until the client leaves) or ``"hangup"`` (close the connection). Steps not
            in the script get a well-behaved answer.
        pki: Issues the certificate for ``host_name`` (STARTTLS is offered with it).
        host_name: The name in the certificate and the greeting.
    """

    DEFAULTS: dict[str, str] = {
        "banner": "220 {host} ESMTP scripted",
        "ehlo": "250-{host}\n250-STARTTLS\n250 AUTH PLAIN LOGIN",
        "ehlo_tls": "250-{host}\n250 AUTH PLAIN LOGIN",
        "starttls": "220 2.0.0 Ready to start TLS",
        "auth": "235 2.7.0 Authentication successful",
        "mail_from": "250 2.1.0 Ok",
        "rcpt_to": "250 2.1.5 Ok",
        "data": "354 End data with <CR><LF>.<CR><LF>",
        "data_end": "250 2.0.0 Ok: queued",
        "quit": "221 2.0.0 Bye",
        "other": "502 5.5.2 Command not recognized",
    }
    VERBS = {"EHLO": "ehlo", "HELO": "ehlo", "STARTTLS": "starttls", "AUTH": "auth"}
    VERBS |= {"MAIL": "mail_from", "RCPT": "rcpt_to", "DATA": "data", "QUIT": "quit"}

    def __init__(self, script: dict[str, str], *, pki: TestPki, host_name: str) -> None:
        super().__init__()
        self.script = dict(script)
        self.host_name = host_name
        self.tls_context = pki.server_context([host_name])
        self.seen: list[str] = []

    def _reply(self, step: str) -> str:
        return self.script.get(step, self.DEFAULTS[step]).replace("{host}", self.host_name)

    async def _answer(self, writer: asyncio.StreamWriter, step: str) -> bool:
        """Behave as scripted for ``step``; False when the connection is over."""
        behaviour = self._reply(step)
        if behaviour == "hangup":
            writer.transport.abort()
            return False
        if behaviour == "timeout":
            return False
        writer.write(b"".join(line.encode() + b"\r\n" for line in behaviour.split("\n")))
        await writer.drain()
        return True

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await self._answer(writer, "banner"):
            await self._dialogue(reader, writer)
        if not writer.transport.is_closing():
            await reader.read()  # silent until the client leaves

    async def _dialogue(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tls = in_auth = False
        while line := (await reader.readline()).decode("utf-8", "replace").strip():
            verb = line.split(" ")[0].upper()
            self.seen.append(verb if verb in self.VERBS else "(continuation)")
            step = "auth" if in_auth and verb not in self.VERBS else self.VERBS.get(verb, "other")
            step = "ehlo_tls" if step == "ehlo" and tls else step
            if step == "data_end" or not await self._answer(writer, step):
                return
            reply = self._reply(step)
            in_auth = step == "auth" and reply.startswith("334")
            if step == "starttls" and reply.startswith("220"):
                await writer.start_tls(self.tls_context)
                tls = True
            elif step == "data" and reply.startswith("354"):
                await reader.readuntil(b"\r\n.\r\n")
                await self._answer(writer, "data_end")
            elif step == "quit":
                return


class PolicyHttpsServer(_ThreadedServer):
    """Serves an MTA-STS policy at ``/.well-known/mta-sts.txt`` over HTTPS (RFC 8461 3.3).

    Args:
        policy: The policy text.
        pki: Issues the certificate for ``host_name``.
        host_name: ``mta-sts.<domain>``.
        status: HTTP status to answer with.
        content_type: Content-Type header.
        cert_names: Certificate names, if not ``host_name``.
    """

    def __init__(
        self,
        policy: str,
        *,
        pki: TestPki,
        host_name: str,
        status: int = 200,
        content_type: str = "text/plain",
        cert_names: Sequence[str] | None = None,
    ) -> None:
        super().__init__(ssl_context=pki.server_context(cert_names or (host_name,)))
        self.policy = policy
        self.status = status
        self.content_type = content_type
        self.requests: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.requests.append(request_line)
        path = request_line.split(" ")[1] if " " in request_line else ""
        found = path == "/.well-known/mta-sts.txt"
        status = self.status if found else 404
        body = self.policy.encode() if found and status == 200 else b"not found\n"
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {self.content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
