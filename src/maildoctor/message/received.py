"""The ``Received`` trace fields as a chain of hops (RFC 5321 section 4.4, RFC 5322 section 3.6.7).

Each relay *prepends* a ``Received`` field, so the topmost field is the last hop;
:func:`build_chain` returns the hops in travel order (oldest first) with the
delay each one added.

Grammar (RFC 5321 section 4.4)::

    Received: from <helo> (<rdns> [<ip>]) by <host> via <link> with <protocol>
              id <id> for <path> ; <date-time>

Real MTAs add comments everywhere; this parser reads the clauses it knows,
keeps the comments, and never fails: an unreadable field becomes a hop with
what could be found and the text kept in ``raw``.

TLS is read from what the common MTAs write: Postfix ``(using TLSv1.3 with cipher
X ...)``, Sendmail/Exchange ``version=TLS1_2 cipher=X``, Exim ``with esmtps
(TLS1.3) tls X`` or ``X=TLS1.3:CIPHER``, Google ``(Google Transport Security)``,
and the RFC 3848 protocol names (``ESMTPS``, ``ESMTPSA``: TLS; ``...A``: SMTP AUTH).

**First hop outside the sender's infrastructure** (:func:`first_external_hop`).
Walking the hops oldest first, a hop is still *inside* the sender's
infrastructure when any of these holds:

1. it has no ``from`` clause (local pickup, webmail: ``by host with HTTP``);
2. its client address is loopback, link-local, RFC 1918, RFC 6598 (CGNAT) or
   RFC 4193 unique-local - both ends are on one private network;
3. it was an authenticated submission (``ESMTPA``/``ESMTPSA``, RFC 3848
   section 2; ``Authenticated sender:``): the receiving host acted for the sender,
   even when that host is the sender's provider (SES, Google);
4. the receiving host (``by``) is in one of the sender's organizational domains
   (From, MAIL FROM).

The first hop for which none holds is where the message crossed into someone
else's hands: its ``from`` address is the *connecting IP* that SPF is evaluated
for (RFC 7208 section 2.1), its ``by`` host is the first receiver.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "Hop",
    "TlsInfo",
    "build_chain",
    "first_external_hop",
    "is_internal_ip",
    "out_of_order",
    "parse_received",
]

#: Clause keywords of RFC 5321 section 4.4 (``via`` and ``with`` included).
KEYWORDS = frozenset({"from", "by", "via", "with", "id", "for"})

#: Clock skew tolerated between hosts before hops are called out of order.
SKEW_TOLERANCE_S = 120.0

_INTERNAL_NETS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",  # RFC 1918
        "100.64.0.0/10",  # RFC 6598 shared address space
        "127.0.0.0/8",
        "169.254.0.0/16",
        "::1/128",
        "fe80::/10",
        "fc00::/7",  # RFC 4193
    )
)

_TOKEN = re.compile(r"\s*(?:(\()|(<[^>]*>?)|(\[[^\]]*\]?)|([^\s(<\[;]+))")
_IP_LITERAL = re.compile(r"\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]")
_BARE_IP = re.compile(
    r"(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])"
)
_TLS_PATTERNS = (
    re.compile(r"using\s+(TLSv[\d.]+|SSLv\d)\s+with\s+cipher\s+([\w-]+)", re.I),  # Postfix
    re.compile(r"version=(TLS[\w.]+|SSLv\d),?\s+cipher=([\w-]+)", re.I),  # Sendmail, Exchange
    re.compile(r"\((TLS[\d.]+)\)\s+tls\s+([\w-]+)", re.I),  # Exim 4.9x
    re.compile(r"\b(TLS[\d.]+):([\w-]+)", re.I),  # Exim X=TLS1.2:CIPHER
)
# RFC 3848 section 2 (and RFC 6531 section 3.7.1 for UTF8...): S = TLS, A = SMTP AUTH.
_TLS_PROTOCOLS = frozenset(
    p + a for p in ("ESMTPS", "LMTPS", "UTF8SMTPS", "UTF8LMTPS") for a in ("", "A")
)
_PLAIN_PROTOCOLS = frozenset(
    p + a for p in ("ESMTP", "LMTP", "UTF8SMTP", "UTF8LMTP") for a in ("", "A")
) | {"SMTP"}
_AUTH_PROTOCOLS = frozenset(
    p + "A"
    for p in ("ESMTP", "ESMTPS", "LMTP", "LMTPS", "UTF8SMTP", "UTF8SMTPS", "UTF8LMTP", "UTF8LMTPS")
)
_ENVELOPE_FROM = re.compile(r"envelope-from\s+<?([^>\s)]*)>?", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsInfo:
    """What a hop recorded about TLS; ``used`` None means "not recorded"."""

    used: bool | None = None
    version: str = ""
    cipher: str = ""

    def describe(self) -> str:
        if self.used is None:
            return "TLS not recorded"
        if not self.used:
            return "no TLS"
        detail = " ".join(p for p in (self.version, self.cipher) if p)
        return f"TLS {detail}" if detail else "TLS"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One ``Received`` field.

    Attributes:
        position: 1-based place in travel order (1 = oldest); 0 before :func:`build_chain`.
        header_index: Position of the field in the header section (0 = topmost).
        from_helo: The name the client gave in HELO/EHLO.
        from_rdns: The client's reverse-DNS name as the receiver recorded it.
        from_ip: The client's address, when recorded.
        by_host: The receiving host.
        protocol: The ``with`` clause (``ESMTPS``, ``Microsoft SMTP Server``...).
        queue_id: The ``id`` clause.
        for_addr: The ``for`` clause (one recipient).
        envelope_from: ``(envelope-from <x>)`` when recorded.
        tls: TLS use, version and cipher, when recorded.
        authenticated: Whether the hop records SMTP AUTH (RFC 3848 ``...A``).
        timestamp: The date after the last ``;``, timezone-aware; None if unreadable.
        delay_s: Seconds since the previous hop's timestamp (None for the first
            hop or when either timestamp is missing).
        raw: The unfolded field value.
    """

    position: int = 0
    header_index: int = 0
    from_helo: str = ""
    from_rdns: str = ""
    from_ip: str = ""
    by_host: str = ""
    protocol: str = ""
    queue_id: str = ""
    for_addr: str = ""
    envelope_from: str = ""
    tls: TlsInfo = field(default_factory=TlsInfo)
    authenticated: bool = False
    timestamp: datetime | None = None
    delay_s: float | None = None
    raw: str = ""

    @property
    def from_name(self) -> str:
        """The best name for the client: reverse DNS, else HELO."""
        return self.from_rdns or self.from_helo

    def to_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "from_helo": self.from_helo,
            "from_rdns": self.from_rdns,
            "from_ip": self.from_ip,
            "by": self.by_host,
            "with": self.protocol,
            "id": self.queue_id,
            "for": self.for_addr,
            "tls": self.tls.describe(),
            "authenticated": self.authenticated,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "delay_s": self.delay_s,
        }


