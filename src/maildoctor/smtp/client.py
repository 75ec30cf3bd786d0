"""A small asyncio SMTP client with per-step control, timeouts and bounded reads.

It exists so a probe can time each round trip, see every reply verbatim, stop at
any step, and survive hostile servers: every read and write has a timeout, reply
lines are bounded (:data:`MAX_LINE`), replies are bounded in lines
(:data:`MAX_REPLY_LINES`), and anything that is not an SMTP reply is a
:class:`~maildoctor.smtp.exceptions.ProtocolViolation`. A 10 MB line costs at
most a few times :data:`MAX_LINE` of memory before the read is abandoned.

Commands that carry credentials are sent with a ``shown`` text for logs and
evidence; the real line is never logged.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import ssl
from collections.abc import Iterable
from dataclasses import dataclass

from .exceptions import ProtocolViolation, map_exceptions

__all__ = ["MAX_LINE", "MAX_REPLY_LINES", "SmtpReply", "SmtpSession", "parse_ehlo"]

log = logging.getLogger(__name__)

#: RFC 5321 4.5.3.1.5 limits a reply line to 512 octets; allow generous slack.
MAX_LINE = 4096
#: An EHLO reply has a line per extension; nothing legitimate needs more.
MAX_REPLY_LINES = 100
#: Text kept per line in evidence.
SHOWN_LINE = 512

_REPLY_LINE = re.compile(r"^(?P<code>[2-5][0-9][0-9])(?P<sep>[ -]|$)(?P<text>.*)$", re.DOTALL)
_ENHANCED = re.compile(r"^(?P<status>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?:\s|$)")


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpReply:
    """One SMTP reply (RFC 5321 4.2), kept structured.

    Attributes:
        code: The three-digit reply code.
        enhanced_status: The RFC 3463 enhanced status code of the first line, or "".
        lines: The text of each line, without the code and separator.
    """

    code: int
    enhanced_status: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """All lines joined by spaces, enhanced status codes left in."""
        return " ".join(line.strip() for line in self.lines).strip()

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 400

    def raw(self) -> tuple[str, ...]:
        """The reply as it appeared on the wire (each line bounded for evidence)."""
        last = len(self.lines) - 1
        return tuple(
            f"{self.code}{' ' if i == last else '-'}{line}"[:SHOWN_LINE]
            for i, line in enumerate(self.lines)
        )

    def __str__(self) -> str:
        return f"{self.code} {self.text}"[:SHOWN_LINE]


def parse_reply_line(raw: bytes) -> tuple[int, bool, str]:
    """Parse one reply line into (code, is_last, text).

    Raises:
        ProtocolViolation: when the line is not an SMTP reply line.
    """
    text = raw.rstrip(b"\r\n").decode("utf-8", "replace")
    match = _REPLY_LINE.match(text)
    if match is None or any(ch in text for ch in "\x00\r\n"):
        raise ProtocolViolation("reply", f"not an SMTP reply line: {text[:60]!r}")
    return int(match["code"]), match["sep"] != "-", match["text"]


def make_reply(code: int, lines: Iterable[str]) -> SmtpReply:
    texts = tuple(lines)
    first = texts[0] if texts else ""
    enhanced = _ENHANCED.match(first.strip())
    return SmtpReply(code=code, enhanced_status=enhanced["status"] if enhanced else "", lines=texts)


def parse_ehlo(reply: SmtpReply) -> dict[str, str]:
    """EHLO keywords (upper case) -> their parameters (RFC 5321 4.1.1.1)."""
    extensions: dict[str, str] = {}
    for line in reply.lines[1:]:
        keyword, _, params = line.strip().partition(" ")
        if keyword.upper().startswith("AUTH="):  # pre-RFC 4954 form, still seen
            keyword, params = "AUTH", keyword[5:] + " " + params
        if keyword:
            key = keyword.upper()
            extensions[key] = (extensions.get(key, "") + " " + params).strip()
    return extensions


def address_literal(host: str) -> str:
    """``192.0.2.1`` -> ``[192.0.2.1]``; IPv6 gets the ``IPv6:`` tag (RFC 5321 4.1.3)."""
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return "[127.0.0.1]"
    return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"


class SmtpSession:
    """One SMTP connection. Every method enforces the step timeout.

    Use :meth:`open` to connect; close with :meth:`close` (never raises).
    """

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        timeout: float,
        peer: str,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.timeout = timeout
        self.peer = peer

    @classmethod
    async def open(cls, address: str, port: int, *, timeout: float) -> SmtpSession:
        """Open a TCP connection (no TLS yet).

        Raises:
            SmtpProbeError: refused, unreachable or timed out.
        """
        with map_exceptions("connect"):
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(address, port, limit=MAX_LINE)
        peer = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        return cls(reader, writer, timeout=timeout, peer=peer)

    @property
    def local_address(self) -> str:
        sockname = self._writer.get_extra_info("sockname")
        return str(sockname[0]) if sockname else "127.0.0.1"

    @property
    def ssl_object(self) -> ssl.SSLObject | None:
        obj = self._writer.get_extra_info("ssl_object")
        return obj if isinstance(obj, ssl.SSLObject) else None

    async def read_reply(self, step: str) -> SmtpReply:
        """Read one complete (possibly multi-line) reply.

        Raises:
            SmtpProbeError: timeout, dropped connection or not SMTP.
        """
        with map_exceptions(step):
            async with asyncio.timeout(self.timeout):
                reply = await self._read_reply(step)
        log.debug("S: %s", reply)
        return reply

    async def _read_reply(self, step: str) -> SmtpReply:
        code: int | None = None
        lines: list[str] = []
        while len(lines) < MAX_REPLY_LINES:
            line_code, last, text = parse_reply_line(await self._reader.readuntil(b"\n"))
            if code is not None and line_code != code:  # RFC 5321 4.2.1: one code per reply
                raise ProtocolViolation(step, f"reply mixes codes {code} and {line_code}")
            code = line_code
            lines.append(text)
            if last:
                return make_reply(code, lines)
        raise ProtocolViolation(step, f"reply longer than {MAX_REPLY_LINES} lines")

    async def send(self, line: str, *, step: str, shown: str | None = None) -> None:
        """Send one command line (CRLF added).

        Raises:
            ValueError: if the line contains CR or LF (command injection).
            SmtpProbeError: on a transport failure.
        """
        if "\r" in line or "\n" in line:
            raise ValueError("SMTP command lines cannot contain CR or LF")
        log.debug("C: %s", shown if shown is not None else line)
        with map_exceptions(step):
            async with asyncio.timeout(self.timeout):
                self._writer.write(line.encode("utf-8") + b"\r\n")
                await self._writer.drain()

    async def command(self, line: str, *, step: str, shown: str | None = None) -> SmtpReply:
        """Send a command and read its reply."""
        await self.send(line, step=step, shown=shown)
        return await self.read_reply(step)

    async def send_data(self, body: bytes, *, step: str) -> SmtpReply:
        """Send a message body after a 354, dot-stuffed (RFC 5321 4.5.2), and read the reply."""
        lines = body.replace(b"\r\n", b"\n").split(b"\n")
        stuffed = b"\r\n".join(b"." + ln if ln.startswith(b".") else ln for ln in lines)
        with map_exceptions(step):
            async with asyncio.timeout(self.timeout):
                self._writer.write(stuffed.rstrip(b"\r\n") + b"\r\n.\r\n")
                await self._writer.drain()
        return await self.read_reply(step)

    async def start_tls(self, context: ssl.SSLContext, server_hostname: str, *, step: str) -> None:
        """Upgrade the connection to TLS (STARTTLS after its 220, or implicit TLS).

        Raises:
            SmtpProbeError: TlsFailed / CertificateInvalid / timeout / dropped.
        """
        with map_exceptions(step):
            async with asyncio.timeout(self.timeout):
                await self._writer.start_tls(
                    context,
                    server_hostname=server_hostname,
                    ssl_handshake_timeout=self.timeout,
                )

    async def close(self) -> None:
        """Close the connection without waiting long, never raising."""
        self._writer.close()
        try:
            async with asyncio.timeout(min(self.timeout, 1.0)):
                await self._writer.wait_closed()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
