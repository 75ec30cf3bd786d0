"""Provider rule tables read by :mod:`maildoctor.replies.rhost` (one table per provider).

Each table quotes the provider's own words, as Sisimai's ``rhost`` modules do (BSD 2-Clause);
the comment above each names the provider document. Split out of ``rhost.py`` only to keep
modules short: the functions reading these tables stay there, and the tables keep their
private names because nothing else reads them.
"""

from __future__ import annotations

# --- AOL ------------------------------------------------------------------------------
_AOL = {
    "hostunknown": ("Host or domain name not found",),
    "notaccept": ("type=MX: Malformed or unexpected name server reply",),
}

# --- Apple iCloud: https://support.apple.com/en-us/102322 -------------------------------
_APPLE = {
    # 554 5.7.1 Your message was rejected due to example.jp's DMARC policy.
    "authfailure": ("s dmarc policy", "blocked for failing both spf and dkim autentication checks"),
    # 550 5.7.1 Mail from IP 192.0.2.1 was rejected due to listing in Spamhaus SBL.
    "blocked": ("rejected due to having a domain present in the spamhaus",
                "rejected due to listing in spamhaus",
                "blocked - see https://support.proofpoint.com/dnsbl-lookup",
                "not accepting connections"),
    "hasmoved": ("recipient no longer on server",),  # 550 5.1.6
    "mailboxfull": ("user is over quota",),
    "norelaying": ("relay access denied",),
    "notaccept": ("host/domain does not accept mail",),
    # 550 5.7.1 [CS01] Message rejected due to local policy
    "policyviolation": ("due to local policy",),
    "rejected": ("sender address rejected",),
    "ratelimited": ("due to excessive volume",),  # 421 4.7.1 ... deferred due to excessive volume
    "userunknown": ("inactive email address", "user does not exist", "unknown or illegal alias"),
}  # fmt: skip

# --- Cloudflare Email Routing: https://developers.cloudflare.com/email-routing/postmaster/
_CLOUDFLARE = {"blocked": ("found on one or more DNSBLs",), "systemerror": ("Upstream error",)}

# --- Cox: https://www.cox.com/residential/support/cox-postmaster-email-administration.html
_COX_CODES = {
    # "The sending IP address has been blocked by Cox due to ... spam-like behavior."
    "CXBL": "blocked",
    "CXDNS": "requireptr",  # "The Reverse DNS (rDNS) lookup for your IP address is failing."
    # "Your email failed authentication checks against ... SPF, DomainKeys, or DKIM"
    "CXSNDR": "authfailure",
    "CXSMTP": "rejected",  # "There was a violation of SMTP protocol."
    # "There is a limit to the number of concurrent SMTP connections per IP"
    "CXCNCT": "ratelimited",
    # "The email sender has exceeded the maximum number of sent email allowed."
    "CXMXRT": "ratelimited",
    "CDRBL": "blocked",  # "temporarily blocked by Cox due to exhibiting spam-like behavior"
    "CXTHRT": "securityerror", "CXMJ": "securityerror",
    "IPBL0001": "blocked", "IPBL0010": "blocked", "IPBL0100": "blocked", "IPBL0011": "blocked",
    "IPBL0101": "blocked", "IPBL0110": "blocked", "IPBL0111": "blocked", "IPBL1000": "blocked",
    "IPBL1001": "blocked", "IPBL1010": "blocked", "IPBL1011": "blocked", "IPBL1100": "blocked",
    "IPBL1101": "blocked", "IPBL1110": "blocked", "IPBL1111": "blocked", "IPBL00001": "blocked",
    "URLBL011": "spamdetected", "URLBL101": "spamdetected", "URLBL110": "spamdetected",
    "URLBL1001": "spamdetected",
}  # fmt: skip
_COX = {
    "blocked": ("cox too many bad commands from", "too many invalid recipients"),
    "requireptr": ("dns check failure - try again later", "rejected - no rdns"),
    "policyviolation": ("esmtp no data before greeting", "attachment extension is forbidden"),
    "rejected": ("sender rejected",),
    "systemerror": ("esmtp server temporarily not available",),
    "ratelimited": ("too many sessions from", "requested action aborted: try again later",
                    "message threshold exceeded"),
    "userunknown": ("recipient rejected",),
}  # fmt: skip

# --- Facebook: https://www.facebook.com/postmaster/response_codes -------------------------
_FACEBOOK = {
    "authfailure": ("POL-P7",),
    "blocked": ("POL-P1", "POL-P2", "POL-P3", "POL-P4", "POL-T1", "POL-T2", "POL-T3"),
    "contenterror": ("MSG-P2",),
    "filtered": ("RCP-P2", "RCP-P3"),  # "The attempted recipient's preferences prevent messages"
    "emailtoolarge": ("MSG-P1", "INT-P2"),
    "notcompliantrfc": ("MSG-P3",),
    "rejected": ("DNS-P1", "DNS-P2", "DNS-T1"),
    "requireptr": ("DNS-P3", "DNS-T2"),
    "spamdetected": ("POL-P6", "POL-P7"),
    "suspend": ("RCP-T4",),
    "systemerror": ("RCP-T1",),
    "ratelimited": ("CON-T1", "CON-T2", "CON-T3", "CON-T4", "MSG-T1"),
    "userunknown": ("RCP-P1", "INT-P1", "INT-P3", "INT-P4"),
    "virusdetected": ("POL-P5",),
}  # fmt: skip

