"""Line formats, tried in order; the first that recognises a line wins.

Each module exposes ``NAME`` and ``parse(line, state) -> ParsedLine | None``
(None: "not mine"). Register a new format here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from ..parse import ParsedLine, ParseState
from . import app, exchange, exim, postfix, sendmail, ses

__all__ = ["FORMATS", "Parser", "parse_line"]

Parser = Callable[[str, ParseState], ParsedLine | None]

#: Specific MTA formats first; the generic application-log reader last.
FORMATS: tuple[ModuleType, ...] = (postfix, exim, sendmail, ses, exchange, app)


def parse_line(line: str, state: ParseState) -> ParsedLine | None:
    """Offer ``line`` to every format; None if none recognises it."""
    for module in FORMATS:
        parsed: ParsedLine | None = module.parse(line, state)
        if parsed is not None:
            return parsed
    return None
