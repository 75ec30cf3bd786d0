"""Received fields as hops: clauses, TLS, dates, order and the sender boundary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from maildoctor.message.received import (
    build_chain,
    first_external_hop,
    is_internal_ip,
    out_of_order,
    parse_received,
)

POSTFIX = (
    "from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.net (Postfix) "
    "with ESMTPS id 4F1A2 for <bob@example.net> (using TLSv1.3 with cipher "
    "TLS_AES_256_GCM_SHA384 (256/256 bits)); Tue, 3 Jan 2017 12:22:54 -0800 (PST)"
)
GOOGLE = (
    "from a8-30.smtp-out.amazonses.com (a8-30.smtp-out.amazonses.com. [198.51.100.30]) by "
    "mx.google.com with ESMTPS id x5si123 for <x@example.net> (version=TLS1_3 "
    "cipher=TLS_AES_128_GCM_SHA256 bits=128/128); Mon, 04 Mar 2024 10:00:01 -0800 (PST)"
)
EXCHANGE = (
    "from EX1.example.com (2001:db8::5) by EX2.example.com (2001:db8::12) with Microsoft SMTP "
    "Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7386.22; "
    "Mon, 4 Mar 2024 18:00:02 +0000"
)
EXIM = (
    "from [203.0.113.9] (helo=client.example.com) by smtp.example.com with esmtpsa (TLS1.3) "
    "tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <a@example.com>) id "
    "1rgXyZ-000123-AB; Mon, 04 Mar 2024 10:00:00 +0000"
)


def test_postfix_clauses_and_tls():
    hop = parse_received(POSTFIX)
    assert (hop.from_helo, hop.from_rdns, hop.from_ip) == (
        "mail.example.com",
        "mail.example.com",
        "192.0.2.1",
    )
    assert (hop.by_host, hop.protocol, hop.queue_id, hop.for_addr) == (
        "mx.example.net",
        "ESMTPS",
        "4F1A2",
        "bob@example.net",
    )
    assert hop.tls.used and hop.tls.version == "TLSv1.3"
    assert hop.tls.cipher == "TLS_AES_256_GCM_SHA384"
    assert hop.timestamp == datetime(2017, 1, 3, 20, 22, 54, tzinfo=UTC)


def test_google_trailing_dot_and_sendmail_style_tls():
    hop = parse_received(GOOGLE)
    assert hop.from_rdns == "a8-30.smtp-out.amazonses.com"
    assert hop.from_ip == "198.51.100.30"
    assert (hop.tls.version, hop.tls.cipher) == ("TLS1_3", "TLS_AES_128_GCM_SHA256")


def test_exchange_bare_ip_and_protocol_phrase():
    hop = parse_received(EXCHANGE)
    assert hop.from_ip == "2001:db8::5"
    assert hop.protocol == "Microsoft SMTP Server"
    assert hop.by_host == "ex2.example.com"
    assert hop.tls.version == "TLS1_2"


def test_exim_helo_auth_and_envelope_from():
    hop = parse_received(EXIM)
    assert hop.from_helo == "client.example.com"
    assert hop.from_ip == "203.0.113.9"
    assert hop.authenticated
    assert hop.envelope_from == "a@example.com"
    assert hop.tls.version == "TLS1.3"


@pytest.mark.parametrize(
    ("protocol", "tls", "auth"),
    [
        ("ESMTP", False, False),
        ("ESMTPS", True, False),
        ("ESMTPSA", True, True),
        ("ESMTPA", False, True),
        ("LMTP", False, False),
        ("HTTP", None, False),
    ],
)
def test_rfc3848_protocol_names(protocol, tls, auth):
    hop = parse_received(
        f"from a.example.com ([192.0.2.9]) by b.example.net with {protocol}; "
        "Mon, 4 Mar 2024 18:00:02 +0000"
    )
    assert hop.tls.used is tls
    assert hop.authenticated is auth


@pytest.mark.parametrize("value", ["", "garbage ((( [[[ <<<", "from", ";;;;", "by (", "x" * 5000])
def test_unreadable_values_give_an_empty_hop(value):
    hop = parse_received(value)
    assert hop.timestamp is None
    assert hop.raw == value


def test_chain_is_in_travel_order_with_delays_and_disorder():
    top = "from b.example.net ([192.0.2.2]) by c.example.net; Mon, 4 Mar 2024 18:00:00 +0000"
    middle = "from a.example.com ([192.0.2.1]) by b.example.net; Mon, 4 Mar 2024 18:30:00 +0000"
    bottom = "by a.example.com with HTTP; Mon, 4 Mar 2024 18:00:00 +0000"
    chain = build_chain([(0, top), (1, middle), (2, bottom)])
    assert [h.by_host for h in chain] == ["a.example.com", "b.example.net", "c.example.net"]
    assert [h.delay_s for h in chain] == [None, 1800.0, -1800.0]
    assert [h.position for h in out_of_order(chain)] == [3]


def in_example_com(host: str) -> bool:
    return host == "example.com" or host.endswith(".example.com")


def test_boundary_skips_authenticated_submission_to_a_provider():
    submission = (
        "from laptop ([203.0.113.7]) by email-smtp.us-east-1.amazonaws.com with "
        "ESMTPSA; Mon, 4 Mar 2024 18:00:00 +0000"
    )
    outbound = (
        "from a8-30.smtp-out.amazonses.com ([198.51.100.30]) by mx.example.net with "
        "ESMTPS; Mon, 4 Mar 2024 18:00:01 +0000"
    )
    chain = build_chain([(0, outbound), (1, submission)])
    hop = first_external_hop(chain, in_example_com)
    assert hop is not None and hop.from_ip == "198.51.100.30"


def test_boundary_skips_private_clients_and_the_senders_own_relays():
    values = [
        "from relay.example.com ([192.0.2.10]) by mx.example.net; Mon, 4 Mar 2024 18:00:02 +0000",
        "from ws ([10.0.0.5]) by relay.example.com; Mon, 4 Mar 2024 18:00:01 +0000",
    ]
    hop = first_external_hop(build_chain(enumerate(values)), in_example_com)
    assert hop is not None and (hop.from_ip, hop.by_host) == ("192.0.2.10", "mx.example.net")


def test_no_boundary_when_every_hop_is_inside():
    values = ["from ws ([10.0.0.5]) by relay.example.com; Mon, 4 Mar 2024 18:00:01 +0000"]
    assert first_external_hop(build_chain(enumerate(values)), in_example_com) is None


@pytest.mark.parametrize(
    ("ip", "internal"),
    [
        ("10.1.2.3", True),
        ("192.168.1.1", True),
        ("100.64.0.1", True),
        ("fd00::1", True),
        ("127.0.0.1", True),
        ("192.0.2.1", False),
        ("198.51.100.7", False),
        ("2001:db8::1", False),
        ("not-an-ip", False),
    ],
)
def test_internal_ranges_exclude_documentation_ranges(ip, internal):
    assert is_internal_ip(ip) is internal
