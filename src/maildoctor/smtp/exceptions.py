"""Exceptions inside the SMTP layer, and the one table that translates foreign ones.

They never leave the layer: the probes turn them into findings. The tree::

    SmtpProbeError            a step could not complete (.step, .kind, .detail)
     ├── StepTimeout          no answer within the step's timeout
     ├── ResolveFailed        the host name has no usable address
     ├── ConnectRefused       TCP RST: nothing listening, or a firewall rejecting
     ├── Unreachable          no route, network down, other socket errors
     ├── ConnectionDropped    the peer closed or reset the connection mid-dialogue
     ├── ProtocolViolation    not SMTP: garbage, an over-long line, an endless reply
     └── TlsFailed            the TLS handshake failed
          └── CertificateInvalid   the certificate did not verify (.verify_code)

Third-party exceptions (``ssl``, ``socket``, ``asyncio``) are mapped once, by
:data:`EXC_MAP` and :func:`map_exceptions`, after httpx's
``map_httpcore_exceptions`` (MODELS.md section 4). Messages carry no secrets:
the mapped text comes from the socket layer, never from what was sent.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "EXC_MAP",
    "CertificateInvalid",
    "ConnectRefused",
    "ConnectionDropped",
    "ProtocolViolation",
    "ResolveFailed",
    "SmtpProbeError",
    "StepTimeout",
    "TlsFailed",
    "Unreachable",
    "map_exceptions",
]


class SmtpProbeError(Exception):
    """A step of an SMTP dialogue could not complete.

    Attributes:
        step: The step that failed (``connect``, ``banner``, ``starttls``...).
        kind: A short machine word for the failure (``timeout``, ``refused``...).
        detail: Human text, free of secrets.
    """

    kind = "error"

    def __init__(self, step: str, detail: str) -> None:
        super().__init__(f"{step}: {detail}")
        self.step = step
        self.detail = detail


class StepTimeout(SmtpProbeError):
    kind = "timeout"


class ResolveFailed(SmtpProbeError):
    kind = "resolve"


class ConnectRefused(SmtpProbeError):
    kind = "refused"


class Unreachable(SmtpProbeError):
    kind = "unreachable"


class ConnectionDropped(SmtpProbeError):
    kind = "dropped"


class ProtocolViolation(SmtpProbeError):
    kind = "protocol"


class TlsFailed(SmtpProbeError):
    kind = "tls"


class CertificateInvalid(TlsFailed):
    """The peer's certificate failed verification.

    Attributes:
        verify_code: OpenSSL's X509_V_ERR code (10 expired, 62 name mismatch...).
        verify_message: OpenSSL's text for it.
    """

    kind = "certificate"

    def __init__(
        self, step: str, detail: str, *, verify_code: int = 0, verify_message: str = ""
    ) -> None:
        super().__init__(step, detail)
        self.verify_code = verify_code
        self.verify_message = verify_message


#: Foreign exception -> ours, most specific first (ssl errors are OSErrors, timeouts
#: are OSErrors, refusals are ConnectionErrors).
EXC_MAP: tuple[tuple[type[BaseException], type[SmtpProbeError]], ...] = (
    (TimeoutError, StepTimeout),
    (ssl.SSLCertVerificationError, CertificateInvalid),
    (ssl.SSLZeroReturnError, ConnectionDropped),
    (ssl.SSLEOFError, ConnectionDropped),
    (ssl.SSLError, TlsFailed),
    (socket.gaierror, ResolveFailed),
    (ConnectionRefusedError, ConnectRefused),
    (asyncio.IncompleteReadError, ConnectionDropped),
    (ConnectionError, ConnectionDropped),
    (asyncio.LimitOverrunError, ProtocolViolation),
    (UnicodeError, ProtocolViolation),
    (OSError, Unreachable),
)


def describe(exc: BaseException) -> str:
    """One short line for an exception, bounded in length."""
    if isinstance(exc, TimeoutError):
        return "no answer before the timeout"
    if isinstance(exc, asyncio.IncompleteReadError):
        return f"connection closed by the server after {len(exc.partial)} bytes of a reply"
    if isinstance(exc, asyncio.LimitOverrunError):
        return "reply line longer than the limit (RFC 5321 4.5.3.1.5 allows 512 octets)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return str(exc.verify_message or exc.reason or "certificate verify failed")
    if isinstance(exc, ssl.SSLError):
        return str(exc.reason or exc.strerror or type(exc).__name__)
    errno = exc.errno if isinstance(exc, OSError) else None
    if errno and errno > 0 and not isinstance(exc, socket.gaierror):
        return os.strerror(errno)  # "Connection refused", not asyncio's wrapper text
    text = str(exc).splitlines()[0] if str(exc) else ""
    name = type(exc).__name__
    return (f"{name}: {text}" if text else name)[:200]


def translate(step: str, exc: BaseException) -> SmtpProbeError | None:
    """Our exception for a foreign one, or None when it is not a transport failure."""
    for foreign, ours in EXC_MAP:
        if isinstance(exc, foreign):
            if ours is CertificateInvalid:
                assert isinstance(exc, ssl.SSLCertVerificationError)
                return CertificateInvalid(
                    step,
                    describe(exc),
                    verify_code=int(exc.verify_code or 0),
                    verify_message=str(exc.verify_message or ""),
                )
            return ours(step, describe(exc))
    return None


@contextmanager
def map_exceptions(step: str) -> Iterator[None]:
    """Re-raise transport exceptions from the block as :class:`SmtpProbeError`.

    Raises:
        SmtpProbeError: for every exception listed in :data:`EXC_MAP`.
    """
    try:
        yield
    except SmtpProbeError:
        raise
    except Exception as exc:  # noqa: BLE001 - filtered through the table below
        mapped = translate(step, exc)
        if mapped is None:
            raise
        raise mapped from exc
