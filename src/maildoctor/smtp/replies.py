"""What SMTP replies mean: a code table with the vendors' own words.

Each :class:`ReplyRule` is a tuple of (vendor, code, enhanced status, phrase) with
the meaning, the Sisimai reason, the root cause and the fix, and the vendor
document it comes from (REFERENCE.md sections 2 and 5). Rules are tried in
order - vendor rules before generic ones, specific phrases before bare codes -
so precedence is the table's order, as in Sisimai's ``ClassOrder``.

A rule for a vendor applies only to that vendor's hosts (a 535 from any relay
is not an SES password problem). Where a vendor's words identify it wherever
they are relayed (Exchange Online's 5.7.509 DMARC text), the rule says ``any``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Layer
from .client import SmtpReply
from .ses_password import ses_region_from_host

__all__ = ["RULES", "Interpretation", "ReplyRule", "interpret", "vendor_for_host"]

SES_SMTP_DOC = "Amazon SES Developer Guide: SMTP issues / SMTP response codes"
M365_NDR_DOC = "Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange Online"
GMAIL_DOC = "Google Workspace Admin Help: SMTP error reference"
RFC_AUTH = "RFC 4954 section 6"
RFC_CODES = "RFC 5321 section 4.2.2; RFC 3463"

_GMAIL_ALIAS = " For a Gmail alias: Settings -> Accounts and Import -> Send mail as -> edit info."


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyRule:
    """One line of the table.

    Attributes:
        vendor: ``ses``, ``microsoft``, ``gmail`` or ``any``.
        code: Reply code, or its first digit(s) ("5" matches every 5xx); "" for any.
        enhanced: Regex over the enhanced status code (full match); "" for any.
        phrase: Lower-case text that must appear in the reply; "" for any.
        reason: Sisimai's reason word (REFERENCE.md section 5).
        layer: The layer the cause belongs to.
        cause: Catalogue id of the root cause ("" when a reply is not a cause by itself).
        meaning: One line for people.
        fix: What to do.
        reference: The vendor document or RFC.
    """

    vendor: str
    code: str
    enhanced: str = ""
    phrase: str = ""
    reason: str
    layer: Layer
    cause: str
    meaning: str
    fix: str = ""
    reference: str = RFC_CODES

    def matches(self, reply: SmtpReply, vendor: str) -> bool:
        if self.vendor not in ("any", vendor):
            return False
        if self.code and not str(reply.code).startswith(self.code):
            return False
        if self.enhanced and not re.fullmatch(self.enhanced, reply.enhanced_status):
            return False
        return not self.phrase or self.phrase in reply.text.lower()


def _r(
    vendor: str,
    code: str,
    enhanced: str,
    phrase: str,
    reason: str,
    layer: Layer,
    cause: str,
    meaning: str,
    fix: str = "",
    reference: str = RFC_CODES,
) -> ReplyRule:
    return ReplyRule(
        vendor=vendor,
        code=code,
        enhanced=enhanced,
        phrase=phrase,
        reason=reason,
        layer=layer,
        cause=cause,
        meaning=meaning,
        fix=fix,
        reference=reference,
    )


C, P, R, T, M = Layer.CLIENT, Layer.PROVIDER, Layer.RECIPIENT, Layer.TRANSPORT, Layer.MESSAGE

#: Amazon SES SMTP endpoint (REFERENCE.md section 2).
SES_RULES: tuple[ReplyRule, ...] = (
    _r(
        "ses",
        "535",
        "",
        "authentication credentials invalid",
        "securityerror",
        C,
        "client.smtp_auth.stale_ses_password",
        "SES rejected the SMTP credentials: stale or wrongly derived SES SMTP password",
        "Derive a new SMTP password for this region from the IAM user's current secret access "
        "key (maildoctor ses-smtp-password --region REGION) and update the client." + _GMAIL_ALIAS,
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "535",
        "",
        "account not subscribed to ses",
        "securityerror",
        P,
        "provider.ses.not_subscribed",
        "the AWS account is not signed up for SES",
        "Sign the account up for Amazon SES in this region.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "530",
        "",
        "authentication required",
        "securityerror",
        C,
        "client.smtp_auth.required",
        "SES requires SMTP AUTH (after STARTTLS) before sending",
        "Configure the client to authenticate with SES SMTP credentials over TLS.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "454",
        "",
        "temporary authentication failure",
        "systemerror",
        P,
        "provider.ses.temporary_auth_failure",
        "SES could not check the credentials just now",
        "Retry later; if it persists, check the SES service health.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "554",
        "",
        "not authorized to perform ses:sendrawemail",
        "securityerror",
        P,
        "provider.ses.send_permission_missing",
        "the IAM user lacks ses:SendRawEmail",
        "Grant the SMTP user's IAM policy ses:SendRawEmail.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "554",
        "",
        "email address is not verified",
        "rejected",
        P,
        "provider.ses.identity_unverified",
        "the sender (or, in the sandbox, a recipient) is not a verified identity in this region",
        "Verify the identity in the SES region the client sends through, or leave the sandbox.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "454",
        "",
        "maximum sigv2 smtp sending rate exceeded",
        "ratelimited",
        C,
        "client.smtp_auth.legacy_v2_password",
        "SES throttles a legacy V2 SMTP password",
        "Replace the V2 password with a V4 password derived for this region.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "454",
        "",
        "daily message quota exceeded",
        "ratelimited",
        P,
        "provider.ses.quota_exceeded",
        "the account's 24-hour sending quota is used up",
        "Wait for the quota window or request a higher quota.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "454",
        "",
        "maximum sending rate exceeded",
        "ratelimited",
        P,
        "provider.ses.throttled",
        "the account's per-second sending rate was exceeded",
        "Slow the client down or request a higher sending rate.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "421",
        "",
        "too many concurrent smtp connections",
        "ratelimited",
        C,
        "client.smtp.too_many_connections",
        "too many SMTP connections to SES at once",
        "Reduce the client's concurrent connections.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "451",
        "",
        "timeout waiting for data from client",
        "networkerror",
        C,
        "client.smtp.client_timeout",
        "the client was too slow to send data",
        "Check the client's network and timeouts.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "552",
        "",
        "message is too long",
        "emailtoolarge",
        M,
        "message.too_large",
        "the message is over SES's 10 MB limit",
        "Send a smaller message.",
        SES_SMTP_DOC,
    ),
    _r(
        "ses",
        "553",
        "",
        "invalid email address",
        "syntaxerror",
        C,
        "client.smtp.invalid_address",
        "an address in the envelope is not valid",
        "Correct the address.",
        SES_SMTP_DOC,
    ),
)

#: Microsoft 365 / Exchange Online / Outlook.com (REFERENCE.md section 5).
M365_RULES: tuple[ReplyRule, ...] = (
    _r(
        "microsoft",
        "5",
        r"5\.7\.509",
        "",
        "authfailure",
        R,
        "recipient.rejected.dmarc",
        "the message failed DMARC and the sending domain's policy is reject",
        "Make SPF or DKIM pass *and align* with the From domain.",
        M365_NDR_DOC,
    ),
    _r(
        "any",
        "5",
        r"5\.7\.509",
        "does not pass dmarc verification",
        "authfailure",
        R,
        "recipient.rejected.dmarc",
        "Exchange Online: DMARC fail with policy reject",
        "Make SPF or DKIM pass *and align* with the From domain.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.515",
        "",
        "authfailure",
        R,
        "recipient.rejected.authentication_level",
        "the sending domain does not meet the required authentication level",
        "Publish SPF, DKIM and DMARC so that they pass and align.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.23",
        "",
        "authfailure",
        R,
        "recipient.rejected.spf",
        "the message failed SPF",
        "Authorise the sending IP in the SPF record.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.25",
        "",
        "requireptr",
        R,
        "recipient.rejected.ptr",
        "the sending IP has no reverse DNS",
        "Give the sending IP a PTR record.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "4",
        r"4\.7\.650",
        "",
        "badreputation",
        R,
        "recipient.bad_reputation",
        "rate limited because of the sending IP's reputation",
        "Warm up the IP or send from one with a better reputation.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.(60[6-9]|6[1-3][0-9]|64[0-9])",
        "",
        "blocked",
        R,
        "recipient.blocked_ip",
        "the sending IP is banned by Microsoft",
        "Request delisting through Microsoft's sender portal.",
        M365_NDR_DOC,
    ),
    _r(
        "any",
        "5",
        r"5\.7\.1",
        "blocked using spamhaus",
        "blocked",
        R,
        "recipient.blocked_ip",
        "the sending IP is on a public blocklist",
        "Find out why the IP is listed and request removal.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.513",
        "",
        "blocked",
        R,
        "recipient.rejected.tenant_blocklist",
        "the recipient's organisation blocks this sender",
        "Ask the recipient's admin.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.4\.1",
        "relay access denied",
        "norelaying",
        R,
        "recipient.rejected.relay_denied",
        "this server is not authoritative for the recipient's domain (MX or connector)",
        "The recipient's admin must fix the domain's MX records or connectors.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.4\.1",
        "access denied",
        "userunknown",
        R,
        "recipient.user_unknown",
        "the recipient does not exist in the tenant",
        "Check the recipient address.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.1\.(1|10)",
        "",
        "userunknown",
        R,
        "recipient.user_unknown",
        "recipient not found",
        "Check the recipient address.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "5",
        r"5\.7\.(705|708|750)|5\.1\.8",
        "",
        "rejected",
        P,
        "provider.microsoft365.outbound_ban",
        "the Microsoft 365 tenant's own outbound mail is banned (not about mail from SES)",
        "The sending tenant's admin must resolve the outbound ban with Microsoft.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "530",
        r"5\.7\.57",
        "",
        "securityerror",
        C,
        "client.smtp_auth.required",
        "the client did not authenticate",
        "Enable SMTP AUTH in the client.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "535",
        r"5\.7\.139",
        "",
        "securityerror",
        C,
        "client.smtp_auth.disabled_for_tenant",
        "SMTP AUTH is disabled for the tenant or mailbox",
        "Enable authenticated SMTP for the mailbox, or use another submission method.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "535",
        r"5\.7\.3",
        "",
        "securityerror",
        C,
        "client.smtp_auth.failed",
        "the username or password is wrong",
        "Update the credentials in the client.",
        M365_NDR_DOC,
    ),
    _r(
        "microsoft",
        "",
        r"4\.4\.317|5\.7\.32[1-5]",
        "",
        "failedstarttls",
        T,
        "transport.tls.required",
        "the receiver requires TLS (STARTTLS or DANE) that failed",
        "Fix the sending server's TLS (certificates, STARTTLS).",
        M365_NDR_DOC,
    ),
)

#: Gmail (REFERENCE.md section 5).
GMAIL_RULES: tuple[ReplyRule, ...] = (
    _r(
        "gmail",
        "5",
        r"5\.7\.26",
        "dmarc",
        "authfailure",
        R,
        "recipient.rejected.dmarc",
        "Gmail rejected the message because of the domain's DMARC policy",
        "Make SPF or DKIM pass and align with the From domain.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "5",
        r"5\.7\.26",
        "",
        "authfailure",
        R,
        "recipient.rejected.unauthenticated",
        "Gmail rejected unauthenticated mail",
        "Sign with DKIM and publish SPF.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "5",
        r"5\.7\.27",
        "",
        "authfailure",
        R,
        "recipient.rejected.spf",
        "the message failed SPF",
        "Authorise the sending IP in SPF.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "5",
        r"5\.7\.30",
        "",
        "authfailure",
        R,
        "recipient.rejected.dkim",
        "the message failed DKIM",
        "Fix DKIM signing.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "4",
        r"4\.7\.32",
        "",
        "authfailure",
        R,
        "recipient.rejected.authentication",
        "SPF/DKIM do not align with the From domain",
        "Align SPF or DKIM with From.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "5",
        r"5\.7\.25",
        "",
        "requireptr",
        R,
        "recipient.rejected.ptr",
        "the sending IP has no reverse DNS",
        "Give the sending IP a PTR record.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "421",
        r"4\.7\.28",
        "",
        "ratelimited",
        R,
        "recipient.rate_limited",
        "Gmail rate-limits unusual volume",
        "Slow down and check sending reputation.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "550",
        r"5\.7\.1",
        "",
        "spamdetected",
        R,
        "recipient.rejected.spam",
        "Gmail suspects spam or low reputation",
        "Check content and sender reputation.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "535",
        r"5\.7\.8",
        "",
        "securityerror",
        C,
        "client.smtp_auth.failed",
        "username and password not accepted",
        "Update the credentials in the client.",
        GMAIL_DOC,
    ),
    _r(
        "gmail",
        "534",
        r"5\.7\.9",
        "",
        "securityerror",
        C,
        "client.smtp_auth.app_password_required",
        "an application-specific password is needed",
        "Create an app password for this client.",
        GMAIL_DOC,
    ),
)

#: Any server (RFC 4954, RFC 5321, RFC 3463).
GENERIC_RULES: tuple[ReplyRule, ...] = (
    _r(
        "any",
        "535",
        "",
        "",
        "securityerror",
        C,
        "client.smtp_auth.failed",
        "the server rejected the credentials",
        "Check the username and password.",
        RFC_AUTH,
    ),
    _r(
        "any",
        "538",
        "",
        "",
        "securityerror",
        C,
        "client.smtp_tls.required",
        "the server requires TLS before authentication",
        "Use STARTTLS or implicit TLS.",
        RFC_AUTH,
    ),
    _r(
        "any",
        "530",
        "",
        "",
        "securityerror",
        C,
        "client.smtp_auth.required",
        "the server requires authentication (or TLS) first",
        "Authenticate over TLS.",
        RFC_AUTH,
    ),
    _r(
        "any",
        "534",
        "",
        "",
        "securityerror",
        C,
        "client.smtp_auth.failed",
        "the authentication mechanism is too weak for the server",
        "Use a stronger mechanism or TLS.",
        RFC_AUTH,
    ),
    _r(
        "any",
        "454",
        "",
        "",
        "systemerror",
        C,
        "",
        "temporary failure (authentication or TLS not available)",
        "Retry later.",
        RFC_AUTH,
    ),
    _r(
        "any",
        "5",
        r"5\.1\.[12]",
        "",
        "userunknown",
        R,
        "recipient.user_unknown",
        "the recipient address does not exist",
        "Check the recipient address.",
    ),
    _r(
        "any",
        "5",
        r"5\.7\.26",
        "",
        "authfailure",
        R,
        "recipient.rejected.dmarc",
        "the message failed DMARC",
        "Make SPF or DKIM pass and align with From.",
    ),
    _r(
        "any",
        "5",
        r"5\.2\.2",
        "",
        "mailboxfull",
        R,
        "recipient.mailbox_full",
        "the recipient's mailbox is full",
        "The recipient must make room.",
    ),
    _r(
        "any",
        "5",
        r"5\.7\.1",
        "relay",
        "norelaying",
        R,
        "recipient.rejected.relay_denied",
        "the server does not relay for this domain",
        "Send through the right server.",
    ),
    _r(
        "any",
        "4",
        "",
        "",
        "undefined",
        R,
        "",
        "temporary failure: the server asks to try again later",
        "Retry later.",
    ),
    _r("any", "5", "", "", "undefined", R, "", "permanent failure", "Read the reply text."),
)

RULES: tuple[ReplyRule, ...] = SES_RULES + M365_RULES + GMAIL_RULES + GENERIC_RULES

_VENDOR_SUFFIXES = (
    ("microsoft", ("outlook.com", "office365.com", "hotmail.com", "outlook.office365.com")),
    ("gmail", ("gmail.com", "google.com", "googlemail.com")),
)


def vendor_for_host(host: str) -> str:
    """``ses``, ``microsoft``, ``gmail`` or ``any`` for a server's host name."""
    host = host.rstrip(".").lower()
    if ses_region_from_host(host):
        return "ses"
    for vendor, suffixes in _VENDOR_SUFFIXES:
        if any(host == s or host.endswith("." + s) for s in suffixes):
            return vendor
    return "any"


@dataclass(frozen=True, slots=True, kw_only=True)
class Interpretation:
    """A reply read through the table."""

    reply: SmtpReply
    rule: ReplyRule | None

    @property
    def cause(self) -> str:
        return self.rule.cause if self.rule else ""

    @property
    def meaning(self) -> str:
        return self.rule.meaning if self.rule else "accepted"


def interpret(reply: SmtpReply, *, host: str) -> Interpretation:
    """Find the first rule matching a non-positive reply (positive replies match none)."""
    if reply.ok:
        return Interpretation(reply=reply, rule=None)
    vendor = vendor_for_host(host)
    rule = next((r for r in RULES if r.matches(reply, vendor)), None)
    return Interpretation(reply=reply, rule=rule)
