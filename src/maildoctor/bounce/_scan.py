"""Helpers shared by the source modules: DSN blocks, leading text, finishing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._text import sweep
from .codes import find_command, find_reply, find_status, status_valid
from .model import DeliveryStatus, Draft
from .parse import DELIVERY_STATUS, Mail, parse_dsn_lines

__all__ = [
    "dsn_drafts",
    "finish",
    "leading_text",
    "starts_any",
]

#: Lines of the human-readable part that carry no information about the failure.
_NOISE = ("Content-", "This is a MIME", "This is a multi", "This is an auto",
          "This multi-part", "###", "***", "--")  # fmt: skip


#: Lines after which the human-readable part only repeats the original message.
_STOPS = ("Original message headers:",)


def starts_any(line: str, prefixes: Sequence[str]) -> bool:
    """True when ``line`` starts with any of ``prefixes``."""
    return line.startswith(tuple(prefixes))


def dsn_section(report: str) -> tuple[str, str]:
    """Split the report at the ``message/delivery-status`` marker: (before, DSN text).

    A report without the marker but with ``Reporting-MTA:`` after a blank line is
    treated as if the marker were there (plain-text DSNs).
    """
    pos = report.find(DELIVERY_STATUS)
    if pos >= 0:
        return report[:pos], report[pos + len(DELIVERY_STATUS) :]
    for field in ("\n\nReporting-MTA:", "\n\nReporting-mta:", "\n\nFinal-Recipient:",
                  "\n\nOriginal-Recipient:"):  # fmt: skip
        pos = report.find(field)
        if pos >= 0:
            return report[: pos + 2], report[pos + 2 :]
    return report, ""


def leading_text(text: str) -> str:
    """The human-readable explanation before the DSN part, folded to one line."""
    kept = []
    for line in text.split("\n"):
        if line.startswith(_STOPS):
            break
        if not line or starts_any(line, _NOISE):
            continue
        if "--- The follow" in line or "--- Transcript" in line:
            continue
        kept.append(line)
    return sweep(" ".join(kept))


def dsn_drafts(mail: Mail, report: str | None = None) -> list[Draft]:
    """The per-recipient drafts read from the DSN part of ``report`` (or the mail's)."""
    _, dsn = dsn_section(mail.report if report is None else report)
    if not dsn:
        return []
    drafts, _ = parse_dsn_lines(dsn.split("\n"))
    return drafts


def complete(draft: Draft, fallback: str = "") -> None:
    """Fill command, reply code and status from the diagnostic (then ``fallback``)."""
    text = draft.diagnosis
    draft.command = draft.command or find_command(text) or find_command(fallback)
    draft.reply_code = (
        draft.reply_code or find_reply(text, draft.status) or find_reply(fallback, draft.status)
    )
    if not draft.status or not status_valid(draft.status):
        draft.status = find_status(text, draft.reply_code) or find_status(
            fallback, draft.reply_code
        )


def finish(drafts: Iterable[Draft], source: str) -> list[DeliveryStatus] | None:
    """Freeze the drafts that name a recipient; None when there are none."""
    rows = [d.freeze(source) for d in drafts if d.recipient]
    return rows or None
