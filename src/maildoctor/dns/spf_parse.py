"""SPF record syntax (RFC 7208 sections 4.5, 4.6.1, 5, 6 and 7.1): text to terms.

:func:`parse_record` never raises: it returns an :class:`SpfRecord` with every
well-formed term (with its character offset) and a :class:`SyntaxProblem` for
each term it had to reject. The evaluator treats any problem as ``permerror``
(section 4.6: syntax errors anywhere in the record are detected before any
mechanism is evaluated); the linter reports each one and still follows the
includes it could read.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .spf_macro import MacroError, MacroPart, domain_spec_error, parse_macro_string

__all__ = [
    "LOOKUP_MECHANISMS",
    "MECHANISMS",
    "QUALIFIERS",
    "Mechanism",
    "Modifier",
    "SpfRecord",
    "SyntaxProblem",
    "Term",
    "is_spf_record",
    "parse_record",
    "spf_records",
]

#: Section 4.6.2: qualifier -> result.
QUALIFIERS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
#: Section 5: the mechanisms.
MECHANISMS = frozenset({"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"})
#: Section 4.6.4: the terms that cause DNS queries (plus the redirect modifier).
LOOKUP_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})
#: Section 4.5: "v=spf1", any case, then a space or the end of the record.
_VERSION = re.compile(r"v=spf1(?: |$)", re.IGNORECASE)
#: Section 4.6.1: a term is a modifier when it starts with ``name "="``.
_MODIFIER = re.compile(r"([A-Za-z][A-Za-z0-9._-]*)=")
_NUMBER = r"(?:0|[1-9][0-9]*)"
#: Section 5.6: ``dual-cidr-length`` at the end of an a/mx argument.
_DUAL_CIDR = re.compile(rf"(.*?)(?:/({_NUMBER}))?(?://({_NUMBER}))?", re.DOTALL)
#: Section 5.6: ``ip4-network`` with ``qnum`` octets (no leading zeros).
_QNUM = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_IP4 = re.compile(rf"{_QNUM}(?:\.{_QNUM}){{3}}")
_IP6_CHARS = re.compile(r"[0-9A-Fa-f:.]+")


def is_spf_record(text: str) -> bool:
    """Section 4.5: does this TXT string declare SPF version 1?"""
    return _VERSION.match(text) is not None


def spf_records(txts: Iterable[str]) -> tuple[str, ...]:
    """Section 4.5: the TXT strings that are SPF records (more than one is a permerror)."""
    return tuple(t for t in txts if is_spf_record(t))


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntaxProblem:
    """One rejected term.

    Attributes:
        offset: 0-based character offset in the record where the problem starts.
        term: The whole term as published.
        message: What is wrong, citing RFC 7208.
    """

    offset: int
    term: str
    message: str

    @property
    def column(self) -> int:
        """1-based character position, for people."""
        return self.offset + 1

    def describe(self) -> str:
        return f"character {self.column}, term {self.term!r}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mechanism:
    """A directive: qualifier, mechanism name and its arguments (section 5).

    Attributes:
        text: The term as published.
        offset: 0-based offset of the term in the record.
        qualifier: ``+``, ``-``, ``~`` or ``?`` (``+`` when omitted).
        name: Lower-case mechanism name.
        target: The ``domain-spec`` as written, or None when absent.
        parts: The parsed ``domain-spec``.
        network: The network of ``ip4``/``ip6``.
        cidr4: ``ip4-cidr-length`` of ``a``/``mx`` (None when absent).
        cidr6: ``ip6-cidr-length`` of ``a``/``mx`` (None when absent).
    """

    text: str
    offset: int
    qualifier: str
    name: str
    target: str | None = None
    parts: tuple[MacroPart, ...] = ()
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    cidr4: int | None = None
    cidr6: int | None = None

    @property
    def result(self) -> str:
        return QUALIFIERS[self.qualifier]

    @property
    def is_lookup(self) -> bool:
        return self.name in LOOKUP_MECHANISMS


@dataclass(frozen=True, slots=True, kw_only=True)
class Modifier:
    """``name=value`` (section 6); ``parts`` is the parsed macro string."""

    text: str
    offset: int
    name: str
    value: str
    parts: tuple[MacroPart, ...] = ()


Term = Mechanism | Modifier


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfRecord:
    """A parsed record: the well-formed terms in order and the rejected ones."""

    text: str
    terms: tuple[Term, ...] = ()
    errors: tuple[SyntaxProblem, ...] = ()
    mechanisms: tuple[Mechanism, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def modifier(self, name: str) -> Modifier | None:
        """The first modifier of that name (section 6: redirect and exp appear at most once)."""
        return next((t for t in self.terms if isinstance(t, Modifier) and t.name == name), None)

    @property
    def redirect(self) -> Modifier | None:
        return self.modifier("redirect")

    @property
    def exp(self) -> Modifier | None:
        return self.modifier("exp")

    @property
    def all(self) -> Mechanism | None:
        return next((m for m in self.mechanisms if m.name == "all"), None)

    @property
    def effective_redirect(self) -> Modifier | None:
        """Section 6.1: redirect is ignored when the record has an ``all`` mechanism."""
        return None if self.all is not None else self.redirect


class _TermError(ValueError):
    def __init__(self, message: str, at: int = 0) -> None:
        super().__init__(message)
        self.at = at


def parse_record(text: str) -> SpfRecord:
    """Parse one SPF record (the TXT strings already joined, section 3.3).

    Args:
        text: The record, starting with ``v=spf1``.

    Returns:
        The record with its terms and syntax problems; never raises.
    """
    if not is_spf_record(text):
        problem = SyntaxProblem(offset=0, term=text[:6], message="not an SPF record: no v=spf1")
        return SpfRecord(text=text, errors=(problem,))
    terms: list[Term] = []
    errors: list[SyntaxProblem] = []
    for offset, word in _split_terms(text):
        try:
            terms.append(_parse_term(word, offset))
        except _TermError as exc:
            errors.append(SyntaxProblem(offset=offset + exc.at, term=word, message=str(exc)))
    errors.extend(_duplicate_modifiers(terms))
    mechanisms = tuple(t for t in terms if isinstance(t, Mechanism))
    return SpfRecord(text=text, terms=tuple(terms), errors=tuple(errors), mechanisms=mechanisms)


def _split_terms(text: str) -> list[tuple[int, str]]:
    """Section 4.6.1: terms are separated by one or more SP (only SP, not tabs or CR)."""
    out: list[tuple[int, str]] = []
    pos = 6
    for word in text[6:].split(" "):
        if word:
            out.append((pos, word))
        pos += len(word) + 1
    return out


def _duplicate_modifiers(terms: list[Term]) -> list[SyntaxProblem]:
    """Section 6: redirect and exp MUST NOT appear more than once."""
    seen: set[str] = set()
    problems = []
    for term in terms:
        if isinstance(term, Modifier) and term.name in ("redirect", "exp"):
            if term.name in seen:
                message = f"{term.name}= appears more than once (RFC 7208 6)"
                problems.append(SyntaxProblem(offset=term.offset, term=term.text, message=message))
            seen.add(term.name)
    return problems


def _parse_term(word: str, offset: int) -> Term:
    bad = next((i for i, c in enumerate(word) if not "\x21" <= c <= "\x7e"), None)
    if bad is not None:
        raise _TermError(
            f"character {word[bad]!r} is not allowed: records are printable 7-bit ASCII "
            "separated by spaces (RFC 7208 3.1, 4.6.1)",
            bad,
        )
    modifier = _MODIFIER.match(word)
    if modifier is not None:
        return _parse_modifier(word, offset, modifier.group(1))
    return _parse_mechanism(word, offset)


def _parse_modifier(word: str, offset: int, name: str) -> Modifier:
    value = word[len(name) + 1 :]
    lname = name.lower()
    parts = _macro_parts(value, len(name) + 1)
    if lname in ("redirect", "exp"):
        # Sections 6.1, 6.2: the value is a domain-spec; an empty one is a permerror.
        error = domain_spec_error(parts)
        if error is not None:
            raise _TermError(f"{lname}=: {error} (RFC 7208 6)", len(name) + 1)
    return Modifier(text=word, offset=offset, name=lname, value=value, parts=parts)


def _macro_parts(text: str, at: int) -> tuple[MacroPart, ...]:
    try:
        return parse_macro_string(text)
    except MacroError as exc:
        raise _TermError(str(exc), at + exc.offset) from None


def _parse_mechanism(word: str, offset: int) -> Mechanism:
    qualifier = word[0] if word[0] in QUALIFIERS else "+"
    body = word[1:] if word[0] in QUALIFIERS else word
    at = len(word) - len(body)
    split = min((i for i in (body.find(":"), body.find("/")) if i >= 0), default=len(body))
    name, rest = body[:split].lower(), body[split:]
    if name not in MECHANISMS:
        raise _TermError(_unknown_mechanism(name, rest), at if name else 0)
    base = Mechanism(text=word, offset=offset, qualifier=qualifier, name=name)
    parser = _ARGUMENT_PARSERS[name]
    try:
        return parser(base, rest)
    except _TermError as exc:
        # Point into the argument; a missing argument is reported at the term.
        raise _TermError(str(exc), at + split + exc.at if rest else 0) from None


def _unknown_mechanism(name: str, rest: str) -> str:
    if name in ("redirect", "exp") and rest.startswith(":"):
        return f"unknown mechanism {name!r}: {name} is a modifier, write {name}= (RFC 7208 6)"
    if name == "" and rest == "":
        return "empty mechanism after the qualifier (RFC 7208 4.6.1)"
    if "=" in name + rest:
        return "invalid modifier name: it must start with a letter (RFC 7208 6, A)"
    return f"unknown mechanism {name!r} (RFC 7208 5)"


def _parse_all(base: Mechanism, rest: str) -> Mechanism:
    if rest:
        raise _TermError("'all' takes no argument (RFC 7208 5.1)")
    return base


def _parse_domain_only(base: Mechanism, rest: str) -> Mechanism:
    """include and exists: ``":" domain-spec``, required, no CIDR (sections 5.2, 5.7)."""
    if not rest.startswith(":"):
        raise _TermError(f"'{base.name}' needs ':domain' (RFC 7208 5.2, 5.7)")
    return _with_domain(base, rest[1:], 1)


def _parse_ptr(base: Mechanism, rest: str) -> Mechanism:
    """``ptr [":" domain-spec]`` (section 5.5); no CIDR."""
    if not rest:
        return base
    if not rest.startswith(":"):
        raise _TermError("'ptr' takes ':domain' and no CIDR length (RFC 7208 5.5)")
    return _with_domain(base, rest[1:], 1)


def _parse_a_mx(base: Mechanism, rest: str) -> Mechanism:
    """``a``/``mx`` ``[":" domain-spec] [dual-cidr-length]`` (sections 5.3, 5.4)."""
    if rest.startswith(":"):
        match = _DUAL_CIDR.fullmatch(rest[1:])
        assert match is not None  # the pattern matches any string
        domain, at = match.group(1), 1
    else:
        match = _DUAL_CIDR.fullmatch(rest)
        if match is None or match.group(1):
            raise _TermError(f"bad argument {rest!r}: expected ':domain' or /cidr (RFC 7208 5.3)")
        domain, at = None, 0
    cidr4, cidr6 = _cidr(match.group(2), 32), _cidr(match.group(3), 128)
    mech = Mechanism(
        text=base.text,
        offset=base.offset,
        qualifier=base.qualifier,
        name=base.name,
        cidr4=cidr4,
        cidr6=cidr6,
    )
    return mech if domain is None else _with_domain(mech, domain, at)


def _cidr(text: str | None, limit: int) -> int | None:
    if text is None:
        return None
    value = int(text)
    if value > limit:
        raise _TermError(f"CIDR length /{value} is over {limit} (RFC 7208 5.6)")
    return value


def _with_domain(base: Mechanism, spec: str, at: int) -> Mechanism:
    parts = _macro_parts(spec, at)
    error = domain_spec_error(parts)
    if error is not None:
        raise _TermError(f"{error} (RFC 7208 7.1)", at)
    return Mechanism(
        text=base.text,
        offset=base.offset,
        qualifier=base.qualifier,
        name=base.name,
        target=spec,
        parts=parts,
        cidr4=base.cidr4,
        cidr6=base.cidr6,
    )


def _parse_ip4(base: Mechanism, rest: str) -> Mechanism:
    """``ip4 ":" ip4-network [ip4-cidr-length]`` (section 5.6)."""
    address, cidr = _split_ip(base, rest)
    if not _IP4.fullmatch(address):
        raise _TermError(f"{address!r} is not a dotted-quad IPv4 address (RFC 7208 5.6)", 1)
    return _with_network(base, ipaddress.IPv4Address(address), _cidr(cidr, 32))


def _parse_ip6(base: Mechanism, rest: str) -> Mechanism:
    """``ip6 ":" ip6-network [ip6-cidr-length]`` (section 5.6)."""
    address, cidr = _split_ip(base, rest)
    try:
        if not _IP6_CHARS.fullmatch(address):
            raise ValueError(address)
        parsed = ipaddress.IPv6Address(address)
    except ValueError:
        raise _TermError(f"{address!r} is not an IPv6 address (RFC 7208 5.6)", 1) from None
    return _with_network(base, parsed, _cidr(cidr, 128))


def _split_ip(base: Mechanism, rest: str) -> tuple[str, str | None]:
    if not rest.startswith(":"):
        raise _TermError(f"'{base.name}' needs ':address' (RFC 7208 5.6)")
    address, slash, cidr = rest[1:].partition("/")
    if slash and not re.fullmatch(_NUMBER, cidr):
        raise _TermError(f"bad CIDR length '/{cidr}' (RFC 7208 5.6)", 2 + len(address))
    return address, (cidr if slash else None)


def _with_network(
    base: Mechanism, address: ipaddress.IPv4Address | ipaddress.IPv6Address, cidr: int | None
) -> Mechanism:
    length = cidr if cidr is not None else address.max_prefixlen
    network = ipaddress.ip_network(f"{address}/{length}", strict=False)
    return Mechanism(
        text=base.text,
        offset=base.offset,
        qualifier=base.qualifier,
        name=base.name,
        network=network,
    )


_ARGUMENT_PARSERS = {
    "all": _parse_all,
    "include": _parse_domain_only,
    "exists": _parse_domain_only,
    "ptr": _parse_ptr,
    "a": _parse_a_mx,
    "mx": _parse_a_mx,
    "ip4": _parse_ip4,
    "ip6": _parse_ip6,
}