# --- Orange / La Poste: https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/
_FRANCEPTT_CODES = {
    "101": "blocked", "102": "blocked", "103": "blocked", "104": "ratelimited",
    "105": "", "107": "", "108": "", "109": "", "201": "",
    "305": "securityerror", "401": "authfailure", "402": "securityerror", "403": "rejected",
    "405": "rejected", "415": "rejected", "416": "userunknown", "417": "mailboxfull",
    "420": "suspend", "421": "rejected", "423": "", "424": "", "426": "suspend",
    "505": "systemerror", "506": "spamdetected", "510": "blocked", "513": "",
    "514": "emailtoolarge", "517": "authfailure", "630": "policyviolation", "999": "blocked",
}  # fmt: skip

# --- GoDaddy: https://ca.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685
_GODADDY_CODES = {
    "IB401": "securityerror",  # "535 Authentication not allowed on IBSMTP Servers."
    "IB501": "notcompliantrfc", "IB502": "notcompliantrfc",  # blank / IP From: address
    "IB506": "rejected",  # "From: Domain is invalid. Provide a valid From:"
    "IB508": "authfailure",  # "Invalid SPF record. Inspect your SPF settings, and try again."
    "IB108": "requireptr",  # "Temporarily rejected. Reverse DNS for this IP failed."
    "IB212": "spamdetected", "IB705": "virusdetected", "IB605": "ratelimited",
    "IB007": "ratelimited", "IB101": "ratelimited", "IB110": "blocked", "IB111": "blocked",
    "IB112": "blocked", "IB113": "blocked", "IB504": "ratelimited", "IB510": "ratelimited",
    "IB607": "ratelimited", "IB103": "badreputation", "IB104": "blocked", "IB105": "blocked",
    "IB106": "blocked",
}  # fmt: skip
_GODADDY = {
    "blocked": ("rbl reject", "www.spamhaus.org/query/bl?ip="),
    "expired": ("has been in the queue too long", "delivery timeout"),
    "mailboxfull": ("account storage limit",),
    "spamdetected": ("message rejected for spam or virus content",),
    "suspend": ("account disabled",),
    "systemerror": ("message is looping",),
    "userunknown": ("recipient not found", "account does not exist"),
}  # fmt: skip

# --- Google Workspace (formerly G Suite) ----------------------------------------------
_GSUITE = {
    "hostunknown": (" responded with code NXDOMAIN", "Domain name not found"),
    "networkerror": (" had no relevant answers.", "responded with code NXDOMAIN",
                     "Domain name not found"),
    "notaccept": ("Null MX",),
    "userunknown": ("because the address couldn't be found. Check for typos or unnecessary "
                    "spaces and try again.",),
}  # fmt: skip

# --- i.ua: https://mail.i.ua/err/$(CODE)/ ------------------------------------------------
_IUA_CODES = {
    "1": "norelaying", "2": "userunknown", "3": "suspend", "4": "mailboxfull",
    "5": "ratelimited", "6": "norelaying", "7": "blocked", "8": "rejected", "9": "blocked",
    "10": "filtered",
}  # fmt: skip

# --- KDDI au: https://www.au.com/support/service/internet/trouble/mail/01/ ---------------
_KDDI = {"filtered": ("550 : user unknown",), "userunknown": (">: user unknown",)}

# --- Broadcom / MessageLabs Email Security.cloud ------------------------------------------
_MESSAGELABS = {
    "authfailure": ("domain authentication fail",),  # 553-SPF ... domain authentication fail
    "badreputation": ("Connection rejected by policy",),
    "blocked": ("mail rejected because your IP is in the PBL", "your IP address has been ",
                "your IP address (ip-addr) has been blocked",
                "your email address (addr) has been blocked"),
    "contenterror": ("Stray linefeeds in message",),
    "failedstarttls": ("TLS/SSLv3 Connection required",),
    "norelaying": (" as a relay, ",),
    "notcompliantrfc": ("550 Requested action aborted [4]",
                        "has detected that this message is not RFC 5322"),
    "rejected": ("sender envelope domain not allowed for sender IP address",
                 "your domain has been blocked", "your email address has been blocked",
                 "your envelope sender is in my badmailfrom list",
                 "your email address has been blacklisted", "your domain has been blacklisted"),
    "securityerror": ("Please turn on SMTP Authentication in your mail client",),
    "spamdetected": ("Message Filtered", "filtered by Outbound scanning"),
    "ratelimited": ("Too many recipients received this hour", "too many messages"),
    "userunknown": ("No such user", "Invalid recipient", "mailbox is not allowed",
                    "Recipient mailbox is not allowed"),
}  # fmt: skip

