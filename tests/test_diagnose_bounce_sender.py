"""diagnose uses a bounce as evidence only when it is about mail from the diagnosed sender."""

from __future__ import annotations

from pathlib import Path

import pytest

from maildoctor.context import Context
from maildoctor.diagnose import ADAPTERS, DiagnoseRequest, diagnose
from maildoctor.dns.resolver import StaticResolver
from maildoctor.model import ExitCode, Status

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bounces"
#: Exchange Online refused mail From sender@example.org (5.7.509, DMARC).
DMARC_NDR = FIXTURES / "exo-5.7.509-dmarc.eml"
BOUNCE_ONLY = [a for a in ADAPTERS if a.name == "bounce"]

#: A DSN that names no sender at all: no returned message, no To.
ANONYMOUS_DSN = b"""\
From: postmaster@example.net
Subject: Undeliverable
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Delivery failed.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; friend@example.net
Action: failed
Status: 5.7.509
Diagnostic-Code: smtp; 550 5.7.509 Access denied, sending domain does not pass DMARC
 verification and has a DMARC policy of reject.

--b1--
"""


@pytest.fixture
def ctx() -> Context:
    return Context(resolver=StaticResolver({}), timeout=1.0)


async def test_another_senders_bounce_is_information_not_a_cause(ctx):
    request = DiagnoseRequest(sender="admin@example.com", bounces=(DMARC_NDR,))
    report = await diagnose(request, ctx=ctx, adapters=BOUNCE_ONLY)
    assert report.causes == ()
    (other,) = [f for f in report.findings if f.layer.value == "recipient"]
    assert other.check == "recipient.bounce.other_sender"
    assert other.status is Status.INFO and not other.cause
    assert "sender@example.org" in other.summary and "not used" in other.summary
    assert other.data["origin"] == "bounce" and other.data["sender"] == "sender@example.org"
    assert other.evidence and "5.7.509" in other.evidence[0].outcome
    assert report.exit_code is ExitCode.OK


@pytest.mark.parametrize(
    ("sender", "mail_from"),
    [
        ("sender@example.org", None),
        ("admin@mail.example.org", None),  # same organizational domain
        ("admin@example.com", "bounce.example.org"),  # the envelope sender's domain
    ],
)
async def test_the_senders_own_bounce_is_evidence(ctx, sender, mail_from):
    request = DiagnoseRequest(sender=sender, mail_from=mail_from, bounces=(DMARC_NDR,))
    report = await diagnose(request, ctx=ctx, adapters=BOUNCE_ONLY)
    assert [c.id for c in report.causes] == ["recipient.rejected.dmarc"]
    assert not any(f.check == "recipient.bounce.other_sender" for f in report.findings)


async def test_a_bounce_with_no_known_sender_counts(ctx, tmp_path):
    path = tmp_path / "anonymous.eml"
    path.write_bytes(ANONYMOUS_DSN)
    request = DiagnoseRequest(sender="admin@example.com", bounces=(path,))
    report = await diagnose(request, ctx=ctx, adapters=BOUNCE_ONLY)
    assert [c.id for c in report.causes] == ["recipient.rejected.dmarc"]


async def test_only_the_other_senders_records_are_set_aside(ctx, tmp_path):
    ours = tmp_path / "ours.eml"
    ours.write_bytes(DMARC_NDR.read_bytes().replace(b"example.org", b"example.com"))
    request = DiagnoseRequest(sender="admin@example.com", bounces=(DMARC_NDR, ours))
    report = await diagnose(request, ctx=ctx, adapters=BOUNCE_ONLY)
    assert [c.id for c in report.causes] == ["recipient.rejected.dmarc"]
    checks = sorted(f.check for f in report.findings)
    assert checks == ["recipient.bounce.authfailure", "recipient.bounce.other_sender"]
