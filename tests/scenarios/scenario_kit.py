"""The machinery of the scenario suite: an incident as data, set up on loopback, diagnosed.

An :class:`Incident` is what an independent reviewer would build: the DNS zones served,
the SES account's state (moto and the sesv2 fake), the relay's behaviour (an SES-like
endpoint with the account's keys, or another provider's relay refusing in its own words),
and the evidence the user holds (bounces, a delivered copy's headers, logs). Nothing in
an incident is maildoctor's own output: the evidence is written from the providers'
documented formats (REFERENCE.md sections 2, 4 and 5; RFC 3464) and the expectations
from what the world as built makes true.

One :class:`~maildoctor.demo.stage.Stage` (DNS, moto, CA) serves the whole suite; each
incident resets AWS, reloads DNS and starts only the SMTP servers it needs, and the real
:func:`~maildoctor.diagnose.diagnose` runs in-process.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from maildoctor.demo import zones
from maildoctor.demo.stage import SCAN_REGIONS, Stage
from maildoctor.diagnose import DiagnoseRequest, Relay, diagnose
from maildoctor.model import Report
from maildoctor.secrets import Secret
from maildoctor.smtp.ses_password import derive_smtp_password
from maildoctor.testing.awsserver import AccessKeyPair
from maildoctor.testing.smtpserver import SesLikeServer, TestPki, _Handler, _SmtpTestServer

SENDER = "admin@example.com"
Zone = dict[str, list[Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """An SES identity in one region, with its custom MAIL FROM if any."""

    name: str
    region: str = "us-east-1"
    mail_from: str | None = None
    behavior: str = "UseDefaultValue"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ses:
    """The SES account as the incident left it.

    Attributes:
        identities: Verified identities.
        suppressed: (address, region) on the account-level suppression list.
        sandbox: Regions whose account is still in the sandbox.
        paused: Regions where the account's sending is paused.
        key: ``current``: the relay password comes from the current key; ``rotated``: from
            a key deleted since; ``inactive``: from a key made inactive.
    """

    identities: tuple[Identity, ...] = ()
    suppressed: tuple[tuple[str, str], ...] = ()
    sandbox: tuple[str, ...] = ()
    paused: tuple[str, ...] = ()
    key: Literal["current", "rotated", "inactive"] = "current"


@dataclass(frozen=True, slots=True, kw_only=True)
class SesRelay:
    """The SES SMTP endpoint of ``region``; the client's password is derived as ``password``.

    ``password``: ``region`` (correct), ``other-region`` (derived for ``derived_for``),
    ``v2`` (legacy), ``raw-secret`` (the IAM secret pasted as the password).
    """

    region: str = "us-east-1"
    password: Literal["region", "other-region", "v2", "raw-secret"] = "region"
    derived_for: str = "eu-west-1"
    verified: tuple[str, ...] | None = None
    give_secret: bool = False

    @property
    def host(self) -> str:
        return zones.relay_host(self.region)


@dataclass(frozen=True, slots=True, kw_only=True)
class OtherRelay:
    """Another provider's submission relay that answers with its own documented replies."""

    host: str
    auth_reply: str | None = None  # refuse every login with this reply
    data_reply: str | None = None  # refuse the message at DATA
    user: str = "admin@example.com"


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """One incident: the world, the evidence held, and the exact expected diagnosis."""

    name: str
    story: str
    zone: Zone
    causes: frozenset[str]
    advisories: frozenset[str] = frozenset()
    defects: frozenset[str] = frozenset()
    exit: int = 1
    ses: Ses | None = None
    region: str | None = None
    aws_region: str | None = "us-east-1"  # the user's configured default (AWS_REGION)
    relay: SesRelay | OtherRelay | None = None
    bounces: tuple[bytes, ...] = ()
    headers: bytes | None = None
    logs: tuple[bytes, ...] = ()
    recipients: tuple[str, ...] = ("alice@example.net",)
    mail_from: str | None = None
    sending_ip: str | None = None
    helo: str | None = None


# -- other providers' relays ----------------------------------------------------------------


