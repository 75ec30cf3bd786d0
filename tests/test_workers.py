"""Blocking work awaited from async code (maildoctor.workers): abandoned work stops."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from maildoctor.workers import WORKER_THREAD, WorkAbandoned, checkpoint, in_thread


async def test_result_and_exception_come_back():
    assert await in_thread(lambda a, b=0: a + b, 2, b=3) == 5
    with pytest.raises(ZeroDivisionError):
        await in_thread(lambda: 1 / 0)


async def test_work_abandoned_at_a_deadline_stops_at_its_next_checkpoint():
    stopped = threading.Event()

    def endless() -> None:
        try:
            while True:
                checkpoint()
                sum(range(1000))
        except WorkAbandoned:
            stopped.set()
            raise

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(in_thread(endless), 0.2)
    assert await asyncio.to_thread(stopped.wait, 5), "the worker did not stop"


async def test_workers_are_daemon_threads():
    seen: list[threading.Thread] = []
    await in_thread(lambda: seen.append(threading.current_thread()))
    assert seen[0].daemon and seen[0].name == WORKER_THREAD


def test_checkpoint_outside_a_worker_only_yields():
    start = time.perf_counter()
    for _ in range(1000):
        checkpoint()
    assert time.perf_counter() - start < 1.0
