"""Exim main log (``2024-03-04 10:15:02 1rgXyZ-000123-AB => user@example.net ...``).

Flags (Exim specification, chapter "Log files"): ``<=`` arrival, ``=>`` delivery,
``->`` further address in the same delivery, ``*>`` suppressed delivery, ``**``
delivery failed (bounce), ``==`` delivery deferred. Fields: ``H=host [ip]:port``,
``A=authenticator:id``, ``C="confirmation"``, ``X=TLS``. ``<name> authenticator
failed for ... : 535 ... (set_id=user)`` lines are SMTP AUTH failures of clients.
Lines with an Exim message id but no flag are recognised and carry no outcome.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_iso_time

NAME = "exim"

_LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [+-]\d{4})?)(?: \[\d+\])? (?P<rest>.*)$"
)
_ID = re.compile(r"^(?P<id>[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (?P<body>.*)$")
_HOST = re.compile(r"\bH=(?P<name>\(?[^\s\[]*\)?)\s*\[(?P<ip>[^\]]+)\](?::(?P<port>\d+))?")
_AUTH = re.compile(r"\bA=(?P<auth>[^\s:]+)(?::(?P<user>\S+))?")
_CONFIRM = re.compile(r'\bC="(?P<text>[^"]*)"')
_AUTH_FAILED = re.compile(
    r"^(?P<name>\S+) authenticator failed for .*?\[(?P<ip>[^\]]+)\](?::\d+)?: (?P<reply>.*)$"
)
_STATUS = {"=>": "sent", "->": "sent", "**": "bounced", "==": "deferred"}


def parse(line: str, state: ParseState) -> ParsedLine | None:
    """Recognise an Exim main-log line; None if it is not one."""
    match = _LINE.match(line)
    if match is None:
        return None
    when = parse_iso_time(match.group("ts"))
    rest = match.group("rest")
    failed = _AUTH_FAILED.match(rest)
    if failed is not None:
        return ParsedLine(NAME, (_auth_failure(failed, when),))
    ided = _ID.match(rest)
    if ided is None:
        return None
    return ParsedLine(NAME, _events(ided.group("id"), ided.group("body"), when, state))


def _events(
    msg_id: str, body: str, when: datetime | None, state: ParseState
) -> tuple[LogEvent, ...]:
    flag, _, tail = body.partition(" ")
    if flag == "<=":
        _remember_arrival(msg_id, tail, state)
        return ()
    status = _STATUS.get(flag)
    if status is None:
        return ()
    return (_delivery(msg_id, status, tail, when, state),)


def _remember_arrival(msg_id: str, tail: str, state: ParseState) -> None:
    sender = tail.split(" ", 1)[0]
    state.senders.remember(msg_id, "" if sender == "<>" else sender)
    auth = _AUTH.search(tail)
    if auth is not None and auth.group("user"):
        state.usernames.remember(msg_id, auth.group("user"))


def _delivery(
    msg_id: str, status: str, tail: str, when: datetime | None, state: ParseState
) -> LogEvent:
    recipient = tail.split(" ", 1)[0].strip("<>")
    host = _HOST.search(tail)
    auth = _AUTH.search(tail)
    return LogEvent(
        format=NAME,
        kind="delivery",
        status=status,
        timestamp=when,
        queue_id=msg_id,
        recipient=recipient,
        sender=state.senders.get(msg_id, ""),
        relay_host=host.group("name").strip("()") if host else "",
        relay_ip=host.group("ip") if host else "",
        relay_port=int(host.group("port")) if host and host.group("port") else None,
        reply=_reply(tail, status),
        username=(auth.group("user") or "") if auth else state.usernames.get(msg_id, ""),
        connection=msg_id,
    )


def _reply(tail: str, status: str) -> Reply:
    confirm = _CONFIRM.search(tail)
    if confirm is not None:
        return find_reply(confirm.group("text"), need_enhanced_for_2xx=False) or Reply(
            text=confirm.group("text")
        )
    if status == "sent":
        return Reply()
    found = find_reply(tail)
    if found is not None:
        return found
    return Reply(text=tail.split(": ", 1)[1][:300] if ": " in tail else tail[:300])


def _auth_failure(match: re.Match[str], when: datetime | None) -> LogEvent:
    reply_text = match.group("reply")
    user = re.search(r"\(set_id=([^)]+)\)", reply_text)
    return LogEvent(
        format=NAME,
        kind="auth_failure",
        status="failed",
        timestamp=when,
        relay_ip=match.group("ip"),
        reply=find_reply(reply_text) or Reply(code=535),
        username=user.group(1) if user else "",
        connection=match.group("ip"),
    )
