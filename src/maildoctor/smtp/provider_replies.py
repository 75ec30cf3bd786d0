"""Reply rules of the sending services and the big receivers, as plain rows.

Each :class:`ProviderRule` is one row: the service (``provider``), the reply code
(or its first digit), the enhanced status (a regex, full match), phrases one of which
the reply text holds, the catalogue cause, the service's document (``source``) and a real
reply text (``example``; ``tests/smtp/test_provider_replies.py`` checks that every
row matches its own example and that no earlier row steals it).

Rows with ``provider`` ``any`` are the receivers' words that identify them wherever
the mail was relayed from (Exchange Online's ``5.7.509 ... does not pass DMARC``,
Gmail's ``5.7.26 ... unauthenticated``): they feed the same causes whether SES,
SendGrid or Postfix carried the message.

:func:`interpret` puts these rows in front of :func:`maildoctor.smtp.replies.interpret`,
so a reply no row here knows is read by the general table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Layer
from .client import SmtpReply
from .replies import Interpretation, ReplyRule
from .replies import interpret as general_interpret

__all__ = ["PROVIDER_RULES", "ProviderRule", "interpret", "match", "match_receiver_text"]

M365_NDR = (
    "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/"
    "non-delivery-reports-in-exchange-online"
)
M365_SMTP_AUTH = (
    "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/"
    "authenticated-client-smtp-submission"
)
M365_SENDAS = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-60-through-5-7-64"
M365_708 = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-750"
M365_509 = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-509"
M365_515 = (
    "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/"
    "strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730"
)
M365_23 = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-23"
GMAIL_ERRORS = "https://support.google.com/a/answer/3726730"
GMAIL_SENDERS = "https://support.google.com/a/answer/81126"
GMAIL_RELAY = "https://support.google.com/a/answer/6140680"
GMAIL_LIMITS = "https://support.google.com/a/answer/166852"
SENDGRID_ERRORS = (
    "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/"
    "smtp-errors-and-troubleshooting"
)
SENDGRID_IDENTITY = (
    "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/sender-identity"
)
SENDGRID_API_KEYS = "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys"
MAILGUN_AUTHORIZED = "https://help.mailgun.com/hc/en-us/articles/217531258-Authorized-Recipients"
MAILGUN_SMTP = (
    "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp"
)
POSTMARK_SIGNATURES = "https://postmarkapp.com/developer/api/overview#error-codes"
POSTMARK_INACTIVE = "https://postmarkapp.com/support/article/1112-what-does-inactive-mean"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderRule:
    """One row of the provider table.

    Attributes:
        provider: Reply-rule vendor key (``microsoft``, ``gmail``, ``sendgrid``, ``mailgun``,
            ``postmark``) or ``any`` for words recognised wherever they come from.
        code: Reply code, or its first digit(s); "" for any.
        enhanced: Regex over the enhanced status code (full match); "" for any.
        phrases: Lower-case phrases; one must appear in the reply text (none: any text).
        cause: Catalogue id of the root cause.
        layer: The layer the cause belongs to.
        reason: Sisimai's reason word.
        meaning: One line for people.
        fix: What to do.
        source: The document the text and meaning come from (URL).
        example: A real reply text this row must match.
    """

    provider: str
    code: str
    enhanced: str
    phrases: tuple[str, ...]
    cause: str
    layer: Layer
    reason: str
    meaning: str
    fix: str
    source: str
    example: str

    def matches(self, reply: SmtpReply, vendor: str) -> bool:
        """Whether this row reads ``reply`` from a server of ``vendor``."""
        if self.provider not in ("any", vendor):
            return False
        if self.code and not str(reply.code).startswith(self.code):
            return False
        if self.enhanced and not re.fullmatch(self.enhanced, reply.enhanced_status):
            return False
        lowered = reply.text.lower()
        return not self.phrases or any(p in lowered for p in self.phrases)

    def as_reply_rule(self) -> ReplyRule:
        """The row in the shape of the general table's rules."""
        return ReplyRule(
            vendor=self.provider,
            code=self.code,
            enhanced=self.enhanced,
            phrase="",
            reason=self.reason,
            layer=self.layer,
            cause=self.cause,
            meaning=self.meaning,
            fix=self.fix,
            reference=self.source,
        )


