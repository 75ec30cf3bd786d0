"""Bounce classification: ``maildoctor bounce``.

Reads DSNs (RFC 3464), auto-replies (RFC 3834), feedback reports (RFC 5965),
the non-standard reports of common MTAs and services, and Amazon SES event
notifications; for each bounced recipient it returns a :class:`DeliveryStatus`
with Sisimai's reason, hard/soft, the layer and the root-cause id.

Entry points: :func:`classify_path` (a file, mbox, maildir, directory, SES JSON or
``-``; yields records), :func:`classify_inputs` (one :class:`Result` per message,
non-bounces included), :func:`classify_bytes` (one raw message) and
:func:`to_findings` (records -> :class:`maildoctor.model.Finding` for ``diagnose``).
"""

from __future__ import annotations

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
