"""Standard delivery status notifications (RFC 3464), from any MTA.

The fallback for every report with a ``message/delivery-status`` part or plain
``Reporting-MTA:``/``Final-Recipient:`` fields that no specific source claimed.
With a single recipient, the human-readable explanation before the DSN part is
kept in front of the ``Diagnostic-Code`` text, because many MTAs put the remote
server's words only there.
"""

from __future__ import annotations

from .._scan import complete, dsn_section, finish, leading_text
from .._text import sweep
from ..model import DeliveryStatus, Draft
from ..parse import ORIGINAL_MARKERS, Mail, dsn_field, parse_dsn_lines, split_at

NAME = "rfc3464"


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an RFC 3464 report; None when there is no DSN part with a recipient."""
    return finish(drafts(mail), NAME)


def drafts(mail: Mail) -> list[Draft]:
    """The completed per-recipient drafts of an RFC 3464 report (for reuse by sources)."""
    report = _report_text(mail)
    before, dsn = dsn_section(report)
    if not dsn:
        return []
    found, _ = parse_dsn_lines(dsn.split("\n"))
    if not found:
        return []
    lead = leading_text(before + "\n" + _stray_lines(dsn))
    for draft in found:
        draft.extra["diagnostic-code"] = draft.diagnosis
        draft.diagnosis = sweep(draft.extra.get("notes", "")) or draft.diagnosis
        if len(found) == 1:
            draft.diagnosis = _with_lead(lead, draft.diagnosis)
        complete(draft, lead)
    return found


def _report_text(mail: Mail) -> str:
    report, original = mail.split()
    if not original and "\n\nReturn-Path:" in report:
        report, _ = split_at(report, ("\n\nReturn-Path:",))
    if "@" not in report and original:
        # The report itself sits inside the message/rfc822 part (some gateways).
        _, _, inner = original.partition("\n\n")
        report, _ = split_at(inner, ORIGINAL_MARKERS)
    return report


def _stray_lines(dsn: str) -> str:
    """Free text inside the DSN part: lines that are no field, continuation or X- field."""
    kept = []
    previous = ""
    for line in dsn.split("\n"):
        if dsn_field(line) is not None:
            previous = line
            continue
        continuation = line[:1] in (" ", "\t") and previous.lower().startswith("diagnostic-code:")
        if not line.strip() or continuation or line.startswith(("--", "Content-")):
            continue
        if line.startswith("X-") and ": " in line:
            continue
        previous = line
        kept.append(line)
    return "\n".join(kept)


def _with_lead(lead: str, diagnosis: str) -> str:
    if not lead:
        return diagnosis
    if diagnosis and diagnosis.lower() in lead.lower():
        return lead
    return (lead + " " + diagnosis).strip()