class OtherRelayServer(_SmtpTestServer):
    """A submission relay (STARTTLS, AUTH) refusing logins or messages with fixed replies."""

    def __init__(self, spec: OtherRelay, *, pki: TestPki) -> None:
        self.spec = spec
        handler = _Handler(server_name=spec.host, data_reply=self._data)
        super().__init__(
            handler,
            pki=pki,
            host_name=spec.host,
            implicit_tls=False,
            starttls=True,
            cert_names=None,
            cert_expired=False,
            reply_delay=0.0,
            ident="ESMTP",
            smtp_kwargs={
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_530": True,
            },
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if self.spec.auth_reply:
            return AuthResult(success=False, handled=False, message=self.spec.auth_reply)
        return AuthResult(success=True, auth_data=data)

    def _data(self, envelope: Envelope) -> str | None:
        return self.spec.data_reply


# -- setting an incident up -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Keys:
    current: AccessKeyPair | None
    client: AccessKeyPair | None


def _seed(stage: Stage, ses: Ses | None) -> _Keys:
    aws = stage.aws
    aws.reset()
    if ses is None:
        return _Keys(current=None, client=None)
    for identity in ses.identities:
        if "@" in identity.name:
            aws.add_email_identity(identity.name, region=identity.region)
        else:
            aws.add_domain_identity(
                identity.name, region=identity.region, dkim_tokens=zones.DKIM_TOKENS
            )
        if identity.mail_from:
            aws.set_mail_from(
                identity.name,
                identity.mail_from,
                region=identity.region,
                behavior=identity.behavior,
            )
    for region in SCAN_REGIONS:
        aws.set_account(
            region,
            production_access=region not in ses.sandbox,
            sending_enabled=region not in ses.paused,
        )
    for address, region in ses.suppressed:
        aws.suppress(address, region=region, reason="BOUNCE")
    user = aws.add_user("ses-smtp-user")
    if ses.key == "rotated":
        old = aws.add_access_key(user)
        current = aws.add_access_key(user)
        aws.delete_access_key(old)
        return _Keys(current=current, client=old)
    if ses.key == "inactive":
        old = aws.add_access_key(user, status="Inactive")
        current = aws.add_access_key(user)
        return _Keys(current=current, client=old)
    current = aws.add_access_key(user)
    return _Keys(current=current, client=current)


def _password(spec: SesRelay, key: AccessKeyPair) -> Secret:
    if spec.password == "other-region":
        return derive_smtp_password(key.secret, spec.derived_for)
    if spec.password == "v2":
        return derive_smtp_password(key.secret, version=2)
    if spec.password == "raw-secret":
        return key.secret
    return derive_smtp_password(key.secret, spec.region)


@contextmanager
def _relay_server(
    stage: Stage, incident: Incident, keys: _Keys
) -> Iterator[tuple[Relay | None, str | None, Secret | None, Secret | None]]:
    spec = incident.relay
    if spec is None:
        yield None, None, None, None
        return
    if isinstance(spec, OtherRelay):
        with OtherRelayServer(spec, pki=stage.pki) as other:
            yield Relay(host=spec.host, port=other.port), spec.user, Secret("app-password"), None
        return
    assert keys.current is not None and keys.client is not None, "an SES relay needs Ses()"
    server = SesLikeServer(
        spec.region,
        current_secret=keys.current.secret,
        access_key_id=keys.current.key_id,
        pki=stage.pki,
        verified=spec.verified,
    )
    with server:
        secret = keys.current.secret if spec.give_secret else None
        relay = Relay(host=spec.host, port=server.port)
        yield relay, keys.client.key_id, _password(spec, keys.client), secret


def _region(incident: Incident) -> str | None:
    """The region given; else, with no relay naming one, the user's configured default."""
    if incident.region or incident.ses is None:
        return incident.region
    if isinstance(incident.relay, SesRelay):
        return None  # the relay host names it
    return incident.aws_region


def _relay_host(incident: Incident) -> tuple[str, ...]:
    return (incident.relay.host,) if incident.relay is not None else ()


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


async def run_incident(stage: Stage, incident: Incident, tmp: Path) -> Report:
    """Set the incident up on the stage and run the real diagnosis on its evidence."""
    keys = _seed(stage, incident.ses)
    served = zones.merge(
        incident.zone,
        zones.ses_signing_zone(stage.signer.public_key),
        zones.loopback_hosts(*_relay_host(incident)),
    )
    stage.dns.load(served)
    bounces = tuple(_write(tmp, f"bounce-{n}.eml", data) for n, data in enumerate(incident.bounces))
    logs = tuple(_write(tmp, f"mail-{n}.log", data) for n, data in enumerate(incident.logs))
    headers = _write(tmp, "copy.eml", incident.headers) if incident.headers else None
    with _relay_server(stage, incident, keys) as (relay, user, password, secret):
        request = DiagnoseRequest(
            sender=SENDER,
            recipients=incident.recipients,
            bounces=bounces,
            logs=logs,
            headers=headers,
            relay=relay,
            relay_user=user,
            relay_password=password,
            relay_secret=secret,
            provider="ses" if incident.ses is not None else None,
            region=_region(incident),
            selectors=zones.DKIM_TOKENS,
            mail_from=incident.mail_from,
            sending_ip=incident.sending_ip,
            helo=incident.helo,
            probe_mx=False,
            scan_regions=SCAN_REGIONS,
        )
        return await diagnose(request, ctx=stage.context())


# -- evidence, written from the documented formats --------------------------------------------


def ses_notification(
    recipient: str,
    *,
    region: str = "us-east-1",
    bounce_type: str = "Permanent",
    sub_type: str = "OnAccountSuppressionList",
    diagnostic: str = "Amazon SES did not send the message to this address because it is on "
    "the suppression list for your account.",
    remote: str = "",
    via_sns: bool = True,
) -> bytes:
    """An SES bounce notification (REFERENCE.md section 4), as SNS delivers it."""
    recipient_entry: dict[str, Any] = {
        "emailAddress": recipient,
        "action": "failed",
        "status": "5.1.1" if sub_type != "OnAccountSuppressionList" else "5.1.1",
        "diagnosticCode": diagnostic,
    }
    event = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": bounce_type,
            "bounceSubType": sub_type,
            "bouncedRecipients": [recipient_entry],
            "timestamp": "2025-05-02T09:14:03.000Z",
            "feedbackId": "0100018f3c-feedback-0001",
            "reportingMTA": remote or "dns; amazonses.com",
        },
        "mail": {
            "timestamp": "2025-05-02T09:14:02.000Z",
            "source": SENDER,
            "sourceArn": f"arn:aws:ses:{region}:123456789012:identity/example.com",
            "sourceIp": "192.0.2.44",
            "sendingAccountId": "123456789012",
            "messageId": "0100018f3c-message-0001",
            "destination": [recipient],
        },
    }
    if not via_sns:
        return json.dumps(event).encode()
    envelope = {
        "Type": "Notification",
        "MessageId": "5a1b7c3e-0000-0000-0000-000000000001",
        "TopicArn": f"arn:aws:sns:{region}:123456789012:ses-bounces",
        "Message": json.dumps(event),
        "Timestamp": "2025-05-02T09:14:04.000Z",
    }
    return json.dumps(envelope, indent=2).encode()