C, P, R = Layer.CLIENT, Layer.PROVIDER, Layer.RECIPIENT


def _row(
    provider: str,
    code: str,
    enhanced: str,
    phrases: str | tuple[str, ...],
    cause: str,
    layer: Layer,
    reason: str,
    meaning: str,
    fix: str,
    source: str,
    example: str,
) -> ProviderRule:
    return ProviderRule(
        provider=provider,
        code=code,
        enhanced=enhanced,
        phrases=(phrases,) if isinstance(phrases, str) and phrases else tuple(phrases or ()),
        cause=cause,
        layer=layer,
        reason=reason,
        meaning=meaning,
        fix=fix,
        source=source,
        example=example,
    )


_M365_ENABLE = (
    "Enable SMTP AUTH for the mailbox (admin center > Users > the user > Mail > Manage email "
    "apps > Authenticated SMTP, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false) "
    "and for the tenant, and exclude it from security defaults - or move the client off SMTP AUTH."
)

#: Microsoft 365 as the relay (smtp.office365.com): client submission.
M365_RELAY: tuple[ProviderRule, ...] = (
    _row(
        "microsoft",
        "535",
        r"5\.7\.139",
        ("security defaults",),
        "client.smtp_auth.disabled_for_tenant",
        C,
        "securityerror",
        "Microsoft 365 security defaults block SMTP AUTH (Basic authentication) for this user",
        _M365_ENABLE,
        M365_SMTP_AUTH,
        "535 5.7.139 Authentication unsuccessful, user is locked by your organization's "
        "security defaults policy. Contact your administrator.",
    ),
    _row(
        "microsoft",
        "535",
        r"5\.7\.139",
        "",
        "client.smtp_auth.disabled_for_tenant",
        C,
        "securityerror",
        "SMTP AUTH is disabled for the Microsoft 365 tenant or mailbox",
        _M365_ENABLE,
        M365_SMTP_AUTH,
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
        "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
    ),
    _row(
        "microsoft",
        "5",
        r"5\.7\.57",
        "",
        "client.smtp_auth.required",
        C,
        "securityerror",
        "Microsoft 365 refused mail from a client that did not authenticate",
        "Turn on SMTP authentication in the client with the mailbox's address and password "
        "(STARTTLS on port 587).",
        M365_SMTP_AUTH,
        "530 5.7.57 Client not authenticated to send mail. "
        "[AM0PR02CA0001.eurprd02.prod.outlook.com]",
    ),
    _row(
        "microsoft",
        "5",
        r"5\.7\.60|5\.2\.252|5\.2\.0",
        ("sendas", "send as", "permission to send as", "permissions to send as"),
        "client.send_as.denied",
        C,
        "securityerror",
        "the authenticated mailbox has no Send As right for the From address",
        "Send from the authenticated mailbox's own address, or have an admin grant it Send As "
        "on the other mailbox (Exchange admin center > Recipients > the mailbox > Delegation).",
        M365_SENDAS,
        "554 5.2.252 SendAsDenied; user@example.com not allowed to send as alias@example.net; "
        "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
    ),
    _row(
        "microsoft",
        "5",
        r"5\.7\.708",
        "",
        "provider.microsoft365.outbound_ban",
        P,
        "rejected",
        "Microsoft 365 does not accept mail from this tenant's outbound IP (new or suspect tenant)",
        "The tenant's admin must resolve the outbound restriction with Microsoft support; a "
        "new tenant may need to send lower volumes first.",
        M365_708,
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. "
        "For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653",
    ),
)

