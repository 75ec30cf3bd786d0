"""The incidents of the scenario suite, as data.

Written from the facts in REFERENCE.md and the providers' documentation (SES Developer
Guide: custom MAIL FROM, Easy DKIM, suppression list, SMTP credentials; RFC 7208 and RFC
7489/9989 for SPF and DMARC; Microsoft's and Google's published reply codes), not from
maildoctor's output: each expectation is what the world as built makes true.

The names are reserved ones (example.com/.net/.org, 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24); ``198.51.100.0/24`` stands in for SES's published sending ranges.
Vendor host names appear only where maildoctor must recognise them.
"""

from __future__ import annotations

from scenario_kit import (
    SENDER,
    Identity,
    Incident,
    OtherRelay,
    Ses,
    SesRelay,
    Signer,
    Zone,
    app_log,
    delivered_copy,
    dsn,
    gmail_notice,
    postfix_log,
    ses_delivery,
    ses_notification,
)

from maildoctor.demo import zones

SIGNER = Signer()
EXO = "example-net.mail.protection.outlook.com"
ALICE, BOB = "alice@example.net", "bob@example.net"
DOMAIN = Identity(name="example.com", mail_from="mail.example.com")
DOMAIN_NO_MAIL_FROM = Identity(name="example.com")
SES_OK = Ses(identities=(DOMAIN,))
EXO_509 = (
    "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification "
    "and has a DMARC policy of reject. [AM4PEPF00027A6C.eurprd04.prod.outlook.com]"
)
EXO_515 = (
    "550 5.7.515 Access denied, sending domain example.com doesn't meet the required "
    "authentication level. The sender's domain in the 5322.From address doesn't meet the "
    "authentication requirements defined for the sender. Spf=Pass, Dkim=Pass, DMARC=Fail "
    "[AM4PEPF00027A6C.eurprd04.prod.outlook.com]"
)
DMARC_NONE = "v=DMARC1; p=none; rua=mailto:dmarc@example.com"


def world(**sender: object) -> Zone:
    """Sender, recipients and vendor zones; ``sender`` changes the sender's records."""
    return zones.merge(
        zones.sender_zone(**sender),  # type: ignore[arg-type]
        zones.recipient_zone(),
        zones.vendor_zone(),
        SIGNER.zone(),
    )


def with_records(base: Zone, records: Zone) -> Zone:
    return zones.merge(base, records)


def _over_limit_mail_from() -> Zone:
    """A MAIL FROM record that needs 12 DNS lookups before it reaches include:amazonses.com."""
    terms = " ".join(f"a:h{i}.example.com" for i in range(12))
    zone: Zone = {
        "mail.example.com": [
            {"MX": [10, "feedback-smtp.us-east-1.amazonses.com"]},
            {"TXT": f"v=spf1 {terms} include:amazonses.com ~all"},
        ]
    }
    for i in range(12):
        zone[f"h{i}.example.com"] = [{"A": f"192.0.2.{i + 1}"}]
    return zone


def _apex_over_limit() -> Zone:
    includes = " ".join(f"include:_spf{i}.example.com" for i in range(1, 7))
    zone: Zone = {
        "example.com": [
            {"TXT": f"v=spf1 include:amazonses.com {includes} ~all"},
            {"MX": [10, "mx.example.com"]},
            {"A": "192.0.2.10"},
        ]
    }
    for i in range(1, 7):
        zone[f"_spf{i}.example.com"] = [{"TXT": f"v=spf1 a:host{i}.example.com ~all"}]
        zone[f"host{i}.example.com"] = [{"A": f"192.0.2.{100 + i}"}]
    return zone


def _apex_record(spf: str) -> Zone:
    return {"example.com": [{"TXT": spf}, {"MX": [10, "mx.example.com"]}, {"A": "192.0.2.10"}]}


def _own_server_zone(spf: str) -> Zone:
    """A domain sending from its own server (192.0.2.25), not through SES."""
    zone = with_records(world(mail_from=None), _apex_record(spf))
    zone["25.2.0.192.in-addr.arpa"] = [{"PTR": "mx.example.com"}]
    return zone


