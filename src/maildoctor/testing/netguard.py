"""Refuse every connection that is not to loopback.

Installed for the whole test session (``tests/conftest.py``) and, through
``tests/guard/sitecustomize.py``, in every subprocess the tests start. A test
that tries to reach any other address fails with :class:`NetworkGuardError`.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["NetworkGuardError", "install", "is_loopback", "uninstall", "violations"]


class NetworkGuardError(RuntimeError):
    """A test tried to talk to something outside loopback."""


_ORIGINAL: dict[str, Any] = {}

#: Every refused attempt, kept because asyncio transports log and swallow exceptions
#: raised in ``sendto``; the test session fails any test that leaves one here.
violations: list[str] = []


def is_loopback(host: object) -> bool:
    """True for loopback literals and ``localhost``; names other than that are refused."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%")[0]
    if host.lower() in ("localhost", "localhost.", ""):
        return host != ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = address[0]
    elif isinstance(address, str | bytes):  # AF_UNIX path
        return
    else:
        host = address
    if not is_loopback(host):
        violations.append(f"connect/send to {host!r}")
        raise NetworkGuardError(f"test tried to reach {host!r}, outside loopback")


def install() -> None:
    if _ORIGINAL:
        return
    sock_cls = socket.socket
    _ORIGINAL.update(
        connect=sock_cls.connect,
        connect_ex=sock_cls.connect_ex,
        sendto=sock_cls.sendto,
        getaddrinfo=socket.getaddrinfo,
    )

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _check(address)
        return _ORIGINAL["connect"](self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _check(address)
        return int(_ORIGINAL["connect_ex"](self, address))

    def sendto(self: socket.socket, data: bytes, *args: Any) -> int:
        if args and self.family in (socket.AF_INET, socket.AF_INET6):
            _check(args[-1])
        return int(_ORIGINAL["sendto"](self, data, *args))

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_loopback(host):
            violations.append(f"resolve {host!r}")
            raise NetworkGuardError(f"test tried to resolve {host!r}, outside loopback")
        return _ORIGINAL["getaddrinfo"](host, *args, **kwargs)

    sock_cls.connect = connect  # type: ignore[method-assign,assignment]
    sock_cls.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    sock_cls.sendto = sendto  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo


def uninstall() -> None:
    if not _ORIGINAL:
        return
    socket.socket.connect = _ORIGINAL["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = _ORIGINAL["connect_ex"]  # type: ignore[method-assign]
    socket.socket.sendto = _ORIGINAL["sendto"]  # type: ignore[method-assign]
    socket.getaddrinfo = _ORIGINAL["getaddrinfo"]
    _ORIGINAL.clear()
