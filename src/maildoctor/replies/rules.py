"""The reply table: what servers mean, one row per rule, each with its source and examples.

Rows are tried top to bottom; the first whose conditions hold decides (precedence is the
table's order, as in Sisimai's ``ClassOrder``). Provider rows come before generic ones,
specific phrases before bare codes. A row with ``reason`` set asserts that reason; a row
without one only refines the cause of a reason decided by the phrase tables
(:mod:`maildoctor.bounce.reasons`, Sisimai's vocabulary) or a provider's own table
(:mod:`maildoctor.replies.rhost`).

To add a provider's relay rules, add rows with ``provider=`` set (and the host suffixes to
:data:`maildoctor.replies.hosts.PROVIDER_HOSTS`). Every row needs a ``source`` and at least
one real example reply; ``tests/replies/test_rules.py`` runs every example through the
classifier and checks every cause id against the catalogue.
"""

from __future__ import annotations

from ..model import Layer
from .model import Rule
from .rules_common import (
    _BAN_TEXTS,
    _BLOCKLIST_TEXTS,
    _NETWORK_TEXTS,
    _OUTBOUND_BANS,
    GMAIL_DOC,
    MS_DOC,
    POSTFIX_RBL,
    RFC5321_NET,
    RFC7372,
    YAHOO_DOC,
    D,
    M,
    P,
    R,
    T,
)
from .rules_sender import SENDER_RULES
from .services import SERVICE_RULES

__all__ = ["BY_REASON", "RULES"]


