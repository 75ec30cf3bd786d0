"""References cited by the catalogue, named once so a moved page is fixed in one place."""

from __future__ import annotations

# Amazon SES and IAM (Amazon SES Developer Guide, IAM User Guide).
SES_SMTP_CREDENTIALS = (
    "AWS: Obtaining Amazon SES SMTP credentials - "
    "https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html"
)
SES_SMTP_CONNECT = (
    "AWS: Connecting to an Amazon SES SMTP endpoint - "
    "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html"
)
SES_SMTP_ISSUES = (
    "AWS: SMTP issues and response codes - "
    "https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html"
)
SES_IDENTITIES = (
    "AWS: Creating and verifying identities in Amazon SES - "
    "https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html"
)
SES_REGIONS = "AWS: Regions and Amazon SES - https://docs.aws.amazon.com/ses/latest/dg/regions.html"
SES_EASY_DKIM = (
    "AWS: Easy DKIM in Amazon SES - "
    "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html"
)
SES_BYODKIM = (
    "AWS: Provide your own DKIM authentication token (BYODKIM) in Amazon SES - "
    "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-bring-your-own.html"
)
SES_DMARC = (
    "AWS: Complying with DMARC in Amazon SES - "
    "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dmarc.html"
)
SES_MAIL_FROM = (
    "AWS: Using a custom MAIL FROM domain - "
    "https://docs.aws.amazon.com/ses/latest/dg/mail-from.html"
)
SES_SUPPRESSION = (
    "AWS: Using the Amazon SES account-level suppression list - "
    "https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html"
)
SES_SANDBOX = (
    "AWS: Request production access (moving out of the Amazon SES sandbox) - "
    "https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html"
)
SES_ENFORCEMENT = (
    "AWS: Amazon SES sending review process FAQs - "
    "https://docs.aws.amazon.com/ses/latest/dg/faqs-enforcement.html"
)
SES_PERMISSIONS = (
    "AWS: Controlling access to Amazon SES - "
    "https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html"
)
IAM_ACCESS_KEYS = (
    "AWS: Managing access keys for IAM users - "
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"
)
SES_TLS_POLICY = (
    "AWS: Amazon SES and security protocols (TLS policy of configuration sets) - "
    "https://docs.aws.amazon.com/ses/latest/dg/security-protocols.html"
)

# Google.
GMAIL_SEND_AS = (
    "Google: Send emails from a different address or alias - "
    "https://support.google.com/mail/answer/22370"
)
GMAIL_SENDER_GUIDELINES = (
    "Google: Email sender guidelines - https://support.google.com/a/answer/81126"
)
GMAIL_SMTP_ERRORS = (
    "Google: SMTP errors and reference codes - https://support.google.com/a/answer/3726730"
)
GMAIL_POSTMASTER = "Google Postmaster Tools - https://postmaster.google.com"

# Microsoft.
MS_NDR = (
    "Microsoft: Email non-delivery reports and SMTP errors in Exchange Online - "
    "https://learn.microsoft.com/exchange/mail-flow-best-practices/"
    "non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
)
MS_DMARC_INBOUND = (
    "Microsoft: Set up DMARC to validate the From address domain (how Microsoft 365 handles "
    "inbound mail that fails DMARC) - "
    "https://learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure"
)
MS_QUARANTINE = (
    "Microsoft: Manage quarantined messages as an admin - "
    "https://learn.microsoft.com/defender-office-365/quarantine-admin-manage-messages-files"
)
MS_DELIST = "Microsoft: Office 365 delist portal - https://sender.office.com"
MS_SNDS = "Microsoft SNDS (Smart Network Data Services) - https://sendersupport.olc.protection.outlook.com/snds/"

# RFCs.
RFC5321_REPLY = "RFC 5321 section 4.2 (SMTP replies) and section 4.5.3.1 (size limits)"
RFC3463 = "RFC 3463 (enhanced mail system status codes)"
RFC4954_AUTH = "RFC 4954 section 4 (the AUTH command) and section 6 (535 and 530 replies)"
RFC3207 = "RFC 3207 (SMTP service extension for secure SMTP over TLS)"
RFC8314 = "RFC 8314 section 3 (implicit TLS for mail submission on port 465)"
RFC6125 = "RFC 6125 section 6 (verifying a server's identity in its certificate)"
RFC7208_LIMITS = "RFC 7208 section 4.6.4 (DNS lookup limits: 10 terms, 2 void lookups)"
RFC7208_RECORD = "RFC 7208 section 4.5 (selecting records: more than one is a permerror)"
RFC7208_SYNTAX = "RFC 7208 section 4.6 (record evaluation) and section 12 (collected ABNF)"
RFC7208_IDENTITIES = "RFC 7208 section 2.4 (the MAIL FROM identity is the one checked)"
RFC7208_RESULTS = "RFC 7208 section 2.6 (results: fail, softfail, permerror...)"
RFC7489_TAGS = "RFC 7489 section 6.3 (DMARC record tags: p, rua, ruf, fo)"
RFC7489_ALIGN = "RFC 7489 section 3.1 (identifier alignment)"
RFC9989 = "RFC 9989 (DMARCbis: policy discovery, alignment, p/np/t tags)"
RFC9990 = "RFC 9990 (DMARC reporting: aggregate rua and failure ruf reports)"
RFC6376_KEYS = "RFC 6376 section 3.6 (DKIM key records in DNS)"
RFC6376_VERIFY = "RFC 6376 section 6.1 (verifying a DKIM signature)"
RFC7505 = "RFC 7505 sections 3 and 4 (null MX: the domain accepts no mail)"
RFC8461 = "RFC 8461 (MTA-STS)"
RFC3464 = "RFC 3464 (delivery status notifications)"
