"""maildoctor: finds out why email is not being delivered."""

import logging

from .model import (
    SCHEMA_VERSION,
    Confidence,
    Evidence,
    ExitCode,
    Finding,
    FindingMaker,
    Layer,
    Report,
    RootCause,
    Status,
)

__version__ = "0.1.0"

# The library logs; it never prints. Without a handler configured by the application,
# Python's last-resort handler would write warnings (and tracebacks) to stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "SCHEMA_VERSION",
    "Confidence",
    "Evidence",
    "ExitCode",
    "Finding",
    "FindingMaker",
    "Layer",
    "Report",
    "RootCause",
    "Status",
    "__version__",
]
