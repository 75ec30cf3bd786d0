"""Counts an analyst reads first, kept per partition and added up per job.

Each partition's :class:`PartitionSummary` is small (counts, not rows), travels
back from the worker, and is written beside the partition's rows so a resumed
job can total finished partitions without reading their rows again.

- Domains: per check, how many domains got each status; per domain, its worst
  status (``fail`` > ``error``/``timeout``/``invalid`` > ``warn`` > ``pass``).
- Bounces: per reason x source x day, how many recipients; per message, whether
  it was a bounce (``ok``), not one (``none``) or unreadable (``error``).
- Reports: per source IP x sending service x DMARC verdict, how many *messages*
  (the aggregate records' counts); per input, ``ok``, ``none`` or ``error``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .partition import Partition

__all__ = ["JobSummary", "PartitionSummary", "summarise", "total"]

#: A domain's overall status is the first of these its rows carry.
_WORST = ("fail", "error", "timeout", "invalid", "warn")


@dataclass(frozen=True, slots=True, kw_only=True)
class PartitionSummary:
    """What one partition found, in counts.

    Attributes:
        key: The partition's key (names its files).
        index: Its position in the input.
        kind: ``domains`` or ``bounces``.
        items: Input items (domains, or messages read).
        rows: Rows written.
        seconds: Time the work took on the worker.
        statuses: Items per overall status.
        counts: ``check<TAB>status`` (domains) or ``reason<TAB>source<TAB>day``
            (bounces) -> rows; ``ip<TAB>service<TAB>pass|fail`` (reports) -> messages.
    """

    key: str
    index: int
    kind: str
    items: int
    rows: int
    seconds: float
    statuses: Mapping[str, int] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """The summary as one JSON object."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PartitionSummary:
        """Read a summary written by :meth:`to_json`."""
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def summarise(
    partition: Partition, rows: list[dict[str, Any]], *, seconds: float
) -> PartitionSummary:
    """Count one partition's rows."""
    if partition.kind == "domains":
        statuses, counts = _domain_counts(rows)
        items = len(partition.items)
    elif partition.kind == "reports":
        statuses, counts = _report_counts(rows)
        items = len({row["origin"] for row in rows})
    else:
        statuses, counts = _bounce_counts(rows)
        items = len({row["origin"] for row in rows})
    return PartitionSummary(
        key=partition.key,
        index=partition.index,
        kind=partition.kind,
        items=items,
        rows=len(rows),
        seconds=round(seconds, 3),
        statuses=dict(statuses),
        counts=dict(counts),
    )


def _domain_counts(rows: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    per_domain: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        per_domain.setdefault(row["domain"], set()).add(row["status"])
        counts[f"{row['check']}\t{row['status']}"] += 1
    statuses = Counter(_worst(found) for found in per_domain.values())
    return statuses, counts


def _worst(statuses: set[str]) -> str:
    return next((s for s in _WORST if s in statuses), "pass")


def _bounce_counts(rows: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    per_message: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        per_message.setdefault(row["origin"], row["status"])
        if row["status"] == "ok":
            counts[f"{row['reason']}\t{row['source']}\t{row['day']}"] += 1
    return Counter(per_message.values()), counts


def _report_counts(rows: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    per_report: dict[str, str] = {}
    messages: Counter[str] = Counter()
    for row in rows:
        per_report.setdefault(row["origin"], row["status"])
        if row["kind"] == "aggregate" and row["source_ip"]:
            verdict = "pass" if row["passed"] else "fail"
            messages[f"{row['source_ip']}\t{row['service'] or '-'}\t{verdict}"] += row["count"]
    return Counter(per_report.values()), messages


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSummary:
    """A whole job's counts: the partitions' summaries added up.

    Attributes:
        kind: ``domains`` or ``bounces``.
        partitions: Partitions in the job.
        resumed: Partitions found finished and not run again.
        items: Input items.
        rows: Rows written.
        statuses: Items per overall status.
        counts: Rows per ``check<TAB>status`` or ``reason<TAB>source<TAB>day``.
        seconds: Wall time of the job (filled by the runner).
    """

    kind: str
    partitions: int
    resumed: int
    items: int
    rows: int
    statuses: Mapping[str, int]
    counts: Mapping[str, int]
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; counts are nested (``{check: {status: n}}`` or
        ``{reason: {source: {day: n}}}``) so tools read them without splitting keys."""
        return {
            "kind": self.kind,
            "partitions": self.partitions,
            "resumed": self.resumed,
            "items": self.items,
            "rows": self.rows,
            "statuses": dict(sorted(self.statuses.items())),
            "counts": _nest(self.counts),
            "seconds": round(self.seconds, 3),
        }


def _nest(counts: Mapping[str, int]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key in sorted(counts):
        *path, last = key.split("\t")
        node = nested
        for part in path:
            node = node.setdefault(part, {})
        node[last] = counts[key]
    return nested


def total(kind: str, summaries: Iterable[PartitionSummary], *, resumed: int) -> JobSummary:
    """Add up partition summaries (each partition counted once, by key)."""
    unique = {s.key: s for s in summaries}.values()
    statuses: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    items = rows = 0
    for summary in unique:
        statuses.update(summary.statuses)
        counts.update(summary.counts)
        items += summary.items
        rows += summary.rows
    return JobSummary(
        kind=kind,
        partitions=len(unique),
        resumed=resumed,
        items=items,
        rows=rows,
        statuses=dict(statuses),
        counts=dict(counts),
    )
