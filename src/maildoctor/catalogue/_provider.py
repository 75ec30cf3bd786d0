"""Provider layer: will the sending service (Amazon SES) accept and send the message?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_CREATE_DOMAIN = (
    "Create a domain identity with Easy DKIM in the sending region: `aws sesv2 "
    "create-email-identity --email-identity <domain> --region <region>`; the reply's "
    "DkimAttributes.Tokens are the three tokens."
)
_PUBLISH_CNAMES = (
    "Publish the three Easy DKIM records exactly, one per token: `<token>._domainkey.<domain>. "
    "CNAME <token>.dkim.amazonses.com.` (list the tokens with `aws ses "
    "get-identity-dkim-attributes --identities <domain> --region <region>`)."
)
_WAIT_DKIM = (
    "Wait until `aws sesv2 get-email-identity --email-identity <domain> --region <region>` shows "
    "DkimAttributes.Status SUCCESS (SES re-checks the records by itself; usually minutes, up to "
    "72 hours) - then `maildoctor dns <domain> --selector <token>` for each token."
)
_NOT_PASSWORD = (
    "The relay password of an SMTP client (client.smtp_auth.*): that is a separate failure "
    "with a separate fix in the client."
)

ENTRIES = (
    Entry(
        id="provider.ses.recipient_suppressed",
        layer=Layer.PROVIDER,
        title="The recipient is on the SES account-level suppression list",
        explanation=(
            "After a hard bounce or a complaint SES adds the address to the account's "
            "suppression list (per account and per region; on by default for accounts created "
            "after 2019-11-25). From then on SES does not even try: the message bounces with "
            "bounceSubType OnAccountSuppressionList, however good the sender's setup is."
        ),
        fix=(
            "See why and since when: `aws sesv2 get-suppressed-destination --email-address "
            "<recipient> --region <region>` (Reason BOUNCE or COMPLAINT).",
            "Only if the address now works (the mailbox exists, the complaint was a mistake): "
            "`aws sesv2 delete-suppressed-destination --email-address <recipient> --region "
            "<region>`, or SES console > Configuration > Suppression list > select > Remove.",
            "Resend.",
        ),
        does_not_fix=(
            "The reason it was suppressed: if the mailbox still does not exist it bounces "
            "again and is suppressed again.",
            "Other recipients, or rejections by the recipient's servers.",
        ),
        references=(R.SES_SUPPRESSION,),
    ),
    Entry(
        id="provider.ses.identity_unverified",
        layer=Layer.PROVIDER,
        title="The sender address is not covered by a verified SES identity in this region",
        explanation=(
            "SES sends only from verified identities: the exact address (an email identity) or "
            "its domain (a domain identity), verified in the region the mail goes through. "
            "Otherwise SES answers `554 Message rejected: Email address is not verified. The "
            "following identities failed the check in region <REGION>`."
        ),
        fix=(
            "Prefer a domain identity, which also gives aligned DKIM: " + _CREATE_DOMAIN,
            _PUBLISH_CNAMES,
            _WAIT_DKIM,
        ),
        does_not_fix=(
            "Sandbox limits on recipients (provider.ses.sandbox): in the sandbox every "
            "recipient must be verified too.",
            _NOT_PASSWORD,
        ),
        references=(R.SES_IDENTITIES, R.SES_SMTP_ISSUES),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="provider.ses.identity_wrong_region",
        layer=Layer.PROVIDER,
        title="The sender identity is verified in another AWS region than the one sending",
        explanation=(
            "SES identities, like SMTP passwords, sandbox status and suppression lists, exist "
            "per region. An identity verified in us-west-2 does nothing for mail sent through "
            "us-east-1, which rejects it as not verified."
        ),
        fix=(
            "Either send through the region where the identity is verified (endpoint "
            "`email-smtp.<that-region>.amazonaws.com`, with a password derived for that "
            "region: `maildoctor ses-smtp-password --region <that-region>`),",
            "or verify the identity in the sending region too: " + _CREATE_DOMAIN,
            _PUBLISH_CNAMES,
        ),
        does_not_fix=(
            "A password derived for the wrong region (client.smtp_auth.wrong_region_password) "
            "if you move the client to another endpoint without deriving a new one.",
        ),
        references=(R.SES_REGIONS, R.SES_IDENTITIES),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="provider.ses.email_identity_only",
        layer=Layer.PROVIDER,
        title="Only the email address is verified in SES, not its domain: DKIM is not aligned",
        explanation=(
            "`admin@<domain>` verified on its own is an email-address identity, not a domain "
            "identity. SES then signs only with its own `d=amazonses.com` key, which does not "
            "align with the From domain; with SES's default MAIL FROM, SPF passes for "
            "amazonses.com but does not align either, so DMARC fails and receivers that enforce "
            "it (Exchange Online, Gmail's sender rules) reject or junk the mail."
        ),
        fix=(_CREATE_DOMAIN, _PUBLISH_CNAMES, _WAIT_DKIM),
        does_not_fix=(
            _NOT_PASSWORD,
            "Recipients already on the suppression list (provider.ses.recipient_suppressed).",
        ),
        references=(R.SES_IDENTITIES, R.SES_EASY_DKIM, R.SES_DMARC, R.RFC7489_ALIGN),
        notes=("note.email_vs_domain_identity", "note.spf_on_mail_from_domain"),
    ),
    Entry(
        id="provider.ses.dkim_cname_missing",
        layer=Layer.PROVIDER,
        title="An Easy DKIM CNAME record that SES expects is missing or wrong in DNS",
        explanation=(
            "The domain identity has Easy DKIM, but at least one of the three "
            "`<token>._domainkey.<domain>` CNAMEs to `<token>.dkim.amazonses.com` is not "
            "published (or mistyped, or published under `<domain>.<domain>` by a DNS console "
            "that appends the zone). DKIM verification stays pending or fails and SES does "
            "not sign with the domain, so DMARC has nothing aligned to rest on."
        ),
        fix=(_PUBLISH_CNAMES, _WAIT_DKIM),
        does_not_fix=(_NOT_PASSWORD, "SPF alignment, which needs a custom MAIL FROM domain."),
        references=(R.SES_EASY_DKIM, R.RFC6376_KEYS),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="provider.ses.mail_from_mx_missing",
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain has no (or the wrong) MX record",
        explanation=(
            "A custom MAIL FROM subdomain needs exactly one MX, `10 "
            "feedback-smtp.<region>.amazonses.com`, and its own SPF record. Without the MX, "
            "BehaviorOnMxFailure=RejectMessage makes sends fail with "
            "`MailFromDomainNotVerified`; otherwise SES silently falls back to an amazonses.com "
            "MAIL FROM: SPF passes but does not align, and DMARC rests on DKIM alone."
        ),
        fix=(
            "Publish exactly one MX on the MAIL FROM subdomain: `<mail-from-domain>. MX 10 "
            "feedback-smtp.<region>.amazonses.com.`",
            'and its SPF: `<mail-from-domain>. TXT "v=spf1 include:amazonses.com ~all"`.',
            "Check: `aws ses get-identity-mail-from-domain-attributes --identities <domain> "
            "--region <region>` shows MailFromDomainStatus Success.",
        ),
        does_not_fix=(
            "DKIM alignment (provider.ses.dkim_cname_missing, provider.ses.email_identity_only).",
            _NOT_PASSWORD,
        ),
        references=(R.SES_MAIL_FROM, R.RFC7208_IDENTITIES),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="provider.ses.smtp_key_deleted",
        layer=Layer.PROVIDER,
        title="The SMTP username is an IAM access key that no longer exists",
        explanation=(
            "The SMTP username is the access key id the password was derived from. IAM answers "
            "NoSuchEntity for it: the key was deleted (typically rotated), so every password "
            "derived from it fails with `535 Authentication Credentials Invalid`. Rotation "
            "always creates a new key id, so the client needs a new username *and* password."
        ),
        fix=(
            "Use the IAM user's current key, or create one: `aws iam list-access-keys "
            "--user-name <user>`, `aws iam create-access-key --user-name <user>`.",
            "Derive its SMTP password for the endpoint's region: `maildoctor ses-smtp-password "
            "--region <region>`.",
            "Enter the new username (the new `AKIA...` id) and password in the client; for a "
            'Gmail alias: Settings > See all settings > Accounts and Import > "Send mail as" > '
            '"edit info".',
        ),
        does_not_fix=(
            "Recipient-side DMARC, SPF or DKIM rejections (recipient.* causes).",
            "Identity verification in the region.",
        ),
        references=(R.IAM_ACCESS_KEYS, R.SES_SMTP_CREDENTIALS),
        notes=("note.ses_smtp_password_formula",),
    ),
    Entry(
        id="provider.ses.smtp_key_inactive",
        layer=Layer.PROVIDER,
        title="The SMTP username is an IAM access key that is inactive",
        explanation=(
            "The key behind the SMTP username exists but its status is Inactive, so SES rejects "
            "every login with it (`535 Authentication Credentials Invalid`)."
        ),
        fix=(
            "If the key should still be used: `aws iam update-access-key --user-name <user> "
            "--access-key-id <AKIA...> --status Active` (the stored password then works again "
            "if it was derived from this key for this region).",
            "Otherwise move the client to the active key: derive its password with "
            "`maildoctor ses-smtp-password --region <region>` and update the client (Gmail: "
            'Accounts and Import > "Send mail as" > "edit info").',
        ),
        does_not_fix=("Recipient-side rejections (recipient.* causes).",),
        references=(R.IAM_ACCESS_KEYS, R.SES_SMTP_CREDENTIALS),
    ),
    Entry(
        id="provider.ses.sandbox",
        layer=Layer.PROVIDER,
        title="The SES account is in the sandbox",
        explanation=(
            "A sandboxed account (sesv2 get-account: ProductionAccessEnabled false) may send "
            "only to verified addresses, at most 200 messages per 24 hours and 1 per second. "
            "Mail to any other recipient is rejected with `554 Message rejected: Email address "
            "is not verified`."
        ),
        fix=(
            "Request production access: SES console > Account dashboard > Request production "
            "access, or `aws sesv2 put-account-details --production-access-enabled --mail-type "
            'TRANSACTIONAL --website-url <url> --use-case-description "<text>" --region '
            "<region>`.",
            "Meanwhile, to test, verify the recipient: `aws sesv2 create-email-identity "
            "--email-identity <recipient> --region <region>`.",
        ),
        does_not_fix=(
            "Sender identity verification, DKIM/DMARC alignment or recipient-side rejections.",
        ),
        references=(R.SES_SANDBOX,),
    ),
    Entry(
        id="provider.ses.sending_paused",
        layer=Layer.PROVIDER,
        title="Sending is paused or disabled for the SES account",
        explanation=(
            "SES stops an account's sending when its bounce or complaint rate stays too high "
            "(review from about 5 % bounces / 0.1 % complaints, pause around 10 % / 0.5 %), "
            "when enforcement status is SHUTDOWN, or when someone disabled sending. No message "
            "is sent until it is resumed."
        ),
        fix=(
            "Look at the account: `aws sesv2 get-account --region <region>` (SendingEnabled, "
            "EnforcementStatus) and the Reputation metrics in the SES console.",
            "If AWS paused it: answer the case in the AWS Support Center explaining the cause "
            "and the fix (list hygiene, complaint handling).",
            "If it was disabled by hand: `aws sesv2 put-account-sending-attributes "
            "--sending-enabled --region <region>`.",
        ),
        does_not_fix=("The list or content problem that raised the bounce/complaint rate.",),
        references=(R.SES_ENFORCEMENT,),
    ),
    Entry(
        id="provider.ses.send_permission_missing",
        layer=Layer.PROVIDER,
        title="The IAM user behind the SMTP credentials may not send with SES",
        explanation=(
            "The login succeeded but SES refuses the message with `554 Access denied: User "
            "<arn> is not authorized to perform ses:SendRawEmail`: the user's policies do not "
            "allow sending, or not from this identity."
        ),
        fix=(
            "Attach a policy allowing `ses:SendRawEmail` on the identity: `aws iam "
            "put-user-policy --user-name <user> --policy-name ses-send --policy-document "
            '\'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":'
            '"ses:SendRawEmail","Resource":"*"}]}\'`.',
        ),
        does_not_fix=("Credentials or identity verification.",),
        references=(R.SES_PERMISSIONS, R.SES_SMTP_ISSUES),
    ),
)
