"""Internal keys of the bounce phrase table (:data:`maildoctor.bounce.reasons.PHRASES`).

The two halves of "emailtoolarge" and "ratelimited" keep their own phrase lists because
Sisimai ranks them apart.
"""

from __future__ import annotations

MESG, EXCEED, FAST, CONN = "mesgtoobig", "exceedlimit", "speeding", "toomanyconn"

Pairs = tuple[tuple[str, ...], ...]
