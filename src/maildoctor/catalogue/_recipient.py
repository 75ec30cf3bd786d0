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

_CORE = (
    Entry(
        id="recipient.rejected.dmarc",
        aliases=("recipient.rejected.alignment",),
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

_ALIGN_DKIM = (
    "Sign with the From domain: SES domain identity with Easy DKIM (`aws sesv2 "
    "create-email-identity --email-identity <domain> --region <region>`) and its three CNAMEs "
    "`<token>._domainkey.<domain>. CNAME <token>.dkim.amazonses.com.`."
)
_VERIFY = (
    "Verify on a test message: `maildoctor headers <message.eml>` should show `spf=pass`, "
    "`dkim=pass header.d=<domain>` and `dmarc=pass`."
)
_NOT_SENDER = "Anything on the sending side: the sender's setup is not at fault."
_TELL = "Tell the recipient by another channel; only they (or their admin) can act."

_AUTH = (
    Entry(
        id="recipient.rejected.authentication",
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the mail for failed authentication",
        explanation=(
            "The receiver refused the message because SPF, DKIM or DMARC failed, without "
            "saying which (Sisimai's authfailure). With SES the usual reason is DKIM not "
            "aligned with the From domain and SPF checked on amazonses.com."
        ),
        fix=(_ALIGN_DKIM, _VERIFY),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_NDR, R.GMAIL_SENDER_GUIDELINES, R.RFC7489_ALIGN),
        notes=("note.email_vs_domain_identity", "note.spf_on_mail_from_domain"),
    ),
    Entry(
        id="recipient.rejected.authentication_level",
        layer=Layer.RECIPIENT,
        title="Outlook.com rejected the mail: the domain does not meet its authentication level",
        explanation=(
            "`550 5.7.515 Access denied, sending domain <domain> doesn't meet the required "
            "authentication level`, listing Spf=, Dkim= and DMARC= results: Outlook.com expects "
            "high-volume senders to pass SPF, DKIM and DMARC (at least p=none, aligned)."
        ),
        fix=(_ALIGN_DKIM, "Publish DMARC if missing (see dns.dmarc.missing).", _VERIFY),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_NDR, R.MS_DMARC_INBOUND),
        notes=("note.email_vs_domain_identity", "note.dmarc_quarantine_silent"),
    ),
    Entry(
        id="recipient.rejected.unauthenticated",
        layer=Layer.RECIPIENT,
        title="Gmail rejected the mail as unauthenticated",
        explanation=(
            "Gmail answered `550-5.7.26`: the message passed neither SPF nor DKIM (or failed "
            "the domain's DMARC policy). Gmail requires every sender to authenticate."
        ),
        fix=(_ALIGN_DKIM, _VERIFY),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.GMAIL_SENDER_GUIDELINES, R.GMAIL_SMTP_ERRORS),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="recipient.rejected.dkim",
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the mail because DKIM failed",
        explanation=(
            "The DKIM signature did not verify (Gmail 5.7.30): no key at the selector, a "
            "revoked or mistyped key, or the message was altered after signing (a mailing "
            "list, a forwarding rule, a footer added by a gateway)."
        ),
        fix=(
            "Check the key: `maildoctor dns <domain> --selector <selector>`.",
            "Check a delivered copy: `maildoctor headers <message.eml>` (body hash mismatch "
            "means the message was changed in transit).",
            _ALIGN_DKIM,
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.GMAIL_SMTP_ERRORS, R.RFC6376_VERIFY),
    ),
    Entry(
        id="recipient.rejected.ptr",
        aliases=("recipient.rejected.no_ptr",),
        layer=Layer.RECIPIENT,
        title="The recipient's servers rejected the sending IP for missing reverse DNS",
        explanation=(
            "Exchange Online and Gmail answer 5.7.25 when the connecting IP has no PTR record "
            "(or one that does not resolve back). SES's IPs have one, so this points at your "
            "own sending server."
        ),
        fix=(
            "Have the IP's owner set a PTR to a host name that resolves back to the IP "
            "(see dns.ptr.missing); check with `maildoctor dns <domain> --ip <sending-ip>`.",
        ),
        does_not_fix=("SPF, DKIM or DMARC failures.",),
        references=(R.MS_NDR, R.GMAIL_SMTP_ERRORS),
    ),
)

