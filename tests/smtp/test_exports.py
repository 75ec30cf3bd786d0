"""The SMTP layer's public surface is pinned (MODELS.md section 7)."""

from __future__ import annotations

import maildoctor.smtp as smtp


def test_public_names_are_pinned_and_sorted():
    assert smtp.__all__ == sorted(smtp.__all__)
    assert smtp.__all__ == [
        "Credentials",
        "SmtpReply",
        "TlsMode",
        "check_credentials_shape",
        "check_mta_sts",
        "check_mx",
        "check_stored_password",
        "check_tls_rpt",
        "derive_smtp_password",
        "interpret",
        "password_shape",
        "plan_probe",
        "probe_mx_host",
        "probe_smtp",
        "ses_region_from_host",
    ]
    for name in smtp.__all__:
        assert getattr(smtp, name) is not None
