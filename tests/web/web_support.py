"""A real uvicorn server on loopback for the page's tests, and the incident's world."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from maildoctor.web.demo import DemoWorld, demo_world


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (an ephemeral port) in a thread; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def incident_world(workdir: Path, name: str = "incident") -> Iterator[DemoWorld]:
    """The demo scenario's world, built and replayed, kept up in a thread of its own."""
    ready: list[DemoWorld] = []
    stop = threading.Event()
    failed: list[BaseException] = []

    async def hold() -> None:
        async with demo_world(name, workdir) as world:
            ready.append(world)
            while not stop.is_set():
                await asyncio.sleep(0.05)

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failed.append(exc)

    thread = threading.Thread(target=run, name="demo-world", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not ready:
        if failed:
            raise failed[0]
        if time.monotonic() > deadline:
            raise RuntimeError("the demo world did not come up")
        time.sleep(0.05)
    try:
        yield ready[0]
    finally:
        stop.set()
        thread.join(20)