# --- Microsoft 365 / Exchange Online: https://learn.microsoft.com/exchange/mail-flow-best-
# practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online
# (status, range low, range high, phrase): a range applies to the last part of the code.
_MICROSOFT: dict[str, tuple[tuple[str, int, int, str], ...]] = {
    "authfailure": (
        # "Access denied, a message sent over IPv6 ... must pass either SPF or DKIM validation"
        ("4.7.26", 0, 0, "must pass either spf or dkim validation, this message is not signed"),
        # "The destination email system uses SPF to validate inbound mail, and there's a
        # problem with your SPF configuration."
        ("5.7.23", 0, 0, "the message was rejected because of sender policy framework violation"),
        # "Access denied, sending domain [$SenderDomain] does not pass DMARC verification"
        ("5.7.509", 0, 0, "does not pass dmarc verification"),
        # "sending domain ... doesn't meet the required authentication level."
        ("5.7.515", 0, 0, "doesn't meet the required authentication level"),
    ),
    "badreputation": (
        # "451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP
        # reputation."
        ("4.7.650", 0, 0, "has been temporarily rate limited due to ip reputation"),
    ),
    "blocked": (
        ("4.4.2", 0, 0, "connection dropped"),
        # "Suspicious activity has been detected on the IP in question"
        ("4.7.", 850, 899, "access denied, please try again later"),
        ("5.7.25", 0, 0, "must have a reverse dns record"),
        ("5.7.506", 0, 0, "access denied, bad helo"),
        ("5.7.507", 0, 0, "access denied, rejected by recipient"),
        ("5.7.510", 0, 0, "does not accept email over ipv6"),
        ("5.7.511", 0, 0, "access denied, banned sender"),
        # "Client host [$ConnectingIP] blocked by $recipientDomain using Customer Block list"
        ("5.7.513", 0, 0, "using customer block list"),
        # "5.7.606-649 Access denied, banned sending IP [IP1.IP2.IP3.IP4]"
        ("5.7.", 606, 649, "access denied, banned sending ip "),
        ("4.7.", 500, 699, "access denied, please try again later"),
        ("5.5.4", 0, 0, "invalid domain name"),
        ("5.7.1", 0, 0, "part of their network is on our block list (s3150)"),
    ),
    "contenterror": (
        ("5.3.0", 0, 0, "too many related errors"),
        ("5.6.11", 0, 0, "invalid characters"),  # bare line feed characters
        ("5.4.11", 0, 0, "agent generated message depth exceeded"),
        ("5.5.6", 0, 0, "invalid message content"),
    ),
    "emailtoolarge": (
        ("5.2.3", 0, 0, "resolver.rst.recipsizelimit; message too large for this recipient"),
        ("5.3.4", 0, 0, "message size exceeds fixed maximum message size"),
        ("5.3.4", 0, 0, "message too big for system"),
    ),
    "expired": (
        ("4.4.1", 0, 0, "connection timed out"),
        ("4.4.7", 0, 0, "message delayed"),
        ("4.4.7", 0, 0, "queue expired; message expired"),
        ("4.4.7", 0, 0, "message expired"),
        ("5.4.300", 0, 0, "message expired"),
        ("5.4.316", 0, 0, "message expired"),
    ),
    "failedstarttls": (
        ("4.4.8", 0, 0, " failed mta-sts validation"),
        ("5.4.8", 0, 0, " failed mta-sts validation"),
        ("4.4.317", 0, 0, "starttls is required to send mail"),
        ("5.4.317", 0, 0, "starttls is required to send mail"),
        ("4.7.5", 0, 0, "remote certificate failed mta-sts validation"),
        ("5.7.5", 0, 0, "remote certificate failed mta-sts validation"),
        ("5.7.51", 0, 0, "restrictdomainstoipaddresses or restrictdomainstocertificate"),
        ("4.7.321", 0, 0, "starttls-not-supported:"),
        ("5.7.321", 0, 0, "starttls-not-supported:"),
        ("5.7.322", 0, 0, "certificate-expired:"),
        ("4.7.323", 0, 0, "tlsa-invalid:"),
        ("5.7.323", 0, 0, "tlsa-invalid:"),
        ("4.7.324", 0, 0, "dnssec-invalid:"),
        ("5.7.324", 0, 0, "dnssec-invalid:"),
        ("4.7.325", 0, 0, "certificate-host-mismatch:"),
        ("5.7.325", 0, 0, "certificate-host-mismatch:"),
    ),
    "mailboxfull": (("5.2.2", 0, 0, "mailbox full"),),
    "networkerror": (
        ("5.4.4", 0, 0, "smtpsend.dns.nonexistentdomain; nonexistent domain"),
        ("5.4.6", 0, 0, "hop count exceeded - possible mail loop"),
        ("4.4.312", 0, 0, "dns query failed"),
        ("5.4.312", 0, 0, "dns query failed"),
        ("4.4.316", 0, 0, "connection refused"),
        ("5.4.316", 0, 0, "connection refused"),
        ("5.4.4", 0, 0, "invalid arguments"),
        ("5.4.6", 0, 0, "routing loop detected"),
        ("5.4.14", 0, 0, "routing loop detected"),
    ),
    "norelaying": (
        ("5.7.1", 0, 0, "unable to relay"),
        ("5.7.1", 0, 0, "client was not authenticated"),
        # "The mail server that's generating the error doesn't accept mail for the
        # recipient's domain."
        ("5.4.1", 0, 0, "relay access denied"),
        ("5.7.64", 0, 0, "tenantattribution; relay access denied"),
        ("5.4.310", 0, 0, "does not exist"),
    ),
    "notaccept": (
        ("4.3.2", 0, 0, "system not accepting network messages"),
        ("4.4.4", 0, 0, "hosted tenant which has no mail-enabled subscriptions"),
        ("5.3.2", 0, 0, "storedrv.deliver: missing or bad storedriver mdb properties"),
    ),
    "policyviolation": (
        ("5.0.350", 0, 0, "x-dg-ref header is too long"),
        ("5.0.350", 0, 0, "requested action not taken: policy violation detected (as345)"),
        ("5.7.", 900, 999, "delivery not authorized, message refused"),
    ),
    "rejected": (
        ("5.1.7", 0, 0, "invalid address"),
        ("5.1.7", 0, 0, "unknown sender address"),
        ("5.1.0", 0, 0, "sender denied"),
        # "The account has been blocked for sending too much spam." (outbound ban)
        ("5.1.8", 0, 0, "access denied, bad outbound sender"),
        ("5.7.1", 0, 0, "delivery not authorized"),
        ("5.7.12", 0, 0, "sender was not authenticated by organization"),
        ("5.7.124", 0, 0, "sender not in allowed-senders list"),
        ("5.7.133", 0, 0, "sender not authenticated for group"),
        ("5.7.134", 0, 0, "sender was not authenticated for mailbox"),
        ("5.7.13", 0, 0, "sender was not authenticated for public folder"),
        ("5.7.135", 0, 0, "sender was not authenticated for public folder"),
        ("5.7.136", 0, 0, "sender was not authenticated"),
        ("5.7.", 501, 503, "access denied, spam abuse detected"),
        ("5.7.512", 0, 0, "access denied, message must be rfc 5322 section 3.6.2 compliant"),
        # "A suspicious number of messages from unprovisioned domains is coming from this
        # tenant." (outbound ban)
        (
            "5.7.750",
            0,
            0,
            "service unavailable. client blocked from sending from unregistered domains",
        ),
        ("5.7.", 501, 503, "access denied, banned sender"),
    ),
    "securityerror": (
        ("5.7.3", 0, 0, "cannot achieve exchange server authentication"),
        ("5.7.3", 0, 0, "not authorized"),
        ("5.7.1", 0, 0, "client was not authenticated"),
        ("5.7.57", 0, 0, "client was not authenticated to send anonymous mail during mail from"),
    ),
    "spamdetected": (("5.2.1", 0, 0, "content filter agent quarantined this message"),),
    "ratelimited": (
        ("5.5.3", 0, 0, "too many recipients"),
        ("4.3.2", 0, 0, "storedrv.deliver; recipient thread limit exceeded"),
        ("4.5.3", 0, 0, "too many recipients"),
        ("4.7.652", 0, 0, "has exceeded the maximum number of connections"),
        ("5.1.90", 0, 0, "reached your daily limit for message recipients"),
        ("5.2.2", 0, 0, "submission quota exceeded"),
        ("5.2.121", 0, 0, "recipient's per hour message receive limit"),
        ("5.2.122", 0, 0, "recipient's per hour message receive limit"),
        ("5.2.122", 0, 0, "the recipient has exceeded their limit for"),
        ("5.7.508", 0, 0, "has exceeded permitted limits within"),
        # "The majority of traffic from this tenant has been detected as suspicious"
        ("5.7.", 700, 749, "tenant has exceeded threshold"),
        ("5.7.", 700, 749, "traffic not accepted from this ip"),
    ),
    "suspend": (
        ("5.7.504", 0, 0, "recipient address rejected: access denied"),
        ("5.7.505", 0, 0, "access denied, banned recipient"),
        ("5.2.1", 0, 0, "mailbox cannot be accessed"),
    ),
    "syntaxerror": (
        ("5.3.3", 0, 0, "unrecognized command"),
        ("5.5.2", 0, 0, "send hello first"),
    ),
    "systemerror": (
        ("4.3.2", 0, 0, "service not available"),
        ("4.3.2", 0, 0, "service not active"),
        ("5.3.5", 0, 0, "system incorrectly configured"),
        ("5.3.190", 0, 0, "when journaling archive is disabled"),
        ("5.0.0", 0, 0, "helo / ehlo requires domain address"),
        ("5.1.4", 0, 0, "destination mailbox address ambiguous"),
        ("5.2.4", 0, 0, "mailing list expansion problem"),
        ("5.2.14", 0, 0, "misconfigured forwarding address"),
        ("4.4.", 22, 28, "message failed to be replicated:"),
        ("4.4.3", 0, 0, "temporary server error. please try again later attr18"),
        ("4.7.0", 0, 0, "temporary server error. please try again later. prx4 nexthop:"),
        ("4.4.318", 0, 0, "(suspiciousremoteservererror)"),
        ("5.4.318", 0, 0, "(suspiciousremoteservererror)"),
        ("4.7.500", 0, 0, "server busy. please try again later from "),
        ("4.7.700", 0, 0, "pfa agent busy, please try again."),
    ),
    "systemfull": (("4.3.1", 0, 0, "insufficient system resources"),),
    "userunknown": (
        ("5.1.1", 0, 0, "resolver.adr.exrecipnotfound; not found"),
        ("5.1.1", 0, 0, "user unknown"),
        ("5.1.3", 0, 0, "storedrv.submit; invalid recipient address"),
        ("5.1.", 4, 5, "recipient address reserved by rfc 2606"),
        ("5.1.6", 0, 0, "recipient addresses in single label domains not accepted"),
        ("5.1.1", 0, 0, "bad destination mailbox address"),
        ("5.1.10", 0, 0, "recipient not found"),
        # "5.4.1 Recipient address rejected: Access denied" - not in the tenant's directory
        ("5.4.1", 0, 0, "recipient address rejected: access denied"),
        ("5.5.0", 0, 0, "requested action not taken: mailbox unavailable"),
        ("5.1.2", 0, 0, "invalid x.400 address"),
        ("5.1.351", 0, 0, "remote server returned unknown recipient or mailbox unavailable"),
    ),
}
# Outlook.com postmaster error codes (https://substrate.office.com/ip-domain-management-snds/
# postmaster/troubleshooting): code -> (reply code, reason).
_OUTLOOK_CODES = {
    "RP-001": ("421", "badreputation"), "RP-002": ("421", "badreputation"),
    "RP-003": ("421", "badreputation"), "SC-001": ("550", "badreputation"),
    "SC-002": ("550", "policyviolation"), "SC-003": ("550", "blocked"),
    "SC-004": ("550", "blocked"), "DY-001": ("550", "blocked"),
    "DY-002": ("550", "virusdetected"), "OU-001": ("550", "blocked"),
    "OU-002": ("550", "badreputation"),
}  # fmt: skip

