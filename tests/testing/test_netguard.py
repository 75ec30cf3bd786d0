"""The session guard refuses anything outside loopback, in-process and in subprocesses."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from maildoctor.testing import netguard
from maildoctor.testing.netguard import NetworkGuardError, is_loopback


@pytest.fixture(autouse=True)
def _these_tests_trip_the_guard_on_purpose():
    yield
    netguard.violations.clear()


@pytest.mark.parametrize("addr", [("192.0.2.1", 25), ("2001:db8::1", 53, 0, 0), ("10.0.0.1", 80)])
def test_connect_outside_loopback_is_refused(addr):
    family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s, pytest.raises(NetworkGuardError):
        s.connect(addr)


def test_udp_sendto_outside_loopback_is_refused():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(NetworkGuardError):
        s.sendto(b"x", ("198.51.100.1", 53))
    assert netguard.violations  # recorded: the session fixture fails the test that did it
    netguard.violations.clear()


def test_attempts_swallowed_by_asyncio_are_still_recorded():
    import asyncio

    async def send():
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
        )
        transport.sendto(b"x", ("203.0.113.1", 53))  # asyncio logs the error, does not raise
        transport.close()

    asyncio.run(send())
    assert any("203.0.113.1" in v for v in netguard.violations)
    netguard.violations.clear()


def test_name_resolution_outside_loopback_is_refused():
    with pytest.raises(NetworkGuardError):
        socket.getaddrinfo("example.com", 25)


def test_loopback_is_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=1):
            pass


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.1.2.3", True),
        ("192.0.2.1", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_is_loopback(host, ok):
    assert is_loopback(host) is ok


def test_subprocesses_are_guarded(subprocess_env):
    code = "import socket; socket.create_connection(('192.0.2.1', 25), timeout=1)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode != 0
    assert "NetworkGuardError" in done.stderr
