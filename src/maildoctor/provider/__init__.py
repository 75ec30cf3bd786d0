"""The sending-service layer (``provider``): Amazon SES first.

``base`` is the small interface any sending service implements, ``ses`` the
boto3 implementation and the :func:`check_ses` driver, ``ses_checks`` the pure
logic turning what SES and DNS said into findings, ``aws`` the boto3 plumbing.
"""

from __future__ import annotations

from .base import CallFailure, FailureKind, Fetched, SendingProvider
from .ses import SesProvider, check_ses, smtp_endpoint_region
from .ses_checks import CAUSES, SesFacts, SesQuery, evaluate

__all__ = [
    "CAUSES",
    "CallFailure",
    "FailureKind",
    "Fetched",
    "SendingProvider",
    "SesFacts",
    "SesProvider",
    "SesQuery",
    "check_ses",
    "evaluate",
    "smtp_endpoint_region",
]