# --- Mimecast: https://community.mimecast.com/s/article/email-security-cloud-gateway-
# mimecast-smtp-error-codes  (reply code, phrase)
_MIMECAST: dict[str, tuple[tuple[str, str], ...]] = {
    "authfailure": (("550", "spf sender invalid - envelope rejected"),
                    ("550", "dkim sender invalid - envelope rejected"),
                    ("550", "dmarc sender invalid - envelope rejected")),
    "badreputation": (("451", "internal resources are temporarily unavailable"),
                      ("550", "local ct ip reputation - (reject)")),
    "blocked": (("421", "sender address blocked"), ("451", "recipient temporarily unavailable"),
                ("451", "ip temporarily blacklisted")),
    "expired": (("550", "journal messages past the expiration"),),
    "failedstarttls": (("553", "this route requires encryption (tls)"),
                       ("553", "this route requires tls version 1.2 or greater"),
                       ("553", "this route requires high-strength ciphers"),
                       ("554", "configuration is invalid for this certificate")),
    "emailtoolarge": (("554", "maximum email size exceeded"),),
    "networkerror": (("451", "the incorrect hostname used for inbounds"),
                     ("550", "the incorrect hostname used for inbounds"),
                     ("554", "mail loop detected")),
    "norelaying": (("451", "open relay not allowed"), ("451", "open relay is not allowed")),
    "notaccept": (("451", "account inbounds disabled"),),
    "onhold": (("451", "account outbounds disabled"), ("451", "hostname is not authorized"),
               ("550", "journal message past expiration")),
    "policyviolation": (("550", "anti-spoofing policy - inbound not allowed"),
                        ("550", "rejected by header-based anti-spoofing policy"),
                        ("550", "message bounced due to content examination policy"),
                        ("554", "host network not allowed"), ("554", "host network, not allowed")),
    "rejected": (("550", "administrative prohibition envelope blocked"),
                 ("550", "envelope blocked - user entry"),
                 ("550", "envelope blocked - user domain entry"),
                 ("550", "rejected by header-based manually blocked senders - "
                         "block for manual block"),
                 ("550", "rejected by header-based blocked senders - block policy for header from"),
                 ("550", "envelope rejected - block policy for envelope from address")),
    "securityerror": (("535", "incorrect authentication data"),
                      ("550", "submitter failed to disabled"),
                      ("550", "submitter failed to authenticate")),
    "systemerror": (("451", "unable to process connection at this time"),
                    ("451", "message ended early"), ("451", "unable to process command"),
                    ("451", "unable to process an email at this time")),
    "ratelimited": (("451", "account service is temporarily unavailable"),
                    ("452", "too many recipients"), ("550", "exceeding outbound thread limit")),
    "userunknown": (("501", "invalid address"), ("503", "user unknown"),
                    ("550", "invalid recipient")),
    "virusdetected": (("554", "email rejected due to security policies"),),
}  # fmt: skip

