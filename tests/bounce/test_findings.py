"""DeliveryStatus -> Finding, for ``diagnose``."""

from __future__ import annotations

from pathlib import Path

from maildoctor.bounce import classify_path, to_findings
from maildoctor.model import Layer, Status


def test_send_as_finding_points_at_the_client(fixtures: Path) -> None:
    (finding,) = to_findings(classify_path(fixtures / "gmail-send-as-ses-535.eml"))
    assert finding.check == "client.bounce.securityerror"
    assert finding.layer is Layer.CLIENT
    assert finding.status is Status.FAIL
    assert finding.cause == "client.smtp_auth.stale_ses_password"
    assert finding.evidence[0].raw[0] == "535 Authentication Credentials Invalid"
    assert finding.evidence[0].server == "email-smtp.us-east-1.amazonaws.com"
    assert finding.data["hard_bounce"] is False


def test_recipient_findings_and_skipped_records(fixtures: Path) -> None:
    records = list(classify_path(fixtures / "ses-events.jsonl"))
    findings = to_findings(records)
    assert [f.check for f in findings] == [
        "recipient.bounce.feedback", "recipient.bounce.delivered", "transport.bounce.expired",
        "provider.bounce.suppressed", "provider.bounce.suppressed",
    ]  # fmt: skip
    assert findings[0].status is Status.WARN  # a complaint is a warning, not a failure
    # a delivery is evidence that mail passed, never a cause
    assert findings[1].status is Status.PASS and not findings[1].cause
    assert findings[3].cause == "provider.ses.recipient_suppressed"


def test_outbound_ban_is_said_in_the_summary(fixtures: Path) -> None:
    (finding,) = to_findings(classify_path(fixtures / "exo-5.1.8-outbound-ban.eml"))
    assert "outbound-only ban" in finding.summary
    assert finding.data["outbound_ban"] is True
