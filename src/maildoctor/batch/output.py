"""Partition files: written atomically, named by the partition's key.

Each partition leaves two files in the output directory:

- ``<kind>-<key>.parquet`` (or ``.jsonl``): its rows, columns as in
  :mod:`maildoctor.batch.rows`;
- ``<kind>-<key>.summary.json``: its counts, written last, so its presence
  means the partition is finished.

Both are written to a temporary name in the same directory and renamed into
place (``os.replace`` is atomic on POSIX and Windows), so a worker killed or a
job interrupted half-way leaves either a whole partition or none of it, and a
partition written twice replaces itself. A worker killed by the system can
still leave a hidden ``.…tmp`` file; the runner sweeps those when the job ends.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .partition import Partition
from .rows import COLUMNS
from .summary import PartitionSummary

__all__ = [
    "FORMATS",
    "data_path",
    "finished",
    "read_rows",
    "require_format",
    "sweep_temporary",
    "write_atomic",
    "write_partition",
]

FORMATS = ("parquet", "jsonl")
_SUFFIX = {"parquet": ".parquet", "jsonl": ".jsonl"}


def require_format(fmt: str) -> None:
    """Check that ``fmt`` can be written here.

    Raises:
        InputError: for an unknown format, or Parquet without pyarrow installed.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown output format {fmt!r} (choose {', '.join(FORMATS)})")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(
                "Parquet output needs pyarrow: pip install 'maildoctor[scale]' "
                "(or use --output-format jsonl)"
            ) from None


def data_path(out_dir: Path, partition: Partition, fmt: str) -> Path:
    """Where a partition's rows go."""
    return out_dir / f"{partition.kind}-{partition.key}{_SUFFIX[fmt]}"


def _summary_path(out_dir: Path, partition: Partition) -> Path:
    return out_dir / f"{partition.kind}-{partition.key}.summary.json"


def finished(out_dir: Path, partition: Partition, fmt: str) -> PartitionSummary | None:
    """The summary of a partition already written whole in ``fmt``, or None."""
    summary = _summary_path(out_dir, partition)
    if not (summary.is_file() and data_path(out_dir, partition, fmt).is_file()):
        return None
    try:
        return PartitionSummary.from_json(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable: run it again


def write_partition(
    out_dir: Path,
    partition: Partition,
    rows: list[dict[str, Any]],
    summary: PartitionSummary,
    fmt: str,
) -> None:
    """Write a partition's rows, then its summary, each atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = COLUMNS[partition.kind]
    writer = _write_parquet if fmt == "parquet" else _write_jsonl
    write_atomic(data_path(out_dir, partition, fmt), lambda tmp: writer(tmp, rows, columns))
    text = summary.to_json()
    write_atomic(
        _summary_path(out_dir, partition), lambda tmp: tmp.write_text(text, encoding="utf-8")
    )


def write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a temporary file beside ``target``, then rename it into place."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _write_jsonl(path: Path, rows: list[dict[str, Any]], columns: dict[str, type]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=True))
            out.write("\n")


def _write_parquet(path: Path, rows: list[dict[str, Any]], columns: dict[str, type]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {str: pa.string(), bool: pa.bool_(), int: pa.int64()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd")


def sweep_temporary(out_dir: Path, kind: str) -> int:
    """Remove temporary files a killed worker left behind; returns how many.

    Called when a job has ended, so none of its own writes is still in flight.
    """
    removed = 0
    for path in out_dir.glob(f".{kind}-*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one partition file (Parquet or JSON lines), for tests and tools."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)
        return
    import pyarrow.parquet as pq

    yield from pq.read_table(path).to_pylist()
