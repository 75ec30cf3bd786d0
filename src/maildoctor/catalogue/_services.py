"""Causes of the sending services beyond Amazon SES, and of the user's own Postfix.

Microsoft 365 and Google as relays, SendGrid, Mailgun and Postmark (their SMTP replies
and account checks), Gmail's bulk-sender spam-rate rule, and Postfix relay settings.
The reply texts and sources are the rows of ``replies/services.py``.
"""

from __future__ import annotations

from ..model import Layer
from ._model import Entry

M365_SMTP_AUTH = (
    "Microsoft Learn: Enable or disable authenticated client SMTP submission (SMTP AUTH) in "
    "Exchange Online - https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-"
    "online/authenticated-client-smtp-submission"
)
M365_SENDAS = (
    "Microsoft Learn: Fix NDR error codes 5.7.60 through 5.7.64 - https://learn.microsoft.com/"
    "en-us/troubleshoot/exchange/email-delivery/ndr/fix-error-code-5-7-60-through-5-7-64"
)
GMAIL_ERRORS = "Google: Gmail SMTP errors and codes - https://support.google.com/a/answer/3726730"
GMAIL_RELAY = (
    "Google: Route outgoing SMTP relay messages - https://support.google.com/a/answer/2956491"
)
GMAIL_LIMITS = (
    "Google: Gmail sending limits in Google Workspace - https://support.google.com/a/answer/166852"
)
GMAIL_SENDERS = "Google: Email sender guidelines - https://support.google.com/a/answer/81126"
SENDGRID_ERRORS = (
    "Twilio SendGrid: SMTP errors and troubleshooting - https://www.twilio.com/docs/sendgrid/"
    "for-developers/sending-email/smtp-errors-and-troubleshooting"
)
SENDGRID_SMTP = (
    "Twilio SendGrid: Integrating with the SMTP API - https://www.twilio.com/docs/sendgrid/"
    "for-developers/sending-email/integrating-with-the-smtp-api"
)
SENDGRID_KEYS = (
    "Twilio SendGrid: API keys - https://www.twilio.com/docs/sendgrid/ui/account-and-settings/"
    "api-keys"
)
SENDGRID_IDENTITY = (
    "Twilio SendGrid: Sender Identity - https://www.twilio.com/docs/sendgrid/for-developers/"
    "sending-email/sender-identity"
)
MAILGUN_AUTHORIZED = (
    "Mailgun: Authorized Recipients - https://help.mailgun.com/hc/en-us/articles/217531258"
)
MAILGUN_SMTP = (
    "Mailgun: Send with SMTP (US and EU endpoints) - https://documentation.mailgun.com/docs/"
    "mailgun/user-manual/sending-messages/send-smtp"
)
POSTMARK_SMTP = (
    "Postmark: Sending email with SMTP - https://postmarkapp.com/developer/user-guide/"
    "send-email-with-smtp"
)
POSTMARK_ERRORS = (
    "Postmark: API error codes (401 Sender signature not confirmed, 406 Inactive recipient) - "
    "https://postmarkapp.com/developer/api/overview#error-codes"
)
POSTMARK_INACTIVE = (
    "Postmark: What does inactive mean? - https://postmarkapp.com/support/article/"
    "1112-what-does-inactive-mean"
)
POSTFIX_SASL = "Postfix: SASL Howto (client side) - https://www.postfix.org/SASL_README.html"
POSTFIX_TLS = "Postfix: TLS support (client side) - https://www.postfix.org/TLS_README.html"
RFC8314 = "RFC 8314 section 3 (implicit TLS for mail submission on port 465)"

_NOT_RECIPIENT = (
    "Rejections by the recipients' servers of mail that did leave the service (DMARC, SPF, "
    "reputation: the recipient.* causes)."
)
_RESEND = "Resend what bounced: nothing is retried after a 5xx."

