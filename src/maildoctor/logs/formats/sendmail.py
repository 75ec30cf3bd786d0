"""Sendmail and look-alikes (``sendmail[pid]: QUEUEID: to=<...>, ..., dsn=5.1.1, stat=...``).

``stat=Sent (...)`` is a delivery, ``stat=Deferred: ...`` a deferral, anything
else a bounce; ``relay=host. [ip]`` names the server and ``AUTH=client``/
``AUTH failure`` lines the SASL identity. Reference: Sendmail Installation and
Operation Guide, section "Log file".
"""

from __future__ import annotations

import re
from datetime import datetime

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_syslog_prefix

NAME = "sendmail"
PROGRAMS = ("sendmail", "sm-mta", "sm-msp-queue")

_QUEUED = re.compile(r"^(?P<qid>[0-9A-Za-z]{8,20}): (?P<rest>.*)$")
_PAIR = re.compile(r"(?:^|, )(?P<key>[a-zA-Z]+)=(?P<value>[^,]*)")
_RELAY = re.compile(r"^(?P<host>[^\s\[]*?)\.?\s*(?:\[(?P<ip>[^\]]*)\])?$")


def parse(line: str, state: ParseState) -> ParsedLine | None:
    """Recognise a Sendmail line; None if it is not one."""
    prefix = parse_syslog_prefix(line, state)
    if prefix is None or not prefix[1].startswith(PROGRAMS):
        return None
    when, program, pid, message = prefix
    connection = f"{program}[{pid}]" if pid else program
    return ParsedLine(NAME, _events(message, when, connection, state))


def _events(
    message: str, when: datetime | None, connection: str, state: ParseState
) -> tuple[LogEvent, ...]:
    queued = _QUEUED.match(message)
    rest = queued.group("rest") if queued else message
    qid = queued.group("qid") if queued else ""
    pairs = {m.group("key").lower(): m.group("value").strip() for m in _PAIR.finditer(rest)}
    if rest.startswith("AUTH failure"):
        return (_auth_failure(rest, pairs, when, connection),)
    if "from" in pairs and qid:
        state.senders.remember(qid, pairs["from"].strip("<>"))
    if pairs.get("authid") and qid:
        state.usernames.remember(qid, pairs["authid"])
    if "to" in pairs and "stat" in pairs:
        return (_delivery(qid, rest, pairs, when, connection, state),)
    return ()


def _status(stat: str) -> str:
    low = stat.lower()
    if low.startswith("sent"):
        return "sent"
    if low.startswith("deferred"):
        return "deferred"
    return "bounced"


def _delivery(
    qid: str,
    rest: str,
    pairs: dict[str, str],
    when: datetime | None,
    connection: str,
    state: ParseState,
) -> LogEvent:
    stat = rest.partition("stat=")[2]
    relay = _RELAY.match(pairs.get("relay", ""))
    reply = find_reply(stat) or Reply(text=stat[:300])
    if pairs.get("dsn") and not reply.enhanced:
        reply = Reply(code=reply.code, enhanced=pairs["dsn"], text=reply.text)
    return LogEvent(
        format=NAME,
        kind="delivery",
        status=_status(stat),
        timestamp=when,
        queue_id=qid,
        recipient=pairs["to"].strip("<>"),
        sender=state.senders.get(qid, ""),
        relay_host=relay.group("host") if relay else "",
        relay_ip=(relay.group("ip") or "") if relay else "",
        reply=reply,
        username=state.usernames.get(qid, ""),
        connection=connection,
    )


def _auth_failure(
    rest: str, pairs: dict[str, str], when: datetime | None, connection: str
) -> LogEvent:
    relay = _RELAY.match(pairs.get("relay", ""))
    return LogEvent(
        format=NAME,
        kind="auth_failure",
        status="failed",
        timestamp=when,
        relay_host=relay.group("host") if relay else "",
        relay_ip=(relay.group("ip") or "") if relay else "",
        reply=find_reply(rest) or Reply(code=535, text=rest[:300]),
        username=pairs.get("authid", ""),
        connection=connection,
    )
