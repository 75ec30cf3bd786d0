"""The message layer: what one message's header section says about its delivery.

Received chain, Authentication-Results and ARC, DKIM and ARC verification with
dkimpy (keys fetched through maildoctor's resolver), SPF re-evaluation, DMARC
alignment and receivers' spam verdicts. Entry point: :func:`check_headers`.
"""

from __future__ import annotations

from .check import check_headers

__all__ = ["check_headers"]
