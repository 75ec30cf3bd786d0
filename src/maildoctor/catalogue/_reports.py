"""Causes named from the reports receivers send (DMARC aggregate and failure, SMTP TLS).

Most failing sources in an aggregate report point to causes other layers already name
(``dns.dkim.not_aligned`` for SES signing as amazonses.com, ``dns.spf.ip_not_permitted``,
``dns.dkim.unsigned``); these entries are the ones only the reports can show.
"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

RFC7489_AGGREGATE = "RFC 7489 section 7.2 and appendix C (DMARC aggregate reports)"
RFC6591 = "RFC 6591 (authentication failure reporting using ARF)"
RFC8460 = "RFC 8460 (SMTP TLS reporting) section 4.3 (result types)"

ENTRIES = (
    Entry(
        id="recipient.report.dkim_failing",
        layer=Layer.RECIPIENT,
        title="Receivers report the domain's own DKIM signatures failing",
        explanation=(
            "DMARC reports show signatures with the From domain's `d=` whose verification "
            "failed at the receiver (fail, permerror, temperror). The signing key at the "
            "reported selector is missing, was rotated away, or does not match the private "
            "key the sender uses; or the message was changed on the way (a forwarder or "
            "mailing list rewriting the body or signed headers). Without an aligned DKIM pass, "
            "DMARC rests on SPF alone, which forwarding breaks."
        ),
        fix=(
            "Look up the key at the selector the report names: `maildoctor dns <domain> "
            "--selector <selector>`; publish it (or repair the CNAME to the provider's key) "
            "if it is missing.",
            "Send a test message and check the signature: `maildoctor headers <message.eml>`.",
            "If the failing records carry `forwarded` or `mailing_list` override reasons, "
            "the receiver expected the failure: nothing to fix on the sender's side.",
        ),
        does_not_fix=(
            "Mail signed only by the provider's domain (dns.dkim.not_aligned): that needs a "
            "signature with the From domain, not a repaired one.",
        ),
        references=(RFC7489_AGGREGATE, R.RFC6376_VERIFY, R.RFC7489_ALIGN, RFC6591),
    ),
    Entry(
        id="recipient.report.unknown_source",
        layer=Layer.RECIPIENT,
        title="An unidentified server sends mail as the domain, failing DMARC",
        explanation=(
            "Aggregate reports list a source IP that sent mail with the domain in From, "
            "without an aligned DKIM signature or SPF pass and without the marks of a known "
            "sending service. It is either a server of yours that was never added to SPF "
            "nor given a DKIM key (a printer, a CRM, an old web server), or someone forging "
            "the domain - which DMARC is right to fail, and `p=reject` stops."
        ),
        fix=(
            "Find out whose IP it is (reverse DNS, the provider's documentation, your own "
            "inventory of systems that send mail).",
            "If it sends for you: add it to the SPF record of its MAIL FROM domain and sign "
            "its mail with a DKIM key of the From domain.",
            "If it does not: leave it failing; once every legitimate source passes, raise "
            "the policy (`p=quarantine`, then `p=reject`) so receivers refuse the forgeries.",
        ),
        does_not_fix=("Failures of the sources you know (the other causes in this report).",),
        references=(RFC7489_AGGREGATE, R.RFC7489_ALIGN, R.RFC9989),
        notes=("note.dmarc_quarantine_silent",),
    ),
    Entry(
        id="transport.tls_report.failures",
        layer=Layer.TRANSPORT,
        title="SMTP TLS reports show senders failing to set up TLS to the domain's MX",
        explanation=(
            "TLS reports (RFC 8460) from sending services count the sessions to the domain's "
            "MX hosts that failed TLS: a certificate expired, not matching the MX name or not "
            "signed by a trusted CA, STARTTLS not offered, or an MTA-STS policy that cannot "
            "be fetched or is invalid. With an MTA-STS policy in enforce mode (or DANE) the "
            "senders then do not deliver at all; in testing mode they deliver without the "
            "protection."
        ),
        fix=(
            "Probe the MX hosts: `maildoctor mx <domain>` (STARTTLS, certificate, names, "
            "expiry, the MTA-STS policy).",
            "Renew or replace the certificate so it names every MX host and chains to a "
            "public CA; serve the MTA-STS policy at `https://mta-sts.<domain>/.well-known/"
            "mta-sts.txt` with a valid certificate and listing every MX.",
        ),
        does_not_fix=(
            "Mail the domain *sends*: TLS reports are about mail delivered *to* the domain.",
        ),
        references=(RFC8460, R.RFC8461, R.RFC3207),
    ),
)
