"""The incident's world behind the page: ``maildoctor demo --serve`` and the browser tests.

Builds a demo scenario on loopback (the same stage ``maildoctor demo`` uses), replays
it so the evidence files exist, and returns :class:`ServeSettings` whose checks reach
that world: its DNS server, relay CA, moto. The Diagnose form starts filled with what
the user would type; the relay password stays on the server (an empty password field
uses it), and the evidence files are for the user to drop on the form.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..demo import scenarios, zones
from ..demo.replay import Replayed, replay
from ..demo.runner import build_request
from ..demo.stage import SCAN_REGIONS, Stage
from .app import ServeSettings

__all__ = ["DemoWorld", "demo_world", "demo_world_in_thread"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoWorld:
    """The settings for the page, and the evidence files the replay left."""

    settings: ServeSettings
    replayed: Replayed
    scenario: scenarios.Scenario


@asynccontextmanager
async def demo_world(name: str, workdir: Path) -> AsyncIterator[DemoWorld]:
    """Build and replay scenario ``name``; the world lasts as long as the context."""
    scenario = scenarios.get(name)
    with Stage() as stage, stage.world(scenario.world) as built:
        replayed = await replay(built, workdir)
        request = build_request(built, replayed)
        defaults = {
            "sender": request.sender,
            "recipients": "\n".join(request.recipients),
            "relay": str(request.relay) if request.relay else "",
            "relay_user": request.relay_user or "",
            "provider": request.provider or "",
            "region": request.region or "",
            "mx_port": str(request.mx_port),
            "selectors": " ".join(zones.DKIM_TOKENS),
            "regions": " ".join(SCAN_REGIONS),
        }
        settings = ServeSettings(
            defaults=defaults,
            default_password=request.relay_password,
            context_factory=stage.context,  # a fresh resolver for each check
            timeout=built.ctx.timeout,
        )
        yield DemoWorld(settings=settings, replayed=replayed, scenario=scenario)


@contextmanager
def demo_world_in_thread(
    name: str, workdir: Path, *, start_timeout: float = 60.0
) -> Iterator[DemoWorld]:
    """:func:`demo_world`, kept up in a thread of its own while the caller serves the page.

    Raises:
        RuntimeError: when the world does not come up within ``start_timeout`` seconds;
            an exception raised while building it is raised here instead.
    """
    ready: list[DemoWorld] = []
    failed: list[BaseException] = []
    stop = threading.Event()

    async def hold() -> None:
        async with demo_world(name, workdir) as world:
            ready.append(world)
            while not stop.is_set():
                await asyncio.sleep(0.05)

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="demo-world", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not ready:
        if failed:
            raise failed[0]
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the demo world did not come up")
        time.sleep(0.05)
    try:
        yield ready[0]
    finally:
        stop.set()
        thread.join(20)
