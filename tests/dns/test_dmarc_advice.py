"""The DMARC recommendation engine: a pure function over the parsed record."""

from __future__ import annotations

import pytest

from maildoctor.dns.dmarc_advice import AdviceContext, advice_finding, recommend
from maildoctor.dns.dmarc_record import parse_dmarc
from maildoctor.model import Status

CTX = AdviceContext(domain="example.com")
M365 = AdviceContext(domain="example.com", microsoft365=True)


def _advise(record: str | None, context: AdviceContext = CTX):
    return recommend(parse_dmarc(record) if record is not None else None, context)


def test_the_write_ups_record_is_caught() -> None:
    """``p=quarantine; rua=...; fo=1``: fo does nothing without ruf, and quarantine is silent."""
    advice = _advise("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com; fo=1")
    assert advice.record == "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
    fo_change = next(c for c in advice.changes if c.startswith("dropped fo=1"))
    assert "does nothing" in fo_change and "add ruf=" in fo_change
    assert any("silently" in w and "no bounce" in w for w in advice.warnings)


def test_no_record_starts_with_monitoring_and_reports() -> None:
    advice = _advise(None)
    assert advice.record == "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    assert advice.name == "_dmarc.example.com" and advice.next_policy == "none"


def test_custom_report_address() -> None:
    context = AdviceContext(domain="example.com", report_address="agg@reports.example.com")
    assert _advise(None, context).record.endswith("rua=mailto:agg@reports.example.com")


def test_none_moves_to_quarantine_with_the_silent_quarantine_warning() -> None:
    advice = _advise("v=DMARC1; p=none; rua=mailto:d@example.com")
    assert advice.record == "v=DMARC1; p=quarantine; rua=mailto:d@example.com"
    assert any("Exchange Online quarantines failing mail silently" in w for w in advice.warnings)
    assert advice.rollout[1].endswith("<- next")


def test_microsoft365_while_debugging_stays_at_none() -> None:
    advice = _advise("v=DMARC1; p=none", M365)
    assert advice.record == "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    assert any("would hide failures" in w for w in advice.warnings)


def test_microsoft365_once_ready_moves_on_with_warning() -> None:
    ready = AdviceContext(domain="example.com", microsoft365=True, authentication_ready=True)
    advice = _advise("v=DMARC1; p=none; rua=mailto:d@example.com", ready)
    assert advice.next_policy == "quarantine"
    assert any("silently" in w for w in advice.warnings)


def test_not_ready_holds_the_policy() -> None:
    broken = AdviceContext(domain="example.com", authentication_ready=False)
    advice = _advise("v=DMARC1; p=quarantine; rua=mailto:d@example.com", broken)
    assert advice.next_policy == "quarantine"
    assert any("Authentication is not ready" in w for w in advice.warnings)


def test_a_record_already_right_is_a_pass_not_a_call_to_publish_it_again() -> None:
    advice = _advise("v=DMARC1; p=reject; rua=mailto:d@example.com")
    assert advice.unchanged and advice.warnings == ()
    finding = advice_finding(advice, context=CTX)
    assert finding.status is Status.PASS and "is the one to have now" in finding.summary
    assert finding.fix == "" and "publish" not in finding.summary


def test_reject_in_another_tag_order_is_kept() -> None:
    advice = _advise("v=DMARC1; p=reject; rua=mailto:d@example.com; adkim=r; aspf=r")
    assert advice.unchanged
    assert advice_finding(advice, context=CTX).status is Status.PASS


def test_a_kept_record_with_a_caveat_warns_without_asking_to_publish() -> None:
    broken = AdviceContext(domain="example.com", authentication_ready=False)
    advice = _advise("v=DMARC1; p=quarantine; rua=mailto:d@example.com", broken)
    finding = advice_finding(advice, context=broken)
    assert advice.unchanged and finding.status is Status.WARN and finding.fix == ""
    assert "Authentication is not ready" in finding.detail


def test_valid_tags_are_carried_and_invalid_removed_ones_dropped() -> None:
    advice = _advise(
        "v=DMARC1; p=quarantine; sp=bogus; adkim=s; pct=50; foo=1; t=y; "
        "rua=mailto:d@example.com; ruf=mailto:f@example.com; fo=d"
    )
    assert advice.record == (
        "v=DMARC1; p=reject; adkim=s; rua=mailto:d@example.com; ruf=mailto:f@example.com; fo=d"
    )
    text = "\n".join(advice.changes)
    for dropped in ("sp=bogus", "pct=50", "foo=1", "t=y"):
        assert f"dropped {dropped}" in text
    assert "50% only" in text


def test_stray_psd_y_is_not_carried() -> None:
    advice = _advise("v=DMARC1; p=reject; psd=y; rua=mailto:d@example.com")
    assert "psd" not in advice.record
    assert any(c.startswith("dropped psd=y") for c in advice.changes)


def test_unauthorized_destinations_are_replaced() -> None:
    context = AdviceContext(domain="example.com", unauthorized=("example.net",))
    advice = _advise("v=DMARC1; p=none; rua=mailto:a@example.net", context)
    assert "example.net" not in advice.record
    assert "rua=mailto:dmarc-reports@example.com" in advice.record


@pytest.mark.parametrize("microsoft365", [True, False])
def test_finding_shape(microsoft365: bool) -> None:
    context = AdviceContext(domain="example.com", microsoft365=microsoft365)
    advice = _advise("v=DMARC1; p=none", context)
    finding = advice_finding(advice, context=context)
    assert finding.check == "dns.dmarc.recommendation"
    assert finding.status is Status.WARN
    assert finding.data["record"] == advice.record
    assert finding.data["microsoft365"] is microsoft365
    assert advice.record in finding.fix