def parse_received(value: str, *, header_index: int = 0) -> Hop:
    """Read one ``Received`` value; never raises.

    Args:
        value: The unfolded field value.
        header_index: Where the field sits in the header section.

    Returns:
        A :class:`Hop` with whatever could be read.
    """
    clauses_text, date_text = _split_date(value)
    clauses = _clauses(_tokens(clauses_text))
    from_words, from_comments = clauses.get("from", ([], []))
    protocol = _protocol(clauses.get("with", ([], []))[0])
    helo = _helo(from_words, from_comments)
    ip = _client_ip(from_words, from_comments)
    return Hop(
        header_index=header_index,
        from_helo=helo,
        from_rdns=_rdns(from_comments),
        from_ip=ip,
        by_host=_first(clauses.get("by", ([], []))[0]).rstrip(".").lower(),
        protocol=protocol,
        queue_id=_first(clauses.get("id", ([], []))[0]),
        for_addr=_first(clauses.get("for", ([], []))[0]).strip("<>"),
        envelope_from=_envelope_from(value),
        tls=_tls(value, protocol),
        authenticated=_authenticated(value, protocol),
        timestamp=_parse_date(date_text),
        raw=value,
    )


def _split_date(value: str) -> tuple[str, str]:
    if ";" not in value:
        return value, ""
    head, tail = value.rsplit(";", 1)
    return head, tail.strip()


def _tokens(text: str) -> list[tuple[str, str]]:
    """``[(kind, text)]`` with kind ``word``/``comment``/``angle``/``literal``."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            pos += 1
            continue
        if match.group(1):
            comment, pos = _comment(text, match.end())
            tokens.append(("comment", comment))
            continue
        pos = match.end()
        kinds = ("angle", "literal", "word")
        for kind, group in zip(kinds, match.groups()[1:], strict=True):
            if group:
                tokens.append((kind, group))
    return tokens


def _comment(text: str, start: int) -> tuple[str, int]:
    """Read a (possibly nested) comment whose "(" ended at ``start`` (RFC 5322 section 3.2.2)."""
    depth, pos = 1, start
    while pos < len(text) and depth:
        char = text[pos]
        if char == "\\":
            pos += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        pos += 1
    return text[start : pos - 1 if depth == 0 else pos], pos


def _clauses(tokens: Sequence[tuple[str, str]]) -> dict[str, tuple[list[str], list[str]]]:
    """Group tokens under the clause keyword before them; first occurrence wins."""
    clauses: dict[str, tuple[list[str], list[str]]] = {}
    current: tuple[list[str], list[str]] | None = None
    for kind, text in tokens:
        if kind == "word" and text.lower() in KEYWORDS:
            key = text.lower()
            current = clauses.setdefault(key, ([], [])) if key not in clauses else None
            continue
        if current is None:
            continue
        (current[1] if kind == "comment" else current[0]).append(text)
    return clauses


def _first(words: Sequence[str]) -> str:
    return words[0] if words else ""


def _protocol(words: Sequence[str]) -> str:
    """A registered protocol name is one word; others (``Microsoft SMTP Server``) a phrase."""
    if not words:
        return ""
    known = _TLS_PROTOCOLS | _PLAIN_PROTOCOLS | {"HTTP", "HTTPS", "LOCAL"}
    return words[0] if words[0].upper() in known else " ".join(words)


def _helo(words: Sequence[str], comments: Sequence[str]) -> str:
    """The HELO name: the from-clause word, or Exim's ``(helo=name)`` after an address literal."""
    for comment in comments:
        match = re.search(r"\bhelo=([^\s)]+)", comment, re.I)
        if match:
            return match.group(1).strip("[]").rstrip(".")
    return _first(words).strip("[]").rstrip(".")


