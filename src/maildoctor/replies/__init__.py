"""One knowledge of what a mail server's reply means.

:func:`classify` reads a reply (text, reply code, enhanced status, the host that said it,
and optionally the SMTP step and which side answered) into a :class:`ReplyVerdict`:
Sisimai's reason, the layer, the catalogue cause id, hard/soft, temporary and the
provider. ``bounce``, ``logs``, the SMTP and MX probes, ``diagnose`` and ``explain`` all
read replies through it; the table is :data:`RULES` (one row per rule, each with its
source and real examples).
"""

from __future__ import annotations

from .classify import blocklist_named, classify, decide_reason
from .hosts import is_ses_relay, provider_for_host
from .model import CONTEXTS, ReplyVerdict, Rule
from .rules import BY_REASON, RULES

__all__ = [
    "BY_REASON",
    "CONTEXTS",
    "RULES",
    "ReplyVerdict",
    "Rule",
    "blocklist_named",
    "classify",
    "decide_reason",
    "is_ses_relay",
    "provider_for_host",
]
