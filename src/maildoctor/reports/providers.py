"""Which sending service a report's record came from, told by its authenticated domains.

Aggregate reports name no sender, only an IP and the domains that passed or failed DKIM
and SPF. A service that signs with its own domain (SES's ``amazonses.com``, SendGrid's
``sendgrid.net``) or uses its own MAIL FROM gives itself away there; this table maps those
domains (matched as the domain or any subdomain of it) to the service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["PROVIDER_DOMAINS", "SES", "provider_of"]

SES = "Amazon SES"

#: Authenticated domain (or parent) -> sending service.
PROVIDER_DOMAINS: Mapping[str, str] = {
    "amazonses.com": SES,
    "sendgrid.net": "SendGrid",
    "mailgun.org": "Mailgun",
    "mailgun.net": "Mailgun",
    "mcsv.net": "Mailchimp",
    "mcdlv.net": "Mailchimp",
    "rsgsv.net": "Mailchimp",
    "mandrillapp.com": "Mailchimp Transactional (Mandrill)",
    "sparkpostmail.com": "SparkPost",
    "mtasv.net": "Postmark",
    "pm.mtasv.net": "Postmark",
    "postmarkapp.com": "Postmark",
    "gappssmtp.com": "Google Workspace",
    "google.com": "Google",
    "googlemail.com": "Google",
    "onmicrosoft.com": "Microsoft 365",
    "outlook.com": "Microsoft 365 / Outlook.com",
    "zendesk.com": "Zendesk",
    "exacttarget.com": "Salesforce Marketing Cloud",
    "salesforce.com": "Salesforce",
    "hubspotemail.net": "HubSpot",
    "sendinblue.com": "Brevo",
    "brevo.com": "Brevo",
    "mailjet.com": "Mailjet",
    "zoho.com": "Zoho Mail",
    "zohomail.com": "Zoho Mail",
    "messagingengine.com": "Fastmail",
    "mimecast.com": "Mimecast",
    "freshdesk.com": "Freshdesk",
    "intercom-mail.com": "Intercom",
    "smtp2go.com": "SMTP2GO",
    "elasticemail.com": "Elastic Email",
    "mailersend.net": "MailerSend",
    "customeriomail.com": "Customer.io",
}


def provider_of(domains: Iterable[str]) -> tuple[str, str] | None:
    """The first of ``domains`` that belongs to a known service, and that service.

    Args:
        domains: Authenticated domains (DKIM ``d=``, SPF MAIL FROM), lower-case.

    Returns:
        ``(domain, service)``, or None when no domain is a known service's.
    """
    for domain in domains:
        name = domain.rstrip(".")
        while name:
            service = PROVIDER_DOMAINS.get(name)
            if service:
                return domain, service
            _, dot, name = name.partition(".")
            if not dot:
                break
    return None