def _client_ip(words: Sequence[str], comments: Sequence[str]) -> str:
    for text in (*comments, *words):
        for match in _IP_LITERAL.finditer(text):
            if _valid_ip(match.group(1)):
                return match.group(1)
    for text in comments:
        for match in _BARE_IP.finditer(text):
            if _valid_ip(match.group(1)):
                return match.group(1)
    return ""


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _rdns(comments: Sequence[str]) -> str:
    """The name before ``[ip]`` in the from-clause comment, unless it is a placeholder."""
    for comment in comments:
        words = comment.replace("[", " [").split()
        if len(words) >= 2 and words[1].startswith("["):
            name = words[0].rstrip(".").lower()
            if name not in {"unknown", "helo", "ehlo"} and "." in name and "=" not in name:
                return name
    return ""


def _envelope_from(value: str) -> str:
    match = _ENVELOPE_FROM.search(value)
    return match.group(1) if match else ""


def _tls(value: str, protocol: str) -> TlsInfo:
    for pattern in _TLS_PATTERNS:
        match = pattern.search(value)
        if match:
            return TlsInfo(used=True, version=match.group(1), cipher=match.group(2))
    proto = _protocol_word(protocol)
    if proto in _TLS_PROTOCOLS or "Google Transport Security" in value:
        return TlsInfo(used=True)
    if proto in _PLAIN_PROTOCOLS:
        return TlsInfo(used=False)
    return TlsInfo()


def _authenticated(value: str, protocol: str) -> bool:
    if _protocol_word(protocol) in _AUTH_PROTOCOLS:
        return True
    return "authenticated sender:" in value.lower()


def _protocol_word(protocol: str) -> str:
    return protocol.split()[0].upper() if protocol.split() else ""


def _parse_date(text: str) -> datetime | None:
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def build_chain(values: Iterable[tuple[int, str]]) -> tuple[Hop, ...]:
    """Hops in travel order (oldest first) with per-hop delays.

    Args:
        values: ``(header_index, value)`` of every ``Received`` field, topmost first.

    Returns:
        The hops, position 1 being the oldest.
    """
    hops = [parse_received(v, header_index=i) for i, v in values]
    hops.reverse()
    chain: list[Hop] = []
    previous: datetime | None = None
    for position, hop in enumerate(hops, 1):
        delay = None
        if previous is not None and hop.timestamp is not None:
            delay = (hop.timestamp - previous).total_seconds()
        chain.append(replace(hop, position=position, delay_s=delay))
        previous = hop.timestamp or previous
    return tuple(chain)


def out_of_order(chain: Sequence[Hop], *, tolerance_s: float = SKEW_TOLERANCE_S) -> tuple[Hop, ...]:
    """Hops stamped earlier than the hop before them by more than the tolerated skew."""
    return tuple(h for h in chain if h.delay_s is not None and h.delay_s < -tolerance_s)


def is_internal_ip(text: str) -> bool:
    """Loopback, link-local, RFC 1918, RFC 6598 or RFC 4193 (not documentation ranges)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(address in net for net in _INTERNAL_NETS if net.version == address.version)


def first_external_hop(
    chain: Sequence[Hop], in_sender_domains: Callable[[str], bool]
) -> Hop | None:
    """The first hop that left the sender's infrastructure (heuristic in the module docstring).

    Args:
        chain: Hops in travel order.
        in_sender_domains: Tells whether a host name belongs to the sender's
            organizational domains.

    Returns:
        The boundary hop, or None when every hop stayed inside.
    """
    for hop in chain:
        if not (hop.from_helo or hop.from_ip or hop.from_rdns):
            continue
        if hop.from_ip and is_internal_ip(hop.from_ip):
            continue
        if hop.authenticated:
            continue
        if hop.by_host and in_sender_domains(hop.by_host):
            continue
        return hop
    return None
