"""Batch work at scale: many domains, or archives of bounces, in partitions.

- :mod:`~maildoctor.batch.partition` cuts an input into partitions named by
  their content;
- :mod:`~maildoctor.batch.work` is the per-partition work, the same on every
  back end, using the single commands' own per-item functions;
- :mod:`~maildoctor.batch.runner` runs partitions in-process or on Dask, with
  resume;
- :mod:`~maildoctor.batch.output` and :mod:`~maildoctor.batch.summary` write
  the rows (Parquet or JSON lines) and the counts.

See docs/SCALE.md for running on a real cluster.
"""

from .partition import Partition, bounce_partitions, domain_partitions
from .runner import Backend, parse_backend, run_job
from .summary import JobSummary, PartitionSummary
from .work import JobSpec, run_partition

__all__ = [
    "Backend",
    "JobSpec",
    "JobSummary",
    "Partition",
    "PartitionSummary",
    "bounce_partitions",
    "domain_partitions",
    "parse_backend",
    "run_job",
    "run_partition",
]
