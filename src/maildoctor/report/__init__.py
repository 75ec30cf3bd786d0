"""Renderers: a report in, text for people or data for machines out."""

from __future__ import annotations

import re

__all__ = ["printable"]

#: C0 and C1 control characters other than tab and newline. Banners, bounce texts, log
#: lines and header fields come from outside: an ESC in them could move the cursor, clear
#: the screen or retitle the terminal, and terminals act on it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from outside made safe for a terminal.

    Args:
        text: Any text.

    Returns:
        ``text`` with control characters shown as ``\\xNN`` (carriage returns dropped).
    """
    return _CONTROL.sub(lambda m: "" if m[0] == "\r" else f"\\x{ord(m[0]):02x}", text)
