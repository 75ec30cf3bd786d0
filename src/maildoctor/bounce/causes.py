"""Where a bounce points: the layer and the root-cause catalogue id, from one table.

:data:`RULES` is read top to bottom; the first rule whose conditions all hold
wins. A rule names reasons, and optionally status codes, reply codes, phrases in
the diagnostic (lower case) and whether the SMTP relay is SES's own endpoint.
:data:`BY_REASON` is the default for a reason no rule refines.

Vendor facts behind the rules are in docs/REFERENCE.md sections 2, 4 and 5.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Layer
from ..provider.ses.endpoints import mentions_smtp_endpoint

__all__ = [
    "BY_REASON",
    "MICROSOFT_OUTBOUND_BANS",
    "RULES",
    "Rule",
    "cause_for",
    "is_outbound_ban",
    "is_ses_relay",
]


#: Microsoft 365 bans on a tenant's *own outbound* mail (REFERENCE.md section 5): "bans on
#: a Microsoft 365 tenant's own outbound mail - not about mail arriving from SES".
MICROSOFT_OUTBOUND_BANS = frozenset(("5.7.705", "5.7.708", "5.7.750", "5.1.8"))


def is_ses_relay(*texts: str) -> bool:
    """True when any text names SES's SMTP endpoint (``email-smtp.*.amazonaws.com``)."""
    return any(mentions_smtp_endpoint(t) for t in texts if t)


#: Microsoft's own words for those bans (Exchange Online NDR reference, "Email non-delivery
#: reports and SMTP errors in Exchange Online").
_BAN_TEXTS = (
    "access denied, bad outbound sender",  # 5.1.8
    "tenant has exceeded threshold",  # 5.7.705
    "traffic not accepted from this ip",  # 5.7.708
    "client blocked from sending from unregistered domains",  # 5.7.750
)
_MICROSOFT_HOSTS = ("outlook.com", "office365.com", "exchangelabs.com", "microsoft.com",
                    "hotmail.com", "onmicrosoft.com")  # fmt: skip


def is_outbound_ban(status: str, diagnostic: str, rhost: str, *other_hosts: str) -> bool:
    """True for one of Microsoft's outbound-only ban codes, issued by Microsoft.

    The code alone is not enough: ``5.1.8`` is also what other servers answer for a
    refused sender. It counts when the text is Microsoft's wording, or when the
    refusing host (``rhost``, else the reporting and generating hosts) is Microsoft's.

    Args:
        status: Enhanced status code.
        diagnostic: The remote text.
        rhost: The host that refused the message ("Remote server"), if known.
        other_hosts: Reporting and generating servers.
    """
    if status not in MICROSOFT_OUTBOUND_BANS:
        return False
    lowered = diagnostic.lower()
    if any(text in lowered for text in _BAN_TEXTS):
        return True
    hosts = (rhost,) if rhost else other_hosts
    return any(h.lower().rstrip(".").endswith(_MICROSOFT_HOSTS) for h in hosts if h)


@dataclass(frozen=True, slots=True)
class Rule:
    """One refinement: when it applies, the record points at ``cause`` in ``layer``."""

    reasons: frozenset[str]  # empty: any reason
    layer: Layer
    cause: str
    statuses: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    ses_relay: bool | None = None
    notice: str = ""
    outbound_ban: bool | None = None

    def applies(self, facts: CauseFacts) -> bool:
        """True when every condition of this rule holds for ``facts``."""
        if self.reasons and facts.reason not in self.reasons:
            return False
        if self.statuses and facts.status not in self.statuses:
            return False
        if self.replies and facts.reply_code not in self.replies:
            return False
        if self.phrases and not any(p in facts.lowered for p in self.phrases):
            return False
        if self.notice and facts.notice != self.notice:
            return False
        if self.outbound_ban is not None and facts.outbound_ban != self.outbound_ban:
            return False
        return self.ses_relay is None or self.ses_relay == facts.ses_relay


@dataclass(frozen=True, slots=True)
class CauseFacts:
    """What the cause rules read from one record."""

    reason: str
    status: str
    reply_code: str
    lowered: str
    ses_relay: bool
    notice: str = ""
    outbound_ban: bool = False


def _r(reasons: str, layer: Layer, cause: str, **conditions: object) -> Rule:
    return Rule(frozenset(reasons.split()), layer, cause, **conditions)  # type: ignore[arg-type]


_C, _P, _R, _T, _M = Layer.CLIENT, Layer.PROVIDER, Layer.RECIPIENT, Layer.TRANSPORT, Layer.MESSAGE