_MICROSOFT_GOOGLE = (
    Entry(
        id="client.send_as.denied",
        layer=Layer.CLIENT,
        title="The authenticated mailbox may not send as the From address",
        explanation=(
            "Microsoft 365 checks that the mailbox that logged in (SMTP AUTH) owns the From "
            "address or holds Send As on it. Sending as an alias that belongs to another "
            'mailbox - or Gmail\'s "Send mail as" through smtp.office365.com for an address '
            "of another user - fails with `554 5.2.252 SendAsDenied` or `550 5.7.60 Client "
            "does not have permissions to send as this sender`."
        ),
        fix=(
            "Send from the authenticated mailbox's own address, or log in as the mailbox that "
            "owns the From address.",
            "Or have an admin grant Send As: Exchange admin center > Recipients > Mailboxes > "
            "the owner > Delegation > Send as > add the authenticating user "
            "(`Add-RecipientPermission <owner> -AccessRights SendAs -Trustee <user>`).",
            _RESEND,
        ),
        does_not_fix=(
            "SMTP AUTH being disabled (client.smtp_auth.disabled_for_tenant) or a wrong "
            "password: the login must succeed before Send As is checked.",
            _NOT_RECIPIENT,
        ),
        references=(M365_SENDAS,),
    ),
    Entry(
        id="client.smtp_auth.web_login_required",
        layer=Layer.CLIENT,
        title="Google blocked the SMTP login until the owner signs in with a browser",
        explanation=(
            "Google answered `534 5.7.14 Please log in via your web browser`: it saw the "
            "login as suspicious (new place, less secure app) and wants the account owner to "
            "confirm it interactively. Retrying with the same password keeps failing."
        ),
        fix=(
            "Sign in to the account at https://accounts.google.com from a browser and confirm "
            "the recent activity.",
            "Use an app password (2-Step Verification on) or OAuth in the client rather than "
            "the account password.",
        ),
        does_not_fix=("Google's sending limits or relay registration.", _NOT_RECIPIENT),
        references=(GMAIL_ERRORS,),
    ),
    Entry(
        id="provider.google_relay.not_registered",
        layer=Layer.PROVIDER,
        title="Google's SMTP relay does not accept this client's IP address or domain",
        explanation=(
            "smtp-relay.gmail.com relays only for Workspace customers it can identify: an IP "
            "address listed in the SMTP relay setting, or SMTP AUTH by a Workspace user, and "
            "a sending domain registered in the account. Otherwise it answers `550 5.7.0 Mail "
            "relay denied ... Invalid credentials for relay`."
        ),
        fix=(
            "Admin console > Apps > Google Workspace > Gmail > Routing > SMTP relay service: "
            "add the client's public IP address (or require SMTP authentication) and allow "
            "the sender addresses it uses.",
            "Send from a domain registered in the Workspace account (primary, secondary or "
            "alias domain).",
        ),
        does_not_fix=("Gmail account passwords (smtp.gmail.com is a different service).",),
        references=(GMAIL_RELAY, GMAIL_ERRORS),
    ),
    Entry(
        id="provider.google.sending_limit",
        layer=Layer.PROVIDER,
        title="The Google account reached its daily sending limit",
        explanation=(
            "Gmail and Workspace mailboxes have daily limits on messages and recipients; past "
            "them Google answers `550 5.4.5 Daily user sending limit exceeded` (or the relay's "
            "`Daily SMTP relay limit exceeded`) for up to 24 hours."
        ),
        fix=(
            "Wait for the limit to reset (up to 24 hours).",
            "Send bulk or application mail through a sending service, not a mailbox.",
        ),
        does_not_fix=("Authentication or DNS problems.",),
        references=(GMAIL_LIMITS,),
    ),
)