# --- NTT DOCOMO --------------------------------------------------------------------------
_NTTDOCOMO = {
    "mailboxfull": ("552 too much mail data",),
    "syntaxerror": ("503 bad sequence of commands", "504 command parameter not implemented"),
    "ratelimited": ("552 too many recipients",),
}  # fmt: skip

# --- Outlook.com (consumer) --------------------------------------------------------------
_OUTLOOK = {
    "hostunknown": ("The mail could not be delivered to the recipient because the domain is "
                    "not reachable",),
    "userunknown": ("Requested action not taken: mailbox unavailable",),
}  # fmt: skip

# --- Spectrum (Charter): https://www.spectrumbusiness.net/support/internet/understanding-
# email-error-codes  AUP#Innnn codes (first, last, reason)
_SPECTRUM = (
    (1000, 1000, "blocked"), (1010, 1010, "rejected"), (1020, 1080, "rejected"),
    (1090, 1090, "systemerror"), (1100, 1150, "requireptr"), (1160, 1190, "policyviolation"),
    (1200, 1210, "blocked"), (1220, 1250, "blocked"), (1260, 1260, "networkerror"),
    (1300, 1340, "ratelimited"), (1350, 1490, "ratelimited"), (1500, 1500, "rejected"),
    (1520, 1520, "rejected"), (1530, 1530, "emailtoolarge"), (1540, 1540, "ratelimited"),
    (1550, 1550, "ratelimited"), (1560, 1560, "policyviolation"), (1580, 1580, "ratelimited"),
)  # fmt: skip

