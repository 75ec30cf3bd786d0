"""Message layer: what happened to one specific message, and what about it was refused?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

_NOT_AUTH = "Authentication or reputation problems, which are rejected with other codes."

ENTRIES = (
    Entry(
        id="message.dkim.body_modified",
        layer=Layer.MESSAGE,
        title="The message body was changed after it was DKIM-signed",
        explanation=(
            "The signature's body hash does not match the body: something rewrote the message "
            "after signing - a footer or disclaimer added by a gateway, a mailing list, an "
            "antivirus, or line-ending changes. DKIM then fails and DMARC may fail with it."
        ),
        fix=(
            "Sign after the last change (move the disclaimer before the signer), or stop the "
            "rewrite; mailing lists need ARC or a From rewrite.",
            "Check a delivered copy: `maildoctor headers <message.eml>`.",
        ),
        does_not_fix=("DNS problems with the key, which fail differently.",),
        references=(R.RFC6376_VERIFY, "RFC 6376 section 3.7 (body hash)"),
    ),
    Entry(
        id="message.dkim.signature_invalid",
        layer=Layer.MESSAGE,
        title="The message's DKIM signature does not verify",
        explanation=(
            "The signature does not match the published key: the signer uses a different "
            "private key than the one at the selector, signed headers were changed in transit, "
            "or the signature is malformed."
        ),
        fix=(
            "Check that the signer's private key matches the public key at "
            "`<selector>._domainkey.<domain>` (`maildoctor dns <domain> --selector "
            "<selector>`); re-publish or re-key.",
            "Check a delivered copy: `maildoctor headers <message.eml>`.",
        ),
        does_not_fix=("SPF problems.",),
        references=(R.RFC6376_VERIFY,),
    ),
    Entry(
        id="message.too_large",
        layer=Layer.MESSAGE,
        title="The message is too large",
        explanation=(
            "The message exceeds a size limit: SES refuses messages over 10 MB after encoding "
            "(`552 Message is too long.`), and receivers have their own limits (Sisimai's "
            "emailtoolarge). Base64 makes attachments about a third larger."
        ),
        fix=(
            "Send large files as links, or compress them so the encoded message stays under "
            "the limit.",
        ),
        does_not_fix=(_NOT_AUTH,),
        references=(R.SES_SMTP_ISSUES, R.RFC5321_REPLY),
    ),
    Entry(
        id="message.content_rejected",
        layer=Layer.MESSAGE,
        title="The message's content was refused",
        explanation=(
            "The receiver (or SES) refused something in the message itself - a header, an "
            "attachment type, the encoding (Sisimai's contenterror; SES ContentRejected, "
            "AttachmentRejected)."
        ),
        fix=(
            "Read the quoted reply; remove or change the refused part (SES rejects some "
            "attachment types such as executables).",
        ),
        does_not_fix=(_NOT_AUTH,),
        references=(R.SES_SMTP_ISSUES, R.RFC3463),
    ),
    Entry(
        id="message.not_rfc_compliant",
        layer=Layer.MESSAGE,
        title="The message is not a valid Internet message",
        explanation=(
            "The receiver refused the message as malformed (Sisimai's notcompliantrfc): "
            "duplicate or missing required headers (From, Date), bad line lengths or "
            "encodings. Gmail refuses messages that break RFC 5322."
        ),
        fix=(
            "Fix the sending application: exactly one From, one Date, valid Message-ID, lines "
            "under 998 characters, properly encoded non-ASCII headers.",
        ),
        does_not_fix=(_NOT_AUTH,),
        references=("RFC 5322 section 3.6 (required header fields)", R.GMAIL_SENDER_GUIDELINES),
    ),
)
