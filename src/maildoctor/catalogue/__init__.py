"""The root-cause catalogue: every cause maildoctor can name, with its fix.

Each :class:`Entry` has a stable id (layer first, ``client.smtp_auth.stale_ses_password``),
the layer it belongs to, a title, an explanation, fix steps (exact DNS records, ``aws``
commands, where to click in Gmail or Microsoft 365), what the fix does *not* fix, and
references. Notes (``note.*``) are corrections to commonly given advice, attached to the
causes that list them.

The data lives in one module per layer (``_client``, ``_provider``, ``_dns``,
``_transport``, ``_recipient``) plus ``_notes``. To add a cause, add an :class:`Entry`
to the layer's ``ENTRIES``; ``tests/test_catalogue.py`` checks that every ``cause="..."``
used in the source is catalogued, and ``docs/root-causes.md`` is regenerated with
``python -m maildoctor.report.rootcauses > docs/root-causes.md``.

When two layers name the same cause differently, list the other id in the entry's
``aliases``: :func:`get` and :func:`canonical` resolve it, and correlation merges it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType

from . import (
    _client,
    _dns,
    _message,
    _notes,
    _provider,
    _recipient,
    _reports,
    _services,
    _transport,
)
from ._model import Entry, Kind

__all__ = [
    "ALIASES",
    "CATALOGUE",
    "Entry",
    "Kind",
    "UnknownCauseError",
    "canonical",
    "close_matches",
    "entries",
    "get",
]


class UnknownCauseError(KeyError):
    """An id that is not in the catalogue; ``matches`` holds the closest ids."""

    def __init__(self, cause_id: str, matches: tuple[str, ...]) -> None:
        super().__init__(cause_id)
        self.cause_id = cause_id
        self.matches = matches

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.matches)}" if self.matches else ""
        return f"unknown root cause id {self.cause_id!r}{hint}"


def _build() -> tuple[Mapping[str, Entry], Mapping[str, str]]:
    table: dict[str, Entry] = {}
    aliases: dict[str, str] = {}
    for module in (
        _client,
        _provider,
        _dns,
        _transport,
        _recipient,
        _message,
        _reports,
        _services,
        _notes,
    ):
        for entry in module.ENTRIES:
            for name in (entry.id, *entry.aliases):
                if name in table or name in aliases:
                    raise ValueError(f"duplicate catalogue id {name}")
                aliases[name] = entry.id
            table[entry.id] = entry
    return MappingProxyType(table), MappingProxyType({a: c for a, c in aliases.items() if a != c})


#: Every entry by id, in layer order (client, provider, dns, transport, recipient, message,
#: notes); ALIASES maps each alias to its entry's id.
CATALOGUE, ALIASES = _build()


def canonical(cause_id: str) -> str:
    """The catalogue id for an id or one of its aliases (unknown ids are returned as is)."""
    return ALIASES.get(cause_id, cause_id)


def get(cause_id: str) -> Entry:
    """Return the entry for an id.

    Args:
        cause_id: A catalogue id such as ``recipient.rejected.dmarc``, or an alias.

    Returns:
        The entry.

    Raises:
        UnknownCauseError: if the id is not catalogued (with the closest ids).
    """
    try:
        return CATALOGUE[canonical(cause_id.strip())]
    except KeyError:
        raise UnknownCauseError(cause_id, close_matches(cause_id)) from None


def entries(kind: Kind | None = None) -> tuple[Entry, ...]:
    """All entries, or those of one kind, in catalogue order."""
    return tuple(e for e in CATALOGUE.values() if kind is None or e.kind == kind)


def close_matches(text: str, *, limit: int = 5) -> tuple[str, ...]:
    """Catalogue ids that look like ``text``: similar spellings, then ids containing it."""
    query = text.strip().lower()
    if not query:
        return ()
    ids = [*CATALOGUE, *ALIASES]
    last = query.rsplit(".", 1)[-1]
    found = difflib.get_close_matches(query, ids, n=limit, cutoff=0.6)
    found += [i for i in ids if query in i]
    found += [i for i in ids if len(last) >= 3 and last in i.rsplit(".", 1)[-1]]
    return tuple(dict.fromkeys(found))[:limit]