_SENDGRID = (
    Entry(
        id="client.smtp_auth.sendgrid_api_key_revoked",
        layer=Layer.CLIENT,
        title="The SendGrid API key the client uses was revoked or deleted",
        explanation=(
            "SendGrid's SMTP relay logs in with username `apikey` and an API key as password. "
            "A key that was deleted, revoked or mistyped is refused with `535 Authentication "
            "failed: The provided authorization grant is invalid, expired, or revoked`; every "
            "client holding it (a Postfix relayhost's sasl_passwd, an application) fails."
        ),
        fix=(
            "Create a new API key with Mail Send permission: Settings > API Keys > Create API "
            "Key (SendGrid shows the key once).",
            "Store it as the SMTP password (username stays `apikey`); for Postfix: "
            "`[smtp.sendgrid.net]:587 apikey:<key>` in sasl_passwd, then `postmap "
            "/etc/postfix/sasl_passwd` and `postfix reload`.",
            _RESEND,
        ),
        does_not_fix=(
            "An unverified Sender Identity (provider.sendgrid.sender_identity_unverified).",
            _NOT_RECIPIENT,
        ),
        references=(SENDGRID_KEYS, SENDGRID_ERRORS),
    ),
    Entry(
        id="client.smtp_auth.sendgrid_username_not_apikey",
        layer=Layer.CLIENT,
        title="The SendGrid SMTP username is not the literal word apikey",
        explanation=(
            "Every SendGrid SMTP login uses the username `apikey`; the account's login name or "
            "e-mail address is refused with `535 Authentication failed: Bad username / "
            "password`."
        ),
        fix=("Set the SMTP username to `apikey` and the password to an API key (`SG.…`).",),
        does_not_fix=("A revoked API key (client.smtp_auth.sendgrid_api_key_revoked).",),
        references=(SENDGRID_SMTP,),
    ),
    Entry(
        id="client.smtp_auth.sendgrid_password_not_api_key",
        layer=Layer.CLIENT,
        title="The SendGrid SMTP password is not an API key",
        explanation=(
            "SendGrid's SMTP password is an API key `SG.<id>.<secret>`; the account password, "
            "or the key's id shown in the console without its secret part, is refused."
        ),
        fix=(
            "Create an API key with Mail Send permission (Settings > API Keys) and use the "
            "whole key as the SMTP password.",
        ),
        does_not_fix=("The username, which must be `apikey`.",),
        references=(SENDGRID_SMTP, SENDGRID_KEYS),
    ),
    Entry(
        id="provider.sendgrid.sender_identity_unverified",
        layer=Layer.PROVIDER,
        title="The From address is not a verified Sender Identity in SendGrid",
        explanation=(
            "SendGrid sends only from a verified Single Sender or from a domain with Domain "
            "Authentication; otherwise it refuses the message (`550 The from address does not "
            "match a verified Sender Identity`, or `403 You are not authorized to send from "
            "that email address`)."
        ),
        fix=(
            "Settings > Sender Authentication: authenticate the From domain (publish the three "
            "CNAMEs SendGrid gives) or verify the address as a Single Sender.",
            _RESEND,
        ),
        does_not_fix=("The API key (client.smtp_auth.sendgrid_*).", _NOT_RECIPIENT),
        references=(SENDGRID_IDENTITY, SENDGRID_ERRORS),
    ),
    Entry(
        id="provider.sendgrid.credits_exceeded",
        layer=Layer.PROVIDER,
        title="The SendGrid account used up its email credits",
        explanation=(
            "A plan's credits (messages per day or month) are used up; SendGrid answers `451 "
            "Authentication failed: Maximum credits exceeded` until they reset."
        ),
        fix=(
            "Upgrade the plan or wait for the reset; ask SendGrid support if the limit is wrong.",
        ),
        does_not_fix=("Sender identity or credential problems.",),
        references=(SENDGRID_ERRORS,),
    ),
    Entry(
        id="provider.sendgrid.recipient_suppressed",
        layer=Layer.PROVIDER,
        title="The recipient is on a SendGrid suppression list (bounces, blocks, spam reports)",
        explanation=(
            "After a bounce, block or spam report SendGrid suppresses the address and drops "
            "further messages to it without trying."
        ),
        fix=(
            "Look it up: Suppressions > Bounces (or `GET /v3/suppression/bounces/<address>`).",
            "Only if the address works again, remove it from the list, then resend.",
        ),
        does_not_fix=("Why it bounced: a dead mailbox bounces again.",),
        references=(SENDGRID_ERRORS,),
    ),
)

