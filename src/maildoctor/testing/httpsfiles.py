"""A loopback HTTPS server serving fixed files by path (BIMI logos and VMCs in tests).

``FilesHttpsServer({"/logo.svg": (b"<svg...>", "image/svg+xml")}, pki=pki,
host_name="bimi.example.com")`` answers GET for each path with its body and content type,
404 otherwise, and records the request lines in :attr:`requests`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from .smtpserver import TestPki, _ThreadedServer

__all__ = ["FilesHttpsServer"]


class FilesHttpsServer(_ThreadedServer):
    """HTTPS on 127.0.0.1 with a trustme certificate for ``host_name``."""

    def __init__(
        self, files: Mapping[str, tuple[bytes, str]], *, pki: TestPki, host_name: str
    ) -> None:
        super().__init__(ssl_context=pki.server_context((host_name,)))
        self.files = dict(files)
        self.requests: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.requests.append(request_line)
        path = request_line.split(" ")[1] if " " in request_line else ""
        body, kind = self.files.get(path, (b"not found\n", "text/plain"))
        status = 200 if path in self.files else 404
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
