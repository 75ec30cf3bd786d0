"""Root-cause ids and the vendor documents SES findings cite (one table for the package)."""

from __future__ import annotations

# -- root-cause ids ---------------------------------------------------------------------------

CAUSE_SANDBOX = "provider.ses.sandbox"
CAUSE_SANDBOX_RECIPIENT = "provider.ses.sandbox_recipient_unverified"
CAUSE_SENDING_PAUSED = "provider.ses.sending_paused"
CAUSE_PROBATION = "provider.ses.account_probation"
CAUSE_SHUTDOWN = "provider.ses.account_shutdown"
CAUSE_QUOTA = "provider.ses.quota_exceeded"
CAUSE_BOUNCE_RATE = "provider.ses.bounce_rate_high"
CAUSE_COMPLAINT_RATE = "provider.ses.complaint_rate_high"
CAUSE_UNVERIFIED = "provider.ses.identity_unverified"
CAUSE_WRONG_REGION = "provider.ses.identity_wrong_region"
CAUSE_EMAIL_ONLY = "provider.ses.email_identity_only"
CAUSE_DKIM_DISABLED = "provider.ses.dkim_disabled"
CAUSE_DKIM_PENDING = "provider.ses.dkim_pending"
CAUSE_DKIM_FAILED = "provider.ses.dkim_failed"
CAUSE_DKIM_MISSING = "provider.ses.dkim_cname_missing"
CAUSE_DKIM_WRONG = "provider.ses.dkim_cname_wrong"
CAUSE_BYODKIM_MISSING = "provider.ses.byodkim_key_missing"
CAUSE_BYODKIM_UNVERIFIED = "provider.ses.byodkim_unverified"
CAUSE_MAIL_FROM_UNVERIFIED = "provider.ses.mail_from_unverified"
CAUSE_MX_MISSING = "provider.ses.mail_from_mx_missing"
CAUSE_MX_WRONG = "provider.ses.mail_from_mx_wrong"
CAUSE_MX_WRONG_REGION = "provider.ses.mail_from_mx_wrong_region"
CAUSE_MX_MULTIPLE = "provider.ses.mail_from_mx_multiple"
CAUSE_SPF_MISSING = "provider.ses.mail_from_spf_missing"
CAUSE_SPF_MULTIPLE = "provider.ses.mail_from_spf_multiple"
CAUSE_SPF_INCOMPLETE = "provider.ses.mail_from_spf_incomplete"
CAUSE_SUPPRESSED = "provider.ses.recipient_suppressed"
CAUSE_KEY_DELETED = "provider.ses.smtp_key_deleted"
CAUSE_KEY_INACTIVE = "provider.ses.smtp_key_inactive"
CAUSE_KEY_TEMPORARY = "provider.ses.smtp_key_temporary"
CAUSE_NOT_AUTHORIZED = "provider.ses.send_permission_missing"
CAUSE_REGION_MISMATCH = "provider.ses.region_mismatch"

#: Every root-cause id the SES checks can emit.
CAUSES: tuple[str, ...] = tuple(
    sorted(v for k, v in dict(globals()).items() if k.startswith("CAUSE_"))
)

# -- vendor documents -------------------------------------------------------------------------

_DG = "https://docs.aws.amazon.com/ses/latest/dg/"
REF_SANDBOX = _DG + "request-production-access.html"
REF_ENFORCEMENT = _DG + "faqs-enforcement.html"
REF_QUOTAS = _DG + "manage-sending-quotas.html"
REF_REPUTATION = _DG + "reputationdashboard-cloudwatch-alarm.html"
REF_IDENTITIES = _DG + "creating-identities.html"
REF_REGIONS = _DG + "regions.html"
REF_DKIM = _DG + "send-email-authentication-dkim-easy.html"
REF_BYODKIM = _DG + "send-email-authentication-dkim-bring-your-own.html"
REF_KEY_SIZE = "RFC 8301 section 3.2; RFC 6376 section 3.3.3"
REF_DMARC = _DG + "send-email-authentication-dmarc.html"
REF_MAIL_FROM = _DG + "mail-from.html"
REF_SUPPRESSION = _DG + "sending-email-suppression-list.html"
REF_SMTP_CREDENTIALS = _DG + "smtp-credentials.html"
REF_PERMISSIONS = _DG + "control-user-access.html"
