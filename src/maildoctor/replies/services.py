"""The sending services' and the big receivers' reply rows, folded into the one table.

Rows of the reply table (:class:`~maildoctor.replies.model.Rule`) for the relays beyond
SES - Microsoft 365 and Google as relays, SendGrid, Mailgun, Postmark - and for what
Microsoft 365 and Gmail say as receivers, whoever relayed the mail. Each row names its
provider (the relay profile's, ``smtp/profiles.py``; "" for receiver words recognised
anywhere), the reply code, the enhanced status (regex, full match), phrases one of which
the text holds, the catalogue cause, the service's document (``source``) and a real reply
(``examples``). :data:`SERVICE_RULES` goes in front of the rest of
:data:`maildoctor.replies.rules.RULES`; ``tests/replies/test_rules.py`` runs every example
through the classifier.

Rows the table already had (Microsoft 365's 5.7.139 and 5.7.708, Google's 5.7.9, 5.7.26,
5.7.27, Exchange Online's 5.7.509/5.7.515/5.7.23 ...) are not repeated here.
"""

from __future__ import annotations

from ..model import Layer
from .model import Rule

__all__ = ["SERVICE_RULES"]

M365_SMTP_AUTH = (
    "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/"
    "authenticated-client-smtp-submission"
)
M365_SENDAS = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-60-through-5-7-64"
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
) -> Rule:
    """One row; its id is ``<provider>.<last part of the cause>``."""
    provider = {"any": "", "gmail": "google"}.get(provider, provider)
    return Rule(
        id=f"{provider or 'receiver'}.{cause.rsplit('.', 1)[-1]}",
        provider=provider,
        code=code,
        status=enhanced,
        phrases=(phrases,) if isinstance(phrases, str) and phrases else tuple(phrases or ()),
        reason=reason,
        layer=layer,
        cause=cause,
        meaning=meaning,
        fix=fix,
        who=_WHO.get(layer, ""),
        source=source,
        examples=(example,),
    )


_WHO = {
    Layer.CLIENT: "whoever configures the client (its username, password, From address)",
    Layer.PROVIDER: "the sending service account's owner",
    Layer.RECIPIENT: "the sender's domain admin",
}

_M365_ENABLE = (
    "Enable SMTP AUTH for the mailbox (admin center > Users > the user > Mail > Manage email "
    "apps > Authenticated SMTP, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false) "
    "and for the tenant, and exclude it from security defaults - or move the client off SMTP AUTH."
)

#: Microsoft 365 as the relay (smtp.office365.com): client submission.
M365_RELAY: tuple[Rule, ...] = (
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
)

#: Gmail / Google Workspace as the relay (smtp.gmail.com, smtp-relay.gmail.com).
GOOGLE_RELAY: tuple[Rule, ...] = (
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
)

#: SendGrid's SMTP relay (smtp.sendgrid.net).
SENDGRID: tuple[Rule, ...] = (
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
MAILGUN: tuple[Rule, ...] = (
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
POSTMARK: tuple[Rule, ...] = (
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
RECEIVERS: tuple[Rule, ...] = (
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
        "",
        r"4\.7\.0|5\.7\.1",
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

SERVICE_RULES: tuple[Rule, ...] = (
    M365_RELAY + GOOGLE_RELAY + SENDGRID + MAILGUN + POSTMARK + RECEIVERS
)