#: Gmail / Google Workspace as the relay (smtp.gmail.com, smtp-relay.gmail.com).
GOOGLE_RELAY: tuple[ProviderRule, ...] = (
    _row(
        "gmail",
        "534",
        r"5\.7\.9",
        "",
        "client.smtp_auth.app_password_required",
        C,
        "securityerror",
        "the Google account uses 2-Step Verification: SMTP needs an app password",
        "Create an app password (https://myaccount.google.com/apppasswords) and use it as the "
        "SMTP password.",
        GMAIL_ERRORS,
        "534 5.7.9 Application-specific password required. For more information, go to "
        "https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp",
    ),
    _row(
        "gmail",
        "534",
        r"5\.7\.14",
        "",
        "client.smtp_auth.web_login_required",
        C,
        "securityerror",
        "Google blocked the sign-in until the account owner signs in with a browser",
        "Sign in to the account at https://accounts.google.com from a browser, then use an "
        "app password or OAuth in the client.",
        GMAIL_ERRORS,
        "534 5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in via your "
        "web browser and then try again. Learn more at "
        "https://support.google.com/mail/answer/78754 - gsmtp",
    ),
    _row(
        "gmail",
        "5",
        r"5\.7\.0",
        ("relay denied", "invalid credentials for relay"),
        "provider.google_relay.not_registered",
        P,
        "norelaying",
        "Google's SMTP relay does not know this client's IP address or sending domain",
        "Workspace admin console > Apps > Google Workspace > Gmail > Routing > SMTP relay "
        "service: add the client's IP address, or require SMTP authentication, and use a "
        "domain registered in the Workspace account.",
        GMAIL_RELAY,
        "550 5.7.0 Mail relay denied [203.0.113.7]. Invalid credentials for relay for one of "
        "the domains in: example.com (as obtained from HELO and MAIL FROM). Email is being sent "
        "from a domain or IP address which isn't registered in your Workspace account. - gsmtp",
    ),
    _row(
        "gmail",
        "5",
        r"5\.4\.5",
        "",
        "provider.google.sending_limit",
        P,
        "ratelimited",
        "the Google account reached its daily sending limit",
        "Wait up to 24 hours; send bulk mail through a service made for it, not a mailbox.",
        GMAIL_LIMITS,
        "550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending "
        "limits go to https://support.google.com/a/answer/166852 - gsmtp",
    ),
    _row(
        "gmail",
        "535",
        r"5\.7\.8",
        "",
        "client.smtp_auth.failed",
        C,
        "securityerror",
        "Google did not accept the username and password",
        "Check the address and use an app password (accounts with 2-Step Verification).",
        GMAIL_ERRORS,
        "535 5.7.8 Username and Password not accepted. For more information, go to "
        "https://support.google.com/mail/?p=BadCredentials - gsmtp",
    ),
)

#: SendGrid's SMTP relay (smtp.sendgrid.net).
SENDGRID: tuple[ProviderRule, ...] = (
    _row(
        "sendgrid",
        "535",
        "",
        ("authorization grant is invalid, expired, or revoked",),
        "client.smtp_auth.sendgrid_api_key_revoked",
        C,
        "securityerror",
        "SendGrid refused the API key: it is deleted, revoked or mistyped",
        "Create a new API key with Mail Send permission (Settings > API Keys) and store it as "
        "the SMTP password; the username stays apikey.",
        SENDGRID_API_KEYS,
        "535 Authentication failed: The provided authorization grant is invalid, expired, "
        "or revoked",
    ),
    _row(
        "sendgrid",
        "535",
        "",
        ("bad username / password", "bad username/password"),
        "client.smtp_auth.sendgrid_username_not_apikey",
        C,
        "securityerror",
        "SendGrid refused the login: the username is not apikey or the password not an API key",
        "Username apikey, password an API key (SG....).",
        SENDGRID_ERRORS,
        "535 Authentication failed: Bad username / password",
    ),
    _row(
        "sendgrid",
        "",
        "",
        ("does not match a verified sender identity", "not authorized to send from that email"),
        "provider.sendgrid.sender_identity_unverified",
        P,
        "rejected",
        "the From address is not a verified Sender Identity in the SendGrid account",
        "Verify the address as a Single Sender, or authenticate its domain (Settings > Sender "
        "Authentication).",
        SENDGRID_IDENTITY,
        "550 The from address does not match a verified Sender Identity. Mail cannot be sent "
        "until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/"
        "sender-identity/ to see the Sender Identity requirements",
    ),
    _row(
        "sendgrid",
        "",
        "",
        ("maximum credits exceeded",),
        "provider.sendgrid.credits_exceeded",
        P,
        "ratelimited",
        "the SendGrid account has used up its email credits",
        "Upgrade the plan or wait for the credits to reset; contact SendGrid support if the "
        "limit is wrong.",
        SENDGRID_ERRORS,
        "451 Authentication failed: Maximum credits exceeded",
    ),
)

