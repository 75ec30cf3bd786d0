"""The SMTP client's reply parsing and bounded reads, without a network."""

from __future__ import annotations

import asyncio

import pytest

from maildoctor.smtp.client import (
    MAX_LINE,
    MAX_REPLY_LINES,
    SmtpSession,
    address_literal,
    make_reply,
    parse_ehlo,
    parse_reply_line,
)
from maildoctor.smtp.exceptions import ConnectionDropped, ProtocolViolation, StepTimeout


class _NullWriter:
    """Enough of a StreamWriter for read-only sessions."""

    def get_extra_info(self, name: str) -> None:
        return None


def session_over(data: bytes, *, eof: bool = True, timeout: float = 0.5) -> SmtpSession:
    reader = asyncio.StreamReader(limit=MAX_LINE)
    reader.feed_data(data)
    if eof:
        reader.feed_eof()
    return SmtpSession(reader, _NullWriter(), timeout=timeout, peer="test")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"220 mx.example.com ESMTP\r\n", (220, True, "mx.example.com ESMTP")),
        (b"250-SIZE 1000\r\n", (250, False, "SIZE 1000")),
        (b"250\r\n", (250, True, "")),
        (
            b"535 5.7.8 Authentication credentials invalid\n",
            (535, True, "5.7.8 Authentication credentials invalid"),
        ),
    ],
)
def test_parse_reply_line(line, expected):
    assert parse_reply_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        b"HTTP/1.1 400 Bad\r\n",
        b"\x00\xff\r\n",
        b"22 short\r\n",
        b"600 no such class\r\n",
        b"250x\r\n",
    ],
)
def test_not_a_reply_line(line):
    with pytest.raises(ProtocolViolation):
        parse_reply_line(line)


def test_enhanced_status_is_read_from_the_first_line():
    reply = make_reply(550, ["5.7.509 Access denied, sending domain [example.com] ...", "more"])
    assert reply.enhanced_status == "5.7.509"
    assert make_reply(535, ["Authentication Credentials Invalid"]).enhanced_status == ""
    assert reply.raw() == (
        "550-5.7.509 Access denied, sending domain [example.com] ...",
        "550 more",
    )


def test_parse_ehlo_keywords_and_old_auth_form():
    reply = make_reply(
        250, ["mx.example.com", "STARTTLS", "AUTH PLAIN LOGIN", "AUTH=LOGIN", "SIZE 10485760"]
    )
    ext = parse_ehlo(reply)
    assert ext["STARTTLS"] == "" and ext["SIZE"] == "10485760"
    assert ext["AUTH"].split() == ["PLAIN", "LOGIN", "LOGIN"]


def test_address_literal():
    assert address_literal("192.0.2.7") == "[192.0.2.7]"
    assert address_literal("2001:db8::1") == "[IPv6:2001:db8::1]"


async def test_multiline_reply_is_read_whole():
    session = session_over(b"250-mx.example.com\r\n250-STARTTLS\r\n250 HELP\r\n")
    reply = await session.read_reply("ehlo")
    assert reply.code == 250 and reply.lines == ("mx.example.com", "STARTTLS", "HELP")


async def test_mixed_codes_are_a_protocol_violation():
    session = session_over(b"250-first\r\n554 second\r\n")
    with pytest.raises(ProtocolViolation):
        await session.read_reply("ehlo")


async def test_overlong_line_fails_fast_without_reading_it_all():
    session = session_over(b"220 " + b"x" * (MAX_LINE * 4) + b"\r\n")
    with pytest.raises(ProtocolViolation) as info:
        await session.read_reply("banner")
    assert "longer than the limit" in info.value.detail


async def test_endless_multiline_reply_is_bounded():
    session = session_over(b"250-x\r\n" * (MAX_REPLY_LINES + 5) + b"250 end\r\n")
    with pytest.raises(ProtocolViolation):
        await session.read_reply("ehlo")


async def test_eof_mid_reply_is_a_dropped_connection():
    session = session_over(b"250-partial\r\n")
    with pytest.raises(ConnectionDropped):
        await session.read_reply("ehlo")


async def test_silence_is_a_timeout():
    session = session_over(b"", eof=False, timeout=0.05)
    with pytest.raises(StepTimeout):
        await session.read_reply("banner")


async def test_command_lines_cannot_inject_crlf():
    session = session_over(b"")
    with pytest.raises(ValueError):
        await session.send("MAIL FROM:<a@example.com>\r\nDATA", step="mail_from")
