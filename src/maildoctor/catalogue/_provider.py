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

_CORE = (
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
        aliases=("dns.mailfrom.mx_missing",),
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
        aliases=("provider.ses.permission_denied", "provider.ses.smtp_user_not_authorized"),
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

_ACCOUNT = "Look at the account: `aws sesv2 get-account --region <region>`."
_MAIL_FROM_CHECK = (
    "Check: `aws ses get-identity-mail-from-domain-attributes --identities <domain> --region "
    "<region>` and `maildoctor dns <domain> --mail-from <mail-from-domain>`."
)
_MAIL_FROM_MX = (
    "Publish exactly one MX on the MAIL FROM subdomain: `<mail-from-domain>. MX 10 "
    "feedback-smtp.<region>.amazonses.com.` - with the region the mail is sent through."
)
_MAIL_FROM_SPF = (
    'Publish one SPF record on the MAIL FROM subdomain: `<mail-from-domain>. TXT "v=spf1 '
    'include:amazonses.com ~all"`.'
)
_NOT_DKIM = "DKIM alignment (provider.ses.dkim_* causes), which DMARC can rest on instead."

_ACCOUNT_ENTRIES = (
    Entry(
        id="provider.ses.sandbox_recipient_unverified",
        layer=Layer.PROVIDER,
        title="The account is in the SES sandbox and the recipient is not verified",
        explanation=(
            "In the sandbox SES delivers only to verified addresses; mail to this recipient is "
            "rejected with `554 Message rejected: Email address is not verified`."
        ),
        fix=(
            "To test: `aws sesv2 create-email-identity --email-identity <recipient> --region "
            "<region>` and click the link SES mails to it.",
            "For real use: request production access (see provider.ses.sandbox).",
        ),
        does_not_fix=("Sender identity, DKIM/DMARC alignment or recipient-side rejections.",),
        references=(R.SES_SANDBOX,),
    ),
    Entry(
        id="provider.ses.account_probation",
        layer=Layer.PROVIDER,
        title="The SES account is under review (probation)",
        explanation=(
            "SES put the account under review (EnforcementStatus PROBATION), usually for a "
            "bounce or complaint rate above its thresholds. Sending continues, but the account "
            "is paused if the rate does not come down during the review."
        ),
        fix=(
            _ACCOUNT,
            "Find and stop the source of bounces/complaints (old lists, purchased addresses, "
            "missing unsubscribe); answer the case in the AWS Support Center.",
        ),
        does_not_fix=("Any single delivery failure: it is about the account's reputation.",),
        references=(R.SES_ENFORCEMENT,),
    ),
    Entry(
        id="provider.ses.account_shutdown",
        layer=Layer.PROVIDER,
        title="SES has shut down sending for the account",
        explanation=(
            "EnforcementStatus is SHUTDOWN: SES stopped the account's sending after a review. "
            "Nothing is sent until AWS lifts it."
        ),
        fix=(_ACCOUNT, "Open or answer the case in the AWS Support Center with the fixes made."),
        does_not_fix=("The list or content problems that caused it.",),
        references=(R.SES_ENFORCEMENT,),
    ),
    Entry(
        id="provider.ses.bounce_rate_high",
        layer=Layer.PROVIDER,
        title="The account's bounce rate is at or above SES's review threshold",
        explanation=(
            "SES reviews accounts around a 5 % bounce rate and may pause sending around 10 %. "
            "Hard bounces come from addresses that do not exist: old or bought lists, typos."
        ),
        fix=(
            "Remove addresses that hard-bounced; confirm new sign-ups (double opt-in).",
            "Watch `Reputation.BounceRate` in CloudWatch (namespace AWS/SES).",
        ),
        does_not_fix=("Authentication failures (SPF, DKIM, DMARC).",),
        references=(R.SES_ENFORCEMENT,),
    ),
    Entry(
        id="provider.ses.complaint_rate_high",
        layer=Layer.PROVIDER,
        title="The account's complaint rate is at or above SES's review threshold",
        explanation=(
            "SES reviews accounts around a 0.1 % complaint rate and may pause sending around "
            "0.5 %: recipients mark the mail as spam."
        ),
        fix=(
            "Send only to people who asked for it, make unsubscribing easy (List-Unsubscribe), "
            "and stop mailing complainers.",
            "Watch `Reputation.ComplaintRate` in CloudWatch (namespace AWS/SES).",
        ),
        does_not_fix=("Authentication failures (SPF, DKIM, DMARC).",),
        references=(R.SES_ENFORCEMENT,),
    ),
    Entry(
        id="provider.ses.quota_exceeded",
        aliases=("provider.ses.quota_exhausted",),
        layer=Layer.PROVIDER,
        title="The account's 24-hour sending quota is used up",
        explanation=(
            "SES answers `454 Throttling failure: Daily message quota exceeded` once the "
            "account has sent its Max24HourSend; sends fail until the window rolls on."
        ),
        fix=(
            "See the quota and use: `aws ses get-send-quota --region <region>`.",
            'Ask for a higher quota: Service Quotas console > Amazon SES > "Sending quota".',
        ),
        does_not_fix=("Per-second rate limits (provider.ses.throttled).",),
        references=(R.SES_SMTP_ISSUES,),
    ),
    Entry(
        id="provider.ses.throttled",
        aliases=("provider.ses.rate_exceeded",),
        layer=Layer.PROVIDER,
        title="Mail is sent faster than the account's SES sending rate",
        explanation=(
            "SES answers `454 Throttling failure: Maximum sending rate exceeded`: more messages "
            "per second than the account's MaxSendRate (1 per second in the sandbox). V2 SMTP "
            "passwords have their own, lower limit (`Maximum SigV2 SMTP sending rate "
            "exceeded`)."
        ),
        fix=(
            "Pace sending below MaxSendRate (`aws ses get-send-quota --region <region>`) and "
            "retry 454s with backoff.",
            "Ask for a higher rate in the Service Quotas console; replace V2 SMTP passwords "
            "with V4 ones (`maildoctor ses-smtp-password --region <region>`).",
        ),
        does_not_fix=("The daily quota (provider.ses.quota_exceeded).",),
        references=(R.SES_SMTP_ISSUES,),
    ),
    Entry(
        id="provider.ses.not_subscribed",
        layer=Layer.PROVIDER,
        title="The AWS account is not signed up for SES in this region",
        explanation=(
            "SES answered `535 Account not subscribed to SES`: the credentials are valid for "
            "AWS but the account cannot use SES here (new or suspended account, or the region "
            "is not enabled)."
        ),
        fix=(
            "Open the SES console in the region once to set the account up, or check in AWS "
            "Billing/Support that the account is in good standing.",
            _ACCOUNT,
        ),
        does_not_fix=("Credentials that are wrong as well.",),
        references=(R.SES_SMTP_ISSUES,),
    ),
    Entry(
        id="provider.ses.temporary_auth_failure",
        layer=Layer.PROVIDER,
        title="SES could not check the SMTP credentials for a moment",
        explanation=(
            "SES answered `454 Temporary authentication failure`: a problem on SES's side, not "
            "a wrong password. It usually clears by itself."
        ),
        fix=("Retry with backoff; if it lasts, check the AWS Health Dashboard for SES.",),
        does_not_fix=("A password that is also wrong (which answers 535).",),
        references=(R.SES_SMTP_ISSUES,),
    ),
    Entry(
        id="provider.ses.region_mismatch",
        layer=Layer.PROVIDER,
        title="The SMTP endpoint, the identity and the suppression list are in different regions",
        explanation=(
            "Everything in SES is per region: the endpoint's region decides which identities, "
            "SMTP passwords, sandbox status and suppression list apply. Here they do not agree."
        ),
        fix=(
            "Pick one region and use it throughout: endpoint `email-smtp.<region>.amazonaws.com`,"
            " a password derived for it (`maildoctor ses-smtp-password --region <region>`), and "
            "identities verified there.",
        ),
        does_not_fix=("Recipient-side rejections.",),
        references=(R.SES_REGIONS,),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="provider.microsoft365.outbound_ban",
        aliases=("client.m365.tenant_outbound_banned",),
        layer=Layer.PROVIDER,
        title="Microsoft 365 is blocking the tenant's own outbound mail",
        explanation=(
            "Codes 5.7.705, 5.7.708, 5.7.750 and 5.1.8 are bans on a Microsoft 365 tenant's "
            "*outbound* mail (the tenant exceeded limits or looks compromised). They concern "
            "mail sent through Microsoft 365, never mail arriving from SES."
        ),
        fix=(
            "Tenant admin: Microsoft Defender portal > Email & collaboration > Review > "
            "Restricted entities, release the user after securing the account; or open a "
            "Microsoft support case for tenant-level bans.",
        ),
        does_not_fix=("Anything about mail sent through SES.",),
        references=(R.MS_NDR,),
    ),
)

_PUBLISH_BYODKIM_KEY = (
    "Publish the public key of the private key given to SES, as one TXT record at the "
    "selector SES reports (DkimAttributes.Tokens): `<selector>._domainkey.<domain>. TXT "
    '"v=DKIM1; k=rsa; p=<base64 public key>"` - the base64 of `openssl rsa -in '
    "<private-key.pem> -pubout`, without the BEGIN/END lines; long keys as several quoted "
    "strings in the one record."
)
_RESUBMIT_BYODKIM = (
    "If the private key is lost or does not match, generate a new pair (RSA, 1024 or 2048 "
    "bits), publish its public key under a new selector, and give SES the private key: `aws "
    "sesv2 put-email-identity-dkim-signing-attributes --email-identity <domain> "
    "--signing-attributes-origin EXTERNAL --signing-attributes "
    "DomainSigningSelector=<selector>,DomainSigningPrivateKey=<base64 private key> --region "
    "<region>` (the private key is a secret: pass it from a file with `--cli-input-json "
    "file://<file>` rather than on the command line). This also restarts verification."
)
_WAIT_BYODKIM = (
    "Wait until `aws sesv2 get-email-identity --email-identity <domain> --region <region>` shows "
    "DkimAttributes.Status SUCCESS (SES looks for the record for up to 72 hours) - then "
    "`maildoctor dns <domain> --selector <selector>`."
)
_NOT_EASY_DKIM = (
    "Easy DKIM CNAMEs (`<token>.dkim.amazonses.com`): with BYODKIM SES does not look for them, "
    "and publishing them changes nothing."
)

_BYODKIM_ENTRIES = (
    Entry(
        id="provider.ses.byodkim_key_missing",
        layer=Layer.PROVIDER,
        title="The BYODKIM public key is not published at the selector SES signs with",
        explanation=(
            "The domain identity uses Bring Your Own DKIM (SigningAttributesOrigin EXTERNAL): "
            "SES signs with a private key the owner supplied, under the selector it reports, "
            "and expects the matching public key as a TXT record at "
            "`<selector>._domainkey.<domain>`. That record is missing, revoked (empty `p=`), "
            "malformed or holds no DKIM key, so SES cannot verify DKIM for the domain (status "
            "PENDING, then FAILED after 72 hours) and receivers cannot verify its signatures: "
            "DMARC has no aligned DKIM to rest on."
        ),
        fix=(_PUBLISH_BYODKIM_KEY, _RESUBMIT_BYODKIM, _WAIT_BYODKIM),
        does_not_fix=(_NOT_EASY_DKIM, _NOT_PASSWORD),
        references=(R.SES_BYODKIM, R.RFC6376_KEYS),
    ),
    Entry(
        id="provider.ses.byodkim_unverified",
        layer=Layer.PROVIDER,
        title="SES has not verified the BYODKIM key although a key is published",
        explanation=(
            "The domain identity uses Bring Your Own DKIM and a well-formed key is published at "
            "`<selector>._domainkey.<domain>`, yet SES reports DKIM PENDING or FAILED, so it "
            "does not sign with the domain. Usually the published public key is not the one "
            "matching the private key given to SES (an old key, a key from another selector or "
            "system), or the record appeared after SES stopped looking (72 hours). A status "
            "that has been pending for only minutes may simply not have been re-checked yet."
        ),
        fix=(
            "Compare the published `p=` with the public key of the private key given to SES "
            "(`openssl rsa -in <private-key.pem> -pubout`); publish the matching one. "
            + _PUBLISH_BYODKIM_KEY,
            _RESUBMIT_BYODKIM,
            _WAIT_BYODKIM,
        ),
        does_not_fix=(_NOT_EASY_DKIM, _NOT_PASSWORD),
        references=(R.SES_BYODKIM, R.RFC6376_KEYS),
    ),
)

_DKIM_ENTRIES = (
    Entry(
        id="provider.ses.dkim_disabled",
        layer=Layer.PROVIDER,
        title="DKIM signing is turned off for the SES identity",
        explanation=(
            "The identity exists but SES does not sign with its domain (DkimEnabled false), so "
            "DMARC cannot pass on DKIM."
        ),
        fix=(
            "`aws ses set-identity-dkim-enabled --identity <domain> --dkim-enabled --region "
            "<region>` (the CNAMEs must be published).",
        ),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.SES_EASY_DKIM,),
        notes=("note.email_vs_domain_identity",),
    ),
    Entry(
        id="provider.ses.dkim_pending",
        layer=Layer.PROVIDER,
        title="SES has not yet verified the domain's Easy DKIM records",
        explanation=(
            "DKIM status is PENDING: SES has not found the three CNAMEs yet. Until it does, it "
            "does not sign with the domain. Pending for more than a few hours usually means a "
            "missing or mistyped CNAME."
        ),
        fix=(_PUBLISH_CNAMES, _WAIT_DKIM),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.SES_EASY_DKIM,),
    ),
    Entry(
        id="provider.ses.dkim_failed",
        layer=Layer.PROVIDER,
        title="SES gave up verifying the domain's Easy DKIM records",
        explanation=(
            "DKIM status is FAILED: SES did not find the CNAMEs within 72 hours and stopped "
            "looking. The domain's mail is not DKIM-signed with the domain."
        ),
        fix=(
            _PUBLISH_CNAMES,
            "Then restart verification from the SES console (Verified identities > the domain > "
            "Authentication), or delete and re-create the identity.",
        ),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.SES_EASY_DKIM,),
    ),
    Entry(
        id="provider.ses.dkim_cname_wrong",
        layer=Layer.PROVIDER,
        title="An Easy DKIM CNAME points to the wrong target",
        explanation=(
            "`<token>._domainkey.<domain>` exists but does not point to "
            "`<token>.dkim.amazonses.com` (a typo, a stale token, or the zone name appended "
            "twice), so SES cannot verify it."
        ),
        fix=(_PUBLISH_CNAMES, _WAIT_DKIM),
        does_not_fix=("Relay credentials (client.smtp_auth.*).",),
        references=(R.SES_EASY_DKIM, R.RFC6376_KEYS),
    ),
)