#: Mailgun's SMTP relay (smtp.mailgun.org, smtp.eu.mailgun.org).
MAILGUN: tuple[ProviderRule, ...] = (
    _row(
        "mailgun",
        "",
        "",
        (
            "authorized recipients",
            "sandbox subdomains are for test purposes",
            "free accounts are for test purposes",
        ),
        "provider.mailgun.sandbox_recipient_not_authorized",
        P,
        "rejected",
        "a Mailgun sandbox domain sends only to its authorized recipients",
        "Add and verify your own domain in Mailgun, or add the address as an authorized "
        "recipient (at most 5) and have it accept the invitation.",
        MAILGUN_AUTHORIZED,
        "421 Domain sandbox0123456789abcdef.mailgun.org is not allowed to send: Sandbox subdomains "
        "are for test purposes only. Please add your own domain or add the address to authorized "
        "recipients in Account Settings.",
    ),
    _row(
        "mailgun",
        "535",
        "",
        "",
        "client.smtp_auth.mailgun_login_rejected",
        C,
        "securityerror",
        "Mailgun refused the SMTP login (wrong password, or a domain of the other region)",
        "Use the domain's SMTP credentials (Sending > Domain settings > SMTP credentials); a "
        "domain created in the EU region logs in at smtp.eu.mailgun.org, a US one at "
        "smtp.mailgun.org.",
        MAILGUN_SMTP,
        "535 Authentication failed",
    ),
)

#: Postmark's SMTP server (smtp.postmarkapp.com).
POSTMARK: tuple[ProviderRule, ...] = (
    _row(
        "postmark",
        "",
        "",
        (
            "is not a sender signature",
            "sender signature not confirmed",
            "sender signature is not confirmed",
            "sender signature not found",
        ),
        "provider.postmark.sender_signature_unconfirmed",
        P,
        "rejected",
        "the From address is not a confirmed Sender Signature (or verified domain) in Postmark",
        "Add the address as a Sender Signature and confirm it, or verify its domain (Sender "
        "Signatures > Add Domain or Signature).",
        POSTMARK_SIGNATURES,
        "550 The 'From' address you supplied (alias@example.net) is not a Sender Signature on "
        "your account. Please add and confirm this address in order to be able to use it in "
        "the 'From' field of your messages.",
    ),
    _row(
        "postmark",
        "",
        "",
        ("marked as inactive", "inactive recipient"),
        "provider.postmark.recipient_inactive",
        P,
        "suppressed",
        "Postmark suppressed the recipient after a hard bounce, spam complaint or manual "
        "suppression",
        "Find why in Postmark (Message Streams > Suppressions); reactivate the address only if "
        "it works again.",
        POSTMARK_INACTIVE,
        "550 You tried to send to recipient(s) that have been marked as inactive. Found "
        "inactive addresses: user@example.org. Inactive recipients are ones that have generated "
        "a hard bounce, a spam complaint, or a manual suppression.",
    ),
)

