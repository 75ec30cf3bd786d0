"""The one escaping rule for every text output (issue 9), shared by renderers and layers.

Outside text - DNS records, SMTP replies, bounce texts, log lines, header fields - is
shown with every character a terminal, an editor or a browser would act on or hide
replaced by a visible escape. Renderers apply it to every field; a layer that puts
outside text into a multi-line ``detail`` (lines joined by ``\\n``, which renderers
keep as line breaks) passes that text through :func:`printable` first.

This module imports nothing from the package, so any layer may use it.
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "json_safe", "printable", "printable_lines"]

#: The one escaping rule for every text output (issue 9): a character from outside that
#: a terminal, an editor or a browser would act on or hide is shown as an escape instead.
#: C0 controls (tab, newline and carriage return included: a newline in a TXT record must
#: not start a line of its own in the report), DEL and C1 controls; bidi embeddings,
#: overrides and isolates (U+202A-202E, U+2066-2069, U+061C), which reorder what is shown;
#: zero-width characters (U+200B-200F, U+2060-2064, U+FEFF), which hide text; and the line
#: and paragraph separators U+2028/U+2029.
INVISIBLE = (
    "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff"
)
_CONTROL = re.compile(f"[{INVISIBLE}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Text from outside, every invisible or active character shown as an escape.

    Args:
        text: Any text.

    Returns:
        ``text`` on one line: ``\\n``, ``\\r``, ``\\t`` for those three, ``\\xNN`` for other
        C0/C1 controls, ``\\uNNNN`` for bidi, zero-width and separator characters.
    """
    return _CONTROL.sub(_shown, text)


def printable_lines(text: str) -> list[str]:
    """A multi-line field of ours (a finding's detail: lines joined by ``\\n``), each line
    made :func:`printable`. Only the newlines that separate the lines are kept."""
    return [printable(line) for line in text.split("\n")]


def _shown(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


#: In JSON the same characters become ``\\uNNNN`` escapes: the data is unchanged for a
#: parser, and a terminal or editor showing the file does not act on them.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]"
)


def json_safe(text: str) -> str:
    """JSON text (from :func:`json.dumps`) with invisible characters as ``\\uNNNN`` escapes."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
