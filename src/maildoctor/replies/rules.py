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
from .services import SERVICE_RULES

__all__ = ["BY_REASON", "RULES"]

C, P, R, T, M, D = (Layer.CLIENT, Layer.PROVIDER, Layer.RECIPIENT, Layer.TRANSPORT,
                    Layer.MESSAGE, Layer.DNS)  # fmt: skip

SES_DOC = "https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html"
MS_DOC = (
    "https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-"
    "exchange-online/non-delivery-reports-in-exchange-online"
)
MS_AUTH_DOC = (
    "https://learn.microsoft.com/exchange/troubleshoot/send-emails/smtp-submission-improvements"
)
GMAIL_DOC = "https://support.google.com/a/answer/3726730"
GMAIL_SENDERS = "https://support.google.com/a/answer/81126"
YAHOO_DOC = "https://senders.yahooinc.com/smtp-error-codes"
POSTFIX_RBL = "https://www.postfix.org/postconf.5.html#reject_rbl_client"
RFC4954 = "RFC 4954 section 6 (AUTH error codes)"
RFC3463 = "RFC 3463 section 3"
RFC7372 = "RFC 7372 section 3 (email authentication status codes)"
RFC5321_NET = "RFC 5321 section 4.5.4.1 (retry strategy: connection failures)"
SENDAS = "REFERENCE.md section 5: Gmail 'Send mail as' notice (https://support.google.com/mail/answer/22370)"

_GMAIL_ALIAS = " For a Gmail alias: Settings -> Accounts and Import -> Send mail as -> edit info."
_AUTH_TEXTS = ("authentication credentials invalid", "username and password not accepted",
               "authentication failed", "too many authentication failures",
               "authentication unsuccessful", "invalid login",
               "incorrect authentication data")  # fmt: skip
_BAN_TEXTS = (
    "access denied, bad outbound sender",  # 5.1.8
    "tenant has exceeded threshold",  # 5.7.705
    "traffic not accepted from this ip",  # 5.7.708
    "client blocked from sending from unregistered domains",  # 5.7.750
)
_BLOCKLIST_TEXTS = ("blocked using", "spamhaus", "listed at", "listed in", "listed on",
                    "blacklist", "block list", "blocklist", "dnsbl", "rbl ", "spamcop",
                    "barracudacentral", "banned sending ip")  # fmt: skip
_NETWORK_TEXTS = ("connection timed out", "timed out while", "connection refused",
                  "network is unreachable", "no route to host", "connection reset",
                  "lost connection with")  # fmt: skip
_OUTBOUND_BANS = r"5\.7\.(?:705|708|750)|5\.1\.8"
_AUTH_REASONS = frozenset(("securityerror", "authfailure", "rejected", "onhold", "undefined"))


