"""Application logs that record SMTP replies: the generic reader, tried last.

Recognised shapes:

* Python ``smtplib`` exceptions: ``SMTPAuthenticationError: (535, b'...')``,
  ``SMTPRecipientsRefused: {'a@example.net': (550, b'...')}``,
  ``SMTPSenderRefused``/``SMTPDataError: (554, b'...', ...)``;
* Nodemailer errors: ``Invalid login: 535 ...``, ``code: 'EAUTH'``,
  ``"responseCode":535``;
* any line with an SMTP reply code (and an enhanced status code, or a word
  such as *smtp*, *mail*, *auth*, *relay*, *recipient*, *rejected*);
* Amazon SES API errors, which carry no SMTP code: boto3's ``An error occurred
  (MessageRejected) when calling the SendEmail operation: ...`` and the JavaScript
  SDK's / nodemailer's ``MessageRejected: ...``, ``MailFromDomainNotVerifiedException``,
  ``Throttling``, ``AccountSendingPausedException``. Each is read as the reply SES's SMTP
  interface gives for the same refusal (SES Developer Guide, "SMTP response codes" and the
  SES API reference's errors), so one classifier judges both.

Context is taken from ``key=value`` words where present: ``host=``/``relay=``/
``server=`` (the relay), ``user=``/``username=``/``sasl_username=`` (the SMTP
AUTH identity), ``to=``/``rcpt=`` (the recipient), ``conn=``/``connection=``/
``session=`` (one SMTP connection), and an ISO-8601 time at the start.
"""

from __future__ import annotations

import re

from ..parse import LogEvent, ParsedLine, ParseState, Reply, find_reply, parse_iso_time

NAME = "app"

_KEYWORDS = re.compile(
    r"smtp|mail|auth|relay|recipient|sender|rcpt|reply|response|said|rejected|denied|"
    r"credential|login|mailbox|quota|throttl|blocked",
    re.I,
)
_RECIPIENTS_REFUSED = re.compile(
    r"'(?P<rcpt>[^']+@[^']+)':\s*\((?P<code>\d{3}),\s*b?['\"](?P<text>[^'\"]*)['\"]\)"
)
_JSON_CODE = re.compile(r'"?responseCode"?\s*[:=]\s*(?P<code>\d{3})')
_JSON_RESPONSE = re.compile(r'"?response"?\s*[:=]\s*"(?P<text>[^"]*)"')
_ADDRESS = re.compile(r"<?([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)>?")


def _value(line: str, *keys: str) -> str:
    for key in keys:
        match = re.search(rf"\b{key}['\"]?\s*[=:]\s*['\"]?([^\s,'\";\]]+)", line, re.I)
        if match:
            return match.group(1).strip("<>[]").rstrip(":.")
    return ""


_BOTO3_ERROR = re.compile(
    r"An error occurred \((?P<code>\w+)\) when calling the \w+ operation"
    r"(?: \(reached max retries: \d+\))?: (?P<msg>.*)"
)
_SDK_ERROR = re.compile(
    r"\b(?P<code>MessageRejected|MailFromDomainNotVerified(?:Exception)?|"
    r"AccountSendingPausedException|SendingPausedException|Throttling(?:Exception)?|"
    r"LimitExceededException)\b['\"]?\s*[:,]\s*(?:message\s*[:=]\s*)?['\"]?(?P<msg>[^'\"]*)"
)
#: SES API error code -> the SMTP interface's reply for the same refusal.
_SES_API_REPLIES: dict[str, tuple[int, str]] = {
    "MessageRejected": (554, "Message rejected: "),
    "MailFromDomainNotVerified": (
        554,
        "Message rejected: MAIL FROM domain is not verified (MailFromDomainNotVerified): ",
    ),
    "AccountSendingPausedException": (554, "Sending paused for this account: "),
    "SendingPausedException": (554, "Sending paused for this configuration set: "),
    "Throttling": (454, "Throttling failure: "),
    "LimitExceededException": (454, "Throttling failure: "),
}


def _ses_api_reply(line: str) -> Reply | None:
    """An SES API error in an application's log, as the equivalent SMTP reply."""
    match = _BOTO3_ERROR.search(line) or _SDK_ERROR.search(line)
    if match is None:
        return None
    code = match.group("code").removesuffix("Exception")
    known = _SES_API_REPLIES.get(code) or _SES_API_REPLIES.get(match.group("code"))
    if known is None:
        return None
    smtp_code, prefix = known
    return Reply(code=smtp_code, text=(prefix + match.group("msg").strip())[:500])


def parse(line: str, state: ParseState) -> ParsedLine | None:
    """Recognise an application line that records an SMTP reply; None otherwise."""
    refused = list(_RECIPIENTS_REFUSED.finditer(line))
    if refused:
        return ParsedLine(NAME, tuple(_refused_event(line, m) for m in refused))
    reply = _ses_api_reply(line) or _json_reply(line) or _plain_reply(line)
    if reply is None:
        return None
    return ParsedLine(NAME, (_event(line, reply),))


def _json_reply(line: str) -> Reply | None:
    code = _JSON_CODE.search(line)
    if code is None:
        return None
    response = _JSON_RESPONSE.search(line)
    found = find_reply(response.group("text")) if response else None
    if found is not None:
        return found
    return Reply(code=int(code.group("code")), text=response.group("text") if response else "")


def _plain_reply(line: str) -> Reply | None:
    reply = find_reply(line)
    if reply is None:
        return None
    if reply.enhanced or _KEYWORDS.search(line):
        return reply
    return None


_AUTH_WORDS = re.compile(r"EAUTH|Invalid login|SMTPAuthenticationError|AUTH (?:PLAIN|LOGIN)")


def _kind(line: str, reply: Reply) -> str:
    """SMTP AUTH refused (RFC 4954 section 6 codes, or the library's own words), else an error."""
    if reply.code in (530, 534, 535, 538):
        return "auth_failure"
    if reply.code and reply.code >= 400 and _AUTH_WORDS.search(line):
        return "auth_failure"
    return "error"


def _status(reply: Reply) -> str:
    if reply.code is None:
        return "failed"
    if reply.code < 400:
        return "sent"
    return "deferred" if reply.code < 500 else "failed"


def _event(line: str, reply: Reply) -> LogEvent:
    return LogEvent(
        format=NAME,
        kind=_kind(line, reply),
        status=_status(reply),
        timestamp=parse_iso_time(line),
        recipient=_recipient(line),
        relay_host=_value(line, "relay", "host", "server", "smtp_host", "hostname"),
        reply=reply,
        username=_value(line, "sasl_username", "username", "user", "auth_user", "smtp_user"),
        connection=_value(line, "conn", "connection", "conn_id", "session", "cid"),
    )


def _recipient(line: str) -> str:
    value = _value(line, "to", "rcpt", "recipient")
    if "@" in value:
        return value
    return ""


def _refused_event(line: str, match: re.Match[str]) -> LogEvent:
    reply = find_reply(f"{match.group('code')} {match.group('text')}") or Reply(
        code=int(match.group("code")), text=match.group("text")
    )
    base = _event(line, reply)
    return LogEvent(
        format=NAME,
        kind="delivery",
        status=_status(reply),
        timestamp=base.timestamp,
        recipient=match.group("rcpt"),
        relay_host=base.relay_host,
        reply=reply,
        username=base.username,
        connection=base.connection,
    )
