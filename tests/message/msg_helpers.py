"""Helpers for the message-layer tests: a test key, and the reference incident's message."""

from __future__ import annotations

from pathlib import Path

import dkim

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "messages"
DKIMPY_DATA = FIXTURES / "dkimpy"
PRIVATE_KEY = (FIXTURES / "keys" / "test2048.private").read_bytes()
KEY_RECORD = (FIXTURES / "keys" / "test2048.txt").read_text().strip()

SES_HEADERS = """\
Received: from EX1.mail.protection.outlook.com (2001:db8:20b:1::10) by
 DB9PR01MB1234.eurprd01.prod.outlook.com with Microsoft SMTP Server
 (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7386.22;
 Mon, 4 Mar 2024 18:00:09 +0000
Received: from a8-30.smtp-out.amazonses.com (198.51.100.30) by
 EX1.mail.protection.outlook.com (198.51.100.8) with Microsoft SMTP Server
 (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7386.22
 via Frontend Transport; Mon, 4 Mar 2024 18:00:05 +0000
Authentication-Results: spf=pass (sender IP is 198.51.100.30)
 smtp.mailfrom=amazonses.com; dkim=pass (signature was verified)
 header.d=amazonses.com;dmarc=fail action=quarantine
 header.from=example.com;compauth=fail reason=000
Received-SPF: Pass (protection.outlook.com: domain of amazonses.com designates
 198.51.100.30 as permitted sender) receiver=protection.outlook.com;
 client-ip=198.51.100.30; helo=a8-30.smtp-out.amazonses.com; pr=C
X-Forefront-Antispam-Report: CIP:198.51.100.30;CTRY:US;LANG:en;SCL:5;SRV:;
 IPV:NLI;SFV:SPM;H:a8-30.smtp-out.amazonses.com;PTR:a8-30.smtp-out.amazonses.com;
 CAT:SPOOF;SFS:(13230031)(4636009);DIR:INB;
X-Microsoft-Antispam: BCL:0;
Return-Path: 0100018e0a1b2c3d-aaaa@amazonses.com
"""

SES_BODY_HEADERS = """\
From: Admin <admin@example.com>
To: user@example.net
Subject: Quarterly report
Date: Mon, 4 Mar 2024 18:00:00 +0000
Message-ID: <0100018e0a1b2c3d@email.amazonses.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Hello,
the report is attached.
"""


def sign(message: bytes, *, domain: str, selector: str = "test") -> bytes:
    """Prepend a DKIM-Signature made with the test key."""
    header = dkim.sign(
        message,
        selector.encode(),
        domain.encode(),
        PRIVATE_KEY,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return header + message


def ses_message(*, dkim_domain: str = "amazonses.com") -> bytes:
    """The reference incident's message as Exchange Online stored it."""
    signed = sign(SES_BODY_HEADERS.encode(), domain=dkim_domain)
    return SES_HEADERS.encode() + signed