#: The recipient side's rows (Microsoft 365, sender authentication, blocklists, the
#: network, refinements by reason), in precedence order, after the sending side's.
_RECIPIENT_RULES: tuple[Rule, ...] = (
    # -- Microsoft 365 / Exchange Online (REFERENCE.md section 5). -----------------------
    Rule(
        id="ms.outbound_ban",
        provider="microsoft",
        status=_OUTBOUND_BANS,
        layer=P,
        cause="provider.microsoft365.outbound_ban",
        meaning="a Microsoft 365 tenant's own outbound mail is banned (not about mail "
        "arriving from SES)",
        fix="The sending tenant's admin must resolve the ban with Microsoft.",
        who="the sending Microsoft 365 admin",
        source=MS_DOC,
        examples=("550 5.7.705 Access denied, tenant has exceeded threshold.",),
    ),
    Rule(
        id="ms.outbound_ban.text",
        status=_OUTBOUND_BANS,
        phrases=_BAN_TEXTS,
        layer=P,
        cause="provider.microsoft365.outbound_ban",
        meaning="a Microsoft 365 tenant's own outbound mail is banned (not about mail "
        "arriving from SES)",
        fix="The sending tenant's admin must resolve the ban with Microsoft.",
        who="the sending Microsoft 365 admin",
        source=MS_DOC,
        examples=(
            "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
        ),
    ),
    Rule(
        id="ms.dmarc",
        status=r"5\.7\.509",
        reason="authfailure",
        cause="recipient.rejected.dmarc",
        meaning="the message failed DMARC and the sending domain's policy is reject",
        fix="Make SPF or DKIM pass *and align* with the From domain.",
        who="the sender's domain admin",
        source=MS_DOC,
        examples=(
            "550 5.7.509 Access denied, sending domain [example.com] does not pass "
            "DMARC verification and has a DMARC policy of reject.",
        ),
    ),
    Rule(
        id="ms.auth_level",
        status=r"5\.7\.515",
        reason="authfailure",
        cause="recipient.rejected.authentication_level",
        meaning="the sending domain does not meet the receiver's required authentication "
        "level (SPF, DKIM and DMARC must pass and align)",
        fix="Publish SPF, DKIM and DMARC so that they pass and align.",
        who="the sender's domain admin",
        source=MS_DOC,
        examples=(
            "550 5.7.515 Access denied, sending domain [example.com] doesn't meet the "
            "required authentication level. The sender's domain in the 5322.From "
            "address doesn't meet the authentication requirements defined for the "
            "sender. Spf=fail, Dkim=none, DMARC=none",
        ),
    ),
    Rule(
        id="ms.ptr",
        status=r"5\.7\.25",
        reason="requireptr",
        cause="recipient.rejected.ptr",
        meaning="the sending IP has no reverse DNS (PTR)",
        fix="Give the sending IP a PTR record that resolves back to it.",
        who="whoever runs the sending IP",
        source=MS_DOC + " ; " + GMAIL_DOC,
        examples=(
            "550 5.7.25 The IP address sending this message does not have a PTR record setup.",
        ),
    ),
    Rule(
        id="ms.reputation",
        provider="microsoft",
        status=r"4\.7\.650",
        reason="badreputation",
        cause="recipient.bad_reputation",
        meaning="rate limited because of the sending IP's reputation",
        fix="Warm up the IP or send from one with a better reputation.",
        who="whoever runs the sending IP",
        source=MS_DOC,
        examples=(
            "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate "
            "limited due to IP reputation.",
        ),
    ),
    Rule(
        id="ms.banned_ip",
        provider="microsoft",
        status=r"5\.7\.(?:60[6-9]|6[1-3][0-9]|64[0-9])",
        reason="blocked",
        cause="recipient.blocked_ip",
        meaning="the sending IP is banned by Microsoft",
        fix="Request delisting through Microsoft's sender portal.",
        who="whoever runs the sending IP",
        source=MS_DOC,
        examples=(
            "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request "
            "removal from this list please visit https://sender.office.com/",
        ),
    ),
    Rule(
        id="ms.tenant_blocklist",
        provider="microsoft",
        status=r"5\.7\.513",
        reason="blocked",
        cause="recipient.rejected.tenant_blocklist",
        meaning="the recipient's organisation blocks this sender",
        fix="Ask the recipient's admin to unblock the sender.",
        who="the recipient's admin",
        source=MS_DOC,
        examples=(
            "550 5.7.513 Service unavailable, Client host [192.0.2.1] blocked by "
            "example.com's Tenant Block List",
        ),
    ),
    Rule(
        id="ms.relay_denied",
        provider="microsoft",
        status=r"5\.4\.1",
        phrases=("relay access denied",),
        reason="norelaying",
        cause="recipient.rejected.relay_denied",
        meaning="this server is not authoritative for the recipient's domain (MX or connector)",
        fix="The recipient's admin must fix the domain's MX or connectors.",
        who="the recipient's admin",
        source=MS_DOC,
        examples=(
            "550 5.4.1 Relay Access Denied [DB5EUR03FT001.eop-EUR03.prod.protection.outlook.com]",
        ),
    ),
    Rule(
        id="ms.not_in_tenant",
        provider="microsoft",
        status=r"5\.4\.1",
        phrases=("access denied",),
        reason="userunknown",
        cause="recipient.user_unknown",
        meaning="the recipient does not exist in the tenant (directory-based edge blocking)",
        fix="Check the recipient address.",
        who="the sender (address) or recipient's admin",
        source=MS_DOC,
        examples=(
            "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
            "[DB5EUR03FT001.eop-EUR03.prod.protection.outlook.com]",
        ),
    ),
    Rule(
        id="tls.required",
        status=r"4\.4\.317|5\.7\.32[1-5]",
        reason="failedstarttls",
        layer=T,
        cause="transport.tls.required",
        meaning="the receiver requires TLS (STARTTLS or DANE) and it failed",
        fix="Fix the sending server's TLS (certificates, STARTTLS).",
        who="whoever runs the sending server",
        source=MS_DOC,
        examples=(
            "451 4.4.317 Cannot connect to remote server [Message=TLS is required]",
            "550 5.7.321 starttls-not-supported: Destination mail server must support "
            "TLS to receive mail.",
        ),
    ),
    # -- Sender authentication: RFC 7372 codes, Gmail's and Yahoo's words. -------------
    Rule(
        id="auth.unauthenticated",
        status=r"[45]\.7\.26",
        reason="authfailure",
        cause="recipient.rejected.unauthenticated",
        meaning="the message passed neither SPF nor DKIM, or failed the domain's DMARC "
        "policy (Gmail 5.7.26)",
        fix="Sign with DKIM aligned with From, publish SPF.",
        who="the sender's domain admin",
        source=RFC7372 + " ; " + GMAIL_DOC,
        examples=(
            "550-5.7.26 This mail has been blocked because the sender is "
            "unauthenticated. Gmail requires all senders to authenticate with either "
            "SPF or DKIM.",
            "550-5.7.26 Unauthenticated email from example.com is not accepted due to "
            "domain's DMARC policy. Please contact the administrator of example.com "
            "domain if this was a legitimate mail.",
        ),
    ),
    Rule(
        id="gmail.spf",
        provider="google",
        status=r"[45]\.7\.27",
        reason="authfailure",
        cause="recipient.rejected.spf",
        meaning="the message failed SPF at Gmail",
        fix="Authorise the sending IP in the MAIL FROM domain's SPF record.",
        who="the sender's domain admin",
        source=GMAIL_DOC,
        examples=(
            "550-5.7.27 Your email has been blocked because the sender is "
            "unauthenticated. Gmail requires all senders to authenticate with SPF.",
        ),
    ),
    Rule(
        id="auth.spf",
        status=r"[45]\.7\.2[34]",
        reason="authfailure",
        cause="recipient.rejected.spf",
        meaning="the message failed SPF",
        fix="Authorise the sending IP in the MAIL FROM domain's SPF record.",
        who="the sender's domain admin",
        source=RFC7372 + " ; " + MS_DOC,
        examples=(
            "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
        ),
    ),
    Rule(
        id="auth.dkim",
        status=r"[45]\.7\.(?:20|21|22|30)",
        reason="authfailure",
        cause="recipient.rejected.dkim",
        meaning="the message failed DKIM",
        fix="Fix DKIM signing (key published at the selector, body not altered).",
        who="the sender's domain admin",
        source=RFC7372 + " ; " + GMAIL_DOC,
        examples=(
            "550-5.7.30 Your email has been blocked because DKIM does not pass. Gmail "
            "requires all senders to authenticate with DKIM.",
        ),
    ),
    Rule(
        id="gmail.alignment",
        status=r"[45]\.7\.32",
        reason="authfailure",
        cause="recipient.rejected.dmarc",
        meaning="SPF and DKIM pass but neither aligns with the From domain (DMARC)",
        fix="Align SPF (custom MAIL FROM) or DKIM (d= the From domain) with From.",
        who="the sender's domain admin",
        source=GMAIL_DOC,
        examples=(
            "421-4.7.32 Your email has been rate limited because the From: header "
            "(RFC5322) in this message isn't aligned with either the authenticated "
            "SPF or DKIM organizational domain.",
        ),
    ),
    Rule(
        id="gmail.rate",
        provider="google",
        status=r"4\.7\.28",
        reason="ratelimited",
        cause="recipient.rate_limited",
        meaning="Gmail rate-limits an unusual rate of mail from this IP or domain",
        fix="Slow down and check the sender's reputation (Postmaster Tools).",
        who="the sender",
        source=GMAIL_DOC,
        examples=(
            "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail "
            "originating from your IP address.",
        ),
    ),
    Rule(
        id="yahoo.tss04",
        phrases=("temporarily deferred due to unexpected volume or user complaints", "[tss04]"),
        reason="badreputation",
        cause="recipient.bad_reputation",
        meaning="Yahoo defers mail from this IP: unexpected volume or user complaints (reputation)",
        fix="Lower volume, honour unsubscribes, check complaint feedback.",
        who="the sender",
        source=YAHOO_DOC,
        examples=(
            "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to "
            "unexpected volume or user complaints - 4.16.55.1; see "
            "https://postmaster.yahooinc.com/error-codes",
        ),
    ),
    Rule(
        id="yahoo.unauthenticated",
        phrases=("requires all senders to authenticate with either spf or dkim",),
        reason="authfailure",
        cause="recipient.rejected.authentication",
        meaning="the receiver requires SPF or DKIM to pass",
        fix="Sign with DKIM aligned with From, publish SPF.",
        who="the sender's domain admin",
        source=YAHOO_DOC,
        examples=(
            "550 5.7.9 This mail has been blocked because the sender is "
            "unauthenticated. Yahoo requires all senders to authenticate with either "
            "SPF or DKIM.",
        ),
    ),
    # -- Blocklists: "blocked using <list>" is the IP's listing, not a security error. --
    Rule(
        id="blocklist",
        phrases=_BLOCKLIST_TEXTS,
        reasons=frozenset(
            ("blocked", "securityerror", "onhold", "undefined", "badreputation", "policyviolation")
        ),
        reason="blocked",
        cause="recipient.blocked_ip",
        meaning="the sending IP (or domain) is on a public blocklist the receiver uses",
        fix="Find out why the IP is listed (the list's lookup page) and request removal.",
        who="whoever runs the sending IP",
        source=POSTFIX_RBL,
        examples=(
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using "
            "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1",
            "550 5.7.1 Mail from IP 192.0.2.1 was rejected due to listing in Spamhaus SBL.",
        ),
    ),
    # -- The network (RFC 5321 section 4.5.4.1): a timeout is not an expiry until the
    #    sender gives up, which only a bounce says. -----------------------------------
    Rule(
        id="network",
        phrases=_NETWORK_TEXTS,
        contexts=frozenset(("log", "smtp", "mx", "explain")),
        reason="networkerror",
        layer=T,
        cause="transport.network_error",
        meaning="the connection to the receiving server failed (timeout, refused, reset)",
        fix="Check that the receiver's MX hosts answer on port 25 from the sending host.",
        who="the sending server's operator or the receiver",
        source=RFC5321_NET,
        examples=("connect to mx.example.com[192.0.2.1]:25: Connection timed out",),
    ),
    # -- Refinements by reason: which mechanism an authfailure names. --------------------
    Rule(
        id="auth.dmarc.text",
        reasons=frozenset(("authfailure", "securityerror")),
        phrases=("dmarc",),
        cause="recipient.rejected.dmarc",
        meaning="the message failed the domain's DMARC policy",
        fix="Make SPF or DKIM pass and align with From.",
        who="the sender's domain admin",
        source=RFC7372,
        examples=("550 5.7.1 Email rejected per DMARC policy for example.com",),
    ),
    Rule(
        id="auth.spf.text",
        reasons=frozenset(("authfailure", "securityerror")),
        phrases=("spf", "sender policy framework"),
        cause="recipient.rejected.spf",
        meaning="the message failed SPF",
        fix="Authorise the sending IP in SPF.",
        who="the sender's domain admin",
        source=RFC7372,
        examples=("550 5.7.1 SPF check failed for example.com",),
    ),
    Rule(
        id="auth.dkim.text",
        reasons=frozenset(("authfailure", "securityerror")),
        phrases=("dkim",),
        cause="recipient.rejected.dkim",
        meaning="the message failed DKIM",
        fix="Fix DKIM signing.",
        who="the sender's domain admin",
        source=RFC7372,
        examples=("550 5.7.1 Message rejected: DKIM signature verification failed",),
    ),
)