RULES: tuple[Rule, ...] = SERVICE_RULES + (
    # Inbound SASL failures in our own server's log: someone guessing passwords.
    Rule(
        id="auth.inbound_guessing",
        side="inbound",
        reason="securityerror",
        layer=C,
        note="note.inbound_auth_failures",
        meaning="a client failed to log in to this server (often password guessing); not "
        "about the mail this server sends",
        fix="Block the client or use fail2ban; check that submission requires TLS.",
        who="this server's operator",
        source=RFC4954,
        examples=("SASL LOGIN authentication failed: UGFzc3dvcmQ6",),
    ),
    # -- Gmail "Send mail as": the quoted relay reply decides (REFERENCE.md section 5). --
    Rule(
        id="gmail.send_as.no_auth",
        notice="gmail-send-as",
        phrases=("does not advertise auth capability",),
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.not_offered",
        meaning="the relay configured in Gmail's 'Send mail as' offers no SMTP AUTH",
        fix="Point the alias at the relay's submission port with STARTTLS (587)." + _GMAIL_ALIAS,
        who="the sender (Gmail settings)",
        source=SENDAS,
        examples=(
            "Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability",
        ),
    ),
    # -- Amazon SES SMTP endpoint (REFERENCE.md section 2). ------------------------------
    Rule(
        id="ses.auth.invalid",
        provider="ses",
        code="535",
        phrases=("authentication credentials invalid",),
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.stale_ses_password",
        meaning="SES rejected the SMTP credentials: stale or wrongly derived SES SMTP password",
        fix="Derive a new SMTP password for this region from the IAM user's current secret "
        "access key (maildoctor ses-smtp-password --region REGION) and update the client."
        + _GMAIL_ALIAS,
        who="the sender (SMTP client settings)",
        source=SES_DOC,
        examples=("535 Authentication Credentials Invalid",),
    ),
    Rule(
        id="ses.not_subscribed",
        phrases=("account not subscribed to ses",),
        reason="securityerror",
        layer=P,
        cause="provider.ses.not_subscribed",
        meaning="the AWS account is not signed up for SES",
        fix="Sign the account up for Amazon SES in this region.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=("535 Account not subscribed to SES",),
    ),
    Rule(
        id="ses.auth.required",
        provider="ses",
        code="530",
        phrases=("authentication required",),
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.required",
        meaning="SES requires SMTP AUTH (after STARTTLS) before sending",
        fix="Configure the client to authenticate with SES SMTP credentials over TLS.",
        who="the sender (SMTP client settings)",
        source=SES_DOC,
        examples=("530 Authentication required",),
    ),
    Rule(
        id="ses.auth.temporary",
        provider="ses",
        code="454",
        phrases=("temporary authentication failure",),
        reason="systemerror",
        layer=P,
        cause="provider.ses.temporary_auth_failure",
        meaning="SES could not check the credentials just now",
        fix="Retry later; if it persists, check the SES service health.",
        who="AWS",
        source=SES_DOC,
        examples=("454 Temporary authentication failure",),
    ),
    Rule(
        id="ses.permission",
        phrases=(
            "not authorized to perform ses:sendrawemail",
            "not authorized to perform `ses:sendrawemail",
            "not authorized to perform ses:sendemail",
        ),
        reason="securityerror",
        layer=P,
        cause="provider.ses.send_permission_missing",
        meaning="the IAM user behind the SMTP credentials lacks ses:SendRawEmail",
        fix="Grant the SMTP user's IAM policy ses:SendRawEmail.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=(
            "554 Access denied: User arn:aws:iam::123456789012:user/ses-smtp is not "
            "authorized to perform ses:SendRawEmail on resource "
            "arn:aws:ses:us-east-1:123456789012:identity/example.com",
        ),
    ),
    # SES API errors read from application logs (maildoctor.logs.formats.app turns them into
    # the SMTP interface's wording): more specific than "not verified" below.
    Rule(
        id="ses.mail_from_unverified",
        phrases=("mailfromdomainnotverified",),
        layer=P,
        cause="provider.ses.mail_from_unverified",
        meaning="SES refuses to send while the custom MAIL FROM domain is not verified "
        "(BehaviorOnMxFailure RejectMessage)",
        fix="Publish the MAIL FROM domain's MX and SPF records and wait for SES to verify it.",
        who="the DNS administrator",
        source="https://docs.aws.amazon.com/ses/latest/dg/mail-from.html",
        examples=(
            "554 Message rejected: MAIL FROM domain is not verified "
            "(MailFromDomainNotVerified): the MAIL FROM domain is not verified",
        ),
    ),
    Rule(
        id="ses.sending_paused",
        phrases=("sending paused for this account",),
        layer=P,
        cause="provider.ses.sending_paused",
        meaning="SES paused the account's sending in this region",
        fix="Read the account's status in the SES console (reputation) and resume sending.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=("554 Sending paused for this account: Sending paused for this account.",),
    ),
    Rule(
        id="ses.identity_unverified",
        phrases=("email address is not verified",),
        reasons=frozenset(("rejected", "norelaying", "securityerror", "onhold")),
        layer=P,
        cause="provider.ses.identity_unverified",
        meaning="the sender (or, in the sandbox, a recipient) is not a verified identity in "
        "this region",
        fix="Verify the identity in the SES region the client sends through, or leave the sandbox.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=(
            "554 Message rejected: Email address is not verified. The following "
            "identities failed the check in region US-EAST-1: admin@example.com",
        ),
    ),
    Rule(
        id="ses.rate.v2_password",
        provider="ses",
        code="454",
        phrases=("maximum sigv2 smtp sending rate exceeded",),
        reason="ratelimited",
        layer=C,
        cause="client.smtp_auth.legacy_v2_password",
        meaning="SES throttles a legacy V2 SMTP password",
        fix="Replace the V2 password with a V4 password derived for this region.",
        who="the sender (SMTP client settings)",
        source=SES_DOC,
        examples=("454 Throttling failure: Maximum SigV2 SMTP sending rate exceeded",),
    ),
    Rule(
        id="ses.quota",
        phrases=("daily message quota exceeded",),
        reason="ratelimited",
        layer=P,
        cause="provider.ses.quota_exceeded",
        meaning="the account's 24-hour sending quota is used up",
        fix="Wait for the quota window or request a higher quota.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=("454 Throttling failure: Daily message quota exceeded",),
    ),
    Rule(
        id="ses.rate",
        phrases=("maximum sending rate exceeded", "throttling failure"),
        reason="ratelimited",
        layer=P,
        cause="provider.ses.throttled",
        meaning="the account's per-second sending rate was exceeded",
        fix="Slow the client down or request a higher sending rate.",
        who="the AWS account owner",
        source=SES_DOC,
        examples=("454 Throttling failure: Maximum sending rate exceeded",),
    ),
    Rule(
        id="ses.connections",
        provider="ses",
        code="421",
        phrases=("too many concurrent smtp connections",),
        reason="ratelimited",
        layer=C,
        cause="client.smtp.too_many_connections",
        meaning="too many SMTP connections to SES at once",
        fix="Reduce the client's concurrent connections.",
        who="the sender",
        source=SES_DOC,
        examples=("421 Too many concurrent SMTP connections",),
    ),
    Rule(
        id="ses.client_timeout",
        provider="ses",
        code="451",
        phrases=("timeout waiting for data from client",),
        reason="networkerror",
        layer=C,
        cause="client.smtp.client_timeout",
        meaning="the client was too slow to send data",
        fix="Check the client's network and timeouts.",
        who="the sender",
        source=SES_DOC,
        examples=("451 4.4.2 Timeout waiting for data from client.",),
    ),
    Rule(
        id="ses.too_long",
        provider="ses",
        code="552",
        phrases=("message is too long",),
        reason="emailtoolarge",
        layer=M,
        cause="message.too_large",
        meaning="the message is over SES's 10 MB limit",
        fix="Send a smaller message.",
        who="the sender",
        source=SES_DOC,
        examples=("552 Message is too long.",),
    ),
    Rule(
        id="ses.invalid_address",
        provider="ses",
        code="553",
        phrases=("invalid email address",),
        reason="syntaxerror",
        layer=C,
        cause="client.smtp.invalid_address",
        meaning="an address in the envelope is not valid",
        fix="Correct the address.",
        who="the sender",
        source=SES_DOC,
        examples=("553 Invalid email address: <nobody@>",),
    ),
    # -- SMTP AUTH anywhere (RFC 4954 section 6). A 535 through SES's relay is the SES
    #    password (REFERENCE.md section 2); anywhere else it is just a failed login. ----
    Rule(
        id="ms.auth.disabled",
        code="535",
        status=r"5\.7\.139",
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.disabled_for_tenant",
        meaning="SMTP AUTH is disabled for the Microsoft 365 tenant or mailbox",
        fix="Enable authenticated SMTP for the mailbox, or use another submission method.",
        who="the Microsoft 365 admin",
        source=MS_AUTH_DOC,
        examples=(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
            "disabled for the Tenant.",
        ),
    ),
    Rule(
        id="gmail.auth.app_password",
        phrases=("application-specific password required",),
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.app_password_required",
        meaning="the account has 2-step verification: an app password is needed",
        fix="Create an app password for this client.",
        who="the sender (account owner)",
        source=GMAIL_DOC,
        examples=(
            "534-5.7.9 Application-specific password required. For more information, "
            "go to https://support.google.com/mail/?p=InvalidSecondFactor",
        ),
    ),
    Rule(
        id="auth.failed",
        code="535",
        reasons=_AUTH_REASONS,
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.failed",
        meaning="the server rejected the credentials",
        fix="Check the username and password in the client." + _GMAIL_ALIAS,
        who="the sender (SMTP client settings)",
        source=RFC4954,
        examples=(
            "535 5.7.8 Username and Password not accepted. For more information, go to "
            "https://support.google.com/mail/?p=BadCredentials",
            "535 5.7.3 Authentication unsuccessful",
            "535 Incorrect authentication data",
        ),
    ),
    Rule(
        id="auth.failed.text",
        reasons=frozenset(("securityerror",)),
        phrases=_AUTH_TEXTS,
        layer=C,
        cause="client.smtp_auth.failed",
        meaning="the server rejected the credentials",
        fix="Check the username and password in the client.",
        who="the sender",
        source=RFC4954,
        examples=("5.7.0 Too many authentication failures",),
    ),
    Rule(
        id="auth.tls_required",
        reasons=_AUTH_REASONS,
        code="538",
        reason="securityerror",
        layer=C,
        cause="client.smtp_tls.required",
        meaning="the server requires TLS before authentication",
        fix="Use STARTTLS or implicit TLS.",
        who="the sender",
        source=RFC4954,
        examples=("538 5.7.11 Encryption required for requested authentication mechanism",),
    ),
    Rule(
        id="auth.required",
        reasons=_AUTH_REASONS,
        code="530",
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.required",
        meaning="the server requires authentication (or TLS) first",
        fix="Authenticate (over TLS) before sending.",
        who="the sender",
        source=RFC4954,
        examples=(
            "530 5.7.57 Client not authenticated to send mail. [DM6PR01CA0001]",
            "530 5.7.0 Must issue a STARTTLS command first",
        ),
    ),
    Rule(
        id="auth.too_weak",
        reasons=_AUTH_REASONS,
        code="534",
        reason="securityerror",
        layer=C,
        cause="client.smtp_auth.failed",
        meaning="the authentication mechanism is too weak for the server",
        fix="Use a stronger mechanism or TLS.",
        who="the sender",
        source=RFC4954,
        examples=("534 5.7.9 Authentication mechanism is too weak",),
    ),
    Rule(
        id="auth.temporary",
        code="454",
        steps=("AUTH", "STARTTLS"),
        reason="systemerror",
        layer=C,
        meaning="temporary failure: authentication or TLS not available now",
        fix="Retry later.",
        who="the server's operator",
        source=RFC4954,
        examples=("454 4.7.0 Temporary authentication failure",),
    ),
    # Any other reply quoted in a Gmail "Send mail as" notice: the relay refused the
    # message itself. After the SES and AUTH rules, so that the quoted reply decides.
    Rule(
        id="gmail.send_as.refused",
        notice="gmail-send-as",
        layer=C,
        cause="client.relay.message_rejected",
        meaning="the relay configured in Gmail's 'Send mail as' refused the message",
        fix="Read the relay's reply: fix what it names (sender, content, quota).",
        who="the sender",
        source=SENDAS,
        examples=("550 Missing subject field.",),
    ),
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
