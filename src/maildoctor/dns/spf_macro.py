"""SPF macro strings (RFC 7208 section 7): parsing, validation and expansion.

A macro string is parsed once into :class:`MacroPart` items (literal text and
``%{...}`` expansions); the same parts serve three callers:

* the record parser, which only needs to know that the syntax is right
  (section 7.1) and that a ``domain-spec`` ends in a valid top label;
* the evaluator, which expands the parts with the values of one SMTP session
  (section 7.3) - see :class:`MacroValues`;
* the linter, which expands what it can without a session (``%{d}``, ``%{o}``).

Everything here is pure.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote

__all__ = [
    "EXP_ONLY_LETTERS",
    "MACRO_LETTERS",
    "MacroError",
    "MacroPart",
    "MacroValues",
    "domain_spec_error",
    "expand",
    "fit_domain",
    "UnknownValue",
    "ip_macro_value",
    "parse_macro_string",
]

#: Section 7.2: the macro letters; ``c``, ``r`` and ``t`` only in explanation text.
MACRO_LETTERS = frozenset("slodiphcrtv")
EXP_ONLY_LETTERS = frozenset("crt")
#: Section 7.1 ``transformers = *DIGIT [ "r" ]`` followed by ``*delimiter``, where
#: ``delimiter = "." / "-" / "+" / "," / "/" / "_" / "="``.
_TRANSFORMERS = re.compile(r"^([0-9]*)([rR]?)([.\-+,/_=]*)$")
#: Section 7.1 ``toplabel``: not all-numeric, no leading or trailing hyphen.
_TOPLABEL = re.compile(
    r"^(?:[0-9A-Za-z]*[A-Za-z][0-9A-Za-z]*|[0-9A-Za-z]+-[0-9A-Za-z-]*[0-9A-Za-z])$"
)
#: Section 7.3: an expanded domain longer than this loses labels on the left.
MAX_DOMAIN = 253
#: Section 7.1: the escapes ``%%``, ``%_`` and ``%-``.
_ESCAPES = {"%": "%", "_": " ", "-": "%20"}


class MacroError(ValueError):
    """A macro string breaks the section 7.1 grammar.

    Attributes:
        offset: 0-based position of the offending character in the string.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True, kw_only=True)
class MacroPart:
    """One piece of a macro string.

    ``letter`` is empty for literal text (held in ``text``); ``%``, ``_`` or
    ``-`` for the escapes ``%%``, ``%_`` and ``%-``; otherwise the macro letter
    as written (upper case asks for URL-escaping, section 7.3).
    """

    text: str = ""
    letter: str = ""
    digits: int | None = None
    reverse: bool = False
    delimiters: str = ""

    @property
    def is_literal(self) -> bool:
        return not self.letter

    @property
    def is_expand(self) -> bool:
        """True for ``%{...}`` and the escapes: both are ``macro-expand`` in the ABNF."""
        return bool(self.letter)


def parse_macro_string(text: str, *, explanation: bool = False) -> tuple[MacroPart, ...]:
    """Parse a ``macro-string`` (or, with ``explanation``, an ``explain-string``).

    Args:
        text: The string as published.
        explanation: Allow the exp-only letters ``c``, ``r``, ``t`` and spaces
            (section 6.2 ``explain-string = *( macro-string / SP )``).

    Returns:
        The parts, literal runs merged.

    Raises:
        MacroError: on any character or expansion the grammar does not allow.
    """
    parts: list[MacroPart] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%":
            _check_literal(char, i, explanation=explanation)
            literal.append(char)
            i += 1
            continue
        if literal:
            parts.append(MacroPart(text="".join(literal)))
            literal = []
        part, i = _parse_percent(text, i, explanation=explanation)
        parts.append(part)
    if literal:
        parts.append(MacroPart(text="".join(literal)))
    return tuple(parts)


def _check_literal(char: str, offset: int, *, explanation: bool) -> None:
    # Section 7.1: macro-literal = %x21-24 / %x26-7E (visible ASCII but "%").
    if char == " " and explanation:
        return
    if not "\x21" <= char <= "\x7e":
        raise MacroError(f"character {char!r} is not allowed here", offset)


def _parse_percent(text: str, start: int, *, explanation: bool) -> tuple[MacroPart, int]:
    nxt = text[start + 1 : start + 2]
    if nxt in _ESCAPES:
        return MacroPart(letter=nxt), start + 2
    if nxt != "{":
        raise MacroError("'%' must be followed by '{', '%', '_' or '-' (RFC 7208 7.1)", start)
    end = text.find("}", start + 2)
    if end < 0:
        raise MacroError("unterminated macro: missing '}'", start)
    return _parse_expand(text[start + 2 : end], start, explanation=explanation), end + 1


