"""maildoctor: finds out why email is not being delivered."""

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """The model's names, imported on first use (PEP 562): ``maildoctor dns`` sends its
    first DNS questions before loading anything it does not need yet."""
    if name in __all__ and name != "__version__":
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