# --- Tencent QQ: https://service.mail.qq.com/detail/122 ----------------------------------
_TENCENT = {
    "authfailure": ("spf check failed", "dmarc check failed"),
    "blocked": ("suspected bounce attacks", "suspected spam ip", "connection denied"),
    "emailtoolarge": ("message too large",),
    "rejected": ("suspected spam", "mail is rejected by recipients"),
    "spamdetected": ("spam is embedded in the email", "mail content denied"),
    "ratelimited": ("mailbox unavailable or access denined",
                    "frequency of receiving messages is limited", "ip frequency limited",
                    "domain frequency limited", "sender frequency limited",
                    "connection frequency limited"),
    "suspend": ("is a deactivated mailbox",),
    "syntaxerror": ("bad address syntax",),
    "userunknown": ("mailbox not found",),
}  # fmt: skip

# --- Yahoo Inc.: https://senders.yahooinc.com/smtp-error-codes ---------------------------
_YAHOOINC = {
    # "550 5.7.9 This mail has been blocked because the sender is unauthenticated."
    "authfailure": ("yahoo requires all senders to authenticate with either spf or dkim",),
    "blocked": (" because the ip is in spamhaus's list;",
                "not accepted from ip addresses on spamhaus xbl"),
    "norelaying": ("relaying denied for ",),
    "notcompliantrfc": ("headers are not rfc compliant",),
    "policyviolation": ("not accepted for policy reasons",),
    # TSS04 ("temporarily deferred due to unexpected volume or user complaints") is a
    # reputation deferral (Yahoo's own page); the rule table decides it (yahoo.tss04).
    "rejected": ("due to unresolvable rfc.5321 domain", " will be permanently deferred"),
    "ratelimited": ("user is receiving mail too quickly", "max message per connection reached"),
    "suspend": (" is no longer valid.", "this mailbox is disabled"),
    "syntaxerror": ("syntax error in parameters or arguments",),
    "userunknown": ("dd this user doesn't have a ", "mailbox not found"),
}  # fmt: skip

# --- Zoho Mail: https://www.zoho.com/mail/help/spam-reason.html --------------------------
_ZOHO = {
    "authfailure": ("Email rejected per DMARC policy",),
    "blocked": ("Greylisted, try again after some time",),
    "rejected": ("Email cannot be delivered. Reason: Email flagged as Spam",
                 "Mail rejected by destination domain"),
    "policyviolation": ("Email policy violation detected",
                        "Mailbox delivery restricted by policy error"),
    "systemerror": ("Temporary System Error",),
    "userunknown": ("User does not exist",),
    "virusdetected": (" detected by Zoho Mail",),
}  # fmt: skip