#: Microsoft 365 and Gmail as receivers: recognised by their words, whoever relayed.
RECEIVERS: tuple[ProviderRule, ...] = (
    _row(
        "any",
        "5",
        r"5\.7\.509",
        ("does not pass dmarc",),
        "recipient.rejected.dmarc",
        R,
        "authfailure",
        "Exchange Online: the message failed DMARC and the From domain's policy is reject",
        "Make SPF or DKIM pass and align with the From domain at the service that sends it.",
        M365_509,
        "550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC "
        "verification and has a DMARC policy of reject.",
    ),
    _row(
        "any",
        "5",
        r"5\.7\.515",
        ("required authentication level",),
        "recipient.rejected.authentication_level",
        R,
        "authfailure",
        "Outlook.com: a high-volume sender's domain does not meet SPF, DKIM and DMARC requirements",
        "Publish SPF, DKIM and a DMARC record for the From domain so that they pass and align.",
        M365_515,
        "550 5.7.515 Access denied, sending domain [example.com] doesn't meet the required "
        "authentication level.",
    ),
    _row(
        "any",
        "5",
        r"5\.7\.23",
        ("sender policy framework", "spf"),
        "recipient.rejected.spf",
        R,
        "authfailure",
        "Exchange Online: the message failed SPF at the receiver",
        "Authorise the sending service in the SPF record of the envelope sender's domain.",
        M365_23,
        "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
    ),
    _row(
        "any",
        "5",
        r"5\.7\.2[67]",
        ("fails to pass spf", "does not pass spf", "doesn't pass spf"),
        "recipient.rejected.spf",
        R,
        "authfailure",
        "Gmail: the envelope sender's SPF fails (hard fail policy) under the sender requirements",
        "Authorise the sending service in the SPF record of the envelope sender's domain.",
        GMAIL_SENDERS,
        "550 5.7.26 This message fails to pass SPF checks for an SPF record with a hard fail "
        "policy (-all). To best protect our users from spam and phishing, the message has been "
        "blocked. - gsmtp",
    ),
    _row(
        "any",
        "5",
        r"5\.7\.26",
        ("dmarc policy",),
        "recipient.rejected.dmarc",
        R,
        "authfailure",
        "Gmail: unauthenticated mail refused because of the From domain's DMARC policy",
        "Make SPF or DKIM pass and align with the From domain.",
        GMAIL_SENDERS,
        "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's "
        "DMARC policy. Please contact the administrator of example.com domain. - gsmtp",
    ),
    _row(
        "any",
        "5",
        r"5\.7\.26",
        ("unauthenticated", "authenticate with"),
        "recipient.rejected.unauthenticated",
        R,
        "authfailure",
        "Gmail: the message passed neither SPF nor DKIM (sender requirements)",
        "Sign with DKIM for the From domain and publish SPF for the envelope sender.",
        GMAIL_SENDERS,
        "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
        "requires all senders to authenticate with either SPF or DKIM. - gsmtp",
    ),
    _row(
        "any",
        "",
        r"[45]\.7\.(0|1|28)",
        ("spam rate", "unusual rate of unsolicited", "reported as spam"),
        "recipient.rejected.spam_rate",
        R,
        "badreputation",
        "Gmail: the sender's user-reported spam rate is too high",
        "Keep the spam rate in Postmaster Tools under 0.3 % (aim for 0.1 %): send only to "
        "people who asked, make unsubscribing easy, drop inactive addresses.",
        GMAIL_SENDERS,
        "421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating "
        "from your IP address. To protect our users from spam, mail sent from your IP address "
        "has been temporarily blocked. - gsmtp",
    ),
)

PROVIDER_RULES: tuple[ProviderRule, ...] = (
    M365_RELAY + GOOGLE_RELAY + SENDGRID + MAILGUN + POSTMARK + RECEIVERS
)


def match(reply: SmtpReply, vendor: str) -> ProviderRule | None:
    """The first row that reads ``reply`` from a server of ``vendor``, or None."""
    if reply.ok:
        return None
    return next((r for r in PROVIDER_RULES if r.matches(reply, vendor)), None)


def match_receiver_text(
    text: str, *, status: str = "", reply_code: str = ""
) -> ProviderRule | None:
    """The receiver row (``any``) that reads a bounce's diagnostic text, or None.

    For bounces and logs, where the reply is text quoted by whoever relayed the mail.

    Args:
        text: The diagnostic text (``550 5.7.26 This mail has been blocked ...``).
        status: The enhanced status code, when the bounce gives it apart.
        reply_code: The reply code, when the bounce gives it apart.
    """
    found = re.match(r"\s*(\d{3})[ -]+(?:([245]\.\d{1,3}\.\d{1,3})\s+)?", text)
    code = reply_code or (found.group(1) if found else "")
    enhanced = status or (found.group(2) or "" if found else "")
    if not code.isdigit() or not enhanced:
        return None
    reply = SmtpReply(code=int(code), enhanced_status=enhanced, lines=(text,))
    return next((r for r in RECEIVERS if r.matches(reply, "any")), None)


def interpret(reply: SmtpReply, *, host: str, vendor: str) -> Interpretation:
    """Read a reply: these rows first, then the general table.

    Args:
        reply: The server's reply.
        host: The server's host name (the general table's vendor comes from it).
        vendor: The vendor the relay profile (or ``--provider``) names.

    Returns:
        The interpretation; ``rule`` None for a positive reply.
    """
    row = match(reply, vendor)
    if row is not None:
        return Interpretation(reply=reply, rule=row.as_reply_rule())
    return general_interpret(reply, host=host)
