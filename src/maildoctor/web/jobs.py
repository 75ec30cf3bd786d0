"""Diagnoses running for the page: progress events, the report, and clean-up.

A :class:`Job` runs one ``diagnose`` in the server's event loop and records each
layer's progress as it comes (the page reads them as server-sent events). The
uploaded files live in a private temporary directory removed as soon as the
diagnosis ends; the request (and with it the relay password) is dropped at the
same moment, so only the report stays, and only the last :data:`KEEP` of them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..context import Context
from ..diagnose import DiagnoseRequest, ProgressEvent, diagnose
from ..model import Report

__all__ = ["KEEP", "Job", "JobStore"]

log = logging.getLogger(__name__)

#: Finished jobs kept (their reports) before the oldest is forgotten.
KEEP = 20


@dataclass(slots=True)
class Job:
    """One diagnosis: its progress so far and, when done, its report."""

    id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    report: Report | None = None
    error: str = ""
    done: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def record(self, event: ProgressEvent) -> None:
        self.events.append(
            {
                "adapter": event.adapter,
                "state": str(event.state),
                "findings": event.findings,
                "detail": event.detail,
            }
        )
        self._wake()

    def finish(self, report: Report | None, error: str = "") -> None:
        self.report, self.error = report, error
        self.done.set()
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def stream(self) -> AsyncIterator[dict[str, Any]]:
        """Every event so far, then each new one, until the job is done."""
        sent = 0
        while True:
            changed = self._changed
            while sent < len(self.events):
                yield self.events[sent]
                sent += 1
            if self.done.is_set():
                return
            await changed.wait()


class JobStore:
    """The server's jobs, the most recent :data:`KEEP` of them."""

    def __init__(self, context: Callable[[], Context]) -> None:
        self._context = context
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def start(self, request: DiagnoseRequest, workdir: Path | None) -> Job:
        """Start a diagnosis in the background; the workdir is removed when it ends."""
        job = Job(id=secrets.token_urlsafe(12))
        self._jobs[job.id] = job
        while len(self._jobs) > KEEP:
            self._jobs.popitem(last=False)
        task = asyncio.create_task(self._run(job, request, workdir))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    def add(self, report: Report) -> Job:
        """Keep a report made at once (the Domain and Headers pages) as a finished job."""
        job = Job(id=secrets.token_urlsafe(12))
        job.finish(report)
        self._jobs[job.id] = job
        while len(self._jobs) > KEEP:
            self._jobs.popitem(last=False)
        return job

    async def _run(self, job: Job, request: DiagnoseRequest, workdir: Path | None) -> None:
        try:
            report = await diagnose(request, ctx=self._context(), progress=job.record)
        except Exception as exc:  # noqa: BLE001 - shown on the page, never a crashed server
            log.debug("diagnosis failed", exc_info=True)
            job.finish(None, f"the diagnosis could not run: {type(exc).__name__}")
        else:
            job.finish(report)
        finally:
            del request  # the password goes with it
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)