_MAILGUN_POSTMARK = (
    Entry(
        id="provider.mailgun.sandbox_recipient_not_authorized",
        layer=Layer.PROVIDER,
        title="A Mailgun sandbox domain sends only to its authorized recipients",
        explanation=(
            "Mailgun's sandbox domains (`sandbox<id>.mailgun.org`), and free accounts without a "
            "card, deliver only to up to five authorized recipients who accepted an invitation; "
            "others are refused (`Domain sandbox... is not allowed to send: Sandbox subdomains "
            "are for test purposes only`)."
        ),
        fix=(
            "Add your own sending domain in Mailgun, publish its DNS records, and send with its "
            "SMTP credentials.",
            "For tests only: add the address as an authorized recipient and have it accept.",
        ),
        does_not_fix=("DNS authentication of your own domain once you add it.",),
        references=(MAILGUN_AUTHORIZED,),
    ),
    Entry(
        id="client.smtp_auth.mailgun_login_rejected",
        layer=Layer.CLIENT,
        title="Mailgun refused the SMTP login (credentials, or a domain of the other region)",
        explanation=(
            "Mailgun's SMTP logins belong to one domain in one region. A domain created in the "
            "EU region exists only at smtp.eu.mailgun.org (and api.eu.mailgun.net); logging in "
            "at smtp.mailgun.org fails with `535 Authentication failed`, as does a wrong or "
            "reset password."
        ),
        fix=(
            "Use the endpoint of the domain's region: smtp.eu.mailgun.org for EU domains, "
            "smtp.mailgun.org for US ones.",
            "Reset the SMTP credential's password (Sending > Domain settings > SMTP "
            "credentials) and store the new one in the client.",
        ),
        does_not_fix=("Sandbox restrictions on recipients.",),
        references=(MAILGUN_SMTP,),
    ),
    Entry(
        id="client.smtp_auth.postmark_token_mismatch",
        layer=Layer.CLIENT,
        title="Postmark's SMTP login needs the same server token as username and password",
        explanation=(
            "Postmark's SMTP server authenticates with one server API token used as both "
            "username and password; a different password (the account's) is refused."
        ),
        fix=(
            "Servers > the server > API Tokens: copy the server token and use it as both the "
            "SMTP username and the password.",
        ),
        does_not_fix=("Sender signatures (provider.postmark.sender_signature_unconfirmed).",),
        references=(POSTMARK_SMTP,),
    ),
    Entry(
        id="provider.postmark.sender_signature_unconfirmed",
        layer=Layer.PROVIDER,
        title="The From address is not a confirmed Postmark Sender Signature or verified domain",
        explanation=(
            "Postmark sends only from confirmed Sender Signatures or from domains verified by "
            "DKIM; other From addresses are refused (\"The 'From' address you supplied is not a "
            'Sender Signature on your account"; API error 400/401).'
        ),
        fix=(
            "Sender Signatures > Add Domain or Signature: add the address and click the "
            "confirmation link, or verify the domain (publish its DKIM TXT record and the "
            "Return-Path CNAME).",
            _RESEND,
        ),
        does_not_fix=("Inactive (suppressed) recipients.", _NOT_RECIPIENT),
        references=(POSTMARK_ERRORS,),
    ),
    Entry(
        id="provider.postmark.recipient_inactive",
        layer=Layer.PROVIDER,
        title="Postmark marked the recipient inactive (hard bounce, spam complaint, suppression)",
        explanation=(
            "After a hard bounce, a spam complaint or a manual suppression Postmark refuses to "
            "send to the address (`You tried to send to recipient(s) that have been marked as "
            "inactive`; API error 406)."
        ),
        fix=(
            "Message Streams > the stream > Suppressions: look the address up to see why.",
            "Reactivate it only if it works again (hard bounces can be reactivated; spam "
            "complaints cannot), then resend.",
        ),
        does_not_fix=("Why it bounced: a dead mailbox bounces again.",),
        references=(POSTMARK_INACTIVE, POSTMARK_ERRORS),
    ),
    Entry(
        id="provider.postmark.domain_unverified",
        layer=Layer.PROVIDER,
        title="The sending domain's DKIM or Return-Path is not verified in Postmark",
        explanation=(
            "Postmark signs with the domain's DKIM key and uses its custom Return-Path only "
            "once it found the DNS records; until then mail is signed for pm.mtasv.net and "
            "DMARC cannot align with the From domain."
        ),
        fix=(
            "Sender Signatures > the domain > DNS settings: publish the DKIM TXT record and the "
            "Return-Path CNAME (to pm.mtasv.net), then Verify.",
        ),
        does_not_fix=("Recipients that Postmark marked inactive.",),
        references=(POSTMARK_ERRORS,),
    ),
    Entry(
        id="provider.sendgrid.domain_unauthenticated",
        layer=Layer.PROVIDER,
        title="The sending domain's Domain Authentication in SendGrid is not valid",
        explanation=(
            "SendGrid signs with the domain's DKIM and uses its return path only when the "
            "authenticated domain's CNAMEs are valid; otherwise mail is signed for sendgrid.net "
            "and DMARC cannot align with the From domain."
        ),
        fix=(
            "Settings > Sender Authentication > the domain: publish the CNAMEs exactly as "
            "shown, then Verify.",
        ),
        does_not_fix=("Suppressed recipients or API key problems.",),
        references=(SENDGRID_IDENTITY,),
    ),
)

