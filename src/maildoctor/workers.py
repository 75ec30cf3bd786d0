"""Blocking work (parsing, imports, credential look-ups) awaited from async code.

:func:`in_thread` replaces ``asyncio.to_thread`` wherever the work reads outside input: it
runs in a daemon thread, so work abandoned at a deadline cannot keep the process alive
(``asyncio.to_thread``'s executor threads are joined when the loop and the interpreter
end). Imports nothing from the package: any layer may use it.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["WORKER_THREAD", "WorkAbandoned", "checkpoint", "in_thread"]

T = TypeVar("T")

#: Set when the task awaiting this thread's work was cancelled (its deadline passed).
_ABANDONED: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "maildoctor_abandoned", default=None
)


class WorkAbandoned(Exception):
    """Raised at a :func:`checkpoint` in work nobody waits for any more."""


def checkpoint() -> None:
    """Called now and then by loops over outside input (every few hundred lines or messages).

    Lets the event loop's thread have the interpreter (a parsing thread that never pauses
    can starve it past a deadline), and ends work whose awaiting task was cancelled.

    Raises:
        WorkAbandoned: when the work was abandoned at its deadline.
    """
    event = _ABANDONED.get()
    if event is not None and event.is_set():
        raise WorkAbandoned
    time.sleep(0)  # releases the GIL


#: Name of the threads layers do blocking work in.
WORKER_THREAD = "maildoctor-layer"


async def in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking work (parsing, imports) in a daemon thread and await its result.

    Unlike ``asyncio.to_thread``, whose executor threads are joined when the loop and the
    interpreter end, a thread abandoned at a layer's deadline cannot keep the process
    alive: the report is written and the process ends (issue 9, "layers that stop").
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()  # as asyncio.to_thread does
    abandoned = threading.Event()
    context.run(_ABANDONED.set, abandoned)

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (
                context.run(function, *args, **kwargs),
                None,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            outcome = (None, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:
            pass  # the loop is closed: nobody waits for this any more

    threading.Thread(target=work, name=WORKER_THREAD, daemon=True).start()
    try:
        return await future
    except asyncio.CancelledError:
        abandoned.set()  # the worker stops at its next checkpoint
        raise