_MAIL_FROM_ENTRIES = (
    Entry(
        id="provider.ses.mail_from_unverified",
        layer=Layer.PROVIDER,
        title="SES has not verified the custom MAIL FROM domain",
        explanation=(
            "MailFromDomainStatus is not Success: SES has not found the MAIL FROM MX. Mail "
            "either fails (BehaviorOnMxFailure RejectMessage) or falls back to an amazonses.com "
            "MAIL FROM, where SPF passes but does not align."
        ),
        fix=(_MAIL_FROM_MX, _MAIL_FROM_SPF, _MAIL_FROM_CHECK),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM,),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="provider.ses.mail_from_mx_wrong",
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain's MX does not point to SES",
        explanation=(
            "The MAIL FROM subdomain has an MX, but not `feedback-smtp.<region>.amazonses.com`, "
            "so SES does not verify it and bounces would not reach SES."
        ),
        fix=(_MAIL_FROM_MX, _MAIL_FROM_CHECK),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM,),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="provider.ses.mail_from_mx_wrong_region",
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM MX points to another region's SES feedback host",
        explanation=(
            "The MX is `feedback-smtp.<other-region>.amazonses.com`: the MAIL FROM domain was "
            "set up for another region than the one the mail is sent through."
        ),
        fix=(_MAIL_FROM_MX, _MAIL_FROM_CHECK),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM, R.SES_REGIONS),
    ),
    Entry(
        id="provider.ses.mail_from_mx_multiple",
        aliases=("dns.mailfrom.mx_multiple",),
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain has more than one MX",
        explanation=(
            "SES requires exactly one MX on the MAIL FROM subdomain; with more than one the "
            "setup breaks (verification and bounce handling)."
        ),
        fix=("Delete every other MX so that only the SES one remains: " + _MAIL_FROM_MX,),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM,),
    ),
    Entry(
        id="provider.ses.mail_from_spf_missing",
        aliases=("dns.mailfrom.spf_missing",),
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain has no SPF record",
        explanation=(
            "SPF is evaluated on the MAIL FROM subdomain, so without a record there SPF gives "
            "none and cannot align for DMARC."
        ),
        fix=(_MAIL_FROM_SPF,),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM, R.RFC7208_IDENTITIES),
        notes=("note.spf_on_mail_from_domain",),
    ),
    Entry(
        id="provider.ses.mail_from_spf_multiple",
        aliases=("dns.mailfrom.spf_multiple",),
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain has more than one SPF record",
        explanation=("Two `v=spf1` records at one name make SPF a permerror for every message."),
        fix=("Merge them into one: " + _MAIL_FROM_SPF,),
        does_not_fix=(_NOT_DKIM,),
        references=(R.RFC7208_RECORD, R.SES_MAIL_FROM),
    ),
    Entry(
        id="provider.ses.mail_from_spf_incomplete",
        aliases=("dns.mailfrom.spf_no_ses",),
        layer=Layer.PROVIDER,
        title="The custom MAIL FROM domain's SPF record does not authorize SES",
        explanation=(
            "The record exists but lacks `include:amazonses.com`, so mail from SES's IPs fails "
            "SPF for the MAIL FROM domain."
        ),
        fix=(_MAIL_FROM_SPF,),
        does_not_fix=(_NOT_DKIM,),
        references=(R.SES_MAIL_FROM, R.RFC7208_RESULTS),
        notes=("note.spf_on_mail_from_domain",),
    ),
)

ENTRIES = _CORE + _ACCOUNT_ENTRIES + _DKIM_ENTRIES + _BYODKIM_ENTRIES + _MAIL_FROM_ENTRIES
