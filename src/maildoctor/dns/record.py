"""Record the DNS answers of a run as zone data, and replay them.

``--dns-record FILE`` writes every answer a command received, in the RFC 7208
test suite's ``zonedata`` format that :mod:`maildoctor.testing.dnsserver`
serves; ``--dns-fixture FILE`` answers a later run from such a file instead of
the network. A user's bug report then carries the DNS it saw, and the report
becomes a test fixture (MODELS.md section 2).

What survives the round trip: records, CNAME chains, NXDOMAIN (a name left
out), NODATA (a name with no record of the type) and timeouts. SERVFAIL,
REFUSED and malformed replies replay as timeouts: each is "could not tell".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError
from .rdata import parse_mx
from .resolver import DEFINITE, DnsAnswer, Outcome

__all__ = ["load_fixture", "save_fixture", "zonedata_from_answers"]

Zonedata = dict[str, list[Any]]


def zonedata_from_answers(answers: Iterable[DnsAnswer]) -> Zonedata:
    """Zone data that makes a :class:`~maildoctor.testing.dnsserver.DnsServer` give the
    same answers (sorted by name, so that two recordings of one run are equal)."""
    zone: Zonedata = {}
    for answer in answers:
        _add(zone, answer)
    return {name: zone[name] for name in sorted(zone)}


def _add(zone: Zonedata, answer: DnsAnswer) -> None:
    if answer.outcome is Outcome.INVALID:
        return  # never asked: the name cannot be put on the wire
    name = answer.name
    for target in answer.cname_chain:
        _put(zone, name, {"CNAME": target})
        name = target
    if answer.outcome is Outcome.ANSWER:
        for record in answer.records:
            _put(zone, name, {answer.rdtype: _value(answer.rdtype, record)})
    elif answer.outcome is Outcome.NODATA:
        zone.setdefault(name, [])
    elif answer.outcome not in DEFINITE:
        _put(zone, name, {answer.rdtype: "TIMEOUT"})


def _put(zone: Zonedata, name: str, entry: dict[str, Any]) -> None:
    rows = zone.setdefault(name, [])
    if entry not in rows:
        rows.append(entry)


def _value(rdtype: str, record: str) -> Any:
    if rdtype == "MX":
        mx = parse_mx(record)
        return [mx.preference, mx.exchange] if mx is not None else record
    return record


def save_fixture(path: str | Path, answers: Iterable[DnsAnswer]) -> None:
    """Write the answers as a JSON zone file."""
    data = zonedata_from_answers(answers)
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def load_fixture(path: str | Path) -> Zonedata:
    """Read a JSON zone file written by :func:`save_fixture` (or by hand).

    Raises:
        InputError: if the file cannot be read or is not zone data.
    """
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read DNS fixture {path}: {exc}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, list) for k, v in data.items()
    ):
        raise InputError(f"DNS fixture {path} is not zone data: {{name: [records...]}}")
    return data
