"""Replay a world's messages over real SMTP on loopback, and keep what the user would hold.

Each message takes the path it took in the story, and every reply quoted in the
evidence is the reply a loopback server actually gave:

* ``gmail``: Gmail's "Send mail as" submits to the SES-like relay (STARTTLS, AUTH with
  the password stored in Gmail). A refusal becomes Gmail's notice quoting it.
* ``server``: the company's Postfix submits every message over one connection with the
  current key; each outcome is a line of its log.
* whatever the relay accepted, SES signs (``d=amazonses.com``, as SES always does) and
  delivers: a suppressed recipient becomes an SES bounce notification without any
  delivery attempt; otherwise SES connects to the recipient's MX, and a refusal at RCPT
  TO becomes SES's DSN. The copy a recipient's server accepted can be kept, with the
  trace and Authentication-Results fields its server adds, as the sender's ``--headers``.

Nothing here is maildoctor: it plays Gmail, Postfix and SES, with aiosmtplib.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from ..secrets import Secret
from ..testing.smtpserver import ExchangeLikeServer
from . import evidence, zones
from .evidence import RelayedMessage, Reply
from .scenarios import SENDER, Message
from .stage import Built

__all__ = ["Replayed", "replay"]

GMAIL_OWNER = "admin.example@gmail.com"
SERVER_EHLO = "mailer.example.com"
SES_EHLO = "a25.smtp-out.amazonses.com"


@dataclass(slots=True)
class Replayed:
    """What the replay produced.

    Attributes:
        events: One line per step, for people.
        bounces: Bounce messages and notifications the sender received.
        logs: The sending server's log, if it sent anything.
        headers: A delivered copy as its recipient's server stored it, if the world keeps one.
    """

    events: list[str] = field(default_factory=list)
    bounces: list[Path] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    headers: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Accepted:
    message: Message
    serial: int


async def replay(built: Built, outdir: Path) -> Replayed:
    """Send the world's messages and write the evidence they leave under ``outdir``.

    Args:
        built: The running world.
        outdir: Directory for the bounce and log files (created if needed).

    Returns:
        The events and the evidence files.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    done = Replayed()
    accepted: list[_Accepted] = []
    messages = list(enumerate(built.world.messages, start=1))
    for serial, message in messages:
        if message.via == "gmail" and await _gmail(built, message, serial, outdir, done):
            accepted.append(_Accepted(message=message, serial=serial))
    server = [(s, m) for s, m in messages if m.via == "server"]
    if server:
        accepted += await _server(built, server, outdir, done)
    for item in accepted:
        await _ses_delivery(built, item, outdir, done)
    return done


def _tls(built: Built) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=built.ca_file)


async def _open(built: Built, port: int, name: str, ehlo: str) -> aiosmtplib.SMTP:
    smtp = aiosmtplib.SMTP(
        hostname="127.0.0.1", port=port, start_tls=False, local_hostname=ehlo, timeout=10
    )
    await smtp.connect()
    await smtp.starttls(server_hostname=name, tls_context=_tls(built))
    return smtp


