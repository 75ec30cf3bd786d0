"""Which IPs and domains the evidence names for blocklist lookups."""

from __future__ import annotations

from pathlib import Path

from maildoctor.bounce.model import DeliveryStatus
from maildoctor.context import Context
from maildoctor.dns import blocklist_sources as src
from maildoctor.testing.dnsserver import dnsbl_zone

MESSAGE = (
    b"Received: from mx.example.net (mx.example.net [203.0.113.5])\r\n"
    b" by inbound.example.org with ESMTPS id abc; Tue, 4 Mar 2025 10:00:02 +0000\r\n"
    b"Received: from relay.example.com (relay.example.com [198.51.100.25])\r\n"
    b" by mx.example.net with ESMTPS id def; Tue, 4 Mar 2025 10:00:01 +0000\r\n"
    b"Received: from laptop (unknown [10.1.2.3])\r\n"
    b" by relay.example.com with ESMTPSA id ghi; Tue, 4 Mar 2025 10:00:00 +0000\r\n"
    b"From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n\r\n"
    b'<a href="https://shop.example.net/buy">buy</a> <a href="http://bad.example/x">x</a>\r\n'
)
POSTFIX = (
    "Mar  4 10:00:00 relay postfix/smtp[1]: ABC: to=<b@example.org>, relay=mx.example.org"
    "[203.0.113.9]:25, status=bounced (host mx.example.org[203.0.113.9] said: 554 5.7.1 "
    "Service unavailable; Client host [198.51.100.40] blocked using zen.spamhaus.org)\n"
    "Mar  4 10:00:01 relay postfix/smtp[1]: DEF: to=<c@example.org>, relay=mx.example.org"
    "[203.0.113.9]:25, status=sent (250 2.0.0 Ok from 198.51.100.41)\n"
)


def test_headers_give_received_ips_and_link_domains() -> None:
    subjects = src.Subjects()
    src.from_headers(MESSAGE, subjects)
    assert list(subjects.ips) == ["203.0.113.5", "198.51.100.25"]  # 10.1.2.3 is private
    assert "hop 2" in subjects.ips["198.51.100.25"]
    assert list(subjects.domains) == ["shop.example.net", "bad.example"]


def test_bounce_diagnostic_but_not_remote_mta() -> None:
    record = DeliveryStatus(
        recipient="b@example.org",
        diagnostic="554 5.7.1 Client host [198.51.100.40] blocked using zen.spamhaus.org",
        remote_mta="mx.example.org [203.0.113.9]",
    )
    subjects = src.Subjects()
    src.from_bounces([record], subjects)
    assert subjects.ips == {"198.51.100.40": "quoted in the bounce for b@example.org"}


def test_logs_only_block_lines_and_not_the_server_that_said_it() -> None:
    subjects = src.Subjects()
    src.from_logs(POSTFIX.splitlines(), subjects, name="maillog")
    assert subjects.ips == {"198.51.100.40": "quoted in maillog line 1"}


def test_gather_is_bounded_and_tolerates_missing_files(tmp_path: Path) -> None:
    log = tmp_path / "maillog"
    log.write_text(
        "".join(f"blocked 198.51.100.{i} listed\n" for i in range(1, 60)), encoding="utf-8"
    )
    subjects = src.gather(
        sending_ip="192.0.2.1",
        sender_domain="Example.com.",
        headers=tmp_path / "missing.eml",
        logs=[log, tmp_path / "missing.log"],
    )
    assert len(subjects.ips) == src.MAX_SUBJECTS
    assert len(subjects.over) == 59 + 1 - src.MAX_SUBJECTS  # named in the report, not dropped
    assert subjects.ips["192.0.2.1"] == "--sending-ip"
    assert subjects.domains == {"example.com": "the sender's domain"}


async def test_evidence_lookup_end_to_end(tmp_path: Path, dns_server, resolver_for) -> None:
    dns_server.load(dnsbl_zone("zen.spamhaus.org", {"198.51.100.25": ["127.0.0.2"]}))
    headers = tmp_path / "m.eml"
    headers.write_bytes(MESSAGE)
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    found = await src.check_evidence_blocklists(ctx=ctx, headers=headers)
    (listed,) = [f for f in found if f.status.value == "fail"]
    assert listed.subject == "198.51.100.25" and "Received" in listed.detail


async def test_nothing_but_addresses_leaves_the_evidence(
    tmp_path: Path, dns_server, resolver_for
) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    log = tmp_path / "maillog"
    log.write_text(
        f"relay: AUTH PLAIN user=AKIAIOSFODNN7EXAMPLE pass={secret} blocked 198.51.100.40\n",
        encoding="utf-8",
    )
    dns_server.load(dnsbl_zone("zen.spamhaus.org", {"198.51.100.40": ["127.0.0.4"]}))
    ctx = Context(resolver=resolver_for(dns_server, timeout=0.5))
    found = await src.check_evidence_blocklists(ctx=ctx, logs=[log])
    text = repr([f.to_dict() for f in found])
    assert "198.51.100.40" in text and secret not in text and "AKIA" not in text
