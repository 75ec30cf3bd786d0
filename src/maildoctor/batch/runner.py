"""One batch runner, two back ends: in-process, or a Dask distributed cluster.

The per-partition work (:func:`maildoctor.batch.work.run_partition`) is the same
on both. The runner streams partitions from the input, skips those already
finished when resuming, keeps a bounded window of partitions in flight (so a
list of ten million domains never sits in the driver's memory at once) and adds
up the summaries that come back.

Back ends, by the ``--dask`` value:

- absent: partitions run one after the other in this process, each with its own
  bounded asyncio batch;
- ``local`` or ``local:N``: a ``LocalCluster`` of N worker processes (one thread
  each) on 127.0.0.1, started and stopped with the job;
- ``tcp://HOST:PORT``: an existing scheduler; its workers need maildoctor
  installed and the output directory on storage they all see.

Dask reschedules the partitions of a worker that dies; a partition is written
atomically under its content key, so one run twice still leaves one copy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import InputError
from .output import finished, sweep_temporary
from .partition import Partition
from .summary import JobSummary, PartitionSummary, total
from .work import JobSpec, run_partition

__all__ = ["Backend", "parse_backend", "run_job"]

#: Partitions in flight per worker (enough to keep each busy while results return).
_WINDOW_PER_WORKER = 2
#: Times Dask runs a partition again after an error in it (a dead worker is not counted).
_RETRIES = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Backend:
    """Where partitions run.

    Attributes:
        kind: ``inprocess``, ``local`` (a LocalCluster) or ``scheduler``.
        workers: Worker processes for ``local``.
        address: Scheduler address for ``scheduler``.
    """

    kind: str = "inprocess"
    workers: int = 1
    address: str = ""


def parse_backend(text: str | None) -> Backend:
    """Read a ``--dask`` value: None, ``local``, ``local:N`` or ``tcp://HOST:PORT``.

    Raises:
        InputError: for any other value.
    """
    if not text:
        return Backend()
    if text == "local" or text.startswith("local:"):
        count = text.partition(":")[2] or str(os.cpu_count() or 1)
        if not count.isdigit() or not 1 <= int(count) <= 1024:
            raise InputError(f"--dask {text}: want local or local:N with N from 1 to 1024")
        return Backend(kind="local", workers=int(count))
    if text.startswith(("tcp://", "tls://")) and ":" in text.split("://", 1)[1]:
        return Backend(kind="scheduler", address=text)
    raise InputError(f"--dask {text!r}: want local, local:N or tcp://HOST:PORT")


def run_job(
    spec: JobSpec,
    partitions: Iterable[Partition],
    *,
    kind: str,
    backend: Backend = Backend(),
    resume: bool = False,
    on_done: Callable[[PartitionSummary], None] | None = None,
) -> JobSummary:
    """Run every partition and return the job's counts.

    Args:
        spec: The job's settings (output directory and format, DNS, limits).
        partitions: The input's partitions (consumed lazily).
        kind: ``domains`` or ``bounces``.
        backend: Where to run them.
        resume: Skip partitions whose files are already complete.
        on_done: Called with each partition's summary as it finishes (progress).

    Returns:
        The summary of every partition of this input, finished now or before.

    Raises:
        InputError: when Dask is asked for but not installed.
    """
    start = time.perf_counter()
    out = Path(spec.out_dir)
    summaries: list[PartitionSummary] = []
    skipped = 0

    def todo() -> Iterator[Partition]:
        nonlocal skipped
        for partition in partitions:
            done = finished(out, partition, spec.output_format) if resume else None
            if done is None:
                yield partition
                continue
            skipped += 1
            summaries.append(done)
            if on_done:
                on_done(done)

    def record(summary: PartitionSummary) -> None:
        summaries.append(summary)
        if on_done:
            on_done(summary)

    if backend.kind == "inprocess":
        for partition in todo():
            record(run_partition(spec, partition))
    else:
        with _client(backend) as client:
            _run_dask(client, spec, todo(), record, window=_window(client))
    if out.is_dir():
        sweep_temporary(out, kind)  # a worker killed mid-write leaves its temporary file
    job = total(kind, summaries, resumed=skipped)
    return replace(job, seconds=time.perf_counter() - start)


def _window(client: Any) -> int:
    workers = len(client.scheduler_info().get("workers", {})) or 1
    return max(2, workers * _WINDOW_PER_WORKER)


def _run_dask(
    client: Any,
    spec: JobSpec,
    partitions: Iterator[Partition],
    record: Callable[[PartitionSummary], None],
    *,
    window: int,
) -> None:
    from distributed import as_completed

    # Task keys name the partition and the job's settings, so a scheduler shared
    # by several jobs never hands one job another's result.
    job = hashlib.sha256(repr(spec).encode()).hexdigest()[:12]

    def submit(partition: Partition) -> Any:
        key = f"maildoctor-{job}-{partition.key}"
        return client.submit(run_partition, spec, partition, key=key, retries=_RETRIES)

    pending = as_completed([submit(p) for p in islice(partitions, window)])
    for future in pending:
        record(future.result())
        future.release()
        for partition in islice(partitions, 1):
            pending.add(submit(partition))


#: Dask settings for a LocalCluster. The worker's statistical profiler samples every
#: thread's stack each 10 ms; with a partition's deep asyncio stacks that costs a
#: fifth of a worker's CPU, and an audit has no use for the profile.
_LOCAL_CONFIG = {"distributed.worker.profile.enabled": False}


@contextmanager
def _client(backend: Backend) -> Iterator[Any]:
    try:
        import dask.config
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs Dask: pip install 'maildoctor[scale]'") from None
    if backend.kind == "scheduler":
        with Client(backend.address, timeout="30s") as client:
            yield client
        return
    with (
        dask.config.set(_LOCAL_CONFIG),
        LocalCluster(
            n_workers=backend.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
