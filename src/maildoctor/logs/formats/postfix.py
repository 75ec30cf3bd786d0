"""Postfix (``postfix/smtp[pid]: QUEUEID: to=<...>, relay=..., dsn=..., status=...``).

Delivery lines come from the ``smtp``/``lmtp``/``local``/``virtual``/``pipe``
agents and carry ``status=sent|deferred|bounced|expired`` with the remote reply
in parentheses (``host X[ip] said: 550 5.7.1 ... (in reply to RCPT TO command)``).
``qmgr`` lines give the envelope sender and ``smtpd`` lines the SASL user of a
queue id; both are remembered (bounded) to enrich later delivery lines. Any other
``postfix/...`` line is recognised and says nothing about an outcome.
Reference: Postfix ``postconf(5)`` and the ``smtp(8)``/``smtpd(8)`` manuals.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_syslog_prefix

NAME = "postfix"

_QUEUED = re.compile(r"^(?P<qid>[0-9A-Za-z]{5,20}): (?P<rest>.*)$")
_PAIR = re.compile(r"(?:^|, )(?P<key>[a-z_]+)=(?P<value><[^>]*>|[^,]*)")
_RELAY = re.compile(r"^(?P<host>[^\[\s]+)(?:\[(?P<ip>[^\]]*)\])?(?::(?P<port>\d+))?$")
_SASL_FAIL = re.compile(
    r"SASL authentication failed; server (?P<host>[^\[\s]+)\[(?P<ip>[^\]]*)\] said: (?P<reply>.*)"
)
_SMTPD_SASL = re.compile(
    r"warning: (?P<host>[^\[\s]+)\[(?P<ip>[^\]]*)\]: SASL \S+ authentication failed: (?P<text>.*)"
)


def parse(line: str, state: ParseState) -> ParsedLine | None:
    """Recognise a Postfix line; None if it is not one."""
    prefix = parse_syslog_prefix(line, state)
    if prefix is None or not prefix[1].startswith("postfix"):
        return None
    when, program, pid, message = prefix
    connection = f"{program}[{pid}]" if pid else program
    events = _events(message, when, connection, state)
    return ParsedLine(NAME, events)


def _events(
    message: str, when: datetime | None, connection: str, state: ParseState
) -> tuple[LogEvent, ...]:
    inbound = _SMTPD_SASL.match(message)
    if inbound is not None:
        return (_sasl_server_failure(inbound, when, connection),)
    queued = _QUEUED.match(message)
    if queued is None:
        return ()
    qid, rest = queued.group("qid"), queued.group("rest")
    if rest.startswith("to=<"):
        return (_delivery(qid, rest, when, connection, state),)
    if _SASL_FAIL.search(rest) is None:
        # A bare "SASL authentication failed" line is always followed by the delivery
        # line(s) carrying the same reply; counting it too would double the failures.
        _remember(qid, rest, state)
    return ()


def _remember(qid: str, rest: str, state: ParseState) -> None:
    pairs = _pairs(rest)
    if "from" in pairs:
        state.senders.remember(qid, pairs["from"].strip("<>"))
    if pairs.get("sasl_username"):
        state.usernames.remember(qid, pairs["sasl_username"])


def _pairs(rest: str) -> dict[str, str]:
    head, _, _status = rest.partition(", status=")
    return {m.group("key"): m.group("value").strip() for m in _PAIR.finditer(head)}


def _delivery(
    qid: str, rest: str, when: datetime | None, connection: str, state: ParseState
) -> LogEvent:
    pairs = _pairs(rest)
    status_text = rest.partition(", status=")[2]
    status, _, detail = status_text.partition(" ")
    relay = _RELAY.match(pairs.get("relay", ""))
    host = relay.group("host") if relay else pairs.get("relay", "")
    reply = find_reply(detail) or Reply(enhanced=pairs.get("dsn", ""), text=detail.strip("() "))
    if not reply.enhanced and pairs.get("dsn"):
        reply = Reply(code=reply.code, enhanced=pairs["dsn"], text=reply.text)
    return LogEvent(
        format=NAME,
        kind="delivery",
        status=status.rstrip(",") or "unknown",
        timestamp=when,
        queue_id=qid,
        recipient=pairs.get("to", "").strip("<>"),
        sender=state.senders.get(qid, ""),
        relay_host="" if host == "none" else host,
        relay_ip=(relay.group("ip") or "") if relay else "",
        relay_port=int(relay.group("port")) if relay and relay.group("port") else None,
        reply=reply,
        username=state.usernames.get(qid, ""),
        connection=connection,
    )


def _sasl_server_failure(match: re.Match[str], when: datetime | None, connection: str) -> LogEvent:
    user = re.search(r"sasl_username=(\S+)", match.group("text"))
    return LogEvent(
        format=NAME,
        kind="auth_failure",
        status="failed",
        timestamp=when,
        relay_host="" if match.group("host") == "unknown" else match.group("host"),
        relay_ip=match.group("ip"),
        reply=Reply(code=535, text=match.group("text")[:300]),
        username=user.group(1).rstrip(",") if user else "",
        connection=connection,
    )