_REPUTATION = (
    Entry(
        id="recipient.bad_reputation",
        aliases=("recipient.rejected.ip_reputation",),
        layer=Layer.RECIPIENT,
        title="The recipient's servers throttled or rejected the mail for poor reputation",
        explanation=(
            "The sending IP or domain has a poor reputation with the receiver (Exchange Online "
            "4.7.650, Gmail 550-5.7.1 low reputation), from spam complaints, bounces or a "
            "shared IP's neighbours."
        ),
        fix=(
            "Check reputation: Google Postmaster Tools, Microsoft SNDS; delist at "
            "https://sender.office.com if Microsoft banned the IP.",
            "Authenticate fully, send only wanted mail, keep bounce and complaint rates low; "
            "for steady volume on SES consider dedicated IPs.",
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_NDR, R.GMAIL_POSTMASTER, R.MS_SNDS, R.MS_DELIST),
    ),
    Entry(
        id="recipient.rate_limited",
        aliases=("recipient.rejected.rate_limited",),
        layer=Layer.RECIPIENT,
        title="The recipient's servers are rate-limiting the sender",
        explanation=(
            "Too much mail arrived too fast (Gmail `421-4.7.28`, Exchange 4.7.650 style "
            "deferrals): the receiver defers the rest. Temporary, but a sign of reputation "
            "trouble if it lasts."
        ),
        fix=(
            "Slow down and let retries work; spread large sends over time.",
            "If it persists: see recipient.bad_reputation.",
        ),
        does_not_fix=("Authentication failures.",),
        references=(R.GMAIL_SMTP_ERRORS, R.MS_NDR),
    ),
    Entry(
        id="recipient.rejected.tenant_blocklist",
        layer=Layer.RECIPIENT,
        title="The recipient's Microsoft 365 tenant blocks the sender",
        explanation=(
            "Exchange Online 5.7.513 (or a blocked-sender verdict): the recipient's own tenant "
            "lists the sender, domain or IP on its block list."
        ),
        fix=(
            _TELL + " Their admin removes it in the Microsoft Defender portal > Email & "
            "collaboration > Policies & rules > Threat policies > Tenant Allow/Block Lists.",
        ),
        does_not_fix=(_NOT_PASSWORD, "Authentication failures elsewhere."),
        references=(R.MS_NDR,),
    ),
    Entry(
        id="recipient.complaint",
        layer=Layer.RECIPIENT,
        title="The recipient marked the mail as spam",
        explanation=(
            "A feedback-loop report (ARF) or an SES complaint notification: the recipient "
            'pressed "report spam". Complaints hurt the sender\'s reputation and SES '
            "suppresses the address."
        ),
        fix=(
            "Stop mailing the address; make unsubscribing easy (List-Unsubscribe, one-click).",
            "Watch the complaint rate (provider.ses.complaint_rate_high).",
        ),
        does_not_fix=("Delivery to other recipients.",),
        references=("RFC 5965 (Abuse Reporting Format)", R.SES_SUPPRESSION),
    ),
)

