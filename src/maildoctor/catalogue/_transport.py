"""Transport layer: can mail reach the recipient's servers, safely?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_CORE = (
    Entry(
        id="transport.port25_blocked",
        layer=Layer.TRANSPORT,
        title="This network blocks outbound port 25, so the recipient's servers were not tested",
        explanation=(
            "No MX host of the recipient answered on port 25 from here, although several were "
            "tried: the network (home ISP, most clouds, EC2 by default) blocks or throttles "
            "outbound SMTP. This limits maildoctor's view; it is *not* why mail sent through "
            "SES fails, because SES connects to the recipient from its own network."
        ),
        fix=(
            "To test the recipient's servers, run `maildoctor mx <recipient-domain>` from a "
            "network that allows port 25.",
            "If you run your own MTA here: send through a relay on port 587 (SES SMTP), or ask "
            'the provider to lift the block (EC2: the "Request to remove email sending '
            'limitations" form).',
        ),
        does_not_fix=("Anything about mail that leaves through SES or another relay.",),
        references=(R.RFC5321_REPLY, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="transport.mx.starttls_missing",
        layer=Layer.TRANSPORT,
        title="The recipient's mail server does not offer STARTTLS",
        explanation=(
            "The MX host accepts mail only in clear text. Senders that require TLS (an SES "
            "configuration set with TlsPolicy REQUIRE, MTA-STS `mode: enforce`, DANE) will not "
            "deliver to it; others deliver unencrypted."
        ),
        fix=(
            "Recipient's administrator: enable STARTTLS with a valid certificate for the MX "
            "host name.",
            "Sender, if delivery must go ahead meanwhile: `aws sesv2 "
            "put-configuration-set-delivery-options --configuration-set-name <set> "
            "--tls-policy OPTIONAL --region <region>` (mail to that host then travels "
            "unencrypted).",
        ),
        does_not_fix=("Authentication or reputation rejections by the same server.",),
        references=(R.RFC3207, R.RFC8461, R.SES_TLS_POLICY),
    ),
)

_ADMIN = "Only the recipient domain's administrator can fix this; tell them what maildoctor saw."
_MX = "Check: `maildoctor mx <recipient-domain>` (from a network that allows port 25)."
_NOT_SENDER = "Anything on the sending side: the sender's setup is not at fault."

_MX_ENTRIES = (
    Entry(
        id="transport.mx.domain_not_found",
        aliases=("transport.recipient_domain_unknown",),
        layer=Layer.TRANSPORT,
        title="The recipient's domain does not exist",
        explanation=(
            "The recipient domain answers NXDOMAIN (Sisimai's hostunknown): the address is "
            "misspelt or the domain has expired. A hard bounce."
        ),
        fix=("Check the address with the recipient by another channel.",),
        does_not_fix=(_NOT_SENDER,),
        references=("RFC 5321 section 5.1", R.RFC3463),
    ),
    Entry(
        id="transport.mx.host_not_found",
        layer=Layer.TRANSPORT,
        title="A recipient MX host name does not resolve",
        explanation=(
            "The recipient's MX points to a host with no address, so senders cannot connect to "
            "it; mail waits for other MX hosts or bounces."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=("RFC 5321 section 5.1",),
    ),
    Entry(
        id="transport.mx.unreachable",
        layer=Layer.TRANSPORT,
        title="A recipient MX host cannot be reached",
        explanation=(
            "Connections to the MX host on port 25 fail while other hosts answer: that server "
            "is down or filtered. Senders retry other MX hosts and later."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=("RFC 5321 section 4.5.4 (retry strategies)",),
    ),
    Entry(
        id="transport.mx.refuses_connections",
        layer=Layer.TRANSPORT,
        title="A recipient MX host refuses SMTP sessions",
        explanation=(
            "The MX host answers the connection with a 554 (or 421) banner: it does not take "
            "mail from this client, or is closed for maintenance."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="transport.mx.no_banner",
        layer=Layer.TRANSPORT,
        title="A recipient MX host accepts connections but never greets",
        explanation=(
            "TCP connects but no 220 banner arrives: an overloaded server, a tarpit, or a "
            "filter in front of it."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="transport.mx.protocol_error",
        layer=Layer.TRANSPORT,
        title="A recipient MX host does not speak valid SMTP",
        explanation=(
            "The MX host's replies are not valid SMTP, or it stops answering mid-dialogue: "
            "a broken server or a middlebox on port 25."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="transport.mx.starttls_failed",
        aliases=("transport.starttls_failed",),
        layer=Layer.TRANSPORT,
        title="STARTTLS with the recipient's mail server fails",
        explanation=(
            "The MX offers STARTTLS but the TLS handshake fails (no common protocol or cipher, "
            "a broken certificate chain). Senders that require TLS do not deliver; others may "
            "fall back to clear text."
        ),
        fix=(_ADMIN, _MX),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC3207, R.RFC8461),
    ),
    Entry(
        id="transport.mx.old_tls",
        layer=Layer.TRANSPORT,
        title="The recipient's mail server only negotiates outdated TLS",
        explanation=(
            "TLS 1.0 or 1.1 was negotiated with the MX; senders that require TLS 1.2 (SES with "
            "a REQUIRE TLS policy, MTA-STS senders) may refuse to deliver."
        ),
        fix=(_ADMIN + " Enable TLS 1.2 and 1.3 on the MX.",),
        does_not_fix=(_NOT_SENDER,),
        references=("RFC 8996 (deprecating TLS 1.0 and 1.1)", R.RFC8461),
    ),
    Entry(
        id="transport.mx.certificate_invalid",
        layer=Layer.TRANSPORT,
        title="The recipient's mail server presents an invalid TLS certificate",
        explanation=(
            "The MX certificate is expired, untrusted or does not name the MX host. SMTP TLS "
            "between servers is usually opportunistic, so most senders still deliver - unless "
            "the domain's MTA-STS policy is `enforce` or DANE is used, when they must not."
        ),
        fix=(_ADMIN + " Install a certificate for the MX host name from a public CA.", _MX),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC8461, R.RFC6125),
    ),
    Entry(
        id="transport.tls.required",
        layer=Layer.TRANSPORT,
        title="The recipient requires TLS (or DANE) that the delivery did not meet",
        explanation=(
            "Exchange Online answered 4.4.317 or 5.7.321-5.7.325: the recipient tenant requires "
            "TLS, or DANE validation of the sending path failed."
        ),
        fix=(
            "Make sure the sending server uses STARTTLS with TLS 1.2 or later (SES does whenever "
            "the receiver offers it); if the mail left your own server, enable outbound TLS "
            "there (Postfix: `smtp_tls_security_level = may` or stricter).",
            "Recipient's admin: check the connector's TLS and DANE settings.",
        ),
        does_not_fix=("Authentication (SPF, DKIM, DMARC).",),
        references=(R.MS_NDR, R.SES_TLS_POLICY),
    ),
    Entry(
        id="transport.network_error",
        layer=Layer.TRANSPORT,
        title="Delivery failed on the network between the servers",
        explanation=(
            "The sending server could not keep a connection to the recipient's servers "
            "(timeouts, resets, DNS failures while delivering); Sisimai's networkerror."
        ),
        fix=(
            "Usually temporary: retry. If it persists for one domain, its administrator must "
            "look at their servers and network.",
        ),
        does_not_fix=("Authentication or content problems.",),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="transport.delivery_expired",
        layer=Layer.TRANSPORT,
        title="The sending server gave up retrying",
        explanation=(
            "The message stayed queued past the retry limit (typically days) because every "
            "attempt failed temporarily; the notice shows the last error, which is the real "
            "cause."
        ),
        fix=(
            "Read the last temporary error in the bounce and fix that; then resend.",
            "Check the recipient's servers: `maildoctor mx <recipient-domain>`.",
        ),
        does_not_fix=("The underlying temporary failure, which must be found first.",),
        references=("RFC 5321 section 4.5.4.1 (sending strategy)", R.RFC3464),
    ),
)

_STS_ENTRIES = (
    Entry(
        id="transport.mtasts.invalid_record",
        layer=Layer.TRANSPORT,
        title="The recipient domain's MTA-STS record is invalid",
        explanation=(
            "`_mta-sts.<domain>` TXT must be one `v=STSv1; id=<id>;` record; otherwise senders "
            "ignore the policy."
        ),
        fix=(_ADMIN + ' Publish `_mta-sts.<domain>. TXT "v=STSv1; id=<yyyymmddNN>;"`.',),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC8461 + " section 3.1",),
    ),
    Entry(
        id="transport.mtasts.policy_unavailable",
        layer=Layer.TRANSPORT,
        title="The recipient domain's MTA-STS policy cannot be fetched",
        explanation=(
            "The TXT record announces MTA-STS but "
            "`https://mta-sts.<domain>/.well-known/mta-sts.txt` cannot be fetched over valid "
            "HTTPS; senders that cached an `enforce` policy may keep refusing delivery."
        ),
        fix=(_ADMIN + " Serve the policy over HTTPS with a valid certificate.",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC8461 + " section 3.3",),
    ),
    Entry(
        id="transport.mtasts.policy_invalid",
        layer=Layer.TRANSPORT,
        title="The recipient domain's MTA-STS policy file is invalid",
        explanation=(
            "The policy file lacks `version: STSv1`, a valid `mode`, `max_age` or `mx` lines, so "
            "senders cannot apply it."
        ),
        fix=(_ADMIN + " Fix the policy file's fields.",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC8461 + " section 3.2",),
    ),
    Entry(
        id="transport.mtasts.mx_mismatch",
        layer=Layer.TRANSPORT,
        title="The recipient's MX hosts do not match its MTA-STS policy",
        explanation=(
            "An MX host is not listed in the policy's `mx:` patterns; with `mode: enforce` "
            "senders will not deliver to it."
        ),
        fix=(_ADMIN + " Add the MX host to the policy (and bump the record's id=).",),
        does_not_fix=(_NOT_SENDER,),
        references=(R.RFC8461 + " section 4.1",),
    ),
    Entry(
        id="transport.tlsrpt.invalid_record",
        layer=Layer.TRANSPORT,
        title="The recipient domain's TLS-RPT record is invalid",
        explanation=(
            "`_smtp._tls.<domain>` must be `v=TLSRPTv1; rua=<uri>`; otherwise no TLS failure "
            "reports are sent. Reporting only: delivery is unaffected."
        ),
        fix=(_ADMIN + ' Publish `_smtp._tls.<domain>. TXT "v=TLSRPTv1; rua=mailto:<addr>"`.',),
        does_not_fix=("Any delivery failure.",),
        references=("RFC 8460 section 3 (TLS-RPT record)",),
    ),
)

# -- DANE (issue 13) -----------------------------------------------------------------------

_DANE = (
    Entry(
        id="transport.dane.mismatch",
        layer=Layer.TRANSPORT,
        title="The recipient's MX certificate matches none of its published TLSA records (DANE)",
        explanation=(
            "The recipient publishes DNSSEC-signed TLSA records at `_25._tcp.<mx>`; senders "
            "that implement DANE (Postfix, Exim, Microsoft 365 outbound, many European "
            "providers) must then find the MX's certificate or one of its issuers among them, "
            "or they defer the mail instead of delivering it in the clear (RFC 7672 section 2.2)."
        ),
        fix=(
            "Recipient side: publish a TLSA record for the certificate or key the MX serves "
            "now (`3 1 1 <sha256 of the public key>`), keeping the old one until the rollover "
            "is done; or roll the MX back to the key the records name.",
            "Sender side: nothing to configure - tell the recipient's postmaster, with the "
            "records and the certificate maildoctor saw.",
        ),
        does_not_fix=("Authentication failures (SPF, DKIM, DMARC) of the sender's own mail.",),
        references=(
            "RFC 7672 section 2.2 (DANE for SMTP: TLSA usage 2 and 3)",
            "RFC 6698 section 2.1 (TLSA fields)",
        ),
    ),
)

ENTRIES = _CORE + _MX_ENTRIES + _STS_ENTRIES + _DANE
