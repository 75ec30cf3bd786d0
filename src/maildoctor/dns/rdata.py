"""Record data read once: MX texts -> typed records, with the one rule for null and implicit MX.

The resolver keeps every answer's records as text (``"10 mx.example.com"`` for MX, as
evidence and zone fixtures show them); this module is the only place that text is read
back. No dnspython here: the start-up path (``dns/prefetch.py``) uses it too.

The rule, in one place:

* a record is ``PREFERENCE EXCHANGE``; a preference that is not an integer 0-65535, or a
  missing exchange, makes the record *malformed* (reported, never guessed at);
* an exchange of ``.`` is the null MX (RFC 7505): the domain accepts no mail;
* no MX RRset at all (NODATA) means the domain itself is the mail host, preference 0
  (RFC 5321 section 5.1, "implicit MX"); a domain that does not exist has no host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MAX_PREFERENCE", "MxRecord", "MxSet", "is_null_mx", "mx_set", "parse_mx"]

#: MX PREFERENCE is a 16-bit unsigned integer (RFC 1035 section 3.3.9).
MAX_PREFERENCE = 65535
NULL_EXCHANGE = "."


@dataclass(frozen=True, slots=True, order=True)
class MxRecord:
    """One MX record: ``preference`` (lower first) and ``exchange`` (lower case, no final dot;
    ``.`` for the null MX)."""

    preference: int
    exchange: str

    @property
    def is_null(self) -> bool:
        """The null MX of RFC 7505."""
        return self.exchange == NULL_EXCHANGE


def parse_mx(text: str) -> MxRecord | None:
    """``"10 mx.example.com."`` -> :class:`MxRecord`; ``None`` when the text is malformed.

    Args:
        text: One MX record as the resolver gives it.

    Returns:
        The record, or ``None`` for a bad preference or a missing exchange.
    """
    pref, _, rest = text.strip().partition(" ")
    exchange = rest.strip()
    if not pref.isdigit() or int(pref) > MAX_PREFERENCE or not exchange or " " in exchange:
        return None
    return MxRecord(int(pref), exchange.rstrip(".").lower() or NULL_EXCHANGE)


def is_null_mx(records: Iterable[MxRecord]) -> bool:
    """True when the records include the null MX (RFC 7505: the domain takes no mail)."""
    return any(r.is_null for r in records)


@dataclass(frozen=True, slots=True, kw_only=True)
class MxSet:
    """A domain's MX answer, read.

    Attributes:
        domain: The domain asked (lower case, no final dot).
        records: The well-formed records as published, by preference then name.
        malformed: Record texts that could not be read.
        implicit: No MX RRset (NODATA): the domain itself receives mail (RFC 5321 5.1).
    """

    domain: str
    records: tuple[MxRecord, ...] = ()
    malformed: tuple[str, ...] = ()
    implicit: bool = False

    @property
    def null(self) -> bool:
        """The domain publishes the null MX (RFC 7505)."""
        return is_null_mx(self.records)

    @property
    def hosts(self) -> tuple[MxRecord, ...]:
        """Where mail goes, in order: none for a null MX, the domain for an implicit MX."""
        if self.null:
            return ()
        if self.implicit:
            return (MxRecord(0, self.domain),)
        return self.records


def mx_set(domain: str, texts: Iterable[str], *, nodata: bool = False) -> MxSet:
    """Read an MX answer's record texts under the rule above.

    Args:
        domain: The name asked.
        texts: The record texts (empty when the answer has none).
        nodata: The name exists but has no MX RRset (the implicit MX applies).

    Returns:
        The :class:`MxSet`.
    """
    records: list[MxRecord] = []
    malformed: list[str] = []
    for text in texts:
        record = parse_mx(text)
        if record is None:
            malformed.append(text)
        else:
            records.append(record)
    return MxSet(
        domain=domain.rstrip(".").lower(),
        records=tuple(sorted(records)),
        malformed=tuple(malformed),
        implicit=nodata,
    )
