"""The shape of one catalogue entry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..model import Layer

__all__ = ["Entry", "Kind"]


class Kind(StrEnum):
    """What an entry describes.

    ``cause``: a reason mail is not delivered, that a finding's ``cause`` may name.
    ``note``: a correction to common advice (DESIGN.md, the reference write-up), attached to
    the causes it concerns; never the cause of anything by itself.
    """

    CAUSE = "cause"
    NOTE = "note"


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One root cause (or note) of the catalogue.

    Attributes:
        id: Stable dotted id, layer first (``client.smtp_auth.stale_ses_password``);
            notes use ``note.<topic>``.
        layer: The layer the cause belongs to.
        title: One line for people.
        explanation: What is wrong and why it stops delivery.
        fix: Steps, in order: exact DNS records, ``aws`` commands, where to click.
        does_not_fix: What the fix will *not* cure (the other causes people confuse it with).
        references: RFC sections and vendor documents (URLs).
        notes: Ids of notes that go with this cause.
        aliases: Other ids that layers use for the very same cause (a bounce's
            ``recipient.rejected.no_ptr`` and a log's ``recipient.rejected.ptr``); they
            resolve to this entry and are merged into one root cause.
        kind: cause or note.
    """

    id: str
    layer: Layer
    title: str
    explanation: str
    fix: tuple[str, ...] = ()
    does_not_fix: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: Kind = Kind.CAUSE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "layer": str(self.layer),
            "title": self.title,
            "explanation": self.explanation,
            "fix": list(self.fix),
            "does_not_fix": list(self.does_not_fix),
            "references": list(self.references),
            "notes": list(self.notes),
            "aliases": list(self.aliases),
        }