def _content(message: Message, serial: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Admin <{SENDER}>"
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = evidence.sent_date(serial)
    mail["Message-ID"] = f"<demo-{serial:04d}@example.com>"
    mail.set_content("Please find the details below.\n")
    return mail.as_bytes(policy=policy.SMTP)


def _reply(exc: aiosmtplib.SMTPResponseException) -> Reply:
    return Reply(code=exc.code, text=" ".join(exc.message.split()))


async def _gmail(built: Built, message: Message, serial: int, outdir: Path, done: Replayed) -> bool:
    """Gmail's alias submits one message; a refusal becomes its notice. True if accepted."""
    key = built.keys.gmail
    password: Secret = built.keys.password(key, built.world.region)
    smtp = await _open(built, built.relay.port, built.relay_host, "mail-gmail.example.org")
    step = "AUTH"
    try:
        await smtp.login(key.key_id, password.reveal())
        step = "DATA"
        await smtp.sendmail(SENDER, [message.to], _content(message, serial))
    except aiosmtplib.SMTPResponseException as exc:
        reply = _reply(exc)
        notice = evidence.gmail_send_as_notice(
            alias=SENDER,
            owner=GMAIL_OWNER,
            recipient=message.to,
            relay_host=built.relay_host,
            reply=reply,
            subject=message.subject,
            serial=serial,
        )
        done.bounces.append(_write(outdir / f"{serial:02d}-gmail-send-as-notice.eml", notice))
        done.events.append(
            f"Gmail 'Send mail as' -> {built.relay_host} ({step} as {key.key_id}): "
            f"{reply.line} -> Gmail's notice 'misconfigured or out of date' "
            f"({message.to}, '{message.subject}')"
        )
        return False
    finally:
        await _quit(smtp)
    done.events.append(
        f"Gmail 'Send mail as' -> {built.relay_host}: accepted ({message.to}, '{message.subject}')"
    )
    return True


async def _server(
    built: Built, batch: list[tuple[int, Message]], outdir: Path, done: Replayed
) -> list[_Accepted]:
    """The mail server relays its messages over one connection; its log records each."""
    key = built.keys.current
    smtp = await _open(built, built.relay.port, built.relay_host, SERVER_EHLO)
    accepted: list[_Accepted] = []
    lines: list[RelayedMessage] = []
    try:
        await smtp.login(key.key_id, built.keys.password(key, built.world.region).reveal())
        for serial, message in batch:
            try:
                _, text = await smtp.sendmail(SENDER, [message.to], _content(message, serial))
                reply = Reply(code=250, text=text)
                accepted.append(_Accepted(message=message, serial=serial))
            except aiosmtplib.SMTPResponseException as exc:
                reply = _reply(exc)
            lines.append(_relayed(built, message, serial, reply))
            done.events.append(
                f"mail server (Postfix) -> {built.relay_host} as {key.key_id}: {reply.line} "
                f"({message.to}, '{message.subject}')"
            )
    finally:
        await _quit(smtp)
    done.logs.append(_write(outdir / "mailer-postfix.log", evidence.postfix_log(lines)))
    return accepted


def _relayed(built: Built, message: Message, serial: int, reply: Reply) -> RelayedMessage:
    return RelayedMessage(
        queue_id=f"{0x4F1A22C0120 + serial:X}",
        sender=SENDER,
        recipient=message.to,
        relay_host=built.relay_host,
        relay_address="127.0.0.1",
        relay_port=built.relay.port,
        reply=reply,
    )


async def _ses_delivery(built: Built, item: _Accepted, outdir: Path, done: Replayed) -> None:
    """SES delivers an accepted message; what goes wrong comes back to the sender."""
    if item.message.to in built.world.suppressed:
        _suppressed(built, item, outdir, done)
        return
    host, server = built.inbound(item.message.to)
    reply = await _deliver(built, item.message, item.serial)
    if reply is None:
        _delivered(built, item, host, server, outdir, done)
    else:
        _refused(item, host, reply, outdir, done)


def _ses_id(serial: int) -> str:
    return f"0100018e5c{serial:06d}-demo"


def _suppressed(built: Built, item: _Accepted, outdir: Path, done: Replayed) -> None:
    """SES drops a message to a suppressed address without trying, and notifies."""
    message = item.message
    event = evidence.ses_suppression_event(
        sender=SENDER,
        recipient=message.to,
        subject=message.subject,
        ses_message_id=_ses_id(item.serial),
        region=built.world.region,
    )
    done.bounces.append(_write(outdir / f"{item.serial:02d}-ses-bounce-suppressed.json", event))
    done.events.append(
        f"SES: {message.to} is on the account's suppression list -> not sent; "
        "bounce notification (OnAccountSuppressionList)"
    )


def _delivered(
    built: Built,
    item: _Accepted,
    host: str,
    server: ExchangeLikeServer,
    outdir: Path,
    done: Replayed,
) -> None:
    """Delivered; the recipient's copy is kept when the world says the sender has it."""
    message = item.message
    done.events.append(f"SES -> {host}: 250 delivered ({message.to})")
    if message.to != built.world.headers_from or not server.messages:
        return
    copy = _as_stored(server.messages[-1].content, message, item.serial, host)
    done.headers = _write(outdir / f"{item.serial:02d}-delivered-copy.eml", copy)
    done.events.append(
        f"{message.to}'s copy kept: DKIM-Signature d=amazonses.com, "
        "Authentication-Results dmarc=fail (p=NONE)"
    )


def _refused(item: _Accepted, host: str, reply: Reply, outdir: Path, done: Replayed) -> None:
    """Refused by the recipient's MX: SES returns a DSN quoting the reply."""
    message = item.message
    dsn = evidence.ses_dsn(
        sender=SENDER,
        recipient=message.to,
        remote_mta=host,
        reply=reply,
        subject=message.subject,
        ses_message_id=_ses_id(item.serial),
        serial=item.serial,
    )
    done.bounces.append(_write(outdir / f"{item.serial:02d}-ses-dsn.eml", dsn))
    done.events.append(
        f"SES -> {host} (RCPT TO {message.to}): {_short(reply.line)} -> SES bounce to the sender"
    )


def _bounce_address(serial: int) -> str:
    """SES's default MAIL FROM: a per-message address at amazonses.com."""
    return f"0100018e5c{serial:06d}@amazonses.com"


async def _deliver(built: Built, message: Message, serial: int) -> Reply | None:
    """SES's outbound MTA talks to the recipient's MX; the refusal, or None if delivered."""
    host, server = built.inbound(message.to)
    smtp = await _open(built, server.port, host, SES_EHLO)
    try:
        await smtp.mail(_bounce_address(serial))
        await smtp.rcpt(message.to)
        await smtp.data(built.signer.sign(_content(message, serial)))
    except aiosmtplib.SMTPResponseException as exc:
        return _reply(exc)
    finally:
        await _quit(smtp)
    return None


def _as_stored(content: bytes, message: Message, serial: int, host: str) -> bytes:
    """The copy as the receiving server stores it: its trace and its verdicts on top.

    The Received field names SES's sending address as the world has it (198.51.100.25,
    whose PTR and SPF are in the zones) rather than the loopback peer.
    """
    bounce = _bounce_address(serial)
    added = (
        f"Return-Path: <{bounce}>\r\n"
        f"Received: from {SES_EHLO} ({SES_EHLO} [{zones.SES_SENDING_IP}])\r\n"
        f" by {host} with ESMTPS id demo{serial:04d} for <{message.to}>;\r\n"
        f" {evidence.received_date(serial)}\r\n"
        f"Authentication-Results: {host};\r\n"
        f" dkim=pass header.d=amazonses.com header.s={zones.SES_DKIM_SELECTOR};\r\n"
        f" spf=pass (domain of {bounce} designates {zones.SES_SENDING_IP} as permitted"
        f" sender) smtp.mailfrom={bounce};\r\n"
        f" dmarc=fail (p=NONE sp=NONE dis=NONE) header.from={zones.SENDER_DOMAIN}\r\n"
    )
    return added.encode("ascii") + content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


async def _quit(smtp: aiosmtplib.SMTP) -> None:
    try:
        await smtp.quit()
    except aiosmtplib.SMTPException:
        smtp.close()


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