_FILTER = (
    Entry(
        id="recipient.filtered",
        layer=Layer.RECIPIENT,
        title="The recipient's server filtered the mail out",
        explanation=(
            "The receiver refused the message for this recipient by its own rules (Sisimai's "
            "filtered): a mailbox that accepts only some senders, a group that is closed to "
            "outside mail, or a content rule."
        ),
        fix=(_TELL, "Ask them to allow the sender, or to give an address that takes outside mail."),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.filtered.spam",
        layer=Layer.RECIPIENT,
        title="The message was delivered to the recipient's spam/junk folder",
        explanation=(
            "The receiving headers carry a spam verdict (Microsoft SCL 5 or more / SFV:SPM, "
            "Google's spam headers): the mail arrived but was filed as junk."
        ),
        fix=(
            "Authenticate fully (aligned DKIM; DMARC pass), then look at content and "
            "reputation (Google Postmaster Tools, Microsoft SNDS).",
            'Ask recipients to mark it "not spam" and add the sender to their contacts.',
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_DMARC_INBOUND, R.GMAIL_SENDER_GUIDELINES),
    ),
    Entry(
        id="recipient.filtered.phish",
        layer=Layer.RECIPIENT,
        title="The receiver classified the message as phishing",
        explanation=(
            "Microsoft's headers (SFV/CAT:PHSH or HPHSH) or Google's mark the message as "
            "phishing: typical for mail that fails DMARC while claiming a known domain, or "
            "with deceptive links."
        ),
        fix=(
            _ALIGN_DKIM,
            "Remove look-alike or shortened links; send from the domain the links point to.",
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_DMARC_INBOUND,),
    ),
    Entry(
        id="recipient.filtered.spoof",
        layer=Layer.RECIPIENT,
        title="The receiver flagged the message as spoofing the From domain",
        explanation=(
            "Microsoft's composite authentication failed (CAT:SPOOF, compauth=fail): the From "
            "domain did not authenticate, so the message looks forged."
        ),
        fix=(_ALIGN_DKIM, _VERIFY),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_DMARC_INBOUND,),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="recipient.filtered.bulk",
        layer=Layer.RECIPIENT,
        title="The receiver classified the message as bulk mail",
        explanation=(
            "Microsoft's bulk complaint level (BCL) or Google's bulk classification filed the "
            "message as bulk: many similar messages, marketing patterns, complaints."
        ),
        fix=(
            "Send only wanted mail; add List-Unsubscribe; keep complaint rates low; separate "
            "transactional from marketing mail (different subdomains or IPs).",
        ),
        does_not_fix=("Authentication failures.",),
        references=(R.GMAIL_SENDER_GUIDELINES,),
    ),
    Entry(
        id="recipient.filtered.blocked_sender",
        layer=Layer.RECIPIENT,
        title="The recipient (or their admin) blocked the sender",
        explanation=(
            "The receiving headers show a blocked-sender verdict (Microsoft SFV:BLK): the "
            "address or domain is on the recipient's or tenant's block list."
        ),
        fix=(_TELL + " Outlook: Settings > Mail > Junk email > Blocked senders and domains.",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.MS_DMARC_INBOUND,),
    ),
    Entry(
        id="recipient.filtered.mail_flow_rule",
        layer=Layer.RECIPIENT,
        title="A mail flow (transport) rule of the recipient's tenant acted on the message",
        explanation=(
            "Microsoft's headers show the message was handled by an Exchange mail flow rule "
            "(SFV:SKN/SKB set by a rule, or a rule-applied verdict) rather than the filter."
        ),
        fix=(_TELL + " Their admin: Exchange admin center > Mail flow > Rules.",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.MS_DMARC_INBOUND,),
    ),
)

