"""The reply classifier: reply text, codes and the host that said it -> :class:`ReplyVerdict`.

Every surface reads replies through :func:`classify`: bounces, log lines, the SMTP and
MX probes and ``explain``. Deciding takes two steps:

1. the reason, as Sisimai decides it (local delivery agents, then the provider's own
   table in :mod:`.rhost`, then the phrase tables of :mod:`maildoctor.bounce.reasons`);
2. the first row of :data:`.rules.RULES` whose conditions hold; a row may assert
   another reason, and it names the layer and catalogue cause. When no row matches,
   the cause follows the reason (:data:`.rules.BY_REASON`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..bounce._text import contains_any
from ..bounce.codes import find_reply, find_status, is_hard_bounce, status_valid
from ..bounce.reasons import RETRY, Facts, find_reason, local_agent_reason, public
from ..model import Layer
from .hosts import is_ses_relay, provider_for_host
from .model import CONTEXTS, ReplyVerdict, Rule
from .rhost import Subject, provider_reason
from .rules import BY_REASON, RULES

__all__ = ["classify", "decide_reason"]

_EXPLICIT = ("", "undefined", "onhold")
_BLOCKLIST = re.compile(
    r"(?:blocked using|listed (?:in|on|at|by)|found on)\s+(?:the\s+)?"
    r"([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}|spamhaus(?: [a-z]{3})?|spamcop|barracuda)",
    re.I,
)
_KNOWN_LISTS = ("spamhaus", "spamcop", "barracuda", "sorbs", "uceprotect", "spamrats")


def classify(
    text: str = "",
    *,
    code: str | int | None = "",
    status: str = "",
    host: str = "",
    reporting_host: str = "",
    recipient_domain: str = "",
    step: str = "",
    side: str = "",
    context: str = "explain",
    notice: str = "",
    reason: str = "",
    fallback_reason: str = "",
    diagnostic_type: str = "SMTP",
    action: str = "",
) -> ReplyVerdict:
    """What a server's reply means.

    Args:
        text: The reply text (with or without its code), or a bounce's diagnostic.
        code: SMTP reply code, if known apart from the text.
        status: RFC 3463 enhanced status code, if known apart from the text.
        host: The server that said it (a bounce's Remote-MTA, a log's relay, a probe's
            host).
        reporting_host: The server that reported it (a bounce's Reporting-MTA).
        recipient_domain: The recipient's domain, when known.
        step: The SMTP command answered (``AUTH``, ``RCPT``, ``DATA`` ...).
        side: ``inbound`` when our own server answered a client, else "".
        context: ``bounce``, ``log``, ``smtp``, ``mx`` or ``explain``.
        notice: The kind of notice it was quoted in (``gmail-send-as``).
        reason: A reason already known (a bounce format's own verdict); kept unless it is
            one that deserves a second look (Sisimai's retry list).
        fallback_reason: The reason to use when the text decides nothing.
        diagnostic_type: ``SMTP`` or ``X-UNIX`` (RFC 3464 Diagnostic-Code type).
        action: The RFC 3464 action of the recipient, if any.

    Returns:
        The verdict: reason, layer, cause, hard/soft, temporary, provider, rule.
    """
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    code_text = "" if code is None else str(code)
    return _classify(
        text, code_text, status, host.strip().rstrip(".").lower(),
        reporting_host.strip().rstrip(".").lower(), recipient_domain.lower(), step.upper(),
        side, context, notice, reason, fallback_reason, diagnostic_type, action,
    )  # fmt: skip


@lru_cache(maxsize=4096)
def _classify(
    text: str, code: str, status: str, host: str, lhost: str, domain: str, step: str,
    side: str, context: str, notice: str, reason: str, fallback: str, spec: str, action: str,
) -> ReplyVerdict:  # fmt: skip
    if not status:
        # A bounce's codes were already looked for; a bare "5.7.26" needs the padding.
        status = find_status(text if context == "bounce" else f" {text} ")
    if not code:
        code = find_reply(text, status)
    provider = provider_for_host(host) if host else provider_for_host(lhost)
    if not provider and is_ses_relay(text):
        provider = "ses"
    lowered = text.lower()
    if status[:2] == "2." or (code[:1] == "2" and not status and context != "bounce"):
        decided = "delivered"
    else:
        decided = decide_reason(
            text, status=status, code=code, step=step, reason=reason, host=host, lhost=lhost,
            domain=domain, spec=spec, action=action, fallback=fallback,
        )  # fmt: skip
    rule = None if decided == "delivered" else _first_rule(
        lowered, code, status, provider, step, side, context, notice, decided
    )  # fmt: skip
    if rule is not None:
        decided = rule.reason or decided
        layer, cause = rule.layer, rule.cause
    else:
        layer, cause = BY_REASON.get(decided, (Layer.RECIPIENT, ""))
    temporary = _temporary(code, status)
    return ReplyVerdict(
        reason=decided,
        layer=layer,
        cause=cause,
        hard=is_hard_bounce(decided, (status + " " + text).strip()),
        temporary=temporary,
        provider=provider,
        rule=rule,
        blocklist=blocklist_named(text) if decided == "blocked" else "",
        note=rule.note if rule else "",
    )


def decide_reason(
    text: str, *, status: str = "", code: str = "", step: str = "", reason: str = "",
    host: str = "", lhost: str = "", domain: str = "", spec: str = "SMTP", action: str = "",
    fallback: str = "",
) -> str:  # fmt: skip
    """The reason as Sisimai decides it: local agent, provider table, then phrases.

    Args:
        text: The diagnostic text.
        status: Enhanced status code.
        code: Reply code.
        step: SMTP command answered.
        reason: A reason already suggested.
        host: The remote host.
        lhost: The reporting host.
        domain: The recipient's domain.
        spec: Diagnostic type (``SMTP``, ``X-UNIX``).
        action: RFC 3464 action.
        fallback: Reason to use when the text decides nothing.

    Returns:
        A reason word.
    """
    if reason and reason not in RETRY:
        return public(reason)
    found = local_agent_reason(text, step)
    if found in _EXPLICIT and text:
        subject = Subject(status=status, reply_code=code, diagnostic=text, command=step,
                          destination=domain, rhost=host, lhost=lhost)  # fmt: skip
        found = public(provider_reason(subject))
    if found in _EXPLICIT:
        facts = Facts(reason=reason, status=status, diagnostic=text, diagnostic_type=spec,
                      command=step, reply_code=code, action=action)  # fmt: skip
        found = find_reason(facts)
    if found in _EXPLICIT and fallback:
        found = fallback
    if found in _EXPLICIT:
        found = "onhold" if text else (reason or "undefined")
    return found


def _first_rule(
    lowered: str, code: str, status: str, provider: str, step: str, side: str,
    context: str, notice: str, reason: str,
) -> Rule | None:  # fmt: skip
    for rule in RULES:
        if rule.provider and rule.provider != provider:
            continue
        if rule.code and not code.startswith(rule.code):
            continue
        if rule._status is not None and not (status and rule._status.fullmatch(status)):
            continue
        if rule.notice != notice and rule.notice:
            continue
        if rule.side and rule.side != side:
            continue
        if rule.steps and step not in rule.steps:
            continue
        if rule.contexts and context not in rule.contexts:
            continue
        if rule.reasons and reason not in rule.reasons:
            continue
        if rule.phrases and not contains_any(lowered, rule.phrases):
            continue
        return rule
    return None


def _temporary(code: str, status: str) -> bool:
    if status_valid(status):
        return status[0] == "4"
    return code[:1] == "4"


def blocklist_named(text: str) -> str:
    """The blocklist a refusal names (``zen.spamhaus.org``), or ""."""
    match = _BLOCKLIST.search(text)
    if match:
        return match.group(1).rstrip(".;,").lower()
    lowered = text.lower()
    return next((name for name in _KNOWN_LISTS if name in lowered), "")
