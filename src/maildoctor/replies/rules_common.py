"""Shared terms of the reply rule rows (:mod:`maildoctor.replies.rules`): layer shorthands,
the documents rows cite, and the reply texts several rows match.

Split out of ``rules.py`` only to keep modules short.
"""

from __future__ import annotations

from ..model import Layer

C, P, R, T, M, D = (Layer.CLIENT, Layer.PROVIDER, Layer.RECIPIENT, Layer.TRANSPORT,
                    Layer.MESSAGE, Layer.DNS)  # fmt: skip

SES_DOC = "https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html"
MS_DOC = (
    "https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-"
    "exchange-online/non-delivery-reports-in-exchange-online"
)
MS_AUTH_DOC = (
    "https://learn.microsoft.com/exchange/troubleshoot/send-emails/smtp-submission-improvements"
)
GMAIL_DOC = "https://support.google.com/a/answer/3726730"
GMAIL_SENDERS = "https://support.google.com/a/answer/81126"
YAHOO_DOC = "https://senders.yahooinc.com/smtp-error-codes"
POSTFIX_RBL = "https://www.postfix.org/postconf.5.html#reject_rbl_client"
RFC4954 = "RFC 4954 section 6 (AUTH error codes)"
RFC3463 = "RFC 3463 section 3"
RFC7372 = "RFC 7372 section 3 (email authentication status codes)"
RFC5321_NET = "RFC 5321 section 4.5.4.1 (retry strategy: connection failures)"
SENDAS = "REFERENCE.md section 5: Gmail 'Send mail as' notice (https://support.google.com/mail/answer/22370)"

_GMAIL_ALIAS = " For a Gmail alias: Settings -> Accounts and Import -> Send mail as -> edit info."
_AUTH_TEXTS = ("authentication credentials invalid", "username and password not accepted",
               "authentication failed", "too many authentication failures",
               "authentication unsuccessful", "invalid login",
               "incorrect authentication data")  # fmt: skip
_BAN_TEXTS = (
    "access denied, bad outbound sender",  # 5.1.8
    "tenant has exceeded threshold",  # 5.7.705
    "traffic not accepted from this ip",  # 5.7.708
    "client blocked from sending from unregistered domains",  # 5.7.750
)
_BLOCKLIST_TEXTS = ("blocked using", "spamhaus", "listed at", "listed in", "listed on",
                    "blacklist", "block list", "blocklist", "dnsbl", "rbl ", "spamcop",
                    "barracudacentral", "banned sending ip")  # fmt: skip
_NETWORK_TEXTS = ("connection timed out", "timed out while", "connection refused",
                  "network is unreachable", "no route to host", "connection reset",
                  "lost connection with")  # fmt: skip
_OUTBOUND_BANS = r"5\.7\.(?:705|708|750)|5\.1\.8"
_AUTH_REASONS = frozenset(("securityerror", "authfailure", "rejected", "onhold", "undefined"))