def _parse_expand(body: str, offset: int, *, explanation: bool) -> MacroPart:
    letter = body[:1]
    if letter.lower() not in MACRO_LETTERS:
        raise MacroError(f"unknown macro letter {letter!r} (RFC 7208 7.2)", offset)
    if letter.lower() in EXP_ONLY_LETTERS and not explanation:
        raise MacroError(
            f"macro %{{{letter}}} is allowed only in explanation text (RFC 7208 7.2)", offset
        )
    match = _TRANSFORMERS.match(body[1:])
    if match is None:
        raise MacroError(f"bad transformers in macro %{{{body}}} (RFC 7208 7.1)", offset)
    digits = int(match.group(1)) if match.group(1) else None
    if digits == 0:
        # Section 7.3: "If a DIGIT is specified, the value MUST be nonzero."
        raise MacroError(f"macro %{{{body}}} keeps zero labels (RFC 7208 7.3)", offset)
    return MacroPart(
        letter=letter, digits=digits, reverse=bool(match.group(2)), delimiters=match.group(3)
    )


def domain_spec_error(parts: tuple[MacroPart, ...]) -> str | None:
    """Check section 7.1 ``domain-end``: the spec ends in a macro or ``"." toplabel ["."]``.

    Returns:
        None when valid, else a sentence saying what is wrong.
    """
    if not parts:
        return "empty domain-spec"
    last = parts[-1]
    if last.is_expand:
        return None
    tail = last.text[:-1] if last.text.endswith(".") else last.text
    dot = tail.rfind(".")
    if dot < 0:
        return "the domain must be a fully qualified name ending in a top-level label"
    top = tail[dot + 1 :]
    if not _TOPLABEL.match(top):
        return f"invalid top-level label {top!r} (all-numeric, bad hyphen or bad character)"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class MacroValues:
    """The values macros expand to in one check_host() call (section 7.2).

    ``p`` is the validated name of the client IP; it costs DNS lookups, so the
    evaluator fills it only when a string uses it. ``None`` values are unknown
    (the linter expands only what is known and reports the rest).
    """

    s: str | None = None
    l: str | None = None  # noqa: E741 - the RFC's own letter
    o: str | None = None
    d: str | None = None
    i: str | None = None
    p: str | None = None
    v: str | None = None
    h: str | None = None
    c: str | None = None
    r: str | None = None
    t: str | None = None

    def get(self, letter: str) -> str | None:
        value: str | None = getattr(self, letter.lower())
        return value


class UnknownValue(LookupError):
    """A macro letter whose value is not known (static expansion in the linter)."""


def expand(parts: tuple[MacroPart, ...], values: MacroValues) -> str:
    """Expand parsed parts with the session's values (section 7.3).

    Raises:
        UnknownValue: if a letter's value is None.
    """
    out: list[str] = []
    for part in parts:
        if part.is_literal:
            out.append(part.text)
        elif part.letter in _ESCAPES:
            out.append(_ESCAPES[part.letter])
        else:
            out.append(_expand_one(part, values))
    return "".join(out)


def _expand_one(part: MacroPart, values: MacroValues) -> str:
    value = values.get(part.letter)
    if value is None:
        raise UnknownValue(part.letter)
    # Section 7.3: split on the delimiters (default "."), reverse, keep the
    # rightmost DIGIT parts, join with ".".
    delimiters = part.delimiters or "."
    pieces = re.split("[" + re.escape(delimiters) + "]", value)
    if part.reverse:
        pieces.reverse()
    if part.digits is not None:
        pieces = pieces[-part.digits :]
    result = ".".join(pieces)
    if part.letter.isupper():
        # Section 7.3: upper-case letters are URL-escaped (RFC 3986 unreserved kept).
        result = quote(result, safe="~")
    return result


def fit_domain(name: str) -> str:
    """Apply section 7.3 to an expanded domain: drop a trailing dot and left labels over 253."""
    if name.endswith("."):
        name = name[:-1]
    while len(name) > MAX_DOMAIN and "." in name:
        name = name.split(".", 1)[1]
    return name


def ip_macro_value(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """``%{i}`` of section 7.3: dotted quad for IPv4, dot-separated nibbles for IPv6."""
    if ip.version == 4:
        return str(ip)
    return ".".join(ip.exploded.replace(":", "").upper())
