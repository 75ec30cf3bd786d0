"""DMARC policy records: a precise, pure parser (RFC 9989, with RFC 7489's older tags).

:func:`parse_dmarc` never raises. It returns a :class:`DmarcRecord` holding the
effective values of every tag and a list of :class:`Problem` s, each naming the
tag, what is wrong and the RFC section behind the verdict. Errors (a value the
grammar does not allow) follow RFC 9989 section 4.8: the bad value is discarded
and the default applies, which is usually not what the owner meant - hence an
error, not a shrug.

Tags (RFC 9989 section 4.7): ``v`` (must come first), ``p``, ``sp``, ``np``,
``adkim``, ``aspf``, ``t``, ``psd``, ``rua``, ``ruf``, ``fo``. RFC 9989 removed
``pct``, ``rf`` and ``ri``; they are still parsed, because RFC 7489 receivers
honour them, and flagged with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote

from ..errors import InputError
from .names import parse_domain

__all__ = [
    "POLICIES",
    "DmarcRecord",
    "Problem",
    "ProblemKind",
    "ReportUri",
    "Severity",
    "is_dmarc_record",
    "parse_dmarc",
]

POLICIES = ("none", "quarantine", "reject")
#: Tags RFC 9989 removed from RFC 7489 (section 4.7 and appendix on changes).
REMOVED_TAGS = ("pct", "rf", "ri")
#: A record can hold tens of kilobytes of junk; keep the list of problems readable.
MAX_PROBLEMS = 50

REF_TAGS = "RFC 9989 §4.7"
REF_GRAMMAR = "RFC 9989 §4.8"
REF_7489 = "RFC 7489 §6.3"

# RFC 9989 section 4.8: "v" is case-insensitive, "DMARC1" is case-sensitive,
# WSP may surround "=", and the version is followed by a separator or the end.
_VERSION = re.compile(r"^[vV][ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)")
_TAG_NAME = re.compile(r"^[A-Za-z]+$")
_PRINTABLE = re.compile(r"^[\x20-\x3a\x3c-\x7e]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.+)$", re.DOTALL)
_SIZE = re.compile(r"^(.*?)!(\d+)([kmgtKMGT]?)$", re.DOTALL)


class Severity(StrEnum):
    ERROR = "error"  # the grammar does not allow it; a default silently replaces it
    WARNING = "warning"  # allowed or ignored, but probably not what was meant
    NOTE = "note"  # worth knowing (removed tags, readings that differ)


class ProblemKind(StrEnum):
    SYNTAX = "syntax"
    VALUE = "value"
    DUPLICATE = "duplicate"
    UNKNOWN_TAG = "unknown_tag"
    REMOVED_TAG = "removed_tag"
    MISSING_TAG = "missing_tag"
    URI = "uri"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with a record."""

    severity: Severity
    kind: ProblemKind
    tag: str
    message: str
    reference: str = REF_GRAMMAR


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportUri:
    """One ``rua``/``ruf`` destination.

    Attributes:
        uri: The URI as written, without any ``!size`` suffix.
        scheme: ``mailto``, ``https``...
        address: For ``mailto``: the address, percent-decoded.
        domain: For ``mailto``: the address's domain in A-label form ('' if invalid).
        size_limit: The obsolete ``!size`` suffix, if any (RFC 9989 says ignore it).
    """

    uri: str
    scheme: str
    address: str = ""
    domain: str = ""
    size_limit: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DmarcRecord:
    """A parsed DMARC record with effective values (defaults applied).

    ``p``/``sp``/``np`` are ``None`` when absent or invalid; the properties
    :attr:`policy`, :attr:`subdomain_policy` and :attr:`nonexistent_policy`
    give what a receiver applies.
    """

    raw: str
    is_dmarc: bool
    tags: tuple[tuple[str, str], ...] = ()
    p: str | None = None
    sp: str | None = None
    np: str | None = None
    adkim: str = "r"
    aspf: str = "r"
    t: str = "n"
    psd: str = "u"
    fo: tuple[str, ...] = ("0",)
    rua: tuple[ReportUri, ...] = ()
    ruf: tuple[ReportUri, ...] = ()
    pct: int | None = None
    rf: str | None = None
    ri: int | None = None
    problems: tuple[Problem, ...] = ()
    extra_problems: int = 0

    @property
    def policy(self) -> str:
        """RFC 9989: a missing or invalid ``p`` reads as ``none``."""
        return self.p or "none"

    @property
    def subdomain_policy(self) -> str:
        return self.sp or self.policy

    @property
    def nonexistent_policy(self) -> str:
        """``np`` falls back to ``sp``, then ``p`` (RFC 9989 section 4.7)."""
        return self.np or self.subdomain_policy

    def has(self, tag: str) -> bool:
        """True when the tag was written in the record (valid or not)."""
        return any(name == tag for name, _ in self.tags)

    def value(self, tag: str) -> str | None:
        """The first value written for a tag, as written."""
        return next((v for name, v in self.tags if name == tag), None)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


