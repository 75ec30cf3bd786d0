"""The incident's world behind the page: ``maildoctor demo --serve`` and the browser tests.

Builds a demo scenario on loopback (the same stage ``maildoctor demo`` uses), replays
it so the evidence files exist, and returns :class:`ServeSettings` whose checks reach
that world: its DNS server, relay CA, moto. The Diagnose form starts filled with what
the user would type; the relay password stays on the server (an empty password field
uses it), and the evidence files are for the user to drop on the form.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from ..demo import scenarios, zones
from ..demo.replay import Replayed, replay
from ..demo.runner import build_request
from ..demo.stage import SCAN_REGIONS, Stage
from .app import ServeSettings

__all__ = ["DemoWorld", "demo_world"]


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
