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

ENTRIES = (
    Entry(
        id="client.smtp_auth.stale_ses_password",
        layer=Layer.CLIENT,
        title="The client's SES SMTP password was derived from a key that is no longer current",
        explanation=(
            "An SES SMTP password is not chosen: it is computed from an IAM secret access key, "
            "for one region (REFERENCE section 1). When that key is rotated, deactivated or "
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
