"""Authentication-Results (RFC 8601) and ARC header fields (RFC 8617).

RFC 8601 section 2.2::

    authres-header = "Authentication-Results:" [CFWS] authserv-id
                     [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS] CRLF
    resinfo        = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
    methodspec     = [CFWS] method [CFWS] "=" [CFWS] result
    reasonspec     = "reason" [CFWS] "=" [CFWS] value
    propspec       = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue

The parser is tolerant: comments are kept (receivers put the client IP and the
key size there), unknown ``key=value`` pairs such as Microsoft's ``action=none``
are kept as ``extras``, and a field that cannot be read at all is returned with
an error instead of raising.

``ARC-Authentication-Results`` is ``i=<n>;`` followed by the same payload
(RFC 8617 section 4.1.1). ``ARC-Seal`` and ``ARC-Message-Signature`` are DKIM-style
tag lists (RFC 8617 sections 4.1.2 and 4.1.3); :func:`arc_sets` groups the three
per instance and lists structural problems (RFC 8617 section 4.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .headers import HeaderField, parse_tag_list

__all__ = [
    "ArcSet",
    "AuthResult",
    "AuthResultsHeader",
    "arc_sets",
    "parse_arc_authentication_results",
    "parse_authentication_results",
]

#: RFC 8617 section 4.2.1: at most 50 ARC sets.
MAX_ARC_INSTANCES = 50

_TOKEN = re.compile(r'\s*(?:(\()|(")|([;=])|([^\s;=("]+))')


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthResult:
    """One ``method=result`` with its reason and properties (RFC 8601 section 2.2).

    Attributes:
        method: ``spf``, ``dkim``, ``dmarc``, ``arc``, ``compauth``... lower-cased.
        result: ``pass``, ``fail``... lower-cased.
        reason: The ``reason=`` value, if any.
        properties: ``{"smtp.mailfrom": ..., "header.d": ...}`` (ptype.property).
        extras: Other ``key=value`` pairs that are not RFC 8601 properties.
        comment: Comments inside this result, joined.
    """

    method: str
    result: str
    reason: str = ""
    properties: Mapping[str, str] = field(default_factory=dict)
    extras: Mapping[str, str] = field(default_factory=dict)
    comment: str = ""

    def prop(self, name: str) -> str:
        return self.properties.get(name, "")

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "result": self.result,
            "reason": self.reason,
            "properties": dict(self.properties),
            "extras": dict(self.extras),
            "comment": self.comment,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthResultsHeader:
    """One Authentication-Results (or ARC-Authentication-Results) field.

    Attributes:
        authserv_id: Who wrote it (RFC 8601 section 2.5); only trust it if it is yours.
        results: The results, in order.
        instance: The ARC ``i=`` for ARC-Authentication-Results, else None.
        header_index: Position in the header section.
        errors: Parse problems; results may be partial.
        raw: The field value.
    """

    authserv_id: str
    results: tuple[AuthResult, ...] = ()
    instance: int | None = None
    header_index: int = 0
    errors: tuple[str, ...] = ()
    raw: str = ""

    def methods(self, method: str) -> tuple[AuthResult, ...]:
        return tuple(r for r in self.results if r.method == method)

    def to_dict(self) -> dict[str, object]:
        return {
            "authserv_id": self.authserv_id,
            "instance": self.instance,
            "results": [r.to_dict() for r in self.results],
            "errors": list(self.errors),
        }


def parse_authentication_results(value: str, *, header_index: int = 0) -> AuthResultsHeader:
    """Parse an Authentication-Results value; never raises.

    Args:
        value: The unfolded field value.
        header_index: Where the field sits in the header section.

    Returns:
        The parsed field; ``errors`` says what could not be read.
    """
    tokens = _tokenize(value)
    segments = _segments(tokens)
    if not segments or not _words(segments[0]):
        return AuthResultsHeader(
            authserv_id="", header_index=header_index, errors=("no authserv-id",), raw=value
        )
    if _pairs(segments[0])[0]:
        # Microsoft 365 omits the authserv-id and starts with a result.
        results, errors = _results(segments)
        errors = ("no authserv-id (RFC 8601 section 2.2 requires one)", *errors)
        return AuthResultsHeader(
            authserv_id="",
            results=results,
            header_index=header_index,
            errors=errors,
            raw=value,
        )
    authserv = _words(segments[0])[0]
    results, errors = _results(segments[1:])
    return AuthResultsHeader(
        authserv_id=authserv.lower(),
        results=results,
        header_index=header_index,
        errors=errors,
        raw=value,
    )


def parse_arc_authentication_results(value: str, *, header_index: int = 0) -> AuthResultsHeader:
    """Parse ``i=<n>; authserv-id; results`` (RFC 8617 section 4.1.1); never raises."""
    head, _, rest = value.partition(";")
    instance = _instance(head)
    parsed = parse_authentication_results(rest, header_index=header_index)
    errors = parsed.errors if instance is not None else (*parsed.errors, "missing or bad i=")
    return AuthResultsHeader(
        authserv_id=parsed.authserv_id,
        results=parsed.results,
        instance=instance,
        header_index=header_index,
        errors=errors,
        raw=value,
    )


def _instance(text: str) -> int | None:
    match = re.fullmatch(r"\s*i\s*=\s*(\d{1,3})\s*", text)
    return int(match.group(1)) if match else None


Token = tuple[str, str]  # (kind, text): word, quoted, comment, ";", "="


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            break  # only trailing whitespace is left
        if match.group(1):
            comment, pos = _until_close(text, match.end(), "(", ")")
            tokens.append(("comment", comment))
        elif match.group(2):
            quoted, pos = _until_close(text, match.end(), None, '"')
            tokens.append(("word", quoted))
        elif match.group(3):
            tokens.append((match.group(3), match.group(3)))
            pos = match.end()
        else:
            tokens.append(("word", match.group(4)))
            pos = match.end()
    return tokens


def _until_close(text: str, start: int, opener: str | None, closer: str) -> tuple[str, int]:
    """Read to the matching ``closer`` honouring backslash escapes and nesting."""
    depth, pos, out = 1, start, []
    while pos < len(text):
        char = text[pos]
        pos += 1
        if char == "\\" and pos < len(text):
            out.append(text[pos])
            pos += 1
            continue
        if opener is not None and char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                break
        out.append(char)
    return "".join(out), pos


def _segments(tokens: Sequence[Token]) -> list[list[Token]]:
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == ";":
            segments.append([])
        else:
            segments[-1].append(token)
    return [s for s in segments if s]


def _words(segment: Sequence[Token]) -> list[str]:
    return [text for kind, text in segment if kind == "word"]


def _results(segments: Iterable[list[Token]]) -> tuple[tuple[AuthResult, ...], tuple[str, ...]]:
    results: list[AuthResult] = []
    errors: list[str] = []
    for segment in segments:
        pairs, comments, stray = _pairs(segment)
        if not pairs:
            if [w.lower() for w in stray] != ["none"]:  # RFC 8601 no-result
                errors.append(f"unreadable result: {' '.join(stray)[:80]}")
            continue
        results.append(_result(pairs, comments))
    return tuple(results), tuple(errors)


def _pairs(segment: Sequence[Token]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """``key=value`` pairs, comments, and words that were not part of a pair."""
    pairs: list[tuple[str, str]] = []
    comments: list[str] = []
    stray: list[str] = []
    i = 0
    while i < len(segment):
        kind, text = segment[i]
        if kind == "comment":
            comments.append(text.strip())
        elif kind == "word" and _is_pair(segment, i):
            pairs.append((text, segment[i + 2][1]))
            i += 2
        elif kind == "word":
            stray.append(text)
        i += 1
    return pairs, comments, stray


def _is_pair(segment: Sequence[Token], i: int) -> bool:
    return i + 2 < len(segment) and segment[i + 1][0] == "=" and segment[i + 2][0] == "word"


def _result(pairs: list[tuple[str, str]], comments: list[str]) -> AuthResult:
    method, result = pairs[0]
    reason = ""
    properties: dict[str, str] = {}
    extras: dict[str, str] = {}
    for key, value in pairs[1:]:
        low = key.lower()
        if low == "reason":
            reason = value
        elif "." in low:
            properties.setdefault(low, value)
        else:
            extras.setdefault(low, value)
    return AuthResult(
        method=method.split("/")[0].lower(),
        result=result.lower(),
        reason=reason,
        properties=properties,
        extras=extras,
        comment="; ".join(c for c in comments if c),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcSet:
    """The three ARC fields of one instance (RFC 8617 section 4.1).

    Attributes:
        instance: ``i=``.
        seal: Tags of the ARC-Seal (``cv``, ``d``, ``s``...), empty if missing.
        message_signature: Tags of the ARC-Message-Signature, empty if missing.
        results: The parsed ARC-Authentication-Results, if present.
    """

    instance: int
    seal: Mapping[str, str] = field(default_factory=dict)
    message_signature: Mapping[str, str] = field(default_factory=dict)
    results: AuthResultsHeader | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "instance": self.instance,
            "cv": self.seal.get("cv", ""),
            "seal_d": self.seal.get("d", ""),
            "seal_s": self.seal.get("s", ""),
            "ams_d": self.message_signature.get("d", ""),
            "ams_s": self.message_signature.get("s", ""),
            "aar": self.results.to_dict() if self.results else None,
        }


_ARC_NAMES = {
    "arc-seal": "seal",
    "arc-message-signature": "message_signature",
    "arc-authentication-results": "results",
}


def arc_sets(fields: Iterable[HeaderField]) -> tuple[tuple[ArcSet, ...], tuple[str, ...]]:
    """Group ARC fields by instance and list structural problems (RFC 8617 section 4.2).

    Returns:
        ``(sets ordered by instance, problems)``.
    """
    found: dict[int, dict[str, object]] = {}
    problems: list[str] = []
    for f in fields:
        kind = _ARC_NAMES.get(f.key)
        if kind is None:
            continue
        instance, parsed = _arc_member(f, kind)
        if instance is None or not 1 <= instance <= MAX_ARC_INSTANCES:
            problems.append(f"{f.name} with missing or out-of-range i=")
            continue
        members = found.setdefault(instance, {})
        if kind in members:
            problems.append(f"duplicate {f.name} for i={instance}")
            continue
        members[kind] = parsed
    problems.extend(_gaps(found))
    sets = tuple(_arc_set(i, m) for i, m in sorted(found.items()))
    problems.extend(_cv_problems(sets))
    return sets, tuple(problems)


def _arc_member(f: HeaderField, kind: str) -> tuple[int | None, object]:
    if kind == "results":
        parsed = parse_arc_authentication_results(f.value, header_index=f.index)
        return parsed.instance, parsed
    tags = parse_tag_list(f.value)
    text = tags.get("i", "")
    return (int(text) if text.isdigit() and len(text) <= 3 else None), tags


def _gaps(found: Mapping[int, Mapping[str, object]]) -> list[str]:
    problems: list[str] = []
    if found and sorted(found) != list(range(1, max(found) + 1)):
        problems.append(f"ARC instances are not contiguous from 1: {sorted(found)}")
    for instance, members in sorted(found.items()):
        missing = sorted(set(_ARC_NAMES.values()) - set(members))
        if missing:
            problems.append(f"ARC set i={instance} lacks {', '.join(missing)}")
    return problems


def _arc_set(instance: int, members: Mapping[str, object]) -> ArcSet:
    seal = members.get("seal")
    ams = members.get("message_signature")
    aar = members.get("results")
    return ArcSet(
        instance=instance,
        seal=seal if isinstance(seal, dict) else {},
        message_signature=ams if isinstance(ams, dict) else {},
        results=aar if isinstance(aar, AuthResultsHeader) else None,
    )


def _cv_problems(sets: Sequence[ArcSet]) -> list[str]:
    """RFC 8617 section 5.1.1: i=1 must say cv=none, later instances cv=pass (or fail)."""
    problems: list[str] = []
    for arc in sets:
        cv = arc.seal.get("cv", "").lower()
        if not arc.seal:
            continue
        if arc.instance == 1 and cv != "none":
            problems.append(f"ARC-Seal i=1 has cv={cv or '(missing)'}, must be none")
        elif arc.instance > 1 and cv not in ("pass", "fail"):
            problems.append(f"ARC-Seal i={arc.instance} has cv={cv or '(missing)'}")
    return problems