_RECEIVERS = (
    Entry(
        id="recipient.rejected.spam_rate",
        layer=Layer.RECIPIENT,
        title="Gmail limits or refuses mail because of the sender's spam rate",
        explanation=(
            "Gmail's sender guidelines ask bulk senders to keep the user-reported spam rate "
            "in Postmaster Tools under 0.3 %; above it (or after an unusual rate of unsolicited "
            "mail) Gmail rate-limits with 421 4.7.0/4.7.28 or rejects with 550 5.7.1."
        ),
        fix=(
            "Check the spam rate in Google Postmaster Tools; send only to people who asked, "
            "honour unsubscribes within two days and offer RFC 8058 one-click unsubscribe.",
            "Lower the volume until the rate falls; retries of 4xx happen by themselves.",
        ),
        does_not_fix=("SPF, DKIM or DMARC failures, which need DNS changes.",),
        references=(GMAIL_SENDERS, GMAIL_ERRORS),
    ),
)

_POSTFIX = (
    Entry(
        id="client.postfix.tls_wrappermode_missing",
        layer=Layer.CLIENT,
        title="Postfix relays to port 465 without smtp_tls_wrappermode",
        explanation=(
            "Port 465 speaks TLS from the first byte (RFC 8314). Postfix's SMTP client speaks "
            "plain SMTP and STARTTLS unless `smtp_tls_wrappermode = yes` (and "
            "`smtp_tls_security_level = encrypt`); against 465 it waits for a banner that never "
            "comes and the mail stays deferred."
        ),
        fix=(
            "Either relay to port 587 with STARTTLS: `relayhost = [host]:587`, "
            "`smtp_tls_security_level = encrypt`;",
            "or keep 465 and add `smtp_tls_wrappermode = yes` and `smtp_tls_security_level = "
            "encrypt` to main.cf, then `postfix reload`.",
        ),
        does_not_fix=("Credentials in smtp_sasl_password_maps.",),
        references=(POSTFIX_TLS, RFC8314),
    ),
    Entry(
        id="client.postfix.tls_disabled",
        layer=Layer.CLIENT,
        title="Postfix relays without TLS to a relay that requires it",
        explanation=(
            "`smtp_tls_security_level = none` (or unset, which is none) makes Postfix send "
            "AUTH and mail in clear text; relays that require TLS (Microsoft 365, Gmail, "
            "Postmark, SES) refuse AUTH before STARTTLS, and Postfix will not even offer the "
            "password without TLS if `smtp_sasl_tls_security_options` forbids it."
        ),
        fix=(
            "`smtp_tls_security_level = encrypt` in main.cf (TLS mandatory to the relay), "
            "then `postfix reload`.",
        ),
        does_not_fix=("Credentials in smtp_sasl_password_maps.",),
        references=(POSTFIX_TLS,),
    ),
    Entry(
        id="client.postfix.sasl_disabled",
        layer=Layer.CLIENT,
        title="Postfix relays through an authenticated relay without SMTP AUTH",
        explanation=(
            "The relayhost requires a login but `smtp_sasl_auth_enable` is not `yes`, so "
            "Postfix never sends the credentials in smtp_sasl_password_maps and the relay "
            "answers 530 (authentication required)."
        ),
        fix=(
            "`smtp_sasl_auth_enable = yes`, `smtp_sasl_security_options = noanonymous`, "
            "`smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd`, then `postmap "
            "/etc/postfix/sasl_passwd` and `postfix reload`.",
        ),
        does_not_fix=("A wrong or stale password in the map.",),
        references=(POSTFIX_SASL,),
    ),
    Entry(
        id="client.postfix.no_credential_for_relay",
        layer=Layer.CLIENT,
        title="Postfix's password map has no entry for the relayhost",
        explanation=(
            "smtp_sasl_password_maps is looked up with the relayhost exactly as written in "
            "main.cf (`[host]:port`, brackets included). A map whose key differs (no brackets, "
            "another port) or a missing file gives Postfix no password, so it relays without "
            "logging in."
        ),
        fix=(
            "Write the key exactly as relayhost: `[host]:587 user:password` in the map file, "
            "then `postmap` the file and `postfix reload`.",
        ),
        does_not_fix=("A wrong password once the key matches.",),
        references=(POSTFIX_SASL,),
    ),
)

ENTRIES = _MICROSOFT_GOOGLE + _SENDGRID + _MAILGUN_POSTMARK + _RECEIVERS + _POSTFIX