# --- Google (Gmail): https://support.google.com/a/answer/3726730 -------------------------
# (reply code, status, phrase) — only the last two digits of the reply and the part of the
# status after the class are compared, as Google answers the same text with 4xx and 5xx.
_GOOGLE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "authfailure": (
        ("451", "4.7.24", "the spf record of the sending domain"),
        ("550", "5.7.24", "the spf record of the sending domain"),
        # "Gmail requires all senders to authenticate with either SPF or DKIM."
        ("421", "4.7.26", "senders to authenticate with either spf or dkim"),
        ("550", "5.7.26", "senders to authenticate with either spf or dkim"),
        ("550", "5.7.26", "fails to pass spf checks for an spf record with a hard fail"),
        ("550", "5.7.26", "has an spf record with a hard fail policy"),
        # "Unauthenticated email from domain-name is not accepted due to domain's DMARC policy"
        ("451", "4.7.26", "is not accepted due to domain's dmarc policy"),
        ("550", "5.7.26", "is not accepted due to domain's dmarc policy"),
        ("550", "5.7.1", "fails to pass authentication checks"),
        ("550", "5.7.26", "fails to pass authentication checks"),
        ("421", "4.7.27", "senders to authenticate with spf"),
        ("421", "4.7.27", "senders to authenticate their email with spf"),
        ("550", "5.7.27", "senders to authenticate with spf"),
        ("421", "4.7.30", "senders to authenticate their email with dkim"),
        ("550", "5.7.30", "senders to authenticate with dkim"),
        ("421", "4.7.32", "aligned with either the authenticated spf or dkim"),
        ("421", "5.7.32", "aligned with either the authenticated spf or dkim"),
        ("421", "4.7.40", "to add a dmarc record to "),
    ),
    "badreputation": (
        ("421", "4.7.0", "very low reputation of the sending ip address"),
        ("421", "4.7.0", "very low reputation of the sending domain"),
        ("550", "5.7.1", "due to the very low reputation of the sending ip address"),
        ("550", "5.7.1", "due to the very low reputation of the sending domain"),
    ),
    "blocked": (
        ("421", "4.7.0", "ip not in whitelist for rcpt domain"),
        ("421", "4.7.0", "try again later, closing connection."),
        ("501", "5.5.4", "empty helo/ehlo argument not allowed"),
        ("501", "5.5.4", "helo/ehlo argument is invalid"),
        ("421", "4.7.0", "an unusual rate of unsolicited mail"),
        ("421", "4.7.28", "an unusual rate of mail"),
        ("550", "5.7.1", "an unusual rate of unsolicited mail"),
        ("550", "5.7.28", "an unusual rate of unsolicited mail"),
    ),
    "emailtoolarge": (
        ("552", "5.2.3", "exceeded google's message size limits"),
        ("552", "5.3.4", "exceeds google's limit of limit attachments."),
        ("552", "5.3.4", "your message exceeded google's message header size limits"),
        ("552", "5.3.4", "bytes per individual header size"),
        ("552", "5.3.4", "exceeds google's header name limit of"),
        ("552", "5.3.4", "exceeds google's message header size limit"),
        ("552", "5.3.4", "exceeded google's message size limits"),
        ("552", "5.3.4", "exceeds google's message size limit of"),
    ),
    "expired": (
        ("421", "4.7.0", "connection expired"),
        ("451", "4.4.2", "timeout - closing connection"),
    ),
    "failedstarttls": (
        ("530", "5.7.0", "must issue a starttls command first"),
        ("454", "5.5.1", "starttls may not be repeated"),
        ("421", "4.7.0", "tls required for rcpt domain"),
        ("421", "4.7.29", "senders to use tls/ssl for smtp"),
        ("550", "5.7.29", "senders to use tls/ssl for smtp"),
    ),
    "mailboxfull": (
        ("452", "4.2.2", "inbox is out of storage space"),
        ("552", "5.2.2", "inbox is out of storage space and inactive"),
        ("452", "4.2.2", "is over quota"),
        ("552", "5.2.2", "is over quota"),
        ("550", "5.7.1", "email quota exceeded"),
    ),
    "networkerror": (
        ("554", "5.4.6", "message exceeded 50 hops"),
        ("554", "5.6.0", "message exceeded 50 hops"),
    ),
    "norelaying": (
        ("550", "5.7.0", "mail relay denied"),
        ("550", "5.7.1", "invalid credentials for relay"),
        ("550", "5.7.1", "is not authorized to send email directly to our servers"),
    ),
    "notcompliantrfc": (
        ("550", "5.7.1", "missing a valid address in the from: header"),
        ("550", "5.7.1", "multiple addresses in from: header are not accepted"),
        ("550", "5.7.1", "is not rfc 5322 compliant"),
        ("550", "5.7.1", "missing a valid message-id: header"),
        ("550", "5.7.1", "contains a unicode character in a disallowed header"),
        ("550", "5.7.1", "encoded-word syntax is not permitted"),
        ("553", "5.1.7", "is not a valid rfc 5321 address"),
        ("554", "5.6.0", "mail message is malformed"),
    ),
    "policyviolation": (
        ("552", "5.7.0", "illegal attachment on your message"),
        ("552", "5.7.0", "blocked because its content presents a potential security issue"),
        ("550", "5.7.1", "you are sending to (or from) has a policy that prohibited"),
        ("421", "4.7.28", "sending messages with the same message-id:"),
    ),
    "rejected": (
        ("550", "5.7.0", "mail sending denied"),
        ("550", "5.7.1", "unauthenticated email is not accepted"),
    ),
    "requireptr": (
        ("421", "4.7.0", "does not have a ptr record"),
        ("421", "4.7.23", " have a ptr record, or the ptr record"),
        (
            "550",
            "5.7.1",
            "does not meet ipv6 sending guidelines regarding ptr records and authentication",
        ),
        ("550", "5.7.25", "does not have a ptr record"),
        ("550", "5.7.25", "does not match the ip address of the hostname"),
    ),
    "securityerror": (
        ("454", "4.7.0", "too many login attempts"),
        ("501", "5.5.2", "cannot decode response"),
        ("503", "5.7.0", "no identity changes permitted"),
        ("530", "5.5.1", "authentication required."),
        ("530", "5.7.0", "authentication required."),
        ("535", "5.7.1", "application-specific password required"),
        ("535", "5.7.9", "application-specific password required"),
        ("535", "5.7.1", "please log in with your web browser"),
        ("534", "5.7.9", "please log in with your web browser"),
        ("534", "5.7.14", "please log in through your web browser"),
        ("535", "5.7.1", "username and password not accepted"),
        ("535", "5.7.8", "username and password not accepted"),
    ),
    "spamdetected": (
        ("421", "4.7.0", "due to the nature of the content or the links within"),
        ("550", "5.7.1", "likely unsolicited mail"),
    ),
    "ratelimited": (
        ("450", "4.2.1", "is receiving mail too quickly"),
        ("450", "4.2.1", "peak smtp relay limit exceeded for customer"),
        ("450", "4.2.1", "rate that prevents additional messages from being delivered"),
        ("550", "5.2.1", "rate that prevents additional messages from being delivered"),
        ("550", "5.4.5", "daily sending quota exceeded"),
        ("550", "5.4.5", "daily user sending limit exceeded"),
        ("550", "5.4.5", "daily smtp relay limit exceeded for"),
        ("550", "5.7.1", "daily smtp relay limit exceeded for"),
        ("550", "5.7.1", "daily smtp relay sending limit exceeded for"),
        ("550", "5.7.1", "this mail has been rate limited"),
        ("452", "4.5.3", "your message has too many recipients"),
        ("550", "5.5.3", "too many recipients for this sender"),
    ),
    "suspend": (
        # "550 5.2.1 The email account that you tried to reach is inactive."
        ("550", "5.2.1", "account that you tried to reach is disabled"),
        ("550", "5.2.1", "account that you tried to reach is inactive"),
    ),
    "syntaxerror": (
        ("451", "4.5.0", "smtp protocol violation"),
        ("454", "4.5.0", "smtp protocol violation"),
        ("525", "5.7.10", "smtp protocol violation"),
        ("535", "5.5.4", "optional argument not permitted"),
        ("501", "5.7.11", "syntax error"),
        ("501", "5.5.2", "syntax error"),
        ("555", "5.5.2", "syntax error"),
        ("502", "5.5.1", "too many unrecognized commands, goodbye"),
        ("502", "5.5.1", "unimplemented command"),
        ("502", "5.5.1", "unrecognized command"),
        ("503", "5.5.1", "bad sequence of commands"),
        ("503", "5.5.1", "ehlo/helo first"),
        ("503", "5.5.1", "mail first"),
        ("503", "5.5.1", "rcpt first"),
        ("503", "5.5.1", "no data after bdat"),
        ("504", "5.7.4", "unrecognized authentication type"),
        ("504", "5.7.4", "xoauth is no longer supported"),
        ("554", "5.7.0", "too many unauthenticated commands"),
    ),
    "systemerror": (
        ("421", "4.3.0", "temporary system problem"),
        ("421", "4.7.0", "temporary system problem"),
        ("421", "4.4.5", "server busy"),
        ("451", "4.3.0", "multiple destination domains per transaction is unsupported"),
        ("451", "4.3.0", "mail server has temporarily rejected this message"),
        ("451", "4.3.0", "mail server temporarily rejected message"),
        ("452", "4.5.3", "domain policy size per transaction exceeded"),
        ("454", "4.7.0", "cannot authenticate due to temporary system problem"),
    ),
    "userunknown": (
        # "550 5.1.1 The email account that you tried to reach does not exist."
        ("550", "5.1.1", "the email account that you tried to reach does not exist"),
        ("553", "5.1.2", "we weren't able to find the recipient domain"),
        ("553", "5.1.3", "is not a valid rfc 5321 address"),
    ),
}
