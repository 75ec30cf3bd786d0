"""The reports layer's entry point for ``diagnose``: paths in, findings out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import LayerResult
from ..workers import in_thread
from .analyze import Digest
from .findings import digest_findings
from .reader import iter_reports

if TYPE_CHECKING:  # the reports need no resolver: do not load dnspython for them
    from ..context import Context

__all__ = ["check_reports", "read_digest"]


def read_digest(paths: Iterable[str | Path], *, domain: str = "") -> Digest:
    """Read every report under ``paths`` into one :class:`Digest`.

    Args:
        paths: Files, directories, mboxes (``-`` for standard input).
        domain: Count only records about this domain's organizational domain (``""``: all).

    Returns:
        The digest.

    Raises:
        InputError: When a path does not exist or cannot be opened.
    """
    digest = Digest(domain=domain.lower().rstrip("."))
    for path in paths:
        for item in iter_reports(path):
            digest.add(item)
    return digest


async def check_reports(
    paths: Sequence[str | Path], *, sender_domain: str = "", ctx: Context | None = None
) -> LayerResult[Digest]:
    """Findings from DMARC aggregate, DMARC failure and SMTP TLS reports.

    Reading is done in a worker thread (it is file and CPU work, no network), so the other
    layers of a diagnosis go on meanwhile.

    Args:
        paths: Report files, directories or mboxes.
        sender_domain: The diagnosed sender's domain: only records about its
            organizational domain are counted (``""``: all).
        ctx: The run's context (unused: reading reports needs no network).

    Returns:
        The findings (see :func:`maildoctor.reports.findings.digest_findings`), and the
        digest as facts (what was read: reports by kind, messages, unreadable inputs).

    Raises:
        InputError: When a path does not exist or cannot be opened.
    """
    digest = await in_thread(read_digest, paths, domain=sender_domain)  # daemon: a deadline ends it
    return LayerResult(findings=digest_findings(digest), facts=digest)
