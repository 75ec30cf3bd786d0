"""Replay a world's messages over real SMTP on loopback, and keep what the user would hold.

Each message takes the path it took in the story, and every reply quoted in the
evidence is the reply a loopback server actually gave:

* ``gmail``: Gmail's "Send mail as" submits to the SES-like relay (STARTTLS, AUTH with
  the password stored in Gmail). A refusal becomes Gmail's notice quoting it.
* ``server``: the company's Postfix submits every message over one connection with the
  current key; each outcome is a line of its log.
* whatever the relay accepted, SES delivers: a suppressed recipient becomes an SES
  bounce notification without any delivery attempt; otherwise SES connects to the
  recipient's Exchange-like MX, and a refusal at RCPT TO becomes SES's DSN.

Nothing here is maildoctor: it plays Gmail, Postfix and SES, with aiosmtplib.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from ..secrets import Secret
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
    """

    events: list[str] = field(default_factory=list)
    bounces: list[Path] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)


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
    mail["Message-ID"] = f"<demo-{serial:04d}@example.com>"
    mail.set_content("Please find the details below.\n")
    return bytes(mail)


def _reply(exc: aiosmtplib.SMTPResponseException) -> Reply:
    return Reply(code=exc.code, text=" ".join(exc.message.split()))


async def _gmail(
    built: Built, message: Message, serial: int, outdir: Path, done: Replayed
) -> bool:
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
        f"Gmail 'Send mail as' -> {built.relay_host}: accepted ({message.to}, "
        f"'{message.subject}')"
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
    message, serial = item.message, item.serial
    ses_id = f"0100018e5c{serial:06d}-demo"
    if message.to in built.world.suppressed:
        event = evidence.ses_suppression_event(
            sender=SENDER,
            recipient=message.to,
            subject=message.subject,
            ses_message_id=ses_id,
            region=built.world.region,
        )
        done.bounces.append(_write(outdir / f"{serial:02d}-ses-bounce-suppressed.json", event))
        done.events.append(
            f"SES: {message.to} is on the account's suppression list -> not sent; "
            "bounce notification (OnAccountSuppressionList)"
        )
        return
    reply = await _deliver(built, message, serial)
    if reply is None:
        done.events.append(f"SES -> {zones.RECIPIENT_MX}: 250 delivered ({message.to})")
        return
    dsn = evidence.ses_dsn(
        sender=SENDER,
        recipient=message.to,
        remote_mta=zones.RECIPIENT_MX,
        reply=reply,
        subject=message.subject,
        ses_message_id=ses_id,
        serial=serial,
    )
    done.bounces.append(_write(outdir / f"{serial:02d}-ses-dsn.eml", dsn))
    done.events.append(
        f"SES -> {zones.RECIPIENT_MX} (RCPT TO {message.to}): {_short(reply.line)} -> "
        "SES bounce to the sender"
    )


async def _deliver(built: Built, message: Message, serial: int) -> Reply | None:
    """SES's outbound MTA talks to the recipient's MX; the refusal, or None if delivered."""
    smtp = await _open(built, built.mx.port, zones.RECIPIENT_MX, SES_EHLO)
    try:
        await smtp.mail(f"0100018e5c{serial:06d}@amazonses.com")
        await smtp.rcpt(message.to)
        await smtp.data(_content(message, serial))
    except aiosmtplib.SMTPResponseException as exc:
        return _reply(exc)
    finally:
        await _quit(smtp)
    return None


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
