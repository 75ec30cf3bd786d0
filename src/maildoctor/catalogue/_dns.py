"""DNS layer: does the sender's DNS authenticate the mail (SPF, DKIM, DMARC, MX)?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_SES_SPF = (
    "Mail sent through SES with a custom MAIL FROM domain is checked against the SPF record of "
    'that subdomain (`<mail-from-domain>. TXT "v=spf1 include:amazonses.com ~all"`), not the '
    "apex's."
)
_NOT_DKIM = "DKIM alignment, which DMARC can rest on instead of SPF."
_NOT_SILENT = (
    'Do not jump to `p=quarantine` to "be stricter": Exchange Online then quarantines failing '
    "mail silently (no bounce), hiding the failure you are debugging."
)

_CORE = (
    Entry(
        id="dns.spf.lookup_limit",
        layer=Layer.DNS,
        title="The SPF record needs more than 10 DNS lookups (permerror)",
        explanation=(
            "SPF allows at most 10 terms that cause DNS lookups (include, a, mx, ptr, exists, "
            "redirect), counted through every nested include, and at most 2 void lookups. Past "
            "the limit the result is permerror, which receivers treat like a failure, so SPF "
            "cannot pass for any sender listed in the record."
        ),
        fix=(
            "Remove includes of services that no longer send for the domain, replace `a`/`mx`/"
            "`ptr` terms by `ip4:`/`ip6:` ranges, or move senders to their own subdomains "
            "(each with its own record).",
            "Check the tree and counts: `maildoctor spf --ip <sending-ip> --sender "
            "<address>` and `maildoctor dns <domain>`.",
            _SES_SPF,
        ),
        does_not_fix=(_NOT_DKIM, "Mail sent through a relay whose MAIL FROM is another domain."),
        references=(R.RFC7208_LIMITS, R.RFC7208_RESULTS),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.spf.missing",
        layer=Layer.DNS,
        title="The domain publishes no SPF record",
        explanation=(
            "Without an SPF record the SPF result is none: no receiver can tell authorized "
            "senders from forgers, and Gmail and Outlook.com require SPF or DKIM (and DMARC "
            "for bulk senders)."
        ),
        fix=(
            "Publish one TXT record listing every service that sends with this domain in the "
            'MAIL FROM, e.g. `<domain>. TXT "v=spf1 include:<provider-spf-domain> ~all"`.',
            _SES_SPF,
        ),
        does_not_fix=(_NOT_DKIM,),
        references=(R.RFC7208_IDENTITIES, R.RFC7208_RESULTS, R.GMAIL_SENDER_GUIDELINES),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.spf.permerror",
        layer=Layer.DNS,
        title="The SPF record is invalid (permerror)",
        explanation=(
            "The record cannot be evaluated: more than one `v=spf1` record at the name, a "
            "syntax error, an unknown mechanism, or an include that does not exist. The result "
            "is permerror for every message, which receivers treat like a failure."
        ),
        fix=(
            "Publish exactly one `v=spf1` TXT record at the name (merge them), fix the term "
            "`maildoctor dns <domain>` points at, and remove includes that do not resolve.",
        ),
        does_not_fix=(_NOT_DKIM,),
        references=(R.RFC7208_RECORD, R.RFC7208_SYNTAX, R.RFC7208_RESULTS),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.dmarc.missing",
        layer=Layer.DNS,
        title="The domain publishes no DMARC record",
        explanation=(
            "Without `_dmarc.<domain>` receivers apply their own policy and you get no reports "
            "about who sends as your domain; Gmail and Yahoo require DMARC from bulk senders "
            "and Outlook.com from high-volume senders."
        ),
        fix=(
            'Start with monitoring: `_dmarc.<domain>. TXT "v=DMARC1; p=none; '
            'rua=mailto:dmarc-reports@<domain>"`.',
            "Read the aggregate reports; once all legitimate mail passes aligned DKIM (or "
            "SPF), move to `p=reject`.",
        ),
        does_not_fix=(
            "Alignment: publishing DMARC does not make mail pass it - DKIM signing with the "
            "domain does.",
        ),
        references=(R.RFC9989, R.RFC7489_TAGS, R.GMAIL_SENDER_GUIDELINES),
        notes=("note.dmarc_quarantine_silent",),
    ),
    Entry(
        id="dns.dmarc.fo_without_ruf",
        layer=Layer.DNS,
        title="The DMARC record sets fo= without ruf=, so fo= does nothing",
        explanation=(
            "`fo=` only chooses when *failure* reports are generated, and failure reports go "
            "only to `ruf=` addresses. Without `ruf=` the option has no effect (aggregate `rua=` "
            "reports are unaffected). The record `v=DMARC1; p=quarantine; rua=...; fo=1` that "
            "is often recommended has exactly this mistake."
        ),
        fix=(
            "Either drop `fo=`, or add a failure-report address you can receive: "
            '`_dmarc.<domain>. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@<domain>; '
            'ruf=mailto:dmarc-failures@<domain>; fo=1"` (few receivers send failure reports; '
            "an address outside the domain needs its `<domain>._report._dmarc.<dest>` "
            "authorization record).",
        ),
        does_not_fix=("Any delivery failure: reporting options never change delivery.",),
        references=(R.RFC7489_TAGS, R.RFC9990),
        notes=("note.dmarc_fo_needs_ruf",),
    ),
    Entry(
        id="dns.dmarc.policy_none",
        layer=Layer.DNS,
        title="The DMARC policy is p=none (monitoring only)",
        explanation=(
            "`p=none` asks receivers to take no action on failing mail and only report it. It "
            "does not protect the domain from spoofing, and it is not why mail bounces: a "
            "receiver that rejects for DMARC at p=none is applying its own requirements "
            "(Outlook.com 5.7.515, Gmail 5.7.26). Microsoft may still junk failing mail."
        ),
        fix=(
            "First make legitimate mail pass with alignment (SES: domain identity with Easy "
            "DKIM), confirmed in the `rua=` aggregate reports.",
            'Then enforce: `_dmarc.<domain>. TXT "v=DMARC1; p=reject; '
            'rua=mailto:dmarc-reports@<domain>"` (or p=quarantine as a step, watching the '
            "rua reports rather than bounces, because quarantine is silent to the sender).",
            _NOT_SILENT,
        ),
        does_not_fix=(
            "Mail that fails DMARC today: a stricter policy makes failing mail *less* "
            "deliverable, never more.",
        ),
        references=(R.RFC9989, R.RFC7489_TAGS, R.MS_DMARC_INBOUND),
        notes=("note.dmarc_quarantine_silent", "note.dmarc_fo_needs_ruf"),
    ),
    Entry(
        id="dns.dkim.key_missing",
        layer=Layer.DNS,
        title="No DKIM key is published for the selector",
        explanation=(
            "Receivers look up `<selector>._domainkey.<domain>` to verify a signature with "
            "`s=<selector>`. With no record (or an empty `p=`, which revokes the key) every "
            "signature of that selector fails, and DMARC cannot pass on DKIM."
        ),
        fix=(
            "Publish the key the signer uses: for SES Easy DKIM the three CNAMEs "
            "`<token>._domainkey.<domain>. CNAME <token>.dkim.amazonses.com.`; for other "
            "providers the TXT `v=DKIM1; k=rsa; p=<base64 key>` or CNAME they give you.",
            "Check: `maildoctor dns <domain> --selector <selector>`.",
        ),
        does_not_fix=("SPF problems, or a signature made with another domain's key.",),
        references=(R.RFC6376_KEYS, R.RFC6376_VERIFY, R.SES_EASY_DKIM),
    ),
    Entry(
        id="dns.dkim.not_aligned",
        layer=Layer.DNS,
        title="Mail is DKIM-signed, but not by the From domain (DKIM not aligned)",
        explanation=(
            "DMARC needs a passing DKIM signature whose `d=` is the From domain (or, relaxed, "
            "the same organizational domain). A signature by `d=amazonses.com` or another "
            "provider's domain passes DKIM but does not align, so DMARC fails unless SPF "
            "aligns - and with SES's default MAIL FROM it does not."
        ),
        fix=(
            "Sign with the From domain: for SES create a domain identity with Easy DKIM "
            "(`aws sesv2 create-email-identity --email-identity <domain> --region <region>`) and "
            "publish its three CNAMEs `<token>._domainkey.<domain>. CNAME "
            "<token>.dkim.amazonses.com.`.",
            "Confirm on a test message: `maildoctor headers <message.eml>` should show "
            "`dkim=pass header.d=<domain>`.",
        ),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.RFC7489_ALIGN, R.RFC9989, R.SES_DMARC, R.SES_EASY_DKIM),
        notes=("note.email_vs_domain_identity", "note.spf_on_mail_from_domain"),
    ),
    Entry(
        id="dns.mx.null_mx",
        aliases=("transport.null_mx",),
        layer=Layer.DNS,
        title="The domain publishes a null MX: it accepts no mail",
        explanation=(
            "A single `MX 0 .` record (RFC 7505) declares that the domain receives no email. "
            "Mail *to* it fails at once (5.1.10), and a domain with a null MX used as a "
            "sender cannot receive bounces, so receivers may reject its mail."
        ),
        fix=(
            "If the domain should receive mail (or is used as a sender or MAIL FROM), replace "
            "the null MX with the real mail servers: `<domain>. MX 10 <mail-server>.`.",
            "If it is the recipient's domain, the address is wrong or the domain does not take "
            "mail: ask the recipient for a working address.",
        ),
        does_not_fix=("Authentication (SPF, DKIM, DMARC).",),
        references=(R.RFC7505,),
    ),
)

_CHECK = "Check: `maildoctor dns <domain>`."

_MORE = (
    Entry(
        id="dns.spf.ip_not_permitted",
        layer=Layer.DNS,
        title="SPF does not authorize the IP address the message came from",
        explanation=(
            "Evaluating the MAIL FROM domain's SPF record for the connecting IP gives fail or "
            "softfail: the sending service or server is not listed in the record."
        ),
        fix=(
            "Add the sending service to the SPF record of the MAIL FROM domain (for SES with a "
            "custom MAIL FROM: `include:amazonses.com` on that subdomain).",
            "Check: `maildoctor spf --ip <sending-ip> --sender <mail-from-address>`.",
        ),
        does_not_fix=(_NOT_DKIM,),
        references=(R.RFC7208_RESULTS, R.RFC7208_IDENTITIES),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.mailfrom.not_aligned",
        layer=Layer.DNS,
        title="The MAIL FROM domain is not aligned with the From domain",
        explanation=(
            "SPF can only help DMARC when the MAIL FROM (Return-Path) domain shares the From "
            "domain's organizational domain. With SES's default MAIL FROM "
            "(`amazonses.com`) it never does, so DMARC rests on DKIM alone."
        ),
        fix=(
            "Set a custom MAIL FROM subdomain of the From domain: `aws sesv2 "
            "put-email-identity-mail-from-attributes --email-identity <domain> "
            "--mail-from-domain bounce.<domain> --region <region>`, with its MX and SPF "
            "records (see provider.ses.mail_from_mx_missing).",
            "Or rely on aligned DKIM (SES Easy DKIM on the domain identity), which is enough "
            "for DMARC.",
        ),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.RFC7489_ALIGN, R.SES_MAIL_FROM),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.mailfrom.spf_permerror",
        layer=Layer.DNS,
        title="The MAIL FROM domain's SPF record is a permerror (lookup limit, syntax, includes)",
        explanation=(
            "Receivers evaluate SPF for the MAIL FROM (Return-Path) domain. Its record exists "
            "and may even contain `include:amazonses.com`, but evaluating it ends in permerror "
            "before it authorizes the sending IP: more than 10 DNS-querying terms, more than 2 "
            "void lookups, a syntax error or a missing include. A permerror is never a pass, "
            "so SPF cannot align for DMARC."
        ),
        fix=(
            "Reduce the MAIL FROM record to what sends with that envelope sender; for SES: "
            '`<mail-from-domain>. TXT "v=spf1 include:amazonses.com ~all"`.',
            "Check: `maildoctor spf --ip <sending-ip> --sender postmaster@<mail-from-domain>` "
            "and `maildoctor dns <domain> --mail-from <mail-from-domain>`.",
        ),
        does_not_fix=(
            "DKIM alignment (provider.ses.dkim_* causes), which DMARC can rest on instead.",
            "The apex record's own SPF problems (dns.spf.*): another record.",
        ),
        references=(R.RFC7208_LIMITS, R.RFC7208_RESULTS, R.SES_MAIL_FROM),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="dns.dkim.key_revoked",
        layer=Layer.DNS,
        title="The DKIM key for the selector is revoked (empty p=)",
        explanation=(
            "The key record exists with an empty `p=`, which means the key was revoked: every "
            "signature made with this selector fails."
        ),
        fix=(
            "Sign with a current selector, or publish the current public key at this selector.",
            "Check: `maildoctor dns <domain> --selector <selector>`.",
        ),
        does_not_fix=("SPF problems.",),
        references=(R.RFC6376_KEYS,),
    ),
    Entry(
        id="dns.dkim.key_syntax",
        layer=Layer.DNS,
        title="The DKIM key record is malformed",
        explanation=(
            "The record at `<selector>._domainkey.<domain>` cannot be parsed (bad tags, broken "
            "base64, a key split wrongly across TXT strings), so verifiers treat signatures as "
            "failing."
        ),
        fix=(
            "Republish the record exactly as the signer gives it: `v=DKIM1; k=rsa; p=<base64>` "
            "(long keys as several quoted strings in one TXT record).",
            "Check: `maildoctor dns <domain> --selector <selector>`.",
        ),
        does_not_fix=("SPF problems.",),
        references=(R.RFC6376_KEYS,),
    ),
    Entry(
        id="dns.dkim.key_weak",
        layer=Layer.DNS,
        title="The DKIM key is too short",
        explanation=(
            "RSA keys under 1024 bits are rejected by major receivers and keys under 2048 bits "
            "are discouraged; a weak key makes DKIM fail or be ignored."
        ),
        fix=(
            "Generate a 2048-bit key, publish it under a new selector, switch the signer to it, "
            "then revoke the old selector (publish `p=` empty).",
        ),
        does_not_fix=("SPF problems.",),
        references=(R.RFC6376_KEYS, "RFC 8301 section 3.2 (RSA keys of at least 1024 bits)"),
    ),
    Entry(
        id="dns.dkim.unsigned",
        layer=Layer.DNS,
        title="The message carries no DKIM signature",
        explanation=(
            "Without a DKIM signature DMARC can pass only through aligned SPF, and receivers "
            "such as Gmail require SPF or DKIM from every sender."
        ),
        fix=(
            "Turn on DKIM signing at the sending service; for SES: a domain identity with Easy "
            "DKIM and its three CNAMEs `<token>._domainkey.<domain>. CNAME "
            "<token>.dkim.amazonses.com.`.",
        ),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.RFC6376_VERIFY, R.GMAIL_SENDER_GUIDELINES, R.SES_EASY_DKIM),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="dns.dmarc.multiple_records",
        layer=Layer.DNS,
        title="More than one DMARC record is published",
        explanation=(
            "With more than one `v=DMARC1` record at `_dmarc.<domain>` receivers apply no "
            "policy at all, as if there were none."
        ),
        fix=("Merge them into one record at `_dmarc.<domain>`.", _CHECK),
        does_not_fix=("Alignment: the policy says what to do with failing mail, nothing more.",),
        references=(R.RFC9989, "RFC 7489 section 6.6.3 (policy discovery)"),
    ),
    Entry(
        id="dns.dmarc.syntax_error",
        layer=Layer.DNS,
        title="The DMARC record has syntax errors",
        explanation=(
            "Tags or values in the record are invalid (an unknown `p=`, a `rua=` without "
            "`mailto:`, a missing `v=DMARC1` first), so receivers may ignore the record or parts "
            "of it."
        ),
        fix=(
            'Publish a valid record, e.g. `_dmarc.<domain>. TXT "v=DMARC1; p=none; '
            'rua=mailto:dmarc-reports@<domain>"`.',
            _CHECK,
        ),
        does_not_fix=("Alignment.",),
        references=(R.RFC7489_TAGS, R.RFC9989),
    ),
    Entry(
        id="dns.dmarc.report_destination_unauthorized",
        layer=Layer.DNS,
        title="A DMARC report address outside the domain has not authorized the reports",
        explanation=(
            "Reports to an address in another domain are sent only if that domain publishes "
            '`<domain>._report._dmarc.<destination-domain> TXT "v=DMARC1"`; without it '
            "receivers drop those reports."
        ),
        fix=(
            "Ask the destination to publish `<domain>._report._dmarc.<destination-domain>. TXT "
            '"v=DMARC1"` (a wildcard `*._report._dmarc.<destination-domain>` also works), or '
            "send reports to an address in your own domain.",
        ),
        does_not_fix=("Any delivery failure: reports never change delivery.",),
        references=(R.RFC9990, "RFC 7489 section 7.1 (verifying external destinations)"),
    ),
    Entry(
        id="dns.mx.domain_missing",
        layer=Layer.DNS,
        title="The domain does not exist in DNS",
        explanation=(
            "The sender's domain answers NXDOMAIN: replies and bounces cannot be delivered, and "
            "many receivers reject mail from a domain that does not exist."
        ),
        fix=("Register the domain, or fix its delegation (NS records at the registrar).",),
        does_not_fix=("Anything else until the domain exists.",),
        references=("RFC 5321 section 5.1 (locating the target host)",),
    ),
    Entry(
        id="dns.mx.no_mail_host",
        layer=Layer.DNS,
        title="The domain has neither MX nor address records: it cannot receive mail",
        explanation=(
            "With no MX and no A/AAAA, there is nowhere to deliver replies and bounces; some "
            "receivers reject mail from such sender domains."
        ),
        fix=("Publish an MX record: `<domain>. MX 10 <mail-server>.`.",),
        does_not_fix=("Authentication (SPF, DKIM, DMARC).",),
        references=("RFC 5321 section 5.1 (locating the target host)",),
    ),
    Entry(
        id="dns.mx.null_mx_mixed",
        layer=Layer.DNS,
        title="A null MX is published together with other MX records",
        explanation=(
            "A null MX (`0 .`) must be the only MX of a domain; mixed with others the setup is "
            "invalid and senders behave unpredictably."
        ),
        fix=("Remove either the null MX or the other MX records.",),
        does_not_fix=("Authentication.",),
        references=(R.RFC7505,),
    ),
    Entry(
        id="dns.mx.ip_literal",
        layer=Layer.DNS,
        title="An MX record points to an IP address instead of a host name",
        explanation=(
            "MX targets must be host names; senders look up A/AAAA of the name, and an IP "
            "address there does not resolve, so that MX is unusable."
        ),
        fix=("Point the MX at a host name that has an A/AAAA record.",),
        does_not_fix=("Authentication.",),
        references=("RFC 5321 section 5.1", "RFC 7505 section 3"),
    ),
    Entry(
        id="dns.mx.exchange_no_address",
        layer=Layer.DNS,
        title="An MX host name has no address",
        explanation=(
            "The MX names a host without A or AAAA records, so senders cannot connect to it; "
            "if it is the only MX, the domain cannot receive mail."
        ),
        fix=("Publish A/AAAA records for the MX host, or point the MX at a host that has them.",),
        does_not_fix=("Authentication.",),
        references=("RFC 5321 section 5.1",),
    ),
    Entry(
        id="dns.ptr.missing",
        layer=Layer.DNS,
        title="The sending IP has no reverse DNS (PTR)",
        explanation=(
            "Receivers such as Exchange Online (5.7.25) and Gmail (5.7.25) reject or distrust "
            "mail from IPs without a PTR record. SES's own IPs have one; this matters for your "
            "own servers."
        ),
        fix=(
            "Ask whoever owns the IP (hosting or cloud provider) to set a PTR to a host name "
            "whose A record points back to the IP (EC2: request it with the reverse DNS form "
            "or `aws ec2 modify-address-attribute --domain-name`).",
        ),
        does_not_fix=("SPF, DKIM or DMARC failures.",),
        references=(R.GMAIL_SENDER_GUIDELINES, R.MS_NDR),
    ),
    Entry(
        id="dns.ptr.not_forward_confirmed",
        layer=Layer.DNS,
        title="The sending IP's reverse DNS does not point back to it",
        explanation=(
            "The PTR name's A/AAAA records do not include the IP (no forward-confirmed reverse "
            "DNS), which receivers treat like a missing PTR."
        ),
        fix=("Make the PTR host name resolve to the sending IP, or change the PTR.",),
        does_not_fix=("SPF, DKIM or DMARC failures.",),
        references=(R.GMAIL_SENDER_GUIDELINES,),
    ),
)

# -- blocklists and DNSSEC (issue 13) ------------------------------------------------------

_SPAMHAUS_CHECK = "Spamhaus: IP and domain reputation checker - https://check.spamhaus.org/"
_RFC5782 = "RFC 5782 (DNS blacklists and whitelists)"
_RFC4035 = "RFC 4035 section 4.3 (secure, insecure, bogus) and 3.2.3 (the AD bit)"

_EVIDENCE = (
    Entry(
        id="dns.blocklist.ip_listed",
        layer=Layer.DNS,
        title="A sending IP is on a public DNS blocklist",
        explanation=(
            "Receivers look the connecting IP up on DNS blocklists (Spamhaus ZEN, Barracuda, "
            "SpamCop, UCEPROTECT, Mailspike...) and refuse or junk mail from listed addresses "
            "(`554 5.7.1 ... blocked using zen.spamhaus.org`). The list and its return code "
            "say why: a spam source (SBL), an exploited host (XBL), an end-user range that "
            "should not send directly (PBL), spam-trap hits."
        ),
        fix=(
            "Stop what got the address listed first (a compromised account or host, a list "
            "with spam traps, an open relay), or the listing comes back.",
            "Then follow the list's removal path named in the finding (for Spamhaus: "
            "https://check.spamhaus.org/ ; SpamCop and UCEPROTECT level 1 expire on their "
            "own once the spam stops).",
            "On a shared IP of a sending service (SES, SendGrid...): open a case with the "
            "service with the listing; a dedicated IP takes the address's reputation into "
            "your own hands.",
            "Re-check: `maildoctor blocklist <ip>`.",
        ),
        does_not_fix=(
            "Authentication failures (SPF, DKIM, DMARC), rejected with other codes.",
            "A receiver's own block (Microsoft's 5.7.606-5.7.649 bans, a tenant block list), "
            "which no public list controls.",
        ),
        references=(_RFC5782, _SPAMHAUS_CHECK, R.MS_NDR),
    ),
    Entry(
        id="dns.blocklist.domain_listed",
        layer=Layer.DNS,
        title="The sender's domain or a domain linked in the message is on a domain blocklist",
        explanation=(
            "Domain blocklists such as the Spamhaus DBL list domains seen in spam, phishing or "
            "malware; receivers check the From, envelope and link domains of a message against "
            "them and reject or junk it when one is listed, whatever the sending IP."
        ),
        fix=(
            "Find out why the domain is listed (the finding names the list's return code): a "
            "compromised website, a URL shortener or redirector abused by spammers, a link "
            "to a listed domain in your template.",
            "Clean it up, remove links to listed domains from the message, then request "
            "removal at https://check.spamhaus.org/ .",
        ),
        does_not_fix=("A listed sending IP (dns.blocklist.ip_listed), a separate lookup.",),
        references=(_RFC5782, _SPAMHAUS_CHECK),
    ),
    Entry(
        id="dns.dnssec.bogus",
        layer=Layer.DNS,
        title="The domain's DNSSEC chain is broken (bogus): validating resolvers answer SERVFAIL",
        explanation=(
            "The zone is signed but its signatures do not validate: expired RRSIGs, a DS record "
            "at the parent that matches no DNSKEY (a key rolled without updating the "
            "registrar), or records changed without re-signing. Validating resolvers - most "
            "large receivers use them - then answer SERVFAIL for the domain's SPF, DKIM, DMARC "
            "and MX lookups, so mail from it fails authentication (temperror) or cannot be "
            "routed to it."
        ),
        fix=(
            "Re-sign the zone (or let the DNS host do it) and check the DS record at the "
            "registrar matches a published DNSKEY: `dig +dnssec <domain> DNSKEY` and the "
            "registrar's DS.",
            "If DNSSEC cannot be repaired quickly, remove the DS record at the registrar first "
            "(the zone becomes insecure, not bogus), then the signatures.",
        ),
        does_not_fix=("Records that are wrong in themselves (SPF, DKIM, DMARC content).",),
        references=(_RFC4035, "RFC 4033 section 5 (bogus answers)"),
    ),
)

ENTRIES = _CORE + _MORE + _EVIDENCE
