"""Many concurrent DNS questions over a few shared UDP sockets.

dnspython's ``udp()`` opens a socket per question. A bulk run asks tens of
thousands of questions at once, and the socket set-up costs more CPU than the
question itself; here replies are matched to questions by (message id, server
address) on a small pool of sockets instead. Replies from any other address, or
with an id nobody is waiting for, are dropped (RFC 5452 section 9.1); the caller
checks the question section with ``Message.is_response``.

A pool belongs to one event loop and keeps its sockets open for that loop's
life (binding a socket costs milliseconds); they are closed when the loop shuts
down, through an async generator that ``asyncio.run`` finalises.

The trade-off: a run uses a handful of source ports instead of one per query,
so a spoofed reply has to guess the 16-bit id for one of few ports (RFC 5452
section 10). maildoctor asks the resolver the user configured, not the Internet.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

__all__ = ["UdpPool"]

#: Sockets per address family: each adds source-port entropy (RFC 5452 section 10).
POOL_SIZE = 2
#: Bytes of receive buffer asked for on each pooled socket.
RECEIVE_BUFFER = 4 * 1024 * 1024

_Key = tuple[int, str, int]


class _Mux(asyncio.DatagramProtocol):
    def __init__(self, pool: UdpPool) -> None:
        self.pool = pool
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if len(data) >= 2:
            self.pool.deliver((int.from_bytes(data[:2], "big"), str(addr[0]), int(addr[1])), data)

    def error_received(self, exc: Exception) -> None:  # ICMP errors: the wait times out
        pass

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool.lost(self)


class UdpPool:
    """Sends a query's wire form and waits for the matching reply."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._pending: dict[_Key, asyncio.Future[bytes]] = {}
        self._socks: dict[int, list[_Mux]] = {}
        self._opening: dict[int, asyncio.Future[list[_Mux]]] = {}
        self._turn = itertools.count()
        self._keepers: list[AsyncIterator[None]] = []
        self.sent = 0

    def new_id(self, host: str, port: int) -> int:
        """A random message id not in use with this server, reserved until its exchange ends.

        Reserving here, not when the datagram goes out, keeps two questions started in
        the same turn of the loop from drawing the same id (and one losing its reply).
        """
        loop = self._bind()
        while True:
            qid = secrets.randbelow(65536)
            if (qid, host, port) not in self._pending:
                self._pending[(qid, host, port)] = loop.create_future()
                return qid

    async def until_sent(self, target: int, *, turns: int) -> None:
        """Let the loop turn until ``sent`` reaches ``target``, at most ``turns`` times.

        Opening the sockets takes a few turns; a caller about to block (on an import)
        uses this so that the questions it started are on the wire, not still queued.
        """
        for _ in range(turns):
            if self.sent >= target:
                return
            await asyncio.sleep(0)

    def release(self, qid: int, host: str, port: int) -> None:
        """Give back an id from :meth:`new_id` that will not be sent."""
        self._pending.pop((qid, host, port), None)

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self._reset(loop)
        return loop

    async def exchange(self, wire: bytes, host: str, port: int, timeout: float) -> bytes:
        """Send one query and return the raw reply.

        Raises:
            TimeoutError: no reply within ``timeout`` seconds.
            OSError: the socket could not be opened or written.
        """
        loop = self._bind()
        key = (int.from_bytes(wire[:2], "big"), host, port)
        fut = self._pending.get(key)
        if fut is None or fut.done():  # an id not reserved through new_id
            fut = loop.create_future()
            self._pending[key] = fut
        try:
            muxes = await self._sockets(socket.AF_INET6 if ":" in host else socket.AF_INET)
            mux = muxes[next(self._turn) % len(muxes)]
            assert mux.transport is not None
            mux.transport.sendto(wire, (host, port))
            self.sent += 1
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._pending.pop(key, None)

    def lost(self, mux: _Mux) -> None:
        """A socket closed under us (a fatal send error): open new ones next time."""
        for family, muxes in list(self._socks.items()):
            if mux in muxes:
                del self._socks[family]

    def deliver(self, key: _Key, data: bytes) -> None:
        fut = self._pending.get(key)
        if fut is not None and not fut.done():
            fut.set_result(data)

    async def _sockets(self, family: int) -> list[_Mux]:
        if family in self._socks:
            return self._socks[family]
        opening = self._opening.get(family)
        if opening is None:
            opening = asyncio.ensure_future(self._open(family))
            self._opening[family] = opening
        try:
            muxes = await asyncio.shield(opening)
        finally:
            self._opening.pop(family, None)
        self._socks[family] = muxes
        return muxes

    async def _open(self, family: int) -> list[_Mux]:
        assert self.loop is not None
        local = ("::", 0) if family == socket.AF_INET6 else ("0.0.0.0", 0)
        muxes = []
        for _ in range(POOL_SIZE):
            transport, proto = await self.loop.create_datagram_endpoint(
                lambda: _Mux(self), local_addr=local, family=family
            )
            _widen_receive_buffer(transport)
            muxes.append(proto)
        keeper = _keep_open(muxes)
        await anext(keeper)  # registered with the loop: closed at its shutdown
        self._keepers.append(keeper)
        return muxes

    def _reset(self, loop: asyncio.AbstractEventLoop) -> None:
        """A new event loop (a new ``asyncio.run``): forget the old loop's sockets."""
        self.loop = loop
        self._pending.clear()
        self._socks.clear()
        self._opening.clear()
        self._keepers.clear()


def _widen_receive_buffer(transport: asyncio.BaseTransport) -> None:
    """Room for a burst of answers while the loop is busy (bulk checks, a loaded machine).

    Many questions share few sockets, so the default receive buffer (about 200 KB,
    some 150 datagrams) overflows when hundreds of domains are in flight and the
    event loop falls behind; the lost answers would cost a timeout each. The
    kernel caps the request at ``net.core.rmem_max``.
    """
    sock = transport.get_extra_info("socket")
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    except OSError:
        pass  # a platform that refuses: the default buffer still works


async def _keep_open(muxes: list[_Mux]) -> AsyncIterator[None]:
    """Suspends until the event loop finalises it, then closes the sockets."""
    try:
        yield
    finally:
        for mux in muxes:
            if mux.transport is not None:
                mux.transport.close()
