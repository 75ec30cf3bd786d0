"""Client layer: can the sender's client or application submit to its relay?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_GMAIL_EDIT = (
    'If the client is a Gmail "Send mail as" alias: Gmail > Settings (gear) > See all '
    'settings > Accounts and Import > "Send mail as" > "edit info" next to the address > '
    'Next Step; SMTP Server `email-smtp.<region>.amazonaws.com`, Port 587 ("Secured '
    'connection using TLS") or 465 (SSL), Username = the access key id (`AKIA...`), '
    "Password = the newly derived password > Save Changes."
)
_DERIVE = (
    "Derive the SMTP password for the region of the endpoint the client uses from the "
    "key's *current* secret: `maildoctor ses-smtp-password --region <region>` (reads the "
    "secret from standard input or AWS_SECRET_ACCESS_KEY, never from an argument)."
)
_FIND_KEY = (
    "Find the IAM user that owns the SMTP username and its keys: `aws iam "
    "get-access-key-last-used --access-key-id <AKIA...>` then `aws iam list-access-keys "
    "--user-name <user>`; if you no longer have the secret of an active key, create one: "
    "`aws iam create-access-key --user-name <user>` (IAM shows a secret only once)."
)
_RESEND = "Resend the messages that bounced: nothing is retried after a 5xx."
_NOT_RECIPIENT = (
    "Rejections by the recipient's servers of mail that did leave SES (DMARC, SPF, DKIM, "
    "reputation: the recipient.* causes) - those need DNS and SES changes, not a password."
)

_AUTH = (
    Entry(
        id="client.smtp_auth.stale_ses_password",
        layer=Layer.CLIENT,
        title="The client's SES SMTP password was derived from a key that is no longer current",
        explanation=(
            "An SES SMTP password is not chosen: it is computed from an IAM secret access key, "
            "for one region. When that key is rotated, deactivated or "
            "deleted, every password derived from it stops working and SES answers SMTP AUTH "
            "with `535 Authentication Credentials Invalid`. Clients that hold the old password "
            'keep failing: Gmail\'s "Send mail as" reports the alias as "misconfigured or out '
            'of date" (help link ending `?p=CustomFromDenied`), whatever the relay said. Only '
            "whoever owns the client can fix it, by entering a freshly derived password."
        ),
        fix=(_FIND_KEY, _DERIVE, _GMAIL_EDIT, _RESEND),
        does_not_fix=(
            _NOT_RECIPIENT,
            "An SES identity that is unverified in the endpoint's region (554 Message "
            "rejected: Email address is not verified) - see provider.ses.identity_unverified.",
        ),
        references=(R.SES_SMTP_CREDENTIALS, R.SES_SMTP_ISSUES, R.GMAIL_SEND_AS, R.RFC4954_AUTH),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_auth.raw_secret_as_password",
        layer=Layer.CLIENT,
        title="The IAM secret access key itself was entered as the SMTP password",
        explanation=(
            "The SES SMTP password is derived from the secret access key; the 40-character "
            "secret is not a password SES accepts. A stored password of 40 characters that does "
            "not decode to 33 bytes is a raw secret, so SMTP AUTH fails with `535 "
            "Authentication Credentials Invalid`."
        ),
        fix=(_DERIVE, _GMAIL_EDIT, _RESEND),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS, R.SES_SMTP_ISSUES),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_auth.wrong_region_password",
        layer=Layer.CLIENT,
        title="The SMTP password was derived for a different AWS region than the endpoint's",
        explanation=(
            "Version 4 SES SMTP passwords (those beginning with `B`) are bound to one region: "
            "the region is an input of the derivation. A password derived for us-west-2 fails "
            "with `535 Authentication Credentials Invalid` on "
            "`email-smtp.us-east-1.amazonaws.com`, even though the key is valid."
        ),
        fix=(
            "Decide which region the mail should go through: the one where the sending "
            "identity is verified (`aws sesv2 get-email-identity --email-identity <domain> "
            "--region <region>`).",
            _DERIVE,
            "Or keep the password and point the client at the region it was derived for, "
            "`email-smtp.<that-region>.amazonaws.com`, if the identity is verified there.",
            _GMAIL_EDIT,
        ),
        does_not_fix=(
            "An identity that is verified only in another region (identities, sandbox status "
            "and suppression lists are per region too) - see provider.ses.identity_wrong_region.",
            _NOT_RECIPIENT,
        ),
        references=(R.SES_SMTP_CREDENTIALS, R.SES_REGIONS, R.SES_SMTP_CONNECT),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_auth.legacy_v2_password",
        layer=Layer.CLIENT,
        title="The client uses a legacy (Signature Version 2) SES SMTP password",
        explanation=(
            "Passwords beginning with `A` were derived with the pre-2019 V2 algorithm. SES asks "
            "for them to be replaced, throttles them (`Maximum SigV2 SMTP sending rate "
            "exceeded`) and they may stop working; V4 passwords are derived per region."
        ),
        fix=(_DERIVE, _GMAIL_EDIT),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS, R.SES_SMTP_ISSUES),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_auth.temporary_key",
        aliases=("provider.ses.smtp_key_temporary",),
        layer=Layer.CLIENT,
        title="The SMTP username is a temporary (STS) access key",
        explanation=(
            "Access key ids beginning with `ASIA` belong to temporary credentials (an assumed "
            "role, SSO, an instance profile). They expire within hours and need a session "
            "token that SMTP cannot carry, so they cannot be used for SES SMTP."
        ),
        fix=(
            "Create a dedicated IAM user allowed only `ses:SendRawEmail` and a long-term key for "
            "it: `aws iam create-user --user-name <ses-smtp-user>`, attach the policy, then "
            "`aws iam create-access-key --user-name <ses-smtp-user>` (the id begins `AKIA`).",
            _DERIVE,
            _GMAIL_EDIT,
        ),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS, R.IAM_ACCESS_KEYS),
    ),
    Entry(
        id="client.smtp_auth.wrong_formula",
        layer=Layer.CLIENT,
        title="The SMTP password was computed with a wrong derivation formula",
        explanation=(
            "A formula circulating in blog posts, "
            '`base64(hmac_sha256("AWS4"+secret, "112358132134"))`, is wrong: one HMAC, no '
            "region, no version byte (it yields 32 bytes ending in `=`). SES rejects such "
            "passwords with `535 Authentication Credentials Invalid`. The real V4 derivation "
            'chains five HMACs over "11111111", the region, "ses", "aws4_request" and '
            '"SendRawEmail", and prefixes the version byte 0x04 (44 characters, first `B`).'
        ),
        fix=(_DERIVE, _GMAIL_EDIT),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS,),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_auth.not_offered",
        aliases=("client.relay.no_auth",),
        layer=Layer.CLIENT,
        title="The relay does not offer SMTP AUTH on this connection",
        explanation=(
            "The client wants to log in but the relay's EHLO reply lists no AUTH mechanism. "
            "SES, like most submission servers, offers AUTH only after STARTTLS; a client that "
            "connects without TLS (or to port 25 on a network that rewrites it) never sees it. "
            "Gmail reports this as `Unspecified Error (SENT_SECOND_EHLO): Smtp server does not "
            "advertise AUTH capability`."
        ),
        fix=(
            "Use TLS: port 587 or 2587 with STARTTLS, or 465/2465 with implicit TLS (in Gmail's "
            '"Send mail as" settings: Port 587 and "Secured connection using TLS").',
            "Check what the relay offers: `maildoctor smtp <relay-host> --port 587 --user "
            "<AKIA...>`.",
            "For your own relay: enable AUTH on the submission port after TLS.",
        ),
        does_not_fix=(
            "Wrong credentials: once AUTH is offered, a stale password still fails with 535.",
            _NOT_RECIPIENT,
        ),
        references=(R.RFC4954_AUTH, R.RFC3207, R.SES_SMTP_CONNECT, R.GMAIL_SEND_AS),
    ),
    Entry(
        id="client.smtp_auth.failed",
        layer=Layer.CLIENT,
        title="The relay rejected the client's SMTP login",
        explanation=(
            "SMTP AUTH was refused (535, or 535 5.7.8 in a delivery-status report) and the "
            "evidence gathered does not say which credential is wrong. For SES the username "
            "must be an IAM access key id (`AKIA...`) and the password the V4 password derived "
            "from that key's current secret for the endpoint's region."
        ),
        fix=(
            "Check the key behind the username: `maildoctor ses --smtp-user <AKIA...> --region "
            "<region>` (deleted or inactive keys show up there).",
            "Check the stored password against the secret: `maildoctor ses-smtp-password "
            "--region <region> --check`.",
            _DERIVE,
            _GMAIL_EDIT,
        ),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.RFC4954_AUTH, R.SES_SMTP_ISSUES, R.SES_SMTP_CREDENTIALS),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.smtp_tls.certificate_invalid",
        layer=Layer.CLIENT,
        title="The relay's TLS certificate is not valid for the name the client uses",
        explanation=(
            "The certificate presented after STARTTLS (or on the implicit-TLS port) is expired, "
            "issued by an untrusted authority, or does not name the host the client connected "
            'to. Clients that verify certificates, Gmail\'s "Send mail as" included, refuse to '
            "send the password over such a connection."
        ),
        fix=(
            "Connect by the relay's real name: for SES `email-smtp.<region>.amazonaws.com`, not "
            "an IP address or a CNAME of your own.",
            "For your own relay: install a certificate for that name from a public CA with the "
            "full chain, and renew it before it expires.",
            "Re-check: `maildoctor smtp <relay-host> --port 587`.",
        ),
        does_not_fix=("Credentials: a valid certificate does not make a stale password work.",),
        references=(R.RFC6125, R.RFC3207, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="client.smtp.unreachable",
        layer=Layer.CLIENT,
        title="The client cannot connect to its relay",
        explanation=(
            "The relay's name does not resolve, or nothing answers on the port (a firewall, a "
            "wrong port, or port 25 throttled on EC2). The client never gets as far as TLS or "
            "login."
        ),
        fix=(
            "Check the host name: SES endpoints are `email-smtp.<region>.amazonaws.com`.",
            "Use the submission ports, not 25: 587 or 2587 (STARTTLS), 465 or 2465 (implicit "
            "TLS); allow them in outbound firewall rules and security groups.",
            "Re-check: `maildoctor smtp <relay-host> --port 587`.",
        ),
        does_not_fix=("Credentials, identities or recipient-side rejections.",),
        references=(R.SES_SMTP_CONNECT, R.RFC8314),
    ),
)

_RETRY = "Re-check: `maildoctor smtp <relay-host> --port 587 --user <user>`."

_MORE_AUTH = (
    Entry(
        id="client.smtp_auth.required",
        aliases=("client.smtp_auth.missing",),
        layer=Layer.CLIENT,
        title="The client sends mail to the relay without logging in",
        explanation=(
            "The relay accepts mail only from authenticated clients and answered `530 "
            "Authentication required` (SES) or `530 5.7.57 Client not authenticated` "
            "(Microsoft 365): the client has no username and password configured for it, or "
            "does not use them on this connection."
        ),
        fix=(
            "Turn on SMTP authentication in the client and enter the relay's username and "
            "password (for SES the access key id `AKIA...` and the derived SMTP password).",
            _GMAIL_EDIT,
            _RETRY,
        ),
        does_not_fix=(
            "A wrong password, which then fails with 535 instead (client.smtp_auth.failed).",
            _NOT_RECIPIENT,
        ),
        references=(R.RFC4954_AUTH, R.SES_SMTP_ISSUES, R.MS_NDR),
    ),
    Entry(
        id="client.smtp_auth.app_password_required",
        layer=Layer.CLIENT,
        title="Gmail requires an app password for this account",
        explanation=(
            "Gmail answered `534-5.7.9 Application-specific password required`: the Google "
            "account uses 2-Step Verification, so SMTP clients must log in with an app "
            "password, not the account password."
        ),
        fix=(
            "Create one: Google Account > Security > 2-Step Verification > App passwords "
            "(https://myaccount.google.com/apppasswords), then use it as the SMTP password.",
            "For Google Workspace, the admin may have to allow it, or prefer OAuth in the client.",
        ),
        does_not_fix=("Anything about the SES relay or the recipient's servers.",),
        references=(R.GMAIL_SMTP_ERRORS,),
    ),
    Entry(
        id="client.smtp_auth.disabled_for_tenant",
        layer=Layer.CLIENT,
        title="SMTP AUTH is disabled for this Microsoft 365 mailbox or tenant",
        explanation=(
            "Exchange Online answered `535 5.7.139 Authentication unsuccessful`: SMTP client "
            "submission (SMTP AUTH) is turned off for the tenant or the mailbox, or security "
            "defaults block Basic authentication. Microsoft is phasing Basic authentication "
            "for SMTP AUTH out, so prefer OAuth or a dedicated relay."
        ),
        fix=(
            "Per mailbox: Microsoft 365 admin center > Users > Active users > the user > Mail > "
            'Manage email apps > tick "Authenticated SMTP"; or in Exchange Online '
            "PowerShell: `Set-CASMailbox -Identity <user> -SmtpClientAuthenticationDisabled "
            "$false`.",
            "Tenant-wide: `Set-TransportConfig -SmtpClientAuthenticationDisabled $false` (only "
            "if the tenant's security policy allows it).",
        ),
        does_not_fix=("A wrong password, or mail rejected by the recipient's servers.",),
        references=(R.MS_NDR, R.RFC4954_AUTH),
    ),
    Entry(
        id="client.smtp_auth.no_common_mechanism",
        layer=Layer.CLIENT,
        title="The relay offers no login method the client can use",
        explanation=(
            "The relay lists AUTH mechanisms (for example only XOAUTH2 or CRAM-MD5) but none "
            "that the client supports, so no login can be attempted. SES offers PLAIN and "
            "LOGIN after STARTTLS."
        ),
        fix=(
            "Use a client (or client setting) that supports one of the offered mechanisms, or "
            "enable PLAIN/LOGIN over TLS on your own relay.",
            _RETRY,
        ),
        does_not_fix=("Wrong credentials, once a login can be attempted.",),
        references=(R.RFC4954_AUTH,),
    ),
    Entry(
        id="client.smtp_auth.username_not_access_key",
        layer=Layer.CLIENT,
        title="The SES SMTP username is not an access key id",
        explanation=(
            "SES SMTP usernames are IAM access key ids: 20 characters beginning with `AKIA`. An "
            'IAM user name, an email address or the console\'s "SMTP user name" label '
            "copied by mistake fails with `535 Authentication Credentials Invalid`."
        ),
        fix=(
            "List the user's keys: `aws iam list-access-keys --user-name <user>` and use the "
            "AccessKeyId of an active key as the username.",
            _DERIVE,
            _GMAIL_EDIT,
        ),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS, R.IAM_ACCESS_KEYS),
    ),
    Entry(
        id="client.smtp_auth.malformed_password",
        layer=Layer.CLIENT,
        title="The stored SMTP password does not have the shape of an SES SMTP password",
        explanation=(
            "SES SMTP passwords are 44 base64 characters that decode to 33 bytes (a version "
            "byte and an HMAC). This one does not: it was truncated, padded with spaces, "
            "mistyped, or is not an SES SMTP password at all."
        ),
        fix=(_DERIVE, "Paste it without surrounding spaces or line breaks.", _GMAIL_EDIT),
        does_not_fix=(_NOT_RECIPIENT,),
        references=(R.SES_SMTP_CREDENTIALS,),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="client.relay.message_rejected",
        layer=Layer.CLIENT,
        title="The relay accepted the login but refused the message",
        explanation=(
            'The failure notice blames the client\'s "settings" (Gmail: "misconfigured or '
            'out of date"), but the quoted reply shows the relay refused the message itself, '
            "not the login: for example `550 Missing subject field`, or SES's `554 Message "
            "rejected: Email address is not verified`. The quoted reply decides what to fix."
        ),
        fix=(
            'Read the relay\'s reply quoted after "The response was:" in the notice and fix '
            "that: add the missing header, verify the sender identity in SES "
            "(`maildoctor explain provider.ses.identity_unverified`), or shrink the message.",
            "Check the live relay with an envelope: `maildoctor smtp <relay-host> --user <user> "
            "--from <sender> --to <recipient>`.",
        ),
        does_not_fix=("The password: the login itself worked.",),
        references=(R.GMAIL_SEND_AS, R.RFC5321_REPLY, R.SES_SMTP_ISSUES),
    ),
)

_TLS = (
    Entry(
        id="client.smtp_tls.required",
        layer=Layer.CLIENT,
        title="The relay requires TLS and the client is not using it",
        explanation=(
            "SES accepts SMTP only over TLS, and Microsoft 365 answers `530 5.7.0 Must issue a "
            "STARTTLS command first`: a client configured without TLS cannot log in or send."
        ),
        fix=(
            "Use STARTTLS on port 587 (or 2587), or implicit TLS on port 465 (or 2465); in "
            'Gmail\'s "Send mail as": "Secured connection using TLS" on port 587.',
            _RETRY,
        ),
        does_not_fix=("Credentials, or the recipient side.",),
        references=(R.RFC3207, R.RFC8314, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="client.smtp_tls.starttls_not_offered",
        layer=Layer.CLIENT,
        title="The relay does not offer STARTTLS on this port",
        explanation=(
            "The EHLO reply has no STARTTLS, so a client that requires TLS stops, and one that "
            "does not would send the password in clear. Either this port expects implicit TLS, "
            'or something between client and relay (an antivirus, a firewall doing "SMTP '
            'inspection") strips STARTTLS.'
        ),
        fix=(
            "Try implicit TLS on port 465 (SES: 465 or 2465), or the right host name.",
            "If a middlebox strips STARTTLS, turn off its SMTP inspection for this traffic.",
            _RETRY,
        ),
        does_not_fix=("Credentials, or the recipient side.",),
        references=(R.RFC3207, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="client.smtp_tls.handshake_failed",
        layer=Layer.CLIENT,
        title="The TLS handshake with the relay failed",
        explanation=(
            "The client and relay could not agree on TLS: no common protocol version or cipher, "
            'or the wrong mode for the port (TLS spoken to a STARTTLS port gives "wrong '
            'version number"; plain SMTP to an implicit-TLS port gets no banner).'
        ),
        fix=(
            "Match the mode to the port: STARTTLS on 587/2587/25, implicit TLS on 465/2465.",
            "Update an old client or TLS library (SES needs TLS 1.2 or later).",
            _RETRY,
        ),
        does_not_fix=("Credentials, or the recipient side.",),
        references=(R.RFC3207, R.RFC8314, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="client.smtp_tls.old_protocol",
        layer=Layer.CLIENT,
        title="The connection to the relay uses an outdated TLS version",
        explanation=(
            "TLS 1.0 or 1.1 was negotiated. Both are deprecated (RFC 8996) and SES requires TLS "
            "1.2 or later, so such clients fail, or will."
        ),
        fix=("Update the client or its TLS library so that it offers TLS 1.2 and 1.3.",),
        does_not_fix=("Credentials, or the recipient side.",),
        references=("RFC 8996 (deprecating TLS 1.0 and 1.1)", R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="client.smtp_tls.certificate_expiring",
        layer=Layer.CLIENT,
        title="The relay's TLS certificate expires soon",
        explanation=(
            "The certificate is valid today but expires within days; after that, clients that "
            'verify certificates (Gmail\'s "Send mail as" among them) stop sending.'
        ),
        fix=("Renew the certificate on the relay (automate it, e.g. with ACME).",),
        does_not_fix=("Anything else: this is only a warning today.",),
        references=(R.RFC6125,),
    ),
    Entry(
        id="client.smtp_tls.plaintext_auth",
        layer=Layer.CLIENT,
        title="The relay offers login before TLS, so passwords can travel in clear",
        explanation=(
            "AUTH is advertised on an unencrypted connection. A client that logs in before "
            "STARTTLS sends its password readable by anyone on the path."
        ),
        fix=(
            "Configure the client to require TLS.",
            "On your relay, offer AUTH only after STARTTLS (Postfix: `smtpd_tls_auth_only = yes`).",
        ),
        does_not_fix=("Delivery problems: this is a security weakness.",),
        references=(R.RFC4954_AUTH, R.RFC3207),
    ),
)

_CONNECTION = (
    Entry(
        id="client.smtp.host_not_found",
        layer=Layer.CLIENT,
        title="The relay's host name does not resolve",
        explanation=(
            "DNS has no address for the relay name the client uses (a typo, or a region name "
            "that does not exist: SES endpoints are `email-smtp.<region>.amazonaws.com`)."
        ),
        fix=("Correct the host name in the client.", _RETRY),
        does_not_fix=("Credentials, once the relay is reached.",),
        references=(R.SES_SMTP_CONNECT,),
    ),
    Entry(
        id="client.smtp.timeout",
        layer=Layer.CLIENT,
        title="The relay did not answer in time",
        explanation=(
            "The connection or a reply timed out: a firewall silently dropping the traffic, "
            "port 25 throttled (EC2 by default), or an overloaded relay."
        ),
        fix=("Use port 587 or 465 and allow it outbound.", _RETRY),
        does_not_fix=("Credentials, once the relay answers.",),
        references=(R.SES_SMTP_CONNECT, R.RFC5321_REPLY),
    ),
    Entry(
        id="client.smtp.no_banner",
        layer=Layer.CLIENT,
        title="The relay accepted the connection but never greeted",
        explanation=(
            "TCP connected but no `220` banner came: the port expects implicit TLS and the "
            "client spoke plain SMTP, or a proxy or tarpit holds the connection."
        ),
        fix=("Use implicit TLS on 465/2465 or STARTTLS on 587/2587, as the port requires.", _RETRY),
        does_not_fix=("Credentials.",),
        references=(R.RFC5321_REPLY, R.RFC8314),
    ),
    Entry(
        id="client.smtp.connection_dropped",
        layer=Layer.CLIENT,
        title="The relay closed the connection in the middle of the dialogue",
        explanation=(
            "The relay hung up without a final reply: too many connections, abuse protection "
            "after failed logins, or a middlebox interfering with TLS."
        ),
        fix=("Retry later with fewer parallel connections.", _RETRY),
        does_not_fix=("Credentials, if they are also wrong.",),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="client.smtp.protocol_error",
        aliases=("client.smtp.protocol_violation",),
        layer=Layer.CLIENT,
        title="The relay's answers are not valid SMTP",
        explanation=(
            "The server on that port does not speak SMTP as expected (another service on the "
            "port, a captive portal, a TLS-only port spoken to in clear), stopped answering in "
            "the middle of the dialogue, or sent malformed replies."
        ),
        fix=("Check host and port: submission is 587 (STARTTLS) or 465 (implicit TLS).", _RETRY),
        does_not_fix=("Credentials.",),
        references=(R.RFC5321_REPLY,),
    ),
    Entry(
        id="client.smtp.tls_mode_mismatch",
        layer=Layer.CLIENT,
        title="The client uses the wrong TLS mode for the port",
        explanation=(
            "Ports 587/2587/25 expect STARTTLS and ports 465/2465 implicit TLS. The wrong "
            'mode gives a silent server or a TLS "wrong version number" error.'
        ),
        fix=('Use STARTTLS on 587 or implicit TLS ("SSL") on 465.',),
        does_not_fix=("Credentials.",),
        references=(R.RFC8314, R.RFC3207),
    ),
    Entry(
        id="client.smtp.client_settings_unusable",
        layer=Layer.CLIENT,
        title="The client cannot use the relay with these settings",
        explanation=(
            'The client has fixed constraints the settings break: Gmail\'s "Send mail as" '
            "only uses port 587 with TLS or 465 with SSL, and always requires TLS."
        ),
        fix=(
            'In Gmail: Settings > See all settings > Accounts and Import > "Send mail as" > '
            '"edit info": port 587 with "Secured connection using TLS" or 465 with SSL.',
        ),
        does_not_fix=("Credentials.",),
        references=(R.GMAIL_SEND_AS,),
    ),
    Entry(
        id="client.smtp.client_timeout",
        layer=Layer.CLIENT,
        title="The relay gave up waiting for the client's data",
        explanation=(
            "SES answered `451 Timeout waiting for data from client`: the client paused too "
            "long while sending the message (a slow or broken network path, a stalled client)."
        ),
        fix=("Retry; if it persists, check the client's network (MTU, proxies) and software.",),
        does_not_fix=("Credentials or identities.",),
        references=(R.SES_SMTP_ISSUES,),
    ),
    Entry(
        id="client.smtp.invalid_address",
        layer=Layer.CLIENT,
        title="The relay refused an envelope address as malformed",
        explanation=(
            "SES answered `553 <address> Invalid email address`: the MAIL FROM or RCPT TO "
            "address is not a valid address (display names, spaces or missing domain in the "
            "envelope)."
        ),
        fix=("Correct the address the client or application puts in the envelope.",),
        does_not_fix=("Anything else about the relay or the recipient.",),
        references=(R.SES_SMTP_ISSUES, "RFC 5321 section 4.1.2 (address syntax)"),
    ),
    Entry(
        id="client.smtp.too_many_connections",
        layer=Layer.CLIENT,
        title="The client opens more connections than the relay allows",
        explanation=(
            "SES answered `421 Too many concurrent SMTP connections`: the sender opens more "
            "parallel connections than the relay accepts."
        ),
        fix=("Reduce parallel connections and send several messages per connection.",),
        does_not_fix=("Sending-rate limits of the account (provider.ses.throttled).",),
        references=(R.SES_SMTP_ISSUES,),
    ),
)

ENTRIES = _AUTH + _MORE_AUTH + _TLS + _CONNECTION