#: Every row, in precedence order: services, then the sending side, then the recipient side.
RULES: tuple[Rule, ...] = SERVICE_RULES + SENDER_RULES + _RECIPIENT_RULES


#: reason -> (layer, cause) when no row refines it (RFC 3463 classes, Sisimai's reasons).
BY_REASON: dict[str, tuple[Layer, str]] = {
    "authfailure": (R, "recipient.rejected.authentication"),
    "badreputation": (R, "recipient.bad_reputation"),
    "blocked": (R, "recipient.blocked_ip"),
    "contenterror": (M, "message.content_rejected"),
    "delivered": (R, ""),
    "emailtoolarge": (M, "message.too_large"),
    "expired": (T, "transport.delivery_expired"),
    "failedstarttls": (T, "transport.mx.starttls_failed"),
    "feedback": (R, "recipient.complaint"),
    "filtered": (R, "recipient.filtered"),
    "hasmoved": (R, "recipient.mailbox_moved"),
    "hostunknown": (T, "transport.mx.domain_not_found"),
    "mailboxfull": (R, "recipient.mailbox_full"),
    "mailererror": (R, "recipient.mailer_error"),
    "networkerror": (T, "transport.network_error"),
    "norelaying": (R, "recipient.rejected.relay_denied"),
    "notaccept": (D, "dns.mx.null_mx"),
    "notcompliantrfc": (M, "message.not_rfc_compliant"),
    "onhold": (R, ""),
    "policyviolation": (R, "recipient.rejected.policy"),
    "ratelimited": (R, "recipient.rate_limited"),
    "rejected": (R, "recipient.rejected.sender"),
    "requireptr": (R, "recipient.rejected.ptr"),
    "securityerror": (R, "recipient.rejected.security"),
    "spamdetected": (R, "recipient.rejected.spam"),
    "suppressed": (P, "provider.ses.recipient_suppressed"),
    "suspend": (R, "recipient.mailbox_suspended"),
    "syntaxerror": (R, "recipient.smtp_syntax_error"),
    "systemerror": (R, "recipient.system_error"),
    "systemfull": (R, "recipient.system_full"),
    "undefined": (R, ""),
    "userunknown": (R, "recipient.user_unknown"),
    "vacation": (R, ""),
    "virusdetected": (R, "recipient.rejected.virus"),
}
