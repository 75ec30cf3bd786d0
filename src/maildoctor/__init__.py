"""maildoctor: finds out why email is not being delivered."""

from .model import SCHEMA_VERSION, Evidence, ExitCode, Finding, Layer, Report, Status

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Evidence",
    "ExitCode",
    "Finding",
    "Layer",
    "Report",
    "Status",
    "__version__",
]
