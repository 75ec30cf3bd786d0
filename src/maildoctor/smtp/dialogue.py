"""Building blocks shared by the relay probe and the MX probe.

Connecting to the first reachable address, negotiating TLS with a description
of the outcome, timing a step, and recording a step as :class:`Evidence`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..model import Evidence
from .client import SmtpReply, SmtpSession
from .exceptions import SmtpProbeError, TlsFailed
from .tlsinfo import TlsInfo, client_context, tls_info

__all__ = ["ConnectResult", "StepError", "connect_first", "negotiate_tls", "smtp_evidence", "timed"]

T = TypeVar("T")


async def timed(awaitable: Awaitable[T]) -> tuple[T, float]:
    """Await and return (result, elapsed milliseconds)."""
    start = time.perf_counter()
    result = await awaitable
    return result, (time.perf_counter() - start) * 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class StepError:
    """A step that failed, with how long it took to fail."""

    error: SmtpProbeError
    elapsed_ms: float
    address: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectResult:
    """The outcome of trying a host's addresses in order."""

    session: SmtpSession | None
    elapsed_ms: float
    failures: tuple[StepError, ...]


async def connect_first(addresses: Sequence[str], port: int, *, timeout: float) -> ConnectResult:
    """Connect to the first address that answers; keep every failure."""
    failures: list[StepError] = []
    start = time.perf_counter()
    for address in addresses:
        try:
            session, _ = await timed(SmtpSession.open(address, port, timeout=timeout))
        except SmtpProbeError as exc:
            elapsed = (time.perf_counter() - start) * 1000
            failures.append(StepError(error=exc, elapsed_ms=elapsed, address=address))
            continue
        return ConnectResult(
            session=session,
            elapsed_ms=(time.perf_counter() - start) * 1000,
            failures=tuple(failures),
        )
    return ConnectResult(
        session=None, elapsed_ms=(time.perf_counter() - start) * 1000, failures=tuple(failures)
    )


async def negotiate_tls(
    session: SmtpSession, host: str, *, verify: bool, ca_file: str | None, step: str
) -> TlsInfo:
    """Run the TLS handshake on ``session`` and describe it.

    Raises:
        CertificateInvalid: the certificate did not verify (only when ``verify``).
        SmtpProbeError: the handshake failed otherwise, or timed out.
    """
    try:
        context = client_context(verify=verify, ca_file=ca_file)
    except OSError as exc:
        raise TlsFailed(step, f"cannot load CA file: {exc.strerror or exc}") from None
    await session.start_tls(context, host, step=step)
    obj = session.ssl_object
    if obj is None:
        raise TlsFailed(step, "no TLS object after the handshake")
    return tls_info(obj, verified=verify)


def smtp_evidence(
    *,
    peer: str,
    step: str,
    query: str,
    reply: SmtpReply | None = None,
    error: SmtpProbeError | None = None,
    elapsed_ms: float | None = None,
    suffix: str = "",
    host: str = "",
) -> Evidence:
    """One SMTP exchange as evidence; ``query`` must already be redacted.

    The id names the host as well as the peer: MX hosts may share an address.
    """
    if reply is not None:
        outcome, raw = str(reply.code), reply.raw()
    elif error is not None:
        outcome, raw = error.kind, (error.detail,)
    else:
        outcome, raw = "", ()
    return Evidence(
        id=f"smtp:{host + '@' if host else ''}{peer}:{step}{suffix}",
        source="smtp",
        query=query,
        server=peer,
        outcome=outcome,
        raw=raw[:40],
        elapsed_ms=elapsed_ms,
    )
