"""Bounce reason phrases, "authfailure" to "notcompliantrfc" (Sisimai reason/*.rb; BSD 2-Clause).

Part of :data:`maildoctor.bounce.reasons.PHRASES`, split out only to keep modules short.
"""

from __future__ import annotations

from .phrase_keys import EXCEED, MESG, Pairs

#: reason -> (phrases, ordered word sequences). All lower case.
PHRASES_A_N: dict[str, tuple[tuple[str, ...], Pairs]] = {
    "authfailure": (
        (
            "//spf.pobox.com",
            "bad spf records for",
            "dmarc policy",
            "doesn't meet the required authentication level",
            "please inspect your spf settings",
            "sender policy framework (spf) fail",
            "sender policy framework violation",
            "spf (sender policy framework) domain authentication fail",
            "spf check: fail",
            "the 5322.from address doesn't meet the authentication requirements defined for "
            "the sender",
        ),
        (
            (" is not allowed to send mail.", "_401"),
            ("is not allowed to send from <", " per it's spf record"),
        ),
    ),
    "badreputation": (
        (
            "a poor email reputation score",
            "has been temporarily rate limited due to ip reputation",
            "ip/domain reputation problems",
            "likely suspicious due to the very low reputation",
            "none/bad reputation",  # t-online.de
            "temporarily deferred due to unexpected volume or user complaints",  # Yahoo Inc.
            "the sending mta's poor reputation",
        ),
        (),
    ),
    "blocked": (
        (
            " said: 550 blocked",
            "//www.spamcop.net/bl.",
            "bad sender ip address",
            "banned sending ip",  # Office365
            "blacklisted by",
            "blocked using ",
            "blocked - see http",
            "dnsbl:attrbl",
            "client host rejected: abus detecte gu_eib_02",  # SFR
            "client host rejected: abus detecte gu_eib_04",  # SFR
            "client host rejected: may not be mail exchanger",
            "client host rejected: was not authenticated",  # Microsoft
            "confirm this mail server",
            "connection dropped",
            "connection refused by",
            "connection reset by peer",
            "connection was dropped by remote host",
            "connections not accepted from ip addresses on spamhaus xbl",
            "currently sending spam see: ",
            "domain does not exist:",
            "dynamic/zombied/spam ips blocked",
            "error: no valid recipients from ",
            "esmtp not accepting connections",  # icloud.com
            "extreme bad ip profile",
            "go away",
            "helo command rejected:",
            "host network not allowed",
            "hosts with dynamic ip",
            "invalid ip for sending mail of domain",
            "is in a black list",
            "is not allowed to send mail from",
            "mailfrom domain is listed in spamhaus",
            "no access from mail server",
            "no matches to nameserver query",
            "not currently accepting mail from your ip",  # Microsoft
            "part of their network is on our block list",
            "please use the smtp server of your isp",
            "refused - see http",
            "rejected - multi-blacklist",  # junkemailfilter.com
            "rejected because the sending mta or the sender has not passed validation",
            "rejecting open proxy",  # Sendmail(srvrsmtp.c)
            "sender ip address rejected",
            "server access forbidden by your ip ",
            "service not available, closing transmission channel",
            "smtp error from remote mail server after initial connection:",  # Exim
            "sorry, that domain isn't in my list of allowed rcpthosts",
            "sorry, your remotehost looks suspiciously like spammer",
            "temporarily deferred due to unexpected volume or user complaints",
            "to submit messages to this e-mail system has been rejected",
            "too many spams from your ip",  # free.fr
            "too many unwanted messages have been sent from the following ip address above",
            "was blocked by ",
            "we do not accept mail from dynamic ips",  # @mail.ru
            "you are not allowed to connect",
            "you are sending spam",
            "your ip address is listed in the rbl",
            "your network is temporary blacklisted",
            "your server requires confirmation",
        ),
        (
            ("(", "@", ":blocked)"),
            ("access from ip address ", " blocked"),
            ("client host ", " blocked using"),
            ("connections will not be accepted from ", " because the ip is in spamhaus's list"),
            ("dnsbl:rbl ", ">_is_blocked"),
            ("email blocked by ", ".barracudacentral.org"),
            ("email blocked by ", "spamhaus"),
            ("host ", " refused to talk to me: ", " blocked"),
            ("ip ", " is blocked by earthlink"),
            ("is in an ", "rbl on "),
            ("mail server at ", " is blocked"),
            ("mail from ", " refused:"),
            ("mail from ", " refused, see ", "orbs"),
            ("message from ", " rejected based on blacklist"),
            ("messages from ", " temporarily deferred due to user complaints"),  # Yahoo!
            ("server ip ", " listed as abusive"),
            ("sorry! your ip address", " is blocked by rbl"),  # junkemailfilter.com
            ("the domain ", " is blacklisted"),
            ("the email ", " is blacklisted"),
            ("the ip", " is blacklisted"),
            ("veuillez essayer plus tard. service refused, please try later. ", "103"),
            ("veuillez essayer plus tard. service refused, please try later. ", "510"),
            ("your access ip", " has been rejected"),
            ("your sender's ip address is listed at ", ".abuseat.org"),
        ),
    ),
    "contenterror": (
        (
            "duplicate header",
            "header size exceeds maximum permitted",
            "improper use of 8-bit data in message header",
            "message header size, or recipient list, exceeds policy limit",
            "message mime complexity exceeds the policy maximum",
            "routing loop detected -- too many received: headers",
            "this message contain invalid mime headers",
            "this message contain improperly-formatted binary content",
            "this message contain text that uses unnecessary base64 encoding",
        ),
        (),
    ),
    EXCEED: (("message header size exceeds limit", "message too large"), ()),
    "expired": (
        (
            "connection timed out",
            "could not find a gateway for",
            "delivery attempts will continue to be",
            "delivery expired",
            "delivery time expired",
            "failed to deliver to domain ",
            "giving up on",
            "have been failing for a long time",
            "has been delayed",
            "it has not been collected after",
            "message expired after sitting in queue for",
            "message expired, cannot connect to remote server",
            "message expired, connection refulsed",
            "message timed out",
            "retry time not reached for any host after a long failure period",
            "server did not respond",
            "this message has been in the queue too long",
            "unable to deliver message after multiple retries",
            "was not reachable within the allowed queue period",
            "your message could not be delivered for more than",
        ),
        (("could not be delivered for", " days"),),
    ),
    "failedstarttls": (
        ("starttls is required to send mail", "tls required but not supported"),
        (),
    ),
    "filtered": (
        (
            "account is protected by",
            "bounced address",
            "has restricted sms e-mail",
            "is not accepting any mail",
            "message filtered",
            "message rejected due to user rules",
            "not found recipient account",
            "recipient id refuse to receive mail",
            "recipient is only accepting mail from specific email addresses",  # AOL Phoenix
            "refused due to recipient preferences",  # Facebook
            "user not found",  # Filter on MAIL.RU
            "user refuses to receive this mail",
            "user reject",
            "you have been blocked by the recipient",
        ),
        (),
    ),
    "hasmoved": ((" has been replaced by ",), ()),
    "hostunknown": (
        (
            "domain does not exist",
            "domain is not reachable",
            "domain must exist",
            "host or domain name not found",
            "host unknown",
            "host unreachable",
            "mail domain mentioned in email address is unknown",
            "name or service not known",
            "no such domain",
            "recipient address rejected: unknown domain name",
            "recipient domain must exist",
            "the account or domain may not exist",
            "unknown host",
            "unroutable address",
            "unrouteable address",
        ),
        (("553 ", " does not exist"),),
    ),
    "mailboxfull": (
        (
            "452 insufficient disk space",
            "account disabled temporarly for exceeding receiving limits",
            "boite du destinataire pleine",
            "exceeded storage allocation",
            "full mailbox",
            "mailbox exceeds allowed size",
            "mailbox size limit exceeded",
            "mailbox would exceed maximum allowed storage",
            "mailfolder is full",
            "no space left on device",
            "not sufficient disk space",
            "quota violation for",
            "too much mail data",  # @docomo.ne.jp
            "user has exceeded quota, bouncing mail",
            "user has too many messages on the server",
            "user's space has been used up",
        ),
        (
            ("account is ", " quota"),
            ("disk", "quota"),
            ("enough ", " space"),
            ("mailbox ", "exceeded", " limit"),
            ("mailbox ", "full"),
            ("mailbox ", "quota"),
            ("maildir ", "quota"),
            ("over ", "quota"),
            ("quota ", "exceeded"),
        ),
    ),
    "mailererror": (
        (
            " || exit ",
            "procmail: ",
            "bin/procmail",
            "bin/maidrop",
            "command failed: ",
            "command died with status ",
            "command output:",
            "mailer error",
            "pipe to |/",
            "x-unix; ",
        ),
        (),
    ),
    MESG: (
        (
            "exceeded maximum inbound message size",
            "exceeded the maximum incoming message size",
            "line limit exceeded",
            "max message size exceeded",
            "message file too big",
            "message length exceeds administrative limit",
            "message size exceeds fixed limit",
            "message size exceeds fixed maximum message size",
            "message size exceeds maximum value",
            "message too big",
            "message too large for this ",
            "size limit",
            "taille limite du message atteinte",
        ),
        (),
    ),
    "networkerror": (
        (
            "could not connect and send the mail to",
            "dns records for the destination computer could not be found",
            "hop count exceeded - possible mail loop",
            "host is unreachable",
            "host name lookup failure",
            "host not found, try again",
            "mail forwarding loop for ",
            "malformed name server reply",
            "malformed or unexpected name server reply",
            "maximum forwarding loop count exceeded",
            "message looping",
            "message probably in a routing loop",
            "no route to host",
            "too many hops",
            "unable to resolve route ",
            "unrouteable mail domain",
        ),
        (),
    ),
    "norelaying": (
        (
            "as a relay",
            "email address is not verified.",
            "insecure mail relay",
            "is not permitted to relay through this server without authentication",
            "mail server requires authentication when attempting to send to a non-local "
            "e-mail address",  # MailEnable
            "no relaying",
            "not a gateway",
            "not allowed to relay through this machine",
            "not an open relay, so get lost",
            "not local host",
            "relay access denied",
            "relay denied",
            "relay not permitted",
            "relaying denied",
            "relaying mail to ",
            "specified domain is not allowed",
            "that domain isn't in my list of allowed rcpthost",
            "this system is not configured to relay mail",
            "unable to relay ",
            "we don't handle mail for",
        ),
        (),
    ),
    "notaccept": (
        (
            "does not accept mail (nullmx)",
            "host/domain does not accept mail",  # iCloud
            "host does not accept mail",  # Sendmail
            "mail receiving disabled",
            "name server: .: host not found",  # Sendmail
            "no mx record found for domain=",  # Oath(Yahoo!)
            "no route for current request",
            "smtp protocol returned a permanent error",
        ),
        (),
    ),
    "notcompliantrfc": (
        (
            "duplicate header",
            "this message is not rfc 5322 compliant",
            "https://support.google.com/mail/?p=rfcmessagenoncompliant",
        ),
        ((" multiple ", " header"),),
    ),
}
