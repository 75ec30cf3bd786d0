"""Sending logs: Postfix, Exim, Sendmail and application logs that record SMTP replies.

:func:`analyze_logs` streams the files into a :class:`LogSummary`;
:func:`log_findings` turns it into findings.
"""

from __future__ import annotations

from .analyze import LogSummary, analyze_logs, log_findings

__all__ = ["LogSummary", "analyze_logs", "log_findings"]