#: Refinements, most specific first.
RULES: tuple[Rule, ...] = (
    # Gmail "Send mail as" (REFERENCE.md section 5): the quoted relay reply decides.
    _r(
        "",
        _C,
        "client.smtp_auth.not_offered",
        notice="gmail-send-as",
        phrases=("does not advertise auth capability",),
    ),
    _r(
        "securityerror authfailure rejected onhold undefined",
        _C,
        "client.smtp_auth.stale_ses_password",
        replies=("535",),
        ses_relay=True,
    ),
    _r(
        "securityerror authfailure rejected onhold undefined",
        _C,
        "client.smtp_auth.failed",
        replies=("535",),
    ),
    _r(
        "securityerror",
        _C,
        "client.smtp_auth.failed",
        phrases=(
            "authentication credentials invalid",
            "username and password not accepted",
            "authentication failed",
            "too many authentication failures",
        ),
    ),
    _r("securityerror", _C, "client.smtp_auth.required", replies=("530",)),
    # 534 5.7.9 (Gmail, REFERENCE.md section 5): the login was refused for want of an
    # application-specific password - quoted in a "Send mail as" notice or anywhere else.
    _r("", _C, "client.smtp_auth.app_password_required", replies=("534",), statuses=("5.7.9",)),
    # SES as the relay or API (REFERENCE.md section 2 and 4).
    _r("suppressed", _P, "provider.ses.recipient_suppressed"),
    _r(
        "securityerror",
        _P,
        "provider.ses.not_subscribed",
        phrases=("account not subscribed to ses",),
    ),
    _r(
        "securityerror",
        _P,
        "provider.ses.send_permission_missing",
        phrases=("is not authorized to perform ses:sendrawemail",),
    ),
    _r(
        "norelaying rejected",
        _P,
        "provider.ses.identity_unverified",
        phrases=("email address is not verified",),
    ),
    _r(
        "ratelimited",
        _P,
        "provider.ses.throttled",
        phrases=(
            "throttling failure",
            "maximum sending rate exceeded",
            "daily message quota exceeded",
        ),
    ),
    # Any other reply quoted in a Gmail "Send mail as" notice: the relay refused the
    # message itself. After the SES rules, so that the quoted reply decides.
    _r("", _C, "client.relay.message_rejected", notice="gmail-send-as"),
    # Microsoft 365 outbound-only bans (REFERENCE.md section 5).
    _r("", _P, "provider.microsoft365.outbound_ban", outbound_ban=True),
    # Sender authentication: which mechanism the receiver names.
    # Exchange Online 5.7.515: "sending domain doesn't meet the required authentication level".
    _r("authfailure", _R, "recipient.rejected.authentication_level", statuses=("5.7.515",)),
    _r("authfailure", _R, "recipient.rejected.dmarc", statuses=("5.7.509", "4.7.32", "5.7.32")),
    _r(
        "authfailure",
        _R,
        "recipient.rejected.spf",
        statuses=("5.7.23", "5.7.24", "4.7.24", "5.7.27", "4.7.27"),
    ),
    _r(
        "authfailure",
        _R,
        "recipient.rejected.dkim",
        statuses=("5.7.30", "4.7.30", "5.7.20", "5.7.21", "5.7.22"),
    ),
    _r("authfailure", _R, "recipient.rejected.dmarc", phrases=("dmarc",)),
    _r("authfailure", _R, "recipient.rejected.spf", phrases=("spf", "sender policy framework")),
    _r("authfailure", _R, "recipient.rejected.dkim", phrases=("dkim",)),
    _r(
        "blocked",
        _R,
        "recipient.blocked_ip",
        phrases=(
            "spamhaus",
            "blocked using",
            "blacklist",
            "block list",
            "blocklist",
            "dnsbl",
            "rbl",
            "banned sending ip",
        ),
    ),
    _r("securityerror", _R, "recipient.rejected.dmarc", phrases=("dmarc",)),
)

#: reason -> (layer, cause) when no rule refines it.
BY_REASON: dict[str, tuple[Layer, str]] = {
    "authfailure": (_R, "recipient.rejected.authentication"),
    "badreputation": (_R, "recipient.bad_reputation"),
    "blocked": (_R, "recipient.blocked_ip"),
    "contenterror": (_M, "message.content_rejected"),
    "delivered": (_R, ""),
    "emailtoolarge": (_M, "message.too_large"),
    "expired": (_T, "transport.delivery_expired"),
    "failedstarttls": (_T, "transport.mx.starttls_failed"),
    "feedback": (_R, "recipient.complaint"),
    "filtered": (_R, "recipient.filtered"),
    "hasmoved": (_R, "recipient.mailbox_moved"),
    "hostunknown": (_T, "transport.mx.domain_not_found"),
    "mailboxfull": (_R, "recipient.mailbox_full"),
    "mailererror": (_R, "recipient.mailer_error"),
    "networkerror": (_T, "transport.network_error"),
    "norelaying": (_R, "recipient.rejected.relay_denied"),
    "notaccept": (Layer.DNS, "dns.mx.null_mx"),
    "notcompliantrfc": (_M, "message.not_rfc_compliant"),
    "onhold": (_R, ""),
    "policyviolation": (_R, "recipient.rejected.policy"),
    "ratelimited": (_R, "recipient.rate_limited"),
    "rejected": (_R, "recipient.rejected.sender"),
    "requireptr": (_R, "recipient.rejected.ptr"),
    "securityerror": (_R, "recipient.rejected.security"),
    "spamdetected": (_R, "recipient.rejected.spam"),
    "suppressed": (_P, "provider.ses.recipient_suppressed"),
    "suspend": (_R, "recipient.mailbox_suspended"),
    "syntaxerror": (_R, "recipient.smtp_syntax_error"),
    "systemerror": (_R, "recipient.system_error"),
    "systemfull": (_R, "recipient.system_full"),
    "undefined": (_R, ""),
    "userunknown": (_R, "recipient.user_unknown"),
    "vacation": (_R, ""),
    "virusdetected": (_R, "recipient.rejected.virus"),
}


def cause_for(facts: CauseFacts) -> tuple[Layer, str]:
    """The layer and catalogue id for one record (first matching rule, else by reason)."""
    for rule in RULES:
        if rule.applies(facts):
            return rule.layer, rule.cause
    return BY_REASON.get(facts.reason, (Layer.RECIPIENT, ""))
