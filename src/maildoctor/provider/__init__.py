"""The sending-service layer (``provider``): Amazon SES first.

``base`` is the small interface any sending service implements and ``aws`` the boto3
plumbing; ``ses/`` is Amazon SES by topic (pure checks), with its boto3 client and the
``check_ses`` driver in ``ses.client`` and ``ses.driver``. Importing this package does not
import boto3.
"""

from __future__ import annotations

from .base import CallFailure, FailureKind, Fetched, SendingProvider
from .ses import CAUSES, SesFacts, SesQuery, evaluate, smtp_endpoint_region

__all__ = [
    "CAUSES",
    "CallFailure",
    "FailureKind",
    "Fetched",
    "SendingProvider",
    "SesFacts",
    "SesQuery",
    "evaluate",
    "smtp_endpoint_region",
]
