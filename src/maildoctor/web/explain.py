"""What the Explain page shows: a cause id's entry, or what each reply means.

The same functions as ``maildoctor explain``: a catalogue id gives its entry; a
whole pasted bounce goes through the bounce reader (one item per bounced
recipient); anything else is read as one reply line by the reply classifier.
"""

from __future__ import annotations

from typing import Any

from .. import catalogue
from ..errors import InputError

__all__ = ["MAX_TEXT", "explain_text"]

#: Characters of pasted text read (a bounce is a few hundred kilobytes at most).
MAX_TEXT = 2 * 1024 * 1024


def explain_text(what: str) -> list[dict[str, Any]]:
    """Items for the page: ``heading``, ``reply`` (the text read) and ``rows`` (name, value).

    Raises:
        InputError: for empty or oversized text.
    """
    text = what.strip()
    if not text:
        raise InputError("paste a reply line, a bounce, or a cause id")
    if len(text) > MAX_TEXT:
        raise InputError(f"the text is over {MAX_TEXT // 2**20} MB")
    if " " not in text and "\n" not in text:
        try:
            return [_entry_item(catalogue.get(text))]
        except catalogue.UnknownCauseError:
            pass
    from ..replies.explain import explain_notice, explain_reply

    if "\n" in text and ":" in text.split("\n", 1)[0]:
        raw = text.replace("\r\n", "\n").encode("utf-8", "surrogateescape")
        # Neither a bounce nor reply lines: read the whole text as one reply.
        explained = explain_notice(raw) or (explain_reply(text),)
    else:
        explained = (explain_reply(text),)
    return [_reply_item(item) for item in explained]


def _entry_item(entry: catalogue.Entry) -> dict[str, Any]:
    return {"heading": f"{entry.title} ({entry.id})", "reply": "", "rows": _entry_rows(entry)}


def _entry_rows(entry: catalogue.Entry) -> list[tuple[str, str]]:
    return [
        ("Layer", str(entry.layer)),
        ("What it means", entry.explanation),
        ("Fix", "\n".join(entry.fix)),
        ("What the fix does not fix", "\n".join(entry.does_not_fix)),
        ("References", "\n".join(entry.references)),
    ]


def _reply_item(item: Any) -> dict[str, Any]:
    data = item.to_dict()
    entry = item.entry
    rows = [
        ("Reason", str(data.get("reason", ""))),
        ("Permanent", "no" if data.get("temporary") else "yes"),
        ("Who can fix it", item.who),
    ]
    if item.recipient:
        rows.insert(0, ("Recipient", item.recipient))
    if entry is not None:
        rows += _entry_rows(entry)
    heading = entry.title if entry is not None else "No known cause for this reply"
    return {"heading": heading, "reply": item.text, "rows": [r for r in rows if r[1]]}
