"""Notes: corrections to advice commonly given for these failures (DESIGN.md).

A note is attached to the root causes whose catalogue entries list it. It explains
what the usual write-up of the reference incident got wrong, so that a reader who
follows a blog post or an old ticket does not undo the fix.
"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry, Kind

ENTRIES = (
    Entry(
        id="note.ses_smtp_password_formula",
        kind=Kind.NOTE,
        layer=Layer.CLIENT,
        title="The SES SMTP password formula often quoted is wrong",
        explanation=(
            '`base64(hmac_sha256("AWS4"+secret, "112358132134"))` produces passwords SES '
            "rejects. The V4 derivation is SigV4-style and per region: HMAC-SHA256 of "
            '"11111111" keyed with "AWS4"+secret, then chained over the region, "ses", '
            '"aws4_request" and "SendRawEmail", prefixed with the version byte 0x04 and '
            "base64-encoded (44 characters, starting with `B`). Use `maildoctor "
            "ses-smtp-password --region <region>` or the script in the SES documentation."
        ),
        references=(R.SES_SMTP_CREDENTIALS,),
    ),
    Entry(
        id="note.email_vs_domain_identity",
        kind=Kind.NOTE,
        layer=Layer.PROVIDER,
        title="`admin@<domain>` verified in SES is an email identity, not a domain identity",
        explanation=(
            "Verifying one address does not verify its domain. DKIM signing with the domain "
            "comes only from a *domain* identity verified, with its Easy DKIM CNAMEs published, "
            "in the same region as the sending; an email identity alone is signed "
            "`d=amazonses.com`, which does not align for DMARC."
        ),
        references=(R.SES_IDENTITIES, R.SES_EASY_DKIM),
    ),
    Entry(
        id="note.spf_on_mail_from_domain",
        kind=Kind.NOTE,
        layer=Layer.DNS,
        title="SPF for SES mail is evaluated on the MAIL FROM domain, not the apex",
        explanation=(
            "SPF checks the envelope sender (MAIL FROM). With a custom MAIL FROM domain that is "
            "the subdomain, so `include:amazonses.com` at the apex is irrelevant for SES mail "
            "and the subdomain needs its own `v=spf1 include:amazonses.com ~all`. With SES's "
            "default MAIL FROM, SPF passes for amazonses.com but never aligns with the From "
            "domain, so DMARC rests on DKIM alone."
        ),
        references=(R.RFC7208_IDENTITIES, R.SES_MAIL_FROM, R.RFC7489_ALIGN),
    ),
    Entry(
        id="note.dmarc_fo_needs_ruf",
        kind=Kind.NOTE,
        layer=Layer.DNS,
        title="DMARC `fo=1` does nothing without a `ruf=` address",
        explanation=(
            "The often recommended `v=DMARC1; p=quarantine; rua=...; fo=1` sets a failure-"
            "reporting option with nowhere to send failure reports: `fo=` only affects `ruf=` "
            "reports. Drop it or add `ruf=`."
        ),
        references=(R.RFC7489_TAGS, R.RFC9990),
    ),
    Entry(
        id="note.dmarc_quarantine_silent",
        kind=Kind.NOTE,
        layer=Layer.DNS,
        title="Moving DMARC to p=quarantine makes Exchange Online failures silent",
        explanation=(
            "Microsoft honours DMARC: at `p=none` failing mail may land in Junk, at "
            "`p=quarantine` it is quarantined and *no bounce* reaches the sender, and only "
            "`p=reject` produces a 5.7.509 NDR. Tightening the policy while mail still fails "
            "alignment hides the very failure being debugged; the recipient's admin finds such "
            "mail in the Microsoft Defender portal > Email & collaboration > Review > "
            "Quarantine. Fix alignment first, then tighten the policy."
        ),
        references=(R.MS_DMARC_INBOUND, R.MS_QUARANTINE, R.RFC9989),
    ),
    Entry(
        id="note.inbound_auth_failures",
        kind=Kind.NOTE,
        layer=Layer.CLIENT,
        title="Failed logins *to* your own mail server are not why your mail fails",
        explanation=(
            "Lines such as Postfix's `warning: unknown[192.0.2.7]: SASL LOGIN authentication "
            "failed` or Exim's `authenticator failed for ...` record clients trying to log in "
            "to the server that wrote the log, usually bots guessing passwords. They say "
            "nothing about the credentials that server uses for its own relay (the SES SMTP "
            "password is refused in the outbound `SASL authentication failed; server ... "
            "said: 535` lines). Treat them as a security matter: block the clients, require "
            "TLS for AUTH, check that no account has a guessable password."
        ),
        references=("RFC 4954 section 6", "https://www.postfix.org/SASL_README.html"),
    ),
)