def is_dmarc_record(text: str) -> bool:
    """True when a TXT string starts with ``v=DMARC1`` (RFC 9989 section 4.10 step 2)."""
    return bool(_VERSION.match(text))


# -- parsing -----------------------------------------------------------------------


@dataclass
class _Builder:
    """Mutable scratch space for one parse; frozen into a DmarcRecord at the end."""

    raw: str
    values: dict[str, object] = field(default_factory=dict)
    tags: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extra: int = 0

    def has_version(self) -> bool:
        return any(name == "v" for name, _ in self.tags)

    def add(
        self,
        severity: Severity,
        kind: ProblemKind,
        tag: str,
        message: str,
        reference: str = REF_GRAMMAR,
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.extra += 1
            return
        self.problems.append(
            Problem(severity=severity, kind=kind, tag=tag, message=message, reference=reference)
        )


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse one DMARC TXT record.

    Args:
        text: The record, its character-strings already joined.

    Returns:
        The record with effective values and every problem found; ``is_dmarc``
        is false when it does not start with ``v=DMARC1``.
    """
    b = _Builder(raw=text)
    is_dmarc = is_dmarc_record(text)
    for name, value in _split(text, b):
        b.tags.append((name, value))
    if not is_dmarc and not b.has_version():
        b.add(
            Severity.ERROR,
            ProblemKind.SYNTAX,
            "v",
            f"does not start with v=DMARC1 (starts {_excerpt(text)!r}); receivers ignore it",
            "RFC 9989 §4.10",
        )
    _check_duplicates(b)
    for name, value in _first_values(b.tags).items():
        _apply(name, value, b)
    _check_missing(b)
    return _freeze(b, is_dmarc)


def _excerpt(text: str, size: int = 20) -> str:
    return text[:size] + ("..." if len(text) > size else "")


def _split(text: str, b: _Builder) -> list[tuple[str, str]]:
    """Split ``tag=value`` pairs on ``;`` (RFC 9989 section 4.8 ``dmarc-sep``)."""
    parts = text.split(";")
    pairs: list[tuple[str, str]] = []
    for index, part in enumerate(parts):
        part = part.strip(" \t")
        if not part:
            if 0 < index < len(parts) - 1:
                b.add(Severity.WARNING, ProblemKind.SYNTAX, "", "empty element between ';;'")
            continue
        pair = _pair(part, b)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _pair(part: str, b: _Builder) -> tuple[str, str] | None:
    name, eq, value = part.partition("=")
    name, value = name.strip(" \t"), value.strip(" \t")
    if not eq:
        b.add(
            Severity.ERROR,
            ProblemKind.SYNTAX,
            "",
            f"{_excerpt(part, 40)!r} is not a tag=value pair",
        )
        return None
    if not _TAG_NAME.match(name):
        b.add(
            Severity.ERROR,
            ProblemKind.SYNTAX,
            "",
            f"{_excerpt(name, 40)!r} is not a tag name (letters only)",
        )
        return None
    if not _PRINTABLE.match(value):
        b.add(
            Severity.ERROR,
            ProblemKind.SYNTAX,
            name.lower(),
            f"{name}= contains characters outside printable ASCII",
        )
        return None
    return name.lower(), value


def _check_duplicates(b: _Builder) -> None:
    seen: dict[str, int] = {}
    for name, _ in b.tags:
        seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            b.add(
                Severity.ERROR,
                ProblemKind.DUPLICATE,
                name,
                f"{name}= appears {count} times; receivers may use either or reject the "
                "record, so only the first is read here",
            )


def _first_values(tags: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in tags:
        out.setdefault(name, value)
    return out


def _apply(name: str, value: str, b: _Builder) -> None:
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(name, value, b)
    else:
        b.add(
            Severity.WARNING,
            ProblemKind.UNKNOWN_TAG,
            name,
            f"unknown tag {name}= is ignored by receivers (a typo?)",
            REF_GRAMMAR,
        )


def _version(name: str, value: str, b: _Builder) -> None:
    """``v=DMARC1``: exact, case-sensitive, first (RFC 9989 section 4.8)."""
    if value != "DMARC1":
        message = f"v={value} must be exactly DMARC1 (case-sensitive); receivers ignore the record"
        b.add(Severity.ERROR, ProblemKind.VALUE, name, message)
    elif b.tags and b.tags[0][0] != "v":
        message = "v=DMARC1 must be the first tag; receivers ignore the record"
        b.add(Severity.ERROR, ProblemKind.SYNTAX, name, message)


def _choice(allowed: tuple[str, ...], default_text: str) -> Callable[[str, str, _Builder], None]:
    """A handler for a tag whose value is one keyword of ``allowed`` (case-insensitive)."""

    def handle(name: str, value: str, b: _Builder) -> None:
        lowered = value.lower()
        if lowered in allowed:
            b.values[name] = lowered
            return
        b.add(
            Severity.ERROR,
            ProblemKind.VALUE,
            name,
            f"{name}={value} is not one of {', '.join(allowed)}; receivers discard it and "
            f"use {default_text}",
            REF_TAGS,
        )

    return handle


def _fo(name: str, value: str, b: _Builder) -> None:
    options = [o.strip(" \t").lower() for o in value.split(":")]
    bad = [o for o in options if o not in ("0", "1", "d", "s")]
    if bad:
        b.add(
            Severity.ERROR,
            ProblemKind.VALUE,
            name,
            f"fo={value}: {', '.join(map(repr, bad))} not in 0, 1, d, s; receivers use fo=0",
            REF_TAGS,
        )
    elif "0" in options and "1" in options:
        b.add(
            Severity.ERROR,
            ProblemKind.VALUE,
            name,
            f"fo={value}: 0 and 1 exclude each other; receivers use fo=0",
            REF_TAGS,
        )
    elif len(set(options)) != len(options):
        b.add(Severity.WARNING, ProblemKind.VALUE, name, f"fo={value} repeats an option", REF_TAGS)
        b.values[name] = tuple(dict.fromkeys(options))
    else:
        b.values[name] = tuple(options)


def _uris(name: str, value: str, b: _Builder) -> None:
    """``rua``/``ruf``: comma-separated URIs (RFC 9989 section 4.7, RFC 3986)."""
    uris: list[ReportUri] = []
    for item in value.split(","):
        item = item.strip(" \t")
        if not item:
            b.add(Severity.ERROR, ProblemKind.URI, name, f"{name}= has an empty URI")
            continue
        uri = _uri(name, item, b)
        if uri is not None:
            uris.append(uri)
    b.values[name] = tuple(uris)


def _uri(name: str, item: str, b: _Builder) -> ReportUri | None:
    size = ""
    sized = _SIZE.match(item)
    if sized:
        item, size = sized.group(1), sized.group(2) + sized.group(3).lower()
        b.add(
            Severity.NOTE,
            ProblemKind.URI,
            name,
            f"the !{size} size limit on {item} is obsolete; RFC 9989 receivers ignore it",
            REF_TAGS,
        )
    match = _SCHEME.match(item)
    if not match:
        b.add(
            Severity.ERROR,
            ProblemKind.URI,
            name,
            f"{_excerpt(item, 60)!r} is not a URI (expected mailto:address)",
            REF_TAGS,
        )
        return None
    scheme = match.group(1).lower()
    if scheme != "mailto":
        b.add(
            Severity.WARNING,
            ProblemKind.URI,
            name,
            f"{item}: receivers only send reports to mailto: URIs",
            "RFC 9990 §3",
        )
        return ReportUri(uri=item, scheme=scheme, size_limit=size)
    return _mailto(name, item, match.group(2), size, b)


def _mailto(name: str, item: str, rest: str, size: str, b: _Builder) -> ReportUri | None:
    address = unquote(rest.split("?", 1)[0]).strip()
    local, at, host = address.rpartition("@")
    if not at or not local:
        b.add(
            Severity.ERROR,
            ProblemKind.URI,
            name,
            f"{item}: {address!r} is not an email address",
            REF_TAGS,
        )
        return None
    try:
        domain = parse_domain(host, what="report address domain")
    except InputError as exc:
        b.add(Severity.ERROR, ProblemKind.URI, name, f"{item}: {exc}", REF_TAGS)
        return None
    return ReportUri(uri=item, scheme="mailto", address=address, domain=domain, size_limit=size)


def _removed(name: str, value: str, b: _Builder) -> None:
    """``pct``/``rf``/``ri``: RFC 7489 tags that RFC 9989 removed."""
    b.add(
        Severity.NOTE,
        ProblemKind.REMOVED_TAG,
        name,
        f"{name}= was removed by RFC 9989 (ignored by its receivers; RFC 7489 receivers still "
        "read it)",
        "RFC 9989 §4.7; RFC 7489 §6.3",
    )
    if name == "pct":
        _pct(value, b)
    elif name == "ri":
        _ri(value, b)
    elif value.lower() != "afrf":
        b.add(
            Severity.ERROR, ProblemKind.VALUE, name, f"rf={value}: only afrf is defined", REF_7489
        )
    else:
        b.values["rf"] = "afrf"


def _pct(value: str, b: _Builder) -> None:
    if not value.isdigit() or int(value) > 100:
        b.add(
            Severity.ERROR,
            ProblemKind.VALUE,
            "pct",
            f"pct={value} is not an integer 0-100",
            REF_7489,
        )
        return
    b.values["pct"] = int(value)
    if int(value) < 100:
        b.add(
            Severity.WARNING,
            ProblemKind.VALUE,
            "pct",
            f"pct={value}: RFC 7489 receivers apply the policy to only {value}% of failing "
            "mail; RFC 9989 receivers ignore pct (use t=y for testing)",
            REF_7489,
        )


def _ri(value: str, b: _Builder) -> None:
    if not value.isdigit():
        b.add(
            Severity.ERROR,
            ProblemKind.VALUE,
            "ri",
            f"ri={value} is not a number of seconds",
            REF_7489,
        )
        return
    b.values["ri"] = int(value)


_HANDLERS: dict[str, Callable[[str, str, _Builder], None]] = {
    "v": _version,
    "p": _choice(POLICIES, "p=none"),
    "sp": _choice(POLICIES, "the p= policy"),
    "np": _choice(POLICIES, "the sp= policy"),
    "adkim": _choice(("r", "s"), "relaxed (r)"),
    "aspf": _choice(("r", "s"), "relaxed (r)"),
    "t": _choice(("y", "n"), "t=n"),
    "psd": _choice(("y", "n", "u"), "psd=u"),
    "fo": _fo,
    "rua": _uris,
    "ruf": _uris,
    "pct": _removed,
    "rf": _removed,
    "ri": _removed,
}


def _check_missing(b: _Builder) -> None:
    if not any(name == "p" for name, _ in b.tags):
        b.add(
            Severity.WARNING,
            ProblemKind.MISSING_TAG,
            "p",
            "no p= tag: RFC 9989 receivers read p=none; RFC 7489 receivers apply no DMARC "
            "at all unless rua= holds a valid URI",
            "RFC 9989 §4.7; RFC 7489 §6.6.3",
        )


def _freeze(b: _Builder, is_dmarc: bool) -> DmarcRecord:
    v = b.values

    def text(tag: str, default: str) -> str:
        value = v.get(tag, default)
        return value if isinstance(value, str) else default

    def opt(tag: str) -> str | None:
        value = v.get(tag)
        return value if isinstance(value, str) else None

    def uris(tag: str) -> tuple[ReportUri, ...]:
        value = v.get(tag, ())
        return value if isinstance(value, tuple) else ()

    fo = v.get("fo", ("0",))
    pct, ri = v.get("pct"), v.get("ri")
    return DmarcRecord(
        raw=b.raw,
        is_dmarc=is_dmarc,
        tags=tuple(b.tags),
        p=opt("p"),
        sp=opt("sp"),
        np=opt("np"),
        adkim=text("adkim", "r"),
        aspf=text("aspf", "r"),
        t=text("t", "n"),
        psd=text("psd", "u"),
        fo=fo if isinstance(fo, tuple) else ("0",),
        rua=uris("rua"),
        ruf=uris("ruf"),
        pct=pct if isinstance(pct, int) else None,
        rf=opt("rf"),
        ri=ri if isinstance(ri, int) else None,
        problems=tuple(b.problems),
        extra_problems=b.extra,
    )