def ses_delivery(recipient: str, *, region: str = "us-east-1") -> bytes:
    """SES's Delivery notification (REFERENCE.md section 4): the receiver said 250."""
    event = {
        "notificationType": "Delivery",
        "delivery": {
            "timestamp": "2025-05-02T09:10:02.000Z",
            "processingTimeMillis": 640,
            "recipients": [recipient],
            "smtpResponse": "250 2.6.0 Message received",
            "remoteMtaIp": "203.0.113.26",
            "reportingMTA": "a48-112.smtp-out.amazonses.com",
        },
        "mail": {
            "timestamp": "2025-05-02T09:10:01.000Z",
            "source": SENDER,
            "sourceArn": f"arn:aws:ses:{region}:123456789012:identity/example.com",
            "sendingAccountId": "123456789012",
            "messageId": "0100018f3c-message-0002",
            "destination": [recipient],
        },
    }
    return json.dumps(event).encode()


def dsn(
    recipient: str,
    reply: str,
    *,
    remote_mta: str,
    reporting_mta: str = "a48-112.smtp-out.amazonses.com",
    from_: str = "MAILER-DAEMON@amazonses.com",
    status: str | None = None,
    action: str = "failed",
) -> bytes:
    """An RFC 3464 report quoting the remote server's reply (SES's, Postfix's...)."""
    code = status or reply.split()[1] if len(reply.split()) > 1 else "5.0.0"
    if not any(c.isdigit() for c in code.split(".")[0]):
        code = "5.0.0"
    text = f"""Return-Path: <>
From: {from_}
To: {SENDER}
Date: Fri, 02 May 2025 09:14:06 +0000
Subject: Delivery Status Notification (Failure)
Message-ID: <dsn-{abs(hash((recipient, reply))) % 10**8}@example.test>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8

An error occurred while trying to deliver the mail to the following recipients:
{recipient}

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting_mta}

Action: {action}
Final-Recipient: rfc822; {recipient}
Diagnostic-Code: smtp; {reply}
Status: {code}
Remote-MTA: dns; {remote_mta}

--b1
Content-Type: text/rfc822-headers

From: Admin <{SENDER}>
To: {recipient}
Subject: Invoice 2231
Date: Fri, 02 May 2025 09:14:02 +0000
Message-ID: <invoice-2231@example.com>

--b1--
"""
    return text.replace("\n", "\r\n").encode()


