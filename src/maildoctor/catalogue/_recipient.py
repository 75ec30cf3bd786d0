"""Recipient layer: what did the recipient's servers decide, and why?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_NOT_PASSWORD = (
    "The relay password of an SMTP client (client.smtp_auth.*): mail that never left the "
    "client is a separate failure with a separate fix."
)
_READ_NDR = (
    'Read "Generating server" and "Remote server" in the NDR first: the server that wrote it '
    "decides which side must act."
)

ENTRIES = (
    Entry(
        id="recipient.rejected.dmarc",
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the mail because it failed DMARC",
        explanation=(
            "The receiver found neither an aligned DKIM signature nor an aligned SPF pass for "
            "the From domain. Exchange Online rejects with 5.7.509 when the domain's policy is "
            "reject and Outlook.com with 5.7.515 when the sender does not meet its "
            "authentication requirements; Gmail answers 550-5.7.26. With SES this usually means "
            "no verified domain identity with Easy DKIM (SES signs as amazonses.com) and the "
            "default MAIL FROM (SPF passes for amazonses.com, unaligned)."
        ),
        fix=(
            "Align DKIM: give the From domain an SES domain identity with Easy DKIM (`aws sesv2 "
            "create-email-identity --email-identity <domain> --region <region>`) and publish "
            "the three CNAMEs `<token>._domainkey.<domain>. CNAME <token>.dkim.amazonses.com.`.",
            "And/or align SPF: a custom MAIL FROM subdomain (`aws sesv2 "
            "put-email-identity-mail-from-attributes --email-identity <domain> "
            "--mail-from-domain bounce.<domain> --region <region>`) with `bounce.<domain>. MX "
            '10 feedback-smtp.<region>.amazonses.com.` and `bounce.<domain>. TXT "v=spf1 '
            'include:amazonses.com ~all"`.',
            "Verify on a test message to a Gmail or Outlook mailbox: `maildoctor headers "
            "<message.eml>` must show `dmarc=pass` with `header.d=<domain>`.",
            "Do not answer this by moving the DMARC policy to p=quarantine: Exchange Online "
            "then quarantines failing mail silently, with no bounce to tell you.",
            "Resend the rejected messages once DKIM shows SUCCESS.",
        ),
        does_not_fix=(
            _NOT_PASSWORD,
            "Recipients on the SES suppression list (provider.ses.recipient_suppressed).",
        ),
        references=(
            R.MS_NDR,
            R.MS_DMARC_INBOUND,
            R.GMAIL_SENDER_GUIDELINES,
            R.RFC7489_ALIGN,
            R.RFC9989,
            R.SES_DMARC,
        ),
        notes=(
            "note.email_vs_domain_identity",
            "note.spf_on_mail_from_domain",
            "note.dmarc_quarantine_silent",
            "note.dmarc_fo_needs_ruf",
        ),
    ),
    Entry(
        id="recipient.rejected.spf",
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the mail because SPF failed",
        explanation=(
            "The connecting IP is not authorized by the SPF record of the envelope sender's "
            "domain (MAIL FROM, or HELO when MAIL FROM is empty). Exchange Online answers "
            "5.7.23, Gmail 5.7.27."
        ),
        fix=(
            "Find the MAIL FROM domain of the rejected message (Return-Path) and authorize the "
            "sending service there; for SES with a custom MAIL FROM: `<mail-from-domain>. TXT "
            '"v=spf1 include:amazonses.com ~all"`.',
            "Check: `maildoctor spf --ip <sending-ip> --sender <mail-from-address>`.",
            _READ_NDR,
        ),
        does_not_fix=(_NOT_PASSWORD, "DKIM alignment, which DMARC may need as well."),
        references=(R.MS_NDR, R.GMAIL_SMTP_ERRORS, R.RFC7208_RESULTS, R.RFC7208_IDENTITIES),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="recipient.rejected.spam",
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the content as spam",
        explanation=(
            "The receiver's filter scored the message as spam (Gmail `550-5.7.1 ... likely "
            "unsolicited mail`, Microsoft 5.7.1 with a spam verdict), from its content, links, "
            "the sender's reputation or missing authentication."
        ),
        fix=(
            "Authenticate fully first (aligned DKIM, SPF, DMARC) - filters weigh it heavily.",
            "Check reputation: Google Postmaster Tools for Gmail, Microsoft SNDS for Outlook.",
            "Review the content: URL shorteners, link domains on blocklists, image-only "
            "messages, missing unsubscribe for bulk mail.",
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.GMAIL_SENDER_GUIDELINES, R.GMAIL_POSTMASTER, R.MS_SNDS, R.MS_NDR),
    ),
    Entry(
        id="recipient.blocked_ip",
        layer=Layer.RECIPIENT,
        title="The recipient's servers blocked the sending IP address",
        explanation=(
            "The rejection names the connecting IP: listed on a public blocklist (`blocked "
            "using Spamhaus`), banned by Microsoft (5.7.606-5.7.649), rate limited for poor "
            "reputation (4.7.650), or on the recipient tenant's own block list (5.7.513)."
        ),
        fix=(
            "Microsoft bans: request delisting at https://sender.office.com for the IP in the NDR.",
            "Public blocklists: look the IP up on the list named in the reply and follow its "
            "removal procedure.",
            "SES shared IPs: open an AWS support case with the NDR; for steady volume consider "
            "dedicated IPs.",
            "Tenant block list (5.7.513): only the recipient's admin can remove it, in the "
            "Microsoft Defender portal > Email & collaboration > Policies & rules > Threat "
            "policies > Tenant Allow/Block Lists.",
        ),
        does_not_fix=("Authentication failures, which are rejected with other codes.",),
        references=(R.MS_NDR, R.MS_DELIST, R.MS_SNDS),
    ),
    Entry(
        id="recipient.user_unknown",
        layer=Layer.RECIPIENT,
        title="The recipient address does not exist",
        explanation=(
            "The receiving server says there is no such mailbox: 5.1.1/5.1.10, or Exchange "
            'Online 5.4.1 "Access denied" (directory-based edge blocking). A hard bounce: '
            "retrying will not help, and SES adds the address to the suppression list."
        ),
        fix=(
            "Check the address for typos with the recipient by another channel, and remove it "
            "from your lists.",
            "Once a corrected or re-created address works, clear it from SES's suppression "
            "list: `aws sesv2 delete-suppressed-destination --email-address <recipient> "
            "--region <region>`.",
        ),
        does_not_fix=("Anything on the sending side: the sender's setup is not at fault.",),
        references=(R.MS_NDR, R.RFC3463, R.SES_SUPPRESSION),
    ),
    Entry(
        id="recipient.mailbox_full",
        layer=Layer.RECIPIENT,
        title="The recipient's mailbox is full",
        explanation=(
            "The receiver accepted the address but had no room (5.2.2, or 4.2.2 while "
            "retrying). A soft bounce: it clears when the recipient frees space."
        ),
        fix=(
            "Tell the recipient by another channel; resend later. Repeated mailbox-full "
            "bounces over weeks usually mean an abandoned mailbox: stop sending.",
        ),
        does_not_fix=("Anything on the sending side.",),
        references=(R.RFC3463, R.MS_NDR),
    ),
)
