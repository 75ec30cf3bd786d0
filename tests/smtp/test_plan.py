"""Port, TLS mode, region and client presets, decided before connecting."""

from __future__ import annotations

import pytest

from maildoctor.errors import InputError
from maildoctor.model import Status
from maildoctor.smtp.plan import TlsMode, plan_probe

SES = "email-smtp.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("port", "tls", "mode", "expected_port"),
    [
        (None, None, TlsMode.STARTTLS, 587),
        (465, None, TlsMode.IMPLICIT, 465),
        (2465, None, TlsMode.IMPLICIT, 2465),
        (25, None, TlsMode.STARTTLS, 25),
        (2587, None, TlsMode.STARTTLS, 2587),
        (None, "implicit", TlsMode.IMPLICIT, 465),
        (2525, None, TlsMode.STARTTLS, 2525),
    ],
)
def test_port_implies_tls_mode(port, tls, mode, expected_port):
    plan = plan_probe(SES, port=port, tls=tls)
    assert (plan.port, plan.tls) == (expected_port, mode)


def test_ses_host_implies_region_and_vendor():
    plan = plan_probe(SES)
    assert plan.region == "eu-west-1" and plan.vendor == "ses"
    assert plan_probe("smtp.example.com").region is None


def test_no_tls_to_ses_is_a_failure():
    plan = plan_probe(SES, tls="none")
    assert [f.cause for f in plan.findings if f.status is Status.FAIL] == [
        "client.smtp_tls.required"
    ]


def test_explicit_mode_against_the_port_is_a_warning():
    plan = plan_probe("smtp.example.com", port=465, tls="starttls")
    assert any(f.cause == "client.smtp.tls_mode_mismatch" for f in plan.findings)


@pytest.mark.parametrize(
    ("port", "tls", "ok"),
    [
        (587, None, True),
        (465, None, True),
        (25, None, False),
        (2587, None, False),
        (587, "none", False),
        (465, "starttls", False),
    ],
)
def test_gmail_send_as_preset(port, tls, ok):
    plan = plan_probe(SES, port=port, tls=tls, client="gmail-send-as")
    preset = [f for f in plan.findings if f.check == "client.smtp.client_preset"]
    assert len(preset) == 1
    assert (preset[0].status is Status.PASS) == ok
    if not ok:
        assert preset[0].cause == "client.smtp.client_settings_unusable"
        assert "Send mail as" in preset[0].fix


@pytest.mark.parametrize("kwargs", [{"client": "thunderbird"}, {"port": 0}, {"port": 70000}])
def test_bad_input_is_input_error(kwargs):
    with pytest.raises(InputError):
        plan_probe(SES, **kwargs)


def test_bad_host_is_input_error():
    with pytest.raises(InputError):
        plan_probe("two words")