_SEND_AS = (
    "You're sending this from a different address or alias using the 'Send mail as' "
    "feature. The settings for your 'Send mail as' account are misconfigured or out of "
    "date. Check those settings and try resending."
)


def gmail_notice(recipient: str, relay_host: str, reply_lines: list[str], status: str) -> bytes:
    """Gmail's "Send mail as" failure notice (REFERENCE.md section 5)."""
    reply = "\n".join(reply_lines)
    diag = " ".join(reply_lines)
    text = f"""Delivered-To: admin.example@gmail.com
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: admin.example@gmail.com
Subject: Delivery Status Notification (Failure)
Date: Fri, 02 May 2025 09:20:00 +0000
Message-ID: <send-as-{abs(hash(diag)) % 10**8}@mx.google.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; boundary="g1"; report-type=delivery-status

--g1
Content-Type: text/plain; charset="UTF-8"

** Message not delivered **

{_SEND_AS}

Learn more here: https://support.google.com/mail/?p=CustomFromDenied

The response was:

{reply}

--g1
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; admin.example@gmail.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: {status}
Remote-MTA: dns; {relay_host}.
Diagnostic-Code: smtp; {diag}

--g1
Content-Type: message/rfc822

From: Admin <{SENDER}>
Date: Fri, 02 May 2025 09:19:57 +0000
Message-ID: <alias-1@mail.gmail.com>
Subject: Quarterly report
To: <{recipient}>

Hello.

--g1--
"""
    return text.replace("\n", "\r\n").encode()


def postfix_log(lines: list[tuple[str, str, str]]) -> bytes:
    """Postfix ``smtp`` lines: (recipient, relay host, outcome text after ``dsn=``)."""
    out = []
    for n, (rcpt, relay, outcome) in enumerate(lines):
        qid = f"4B{n:08X}"
        out.append(
            f"May  2 09:14:0{n % 10} mailer postfix/qmgr[990]: {qid}: from=<{SENDER}>, "
            "size=2100, nrcpt=1 (queue active)"
        )
        out.append(
            f"May  2 09:14:0{n % 10} mailer postfix/smtp[2211]: {qid}: to=<{rcpt}>, "
            f"relay={relay}[127.0.0.1]:587, delay=0.5, delays=0.1/0/0.2/0.2, {outcome}"
        )
    return ("\n".join(out) + "\n").encode()


def app_log(lines: list[str]) -> bytes:
    """An application's log, as written."""
    return ("\n".join(lines) + "\n").encode()


# -- a delivered copy, signed for real ---------------------------------------------------------


class Signer:
    """A DKIM key the sender's zone publishes (behind an Easy DKIM CNAME) and signs with."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public = base64.b64encode(spki).decode("ascii")

    def zone(self, token: str = zones.DKIM_TOKENS[0]) -> Zone:
        """The key at ``<token>.dkim.amazonses.com`` (where the Easy DKIM CNAME leads)."""
        return {f"{token}.dkim.amazonses.com": [{"TXT": f"p={self.public}"}]}

    def sign(self, message: bytes, domain: str = "example.com") -> bytes:
        import dkim

        sig = dkim.sign(
            message,
            zones.DKIM_TOKENS[0].encode(),
            domain.encode(),
            self.private,
            include_headers=[b"From", b"To", b"Subject", b"Date", b"Message-ID"],
        )
        return bytes(sig) + message


def delivered_copy(
    signer: Signer | None,
    *,
    mail_from: str,
    results: str,
    ip: str = zones.SES_SENDING_IP,
    to: str = "dave@example.org",
) -> bytes:
    """A copy as the recipient's server stored it: trace, its verdicts, then the message."""
    body = (
        f"From: Admin <{SENDER}>\r\nTo: {to}\r\nSubject: Invoice 2230\r\n"
        "Date: Fri, 02 May 2025 09:10:00 +0000\r\nMessage-ID: <invoice-2230@example.com>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nPlease find the invoice.\r\n"
    ).encode()
    signed = signer.sign(body) if signer else body
    trace = (
        f"Return-Path: <{mail_from}>\r\n"
        f"Received: from a48-112.smtp-out.amazonses.com (a48-112.smtp-out.amazonses.com [{ip}])\r\n"
        f" by mx.example.org with ESMTPS id 9QxF2 for <{to}>;\r\n"
        " Fri, 02 May 2025 09:10:01 +0000\r\n"
        f"Authentication-Results: mx.example.org;\r\n {results}\r\n"
    ).encode()
    return trace + signed
