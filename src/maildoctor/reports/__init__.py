"""Reports receivers send to domain owners: DMARC aggregate and failure, SMTP TLS.

Pure parsing lives in :mod:`.aggregate` (XML), :mod:`.tlsrpt` (JSON) and :mod:`.failure`
(ARF); :mod:`.unpack` takes gzip, zip and e-mail apart with hard limits; :mod:`.reader`
streams files, directories and mboxes; :mod:`.analyze` explains records and accumulates
them; :mod:`.findings` turns that into findings with catalogued causes; :mod:`.check` is the
layer's entry point for ``diagnose``.
"""

from __future__ import annotations

from .aggregate import ReportError, parse_aggregate
from .analyze import Digest, Explanation, explain_record
from .check import check_reports, read_digest
from .findings import digest_findings
from .model import (
    AggregateReport,
    FailureReport,
    Record,
    ReportItem,
    TlsReport,
)
from .reader import iter_reports
from .tlsrpt import parse_tls_report
from .unpack import read_payload

__all__ = [
    "AggregateReport",
    "Digest",
    "Explanation",
    "FailureReport",
    "Record",
    "ReportError",
    "ReportItem",
    "TlsReport",
    "check_reports",
    "digest_findings",
    "explain_record",
    "iter_reports",
    "parse_aggregate",
    "parse_tls_report",
    "read_digest",
    "read_payload",
]
