"""A resolver that answers from zone data in memory: ``--dns-fixture`` without a socket.

Zone data is the RFC 7208 test suite's ``zonedata`` format, as ``--dns-record`` writes
it and the loopback test server serves it::

    {"example.com": [{"TXT": "v=spf1 mx -all"}, {"MX": [10, "mx.example.com"]}],
     "mx.example.com": [{"A": "192.0.2.10"}],
     "slow.example.com": ["TIMEOUT"]}

The same rules as that server (``maildoctor.testing.dnsserver``; a test keeps the two in
step): an ``SPF`` record is served as TXT too unless the name has its own ``TXT``;
``TXT: NONE`` declares "no TXT"; a bare ``TIMEOUT`` times the name out unless a record of
the asked type came first, ``{TYPE: TIMEOUT}`` only that type; names beginning with
``error.`` time out; CNAMEs are chased inside the zone (a loop is an error), ``*.``
wildcards match, and an empty non-terminal is NODATA, not NXDOMAIN. Record text is what
:class:`~maildoctor.dns.resolver.DnsResolver` would give for the same answer on the wire.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from .resolver import MAX_CNAME_CHAIN, DnsAnswer, Outcome, normalise, rdata_text

__all__ = ["ZoneResolver", "load_zone"]

Zone = dict[str, list[tuple[str, Any]]]
_TIMEOUT = ("TIMEOUT", "TIMEOUT")


def load_zone(zonedata: Mapping[str, Iterable[Any]]) -> Zone:
    """Zone data -> ``{name: [(TYPE, value), ...]}`` with the SPF-as-TXT and NONE rules."""
    zone: Zone = {}
    for name, entries in zonedata.items():
        rows: list[tuple[str, Any]] = []
        generated: list[tuple[str, Any]] = []
        has_txt = False
        for entry in entries:
            if entry == "TIMEOUT" or entry is None:
                rows.append(_TIMEOUT)
                continue
            for rtype, value in dict(entry).items():
                rtype = str(rtype).upper()
                has_txt = has_txt or rtype == "TXT"
                if rtype == "SPF":
                    generated.append(("TXT", value))
                if value != "NONE":
                    rows.append((rtype, value))
        zone[normalise(str(name))] = rows if has_txt else rows + generated
    return zone


@dataclass(frozen=True, slots=True)
class _Found:
    outcome: Outcome
    rows: tuple[tuple[str, Any], ...] = ()
    chain: tuple[str, ...] = ()
    error: str = ""


@dataclass
class ZoneResolver:
    """Answers questions from zone data, never from the network.

    Args:
        zone: The zone (see :func:`load_zone`).
        timeout: Only named in a timed-out answer's text, as the network resolver would.
        label: What answers name as their server.
    """

    zone: Zone
    timeout: float = 3.0
    label: str = "fixture"
    queries_sent: int = 0
    _asked: dict[tuple[str, str], DnsAnswer] = field(default_factory=dict)

    @classmethod
    def from_zonedata(cls, zonedata: Mapping[str, Iterable[Any]], **kwargs: Any) -> ZoneResolver:
        return cls(load_zone(zonedata), **kwargs)

    def answers(self) -> list[DnsAnswer]:
        """Every answer given in this run (for ``--dns-record``)."""
        return list(self._asked.values())

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        key = (normalise(name), rdtype.upper())
        answer = self._asked.get(key)
        if answer is None:
            self.queries_sent += 1
            answer = self._asked[key] = self._answer(*key)
        return answer

    def _answer(self, name: str, rdtype: str) -> DnsAnswer:
        base = DnsAnswer(name=name, rdtype=rdtype, outcome=Outcome.ERROR, server=self.label)
        try:
            qname = dns.name.from_text(name) if name else dns.name.root
            dns.rdatatype.from_text(rdtype)
        except (dns.exception.DNSException, ValueError) as exc:
            return replace(base, outcome=Outcome.INVALID, error=str(exc), server=None)
        found = self._find(_key(qname), rdtype)
        if found.outcome is Outcome.TIMEOUT:
            return replace(base, outcome=Outcome.TIMEOUT, error=f"no reply in {self.timeout:g}s")
        base = replace(base, outcome=found.outcome, cname_chain=found.chain, error=found.error)
        if found.outcome is not Outcome.ANSWER:
            return base
        try:
            records = tuple(_text(rdtype, value) for _, value in found.rows)
        except (dns.exception.DNSException, ValueError, TypeError) as exc:  # a bad fixture
            error = f"bad {rdtype} record in the zone data: {exc}"[:200]
            return replace(base, outcome=Outcome.ERROR, error=error)
        return replace(base, records=records)

    def _find(self, name: str, rdtype: str) -> _Found:
        chain: list[str] = []
        current = name
        while True:
            if current.startswith("error."):
                return _Found(Outcome.TIMEOUT)
            rows = self._rows(current)
            if rows is None:
                empty = any(n.endswith("." + current) for n in self.zone)
                return _Found(Outcome.NODATA if empty else Outcome.NXDOMAIN, chain=tuple(chain))
            matched, target = _match(rows, rdtype)
            if matched is None:
                return _Found(Outcome.TIMEOUT)
            if matched:
                return _Found(Outcome.ANSWER, rows=tuple(matched), chain=tuple(chain))
            if target is None or rdtype == "CNAME":
                return _Found(Outcome.NODATA, chain=tuple(chain))
            if target in (name, *chain) or len(chain) >= MAX_CNAME_CHAIN:
                return _Found(Outcome.ERROR, chain=tuple(chain), error="CNAME loop")
            chain.append(target)
            current = target

    def _rows(self, key: str) -> list[tuple[str, Any]] | None:
        if key in self.zone:
            return self.zone[key]
        labels = key.split(".")
        for i in range(1, len(labels)):
            parent = ".".join(labels[i:])
            if "*." + parent in self.zone:
                return self.zone["*." + parent]
            if parent in self.zone:
                break
        return None


def _match(
    rows: list[tuple[str, Any]], rdtype: str
) -> tuple[list[tuple[str, Any]] | None, str | None]:
    """(rows of the type - ``None`` for a timeout -, a CNAME target) at one name."""
    matched: list[tuple[str, Any]] = []
    target: str | None = None
    for row in rows:
        if row == _TIMEOUT:
            return (matched or None), target
        rtype, value = row
        if rtype == rdtype:
            if value == "TIMEOUT":
                return None, target
            matched.append(row)
        elif rtype == "CNAME" and value != "TIMEOUT":
            target = normalise(str(value))
    return matched, target


def _key(name: dns.name.Name) -> str:
    """A question's zone key: the raw labels, not the escaped text (``a b`` not ``a\\032b``)."""
    labels = (label.decode("utf-8", "surrogateescape") for label in name.labels if label)
    return ".".join(labels).lower()


def _text(rtype: str, value: Any) -> str:
    """The record as the network resolver gives it (TXT strings joined, names without dot)."""
    if rtype in ("TXT", "SPF"):
        parts = value if isinstance(value, list | tuple) else [value]
        raw = b"".join(
            p.encode("utf-8", "surrogateescape") if isinstance(p, str) else bytes(p) for p in parts
        )
        return raw.decode("utf-8", "replace")
    if rtype == "MX":
        pref, host = value
        text = f"{int(pref)} {_fqdn(host)}"
    elif rtype in ("CNAME", "PTR", "NS"):
        text = _fqdn(value)
    else:
        text = str(value)
    rdtype = dns.rdatatype.from_text(rtype)
    return rdata_text(dns.rdata.from_text(dns.rdataclass.IN, rdtype, text))


def _fqdn(name: Any) -> str:
    name = str(name)
    return name if name.endswith(".") else name + "."