SES_DSN = "a48-112.smtp-out.amazonses.com"
PASSING_COPY = delivered_copy(
    SIGNER,
    mail_from="0100018f3c-bounce@mail.example.com",
    results="dkim=pass header.d=example.com; spf=pass smtp.mailfrom=mail.example.com; "
    "dmarc=pass (p=REJECT) header.from=example.com",
)

INCIDENTS: tuple[Incident, ...] = (
    # -- healthy, and healthy but imperfect ----------------------------------------------
    Incident(
        name="healthy-ses",
        story="A correct SES set-up (domain identity, Easy DKIM, custom MAIL FROM, p=reject), "
        "the relay login works: nothing is wrong.",
        zone=world(),
        ses=SES_OK,
        relay=SesRelay(),
        causes=frozenset(),
        exit=0,
    ),
    Incident(
        name="policy-none-only",
        story="Everything works; DMARC is p=none: an advisory, not a failure.",
        zone=world(dmarc=DMARC_NONE),
        ses=SES_OK,
        causes=frozenset(),
        advisories=frozenset({"dns.dmarc.policy_none"}),
        exit=0,
    ),
    Incident(
        name="apex-spf-over-limit-ses",
        story="SES mail with a custom MAIL FROM; the apex SPF record needs more than 10 "
        "lookups. SES mail is checked against mail.example.com's record, so the apex record "
        "did not stop it: a defect for the domain's other senders.",
        zone=with_records(world(), _apex_over_limit()),
        ses=SES_OK,
        causes=frozenset(),
        defects=frozenset({"dns.spf.lookup_limit"}),
        exit=0,
    ),
    Incident(
        name="apex-spf-syntax-ses",
        story="The apex SPF record has an invalid ip4 term (permerror); SES mail uses the "
        "custom MAIL FROM, so the apex record is off its path.",
        zone=with_records(
            world(), _apex_record("v=spf1 include:amazonses.com ip4:192.0.2.300 ~all")
        ),
        ses=SES_OK,
        causes=frozenset(),
        defects=frozenset({"dns.spf.permerror"}),
        exit=0,
    ),
    Incident(
        name="apex-spf-permerror-copy-passes",
        story="No access to the SES account; the apex SPF record is a permerror, but a copy "
        "that arrived shows dkim=pass for example.com and dmarc=pass: the defect did not stop "
        "this mail.",
        zone=with_records(
            world(), _apex_record("v=spf1 include:amazonses.com ip4:192.0.2.300 ~all")
        ),
        headers=PASSING_COPY,
        causes=frozenset(),
        defects=frozenset({"dns.spf.permerror"}),
        exit=0,
    ),
    Incident(
        name="apex-spf-permerror-delivery-notified",
        story="No access to the SES account; the apex SPF record is a permerror, and SES's "
        "Delivery notification says the receiver accepted the mail (250): the record did not "
        "stop it.",
        zone=with_records(
            world(), _apex_record("v=spf1 include:amazonses.com ip4:192.0.2.300 ~all")
        ),
        bounces=(ses_delivery("dave@example.org"),),
        recipients=("dave@example.org",),
        causes=frozenset(),
        defects=frozenset({"dns.spf.permerror"}),
        exit=0,
    ),
    Incident(
        name="mail-from-spf-permerror-dkim-works",
        story="The custom MAIL FROM's SPF record needs 12 lookups before its "
        "include:amazonses.com (permerror), but Easy DKIM is verified and published: DMARC "
        "passes through DKIM, so the SPF record is a defect, not the cause of a failure.",
        zone=with_records(world(), _over_limit_mail_from()),
        ses=SES_OK,
        causes=frozenset(),
        defects=frozenset({"dns.mailfrom.spf_permerror"}),
        exit=0,
    ),
    Incident(
        name="dkim-cnames-missing-spf-aligned",
        story="The Easy DKIM CNAMEs were published under example.com.example.com (a DNS "
        "console appending the zone), so SES cannot sign with the domain; the custom MAIL "
        "FROM's SPF passes aligned, so DMARC still passes: a defect.",
        zone=with_records(
            world(omit_dkim=(0, 1, 2)),
            {
                f"{t}._domainkey.example.com.example.com": [{"CNAME": f"{t}.dkim.amazonses.com"}]
                for t in zones.DKIM_TOKENS
            },
        ),
        ses=SES_OK,
        causes=frozenset(),
        defects=frozenset({"provider.ses.dkim_cname_missing"}),
        exit=0,
    ),
    Incident(
        name="mail-from-mx-missing-dkim-works",
        story="The custom MAIL FROM subdomain lost its MX (BehaviorOnMxFailure "
        "UseDefaultValue): SES falls back to amazonses.com, SPF no longer aligns, but DKIM "
        "does: a defect.",
        zone=with_records(
            world(),
            {"mail.example.com": [{"TXT": "v=spf1 include:amazonses.com ~all"}]},
        ),
        ses=SES_OK,
        causes=frozenset(),
        defects=frozenset({"provider.ses.mail_from_mx_missing"}),
        exit=0,
    ),
    Incident(
        name="other-senders-bounce-ignored",
        story="A bounce about a message from another organisation's domain is in the "
        "mailbox; it says nothing about this sender, whose set-up is healthy.",
        zone=world(),
        ses=SES_OK,
        bounces=(
            dsn(ALICE, EXO_509, remote_mta=EXO).replace(
                b"From: Admin <admin@example.com>", b"From: Shop <orders@shop.example>"
            ),
        ),
        causes=frozenset(),
        exit=0,
    ),
    # -- SES credentials --------------------------------------------------------------------
    Incident(
        name="stale-password-gmail",
        story="The IAM key behind Gmail's 'Send mail as' password was rotated and deleted; "
        "SES answers 535.",
        zone=world(),
        ses=Ses(identities=(DOMAIN,), key="rotated"),
        relay=SesRelay(),
        bounces=(
            gmail_notice(
                ALICE,
                "email-smtp.us-east-1.amazonaws.com",
                ["535 Authentication Credentials Invalid"],
                "5.7.8",
            ),
        ),
        causes=frozenset({"client.smtp_auth.stale_ses_password"}),
    ),
    Incident(
        name="inactive-key",
        story="The key the client uses was made inactive in IAM (not deleted): SES refuses "
        "the login until it is reactivated or replaced.",
        zone=world(),
        ses=Ses(identities=(DOMAIN,), key="inactive"),
        relay=SesRelay(),
        causes=frozenset({"provider.ses.smtp_key_inactive"}),
    ),
    Incident(
        name="password-for-another-region",
        story="The SMTP password was derived for eu-west-1 but the client uses the us-east-1 "
        "endpoint; the current secret is given on stdin, so the exact reason can be shown.",
        zone=world(),
        ses=SES_OK,
        relay=SesRelay(password="other-region", give_secret=True),
        causes=frozenset({"client.smtp_auth.wrong_region_password"}),
    ),
    Incident(
        name="legacy-v2-password",
        story="The client holds a legacy V2 SMTP password (first character A): not accepted "
        "by a regional endpoint's V4 check.",
        zone=world(),
        ses=SES_OK,
        relay=SesRelay(password="v2"),
        causes=frozenset({"client.smtp_auth.legacy_v2_password"}),
    ),
    Incident(
        name="raw-secret-as-password",
        story="The IAM secret access key itself was pasted as the SMTP password.",
        zone=world(),
        ses=SES_OK,
        relay=SesRelay(password="raw-secret"),
        causes=frozenset({"client.smtp_auth.raw_secret_as_password"}),
    ),
    # -- SES account and identities ---------------------------------------------------------
    Incident(
        name="suppressed-us-west-2",
        story="The account sends from us-west-2; bob was suppressed there after a hard "
        "bounce. SES's notification (via SNS) names us-west-2 in its ARNs; no region is "
        "given, the evidence must direct the check.",
        zone=world(region="us-west-2"),
        ses=Ses(
            identities=(Identity(name="example.com", region="us-west-2"),),
            suppressed=((BOB, "us-west-2"),),
        ),
        bounces=(ses_notification(BOB, region="us-west-2"),),
        recipients=(BOB,),
        aws_region=None,
        causes=frozenset({"provider.ses.recipient_suppressed"}),
    ),
    Incident(
        name="suppressed-in-the-notifications-region",
        story="The relay is us-east-1 (so is the configured region), but the notification "
        "comes from the account's us-west-2 set-up, where bob is suppressed: us-west-2's "
        "list must be read, and us-east-1's 'not suppressed' is no contradiction.",
        zone=world(),
        ses=Ses(
            identities=(DOMAIN, Identity(name="example.com", region="us-west-2")),
            suppressed=((BOB, "us-west-2"),),
        ),
        region="us-east-1",
        bounces=(ses_notification(BOB, region="us-west-2"),),
        recipients=(BOB,),
        causes=frozenset({"provider.ses.recipient_suppressed"}),
    ),
    Incident(
        name="suppressed-us-east-1",
        story="bob is on the us-east-1 suppression list; SES's raw notification says so.",
        zone=world(),
        ses=Ses(identities=(DOMAIN,), suppressed=((BOB, "us-east-1"),)),
        region="us-east-1",
        bounces=(ses_notification(BOB, via_sns=False),),
        recipients=(BOB,),
        causes=frozenset({"provider.ses.recipient_suppressed"}),
    ),
    Incident(
        name="identity-wrong-region",
        story="example.com is verified in us-west-2 only; the mail server relays through "
        "us-east-1, which rejects at DATA.",
        zone=world(region="us-west-2"),
        ses=Ses(identities=(Identity(name="example.com", region="us-west-2"),)),
        relay=SesRelay(),
        region="us-east-1",
        logs=(
            postfix_log(
                [
                    (
                        ALICE,
                        "email-smtp.us-east-1.amazonaws.com",
                        "dsn=5.0.0, status=bounced (host email-smtp.us-east-1.amazonaws.com"
                        "[127.0.0.1] said: 554 Message rejected: Email address is not "
                        "verified. The following identities failed the check in region "
                        "US-EAST-1: admin@example.com (in reply to end of DATA command))",
                    )
                ]
            ),
        ),
        causes=frozenset({"provider.ses.identity_wrong_region"}),
    ),
    Incident(
        name="email-identity-only-515",
        story="Only admin@example.com is verified (no domain identity): SES signs "
        "d=amazonses.com, DMARC fails alignment and Exchange Online refuses with 5.7.515.",
        zone=world(),
        ses=Ses(identities=(Identity(name=SENDER),)),
        relay=SesRelay(),
        bounces=(dsn(ALICE, EXO_515, remote_mta=EXO, reporting_mta=SES_DSN),),
        causes=frozenset({"provider.ses.email_identity_only"}),
    ),
    Incident(
        name="sandbox-recipient",
        story="The account is still in the SES sandbox in us-east-1; the application's "
        "boto3 call was refused for the unverified recipient.",
        zone=world(),
        ses=Ses(identities=(DOMAIN,), sandbox=("us-east-1",)),
        region="us-east-1",
        logs=(
            app_log(
                [
                    "2025-05-02T09:14:02Z ERROR mailer botocore.errorfactory.MessageRejected: "
                    "An error occurred (MessageRejected) when calling the SendEmail operation: "
                    "Email address is not verified. The following identities failed the check "
                    "in region US-EAST-1: alice@example.net"
                ]
            ),
        ),
        causes=frozenset({"provider.ses.sandbox_recipient_unverified"}),
    ),
    Incident(
        name="mail-from-not-verified-api",
        story="The custom MAIL FROM subdomain has no MX and BehaviorOnMxFailure is "
        "RejectMessage: the application's SES API calls fail with "
        "MailFromDomainNotVerifiedException (JavaScript SDK error line).",
        zone=with_records(
            world(), {"mail.example.com": [{"TXT": "v=spf1 include:amazonses.com ~all"}]}
        ),
        ses=Ses(
            identities=(
                Identity(
                    name="example.com", mail_from="mail.example.com", behavior="RejectMessage"
                ),
            )
        ),
        logs=(
            app_log(
                [
                    "2025-05-02T09:14:02.311Z error send failed "
                    "MailFromDomainNotVerifiedException: "
                    "Message rejected: the MAIL FROM domain is not verified"
                ]
            ),
        ),
        causes=frozenset({"provider.ses.mail_from_mx_missing"}),
    ),
    Incident(
        name="sending-paused-api",
        story="SES paused the account's sending in us-east-1; boto3 reports "
        "AccountSendingPausedException.",
        zone=world(),
        ses=Ses(identities=(DOMAIN,), paused=("us-east-1",)),
        logs=(
            app_log(
                [
                    "2025-05-02T09:14:02Z ERROR botocore.errorfactory."
                    "AccountSendingPausedException: An error occurred "
                    "(AccountSendingPausedException) when calling the SendEmail operation: "
                    "Sending paused for this account."
                ]
            ),
        ),
        causes=frozenset({"provider.ses.sending_paused"}),
    ),
    # -- DMARC: either fix is enough ------------------------------------------------------
    Incident(
        name="dkim-cname-missing-default-mail-from",
        story="One Easy DKIM CNAME is missing and SES uses its default MAIL FROM: neither "
        "mechanism aligns, p=reject, Exchange Online bounces with 5.7.509.",
        zone=world(omit_dkim=(1,), mail_from=None),
        ses=Ses(identities=(DOMAIN_NO_MAIL_FROM,)),
        bounces=(dsn(ALICE, EXO_509, remote_mta=EXO, reporting_mta=SES_DSN),),
        causes=frozenset({"provider.ses.dkim_cname_missing"}),
    ),
    Incident(
        name="dkim-and-mail-from-spf-both-broken",
        story="The custom MAIL FROM is configured and verified but its SPF record is a "
        "permerror (12 lookups before include:amazonses.com), and one Easy DKIM CNAME is "
        "missing: DMARC fails; fixing either restores it.",
        zone=with_records(world(omit_dkim=(2,)), _over_limit_mail_from()),
        ses=SES_OK,
        bounces=(dsn(ALICE, EXO_509, remote_mta=EXO, reporting_mta=SES_DSN),),
        causes=frozenset({"provider.ses.dkim_cname_missing"}),
    ),
    Incident(
        name="dkim-missing-strict-spf-alignment",
        story="The Easy DKIM CNAMEs are missing; the custom MAIL FROM works, but the DMARC "
        "record says aspf=s, under which mail.example.com does not align with example.com: "
        "neither mechanism aligns, so DMARC fails (no bounce yet, p=reject).",
        zone=world(
            omit_dkim=(0, 1, 2),
            dmarc="v=DMARC1; p=reject; aspf=s; rua=mailto:dmarc@example.com",
        ),
        ses=SES_OK,
        causes=frozenset({"provider.ses.dkim_cname_missing"}),
    ),
    Incident(
        name="dkim-missing-no-evidence-p-reject",
        story="One Easy DKIM CNAME missing, SES default MAIL FROM, p=reject, no bounce yet: "
        "receivers enforcing DMARC will refuse the mail.",
        zone=world(omit_dkim=(0,), mail_from=None),
        ses=Ses(identities=(DOMAIN_NO_MAIL_FROM,)),
        causes=frozenset({"provider.ses.dkim_cname_missing"}),
    ),
    # -- other relays (not SES) -------------------------------------------------------------
    Incident(
        name="m365-smtp-auth-disabled",
        story="A printer submits to Microsoft 365; SMTP AUTH is disabled for the tenant.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        relay=OtherRelay(
            host="smtp.office365.com",
            auth_reply="535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
            "disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
            "information.",
        ),
        causes=frozenset({"client.smtp_auth.disabled_for_tenant"}),
    ),
    Incident(
        name="gmail-relay-app-password",
        story="A scanner submits to smtp.gmail.com with the account password; Google wants "
        "an app password.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        relay=OtherRelay(
            host="smtp.gmail.com",
            auth_reply="534 5.7.9 Application-specific password required. Learn more at "
            "https://support.google.com/mail/?p=InvalidSecondFactor",
        ),
        causes=frozenset({"client.smtp_auth.app_password_required"}),
    ),
    Incident(
        name="send-as-notice-534",
        story="Gmail's 'Send mail as' notice quotes 534-5.7.9 from the alias's relay: the "
        "login was refused; nothing says the message itself was refused.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        bounces=(
            gmail_notice(
                ALICE,
                "smtp.gmail.com",
                [
                    "534-5.7.9 Application-specific password required. Learn more at",
                    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor",
                ],
                "5.7.9",
            ),
        ),
        causes=frozenset({"client.smtp_auth.app_password_required"}),
    ),
    Incident(
        name="send-as-notice-missing-subject",
        story="The alias's relay logged in fine and refused the message: '550 Missing "
        "subject field.'",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        bounces=(gmail_notice(ALICE, "smtp.example.net", ["550 Missing subject field."], "5.0.0"),),
        causes=frozenset({"client.relay.message_rejected"}),
    ),
    Incident(
        name="send-as-notice-no-auth",
        story="The alias's relay offers no AUTH after STARTTLS.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        bounces=(
            gmail_notice(
                ALICE,
                "smtp.example.net",
                [
                    "Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise "
                    "AUTH capability"
                ],
                "5.5.1",
            ),
        ),
        causes=frozenset({"client.smtp_auth.not_offered"}),
    ),
    Incident(
        name="own-server-spf-not-authorized",
        story="The company's own server (192.0.2.99) sends with example.com as envelope "
        "sender but the SPF record lists only 192.0.2.25; Exchange Online refuses with "
        "5.7.23.",
        zone=with_records(
            _own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
            {
                "99.2.0.192.in-addr.arpa": [{"PTR": "mailer.example.com"}],
                "mailer.example.com": [{"A": "192.0.2.99"}],
            },
        ),
        sending_ip="192.0.2.99",
        bounces=(
            dsn(
                ALICE,
                "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
                remote_mta=EXO,
                reporting_mta="mailer.example.com",
                from_="MAILER-DAEMON@mailer.example.com",
            ),
        ),
        causes=frozenset({"dns.spf.ip_not_permitted"}),
    ),
    Incident(
        name="own-server-helo-spf-fails",
        story="The company's server at 192.0.2.25 announces itself as mailer.example.com, "
        "whose own SPF record does not list it; its mail still passes SPF for example.com: "
        "the HELO record is an advisory, not a cause.",
        zone=with_records(
            _own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
            {
                "mailer.example.com": [{"A": "192.0.2.25"}, {"TXT": "v=spf1 -all"}],
                "25.2.0.192.in-addr.arpa": [{"PTR": "mailer.example.com"}],
            },
        ),
        sending_ip="192.0.2.25",
        helo="mailer.example.com",
        causes=frozenset(),
        advisories=frozenset({"dns.spf.ip_not_permitted"}),
        exit=0,
    ),
    Incident(
        name="own-server-apex-over-limit",
        story="The company's own server sends with example.com as envelope sender, and the "
        "apex record needs more than 10 lookups: SPF is a permerror for this very mail.",
        zone=with_records(_own_server_zone("v=spf1 -all"), _apex_over_limit()),
        causes=frozenset({"dns.spf.lookup_limit"}),
    ),
    Incident(
        name="own-server-no-ptr",
        story="The company's own server at 192.0.2.99 has no reverse DNS; Exchange Online "
        "refuses with 5.7.25.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.99 -all"),
        sending_ip="192.0.2.99",
        bounces=(
            dsn(
                ALICE,
                "550 5.7.25 [192.0.2.99] The IP address sending this message does not have "
                "a PTR record setup, or the corresponding forward DNS entry does not point to "
                "the sending IP. As a policy, Outlook.com does not accept messages from IPs "
                "with no PTR record.",
                remote_mta=EXO,
                reporting_mta="mailer.example.com",
                from_="MAILER-DAEMON@mailer.example.com",
            ),
        ),
        causes=frozenset({"dns.ptr.missing"}),
    ),
    Incident(
        name="own-relay-denies-relaying",
        story="The company's Postfix relays through its provider's submission server "
        "smtp.example.net without logging in; that server answers 'Relay access denied'. "
        "It is the sender's own relay refusing, not a recipient's server: the client must "
        "authenticate.",
        zone=_own_server_zone("v=spf1 ip4:192.0.2.25 -all"),
        relay=OtherRelay(host="smtp.example.net"),
        logs=(
            postfix_log(
                [
                    (
                        ALICE,
                        "smtp.example.net",
                        "dsn=5.7.1, status=bounced (host smtp.example.net[127.0.0.1] said: 554 "
                        "5.7.1 <alice@example.net>: Relay access denied (in reply to RCPT TO "
                        "command))",
                    )
                ]
            ),
        ),
        causes=frozenset({"client.smtp_auth.required"}),
    ),
    Incident(
        name="recipient-mx-denies-relaying",
        story="The recipient's MX (a stale host) refuses: 'Relay access denied' quoted in "
        "SES's DSN from the recipient's server - the recipient's side, not the sender's.",
        zone=world(),
        ses=SES_OK,
        bounces=(
            dsn(
                ALICE,
                "550 5.4.1 Relay Access Denied ATTR35 [AM4PEPF00027A6C.eurprd04.prod.outlook.com]",
                remote_mta=EXO,
                reporting_mta=SES_DSN,
            ),
        ),
        causes=frozenset({"recipient.rejected.relay_denied"}),
    ),
    # -- recipients -------------------------------------------------------------------------
    Incident(
        name="recipient-unknown",
        story="Healthy SES set-up; the recipient's server says the mailbox does not exist.",
        zone=world(),
        ses=SES_OK,
        bounces=(
            dsn(
                ALICE,
                "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP "
                "address lookup",
                remote_mta=EXO,
                reporting_mta=SES_DSN,
            ),
        ),
        causes=frozenset({"recipient.user_unknown"}),
    ),
    Incident(
        name="recipient-null-mx",
        story="The recipient's domain publishes a null MX (RFC 7505): it accepts no mail.",
        zone=with_records(world(), {"example.net": [{"MX": [0, "."]}]}),
        ses=SES_OK,
        causes=frozenset({"dns.mx.null_mx"}),
    ),
    # -- several causes at once -------------------------------------------------------------
    Incident(
        name="stale-password-and-suppressed",
        story="Two independent failures: Gmail's alias holds a password from a deleted key, "
        "and bob is on the suppression list; DMARC is p=none (advisory).",
        zone=world(dmarc=DMARC_NONE),
        ses=Ses(identities=(DOMAIN,), key="rotated", suppressed=((BOB, "us-east-1"),)),
        relay=SesRelay(),
        bounces=(
            gmail_notice(
                ALICE,
                "email-smtp.us-east-1.amazonaws.com",
                ["535 Authentication Credentials Invalid"],
                "5.7.8",
            ),
            ses_notification(BOB),
        ),
        recipients=(ALICE, BOB),
        causes=frozenset(
            {"client.smtp_auth.stale_ses_password", "provider.ses.recipient_suppressed"}
        ),
        advisories=frozenset({"dns.dmarc.policy_none"}),
    ),
    Incident(
        name="suppressed-with-apex-defect",
        story="bob is suppressed (the cause), and the apex SPF record is over the lookup "
        "limit (a defect off SES mail's path).",
        zone=with_records(world(), _apex_over_limit()),
        ses=Ses(identities=(DOMAIN,), suppressed=((BOB, "us-east-1"),)),
        bounces=(ses_notification(BOB),),
        recipients=(BOB,),
        causes=frozenset({"provider.ses.recipient_suppressed"}),
        defects=frozenset({"dns.spf.lookup_limit"}),
    ),
)