_MAILBOX = (
    Entry(
        id="recipient.mailbox_moved",
        layer=Layer.RECIPIENT,
        title="The recipient's address has moved",
        explanation=(
            "The receiver says the mailbox has moved or the user left (Sisimai's hasmoved, "
            "5.1.6): a hard bounce, often with a new address in the reply."
        ),
        fix=("Update the address (the bounce may name the new one) and stop mailing the old one.",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.mailbox_suspended",
        layer=Layer.RECIPIENT,
        title="The recipient's mailbox is disabled or suspended",
        explanation=(
            "The account exists but is suspended or inactive (Sisimai's suspend): mail is "
            "refused until its owner or admin reactivates it."
        ),
        fix=(_TELL, "Stop mailing it if the bounces continue."),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.rejected.sender",
        layer=Layer.RECIPIENT,
        title="The recipient's server refused the sender address",
        explanation=(
            "The MAIL FROM (envelope sender) was refused (Sisimai's rejected): the sender "
            "domain does not resolve, is blocklisted, or the server accepts only known senders."
        ),
        fix=(
            "Check the sender domain's DNS: `maildoctor dns <domain>` (it must exist and have "
            "an MX).",
            _TELL,
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.RFC5321_REPLY, R.RFC3463),
    ),
    Entry(
        id="recipient.rejected.policy",
        layer=Layer.RECIPIENT,
        title="The recipient's server rejected the mail under a local policy",
        explanation=(
            "The receiver refused the message citing its policy (Sisimai's policyviolation): "
            "attachment types, external senders not allowed, or a content rule."
        ),
        fix=("Read the quoted reply for the rule; " + _TELL[0].lower() + _TELL[1:],),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.rejected.security",
        layer=Layer.RECIPIENT,
        title="The recipient's server rejected the mail for a security reason",
        explanation=(
            "The receiver refused the message for security (Sisimai's securityerror at the "
            "recipient): TLS or authentication requirements the delivery did not meet."
        ),
        fix=("Read the quoted reply; make sure mail is sent over TLS and fully authenticated.",),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.rejected.virus",
        layer=Layer.RECIPIENT,
        title="The recipient's server found malware in the message",
        explanation=(
            "An attachment or link was flagged as malicious (Sisimai's virusdetected); the "
            "message was refused."
        ),
        fix=("Scan the attachment; send files by link instead; check the sending machine.",),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.rejected.relay_denied",
        aliases=("recipient.relay_denied",),
        layer=Layer.RECIPIENT,
        title="The server that received the mail does not accept mail for the recipient's domain",
        explanation=(
            "`5.4.1 Relay access denied` / `554 5.7.1 Relaying denied`: the server is not "
            "authoritative for the recipient's domain (stale MX, a connector not set up in "
            "Microsoft 365, a mistyped domain)."
        ),
        fix=(
            "Check the recipient's MX: `maildoctor mx <recipient-domain>`; if the MX is right, "
            "the recipient's admin must accept the domain (Exchange: accepted domains, "
            "connectors).",
        ),
        does_not_fix=(_NOT_PASSWORD,),
        references=(R.MS_NDR, R.RFC5321_REPLY),
    ),
    Entry(
        id="recipient.mailer_error",
        layer=Layer.RECIPIENT,
        title="The recipient's mail system failed to hand the message to the mailbox",
        explanation=(
            "A local delivery program at the recipient failed (Sisimai's mailererror): a "
            "broken forwarding script or mailbox filter."
        ),
        fix=(_TELL,),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.system_error",
        layer=Layer.RECIPIENT,
        title="The recipient's mail system reported an internal error",
        explanation=(
            "The receiving server failed on its side (Sisimai's systemerror): misconfiguration, "
            "loops, a crashed component. Often temporary."
        ),
        fix=("Retry later; if it persists, " + _TELL[0].lower() + _TELL[1:],),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.system_full",
        layer=Layer.RECIPIENT,
        title="The recipient's mail server is out of storage",
        explanation=(
            "The receiving system (not one mailbox) has no space left (Sisimai's systemfull, "
            "4.3.1/5.3.1)."
        ),
        fix=("Retry later; if it persists, " + _TELL[0].lower() + _TELL[1:],),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3463,),
    ),
    Entry(
        id="recipient.smtp_syntax_error",
        layer=Layer.RECIPIENT,
        title="The recipient's server rejected a command as a syntax error",
        explanation=(
            "5.5.x replies: the sending software sent a command or address the receiver could "
            "not parse (Sisimai's syntaxerror) - usually a bug or misconfiguration in the "
            "sending application."
        ),
        fix=("Check the sending software's envelope addresses and SMTP commands.",),
        does_not_fix=("Authentication or reputation problems.",),
        references=(R.RFC5321_REPLY,),
    ),
)

ENTRIES = _CORE + _AUTH + _REPUTATION + _FILTER + _MAILBOX
