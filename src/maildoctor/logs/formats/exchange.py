"""Exchange message tracking logs: the raw ``MSGTRK*.LOG`` files and ``Export-Csv`` output.

Raw logs declare their columns in a ``#Fields:`` line (``date-time``, ``event-id``,
``recipient-address``, ``recipient-status``, ``server-hostname`` ...); a CSV exported from
``Get-MessageTrackingLog`` starts with a quoted header row (``"Timestamp","EventId",
"Recipients","RecipientStatus" ...``). The columns are remembered per file in the parse
state. Events: ``SEND``/``DELIVER`` (sent), ``FAIL`` (bounced), ``DEFER`` (deferred),
``DSN`` and the rest are not outcomes. Reference: Microsoft Learn, "Message tracking"
(https://learn.microsoft.com/exchange/mail-flow/transport-logs/message-tracking).
"""

from __future__ import annotations

import csv

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_iso_time

NAME = "exchange"

#: Column names in both spellings -> one key.
_COLUMNS = {
    "date-time": "time", "timestamp": "time",
    "event-id": "event", "eventid": "event",
    "recipient-address": "rcpt", "recipients": "rcpt",
    "recipient-status": "status", "recipientstatus": "status",
    "server-hostname": "server", "serverhostname": "server",
    "server-ip": "ip", "serverip": "ip",
    "sender-address": "sender", "sender": "sender",
    "internal-message-id": "id", "internalmessageid": "id",
    "connector-id": "connector", "connectorid": "connector",
}  # fmt: skip
_PREAMBLE = ("#Software:", "#Version:", "#Log-type:", "#Date:", "#TYPE ")
_OUTCOMES = {"SEND": "sent", "DELIVER": "sent", "FAIL": "bounced", "DEFER": "deferred"}


def parse(line: str, state: ParseState) -> ParsedLine | None:
    """Read one line of a message tracking log; None when it is not one."""
    if line.startswith(_PREAMBLE):
        return ParsedLine(NAME, ())
    if line.startswith("#Fields:"):
        state.columns[NAME] = _names(line[len("#Fields:") :].split(","))
        return ParsedLine(NAME, ())
    if line.startswith('"Timestamp"') or line.startswith('"#Fields'):
        state.columns[NAME] = _names(next(csv.reader([line])))
        return ParsedLine(NAME, ())
    columns = state.columns.get(NAME)
    if not columns or line.startswith("#") or "," not in line:
        return None
    values = next(csv.reader([line]), [])
    if len(values) < len(columns) // 2:
        return None
    row = {key: values[i].strip() for i, key in enumerate(columns) if key and i < len(values)}
    status = _OUTCOMES.get(row.get("event", "").upper())
    if status is None:
        return ParsedLine(NAME, ())
    return ParsedLine(NAME, tuple(_events(row, status)))


def _names(fields: list[str]) -> list[str]:
    return [_COLUMNS.get(f.strip().strip('"').lower(), "") for f in fields]


def _events(row: dict[str, str], status: str) -> list[LogEvent]:
    reply = _reply(row.get("status", ""), status)
    recipients = [r for r in row.get("rcpt", "").split(";") if "@" in r] or [""]
    return [
        LogEvent(
            format=NAME,
            kind="delivery",
            status=status,
            timestamp=parse_iso_time(row.get("time", "")),
            queue_id=row.get("id", ""),
            recipient=rcpt.strip(),
            sender=row.get("sender", ""),
            relay_host=row.get("server", "").lower(),
            relay_ip=row.get("ip", ""),
            reply=reply,
            connection=row.get("connector", ""),
        )  # fmt: skip
        for rcpt in recipients
    ]


def _reply(text: str, status: str) -> Reply:
    if status == "sent":
        return Reply(code=250, text=text[:300])
    found = find_reply(text)
    return found if found is not None else Reply(text=text[:300])
