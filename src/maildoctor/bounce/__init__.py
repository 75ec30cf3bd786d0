"""Bounce classification: ``maildoctor bounce``.

Reads DSNs (RFC 3464), auto-replies (RFC 3834), feedback reports (RFC 5965),
the non-standard reports of common MTAs and services, and Amazon SES event
notifications; for each bounced recipient it returns a :class:`DeliveryStatus`
with Sisimai's reason, hard/soft, the layer and the root-cause id. What a
server's reply *means* is decided by :mod:`maildoctor.replies` (one classifier
for bounces, logs, probes and ``explain``).

Entry points: :func:`classify_path` (a file, mbox, maildir, directory, SES JSON or
``-``; yields records), :func:`classify_inputs` (one :class:`Result` per message,
non-bounces included), :func:`classify_bytes` (one raw message) and
:func:`to_findings` (records -> :class:`maildoctor.model.Finding` for ``diagnose``).

The names load on first use (PEP 562), so the reply classifier can use this
package's code and phrase tables without importing the whole pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .classify import (
        Result,
        classify_bytes,
        classify_inputs,
        classify_mail,
        classify_path,
        finalize,
        to_findings,
    )
    from .model import DeliveryStatus
    from .parse import Mail, read_mail

__all__ = [
    "DeliveryStatus",
    "Mail",
    "Result",
    "classify_bytes",
    "classify_inputs",
    "classify_mail",
    "classify_path",
    "finalize",
    "read_mail",
    "to_findings",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name == "DeliveryStatus":
        from . import model as home
    elif name in ("Mail", "read_mail"):
        from . import parse as home  # type: ignore[no-redef]
    else:
        from . import classify as home  # type: ignore[no-redef]
    value = getattr(home, name)
    globals()[name] = value
    return value
