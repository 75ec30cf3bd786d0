"""Renderers: a report in, text for people or data for machines out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["coverage", "printable"]

#: C0 and C1 control characters other than tab and newline. Banners, bounce texts, log
#: lines and header fields come from outside: an ESC in them could move the cursor, clear
#: the screen or retitle the terminal, and terminals act on it. U+2028/U+2029 (line and
#: paragraph separators) would break one value over several lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text from outside made safe for a terminal.

    Args:
        text: Any text.

    Returns:
        ``text`` with control characters shown as ``\\xNN`` (carriage returns dropped).
    """
    return _CONTROL.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    char = match[0]
    if char == "\r":
        return ""
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def coverage(meta: Mapping[str, Any]) -> str:
    """ "checked N of M layers; not checked: a, b" for a diagnosis that skipped layers.

    A verdict of "no failure found" means little when most layers were not looked at,
    so every renderer puts this next to the verdict. Empty when every layer ran (or
    the report is not a diagnosis).

    Args:
        meta: ``Report.meta``; diagnose puts ``{"layers": {name: {"state": ...}}}`` there.
    """
    layers = meta.get("layers")
    if not isinstance(layers, Mapping) or not layers:
        return ""
    states = {
        name: str(info.get("state", ""))
        for name, info in layers.items()
        if isinstance(info, Mapping)
    }
    missing = [name for name, state in states.items() if state != "done"]
    if not missing:
        return ""
    return (
        f"checked {len(states) - len(missing)} of {len(states)} layers; "
        f"not checked: {', '.join(missing)} (see Layers)"
    )
