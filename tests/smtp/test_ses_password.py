"""SES SMTP password derivation and diagnosis, against REFERENCE.md section 1 as data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from smtp_data import SECRET

from maildoctor.model import Status
from maildoctor.secrets import Secret
from maildoctor.smtp.ses_password import (
    SES_REGIONS,
    KeyIdKind,
    Verdict,
    blog_formula_password,
    check_credentials_shape,
    check_stored_password,
    configured_regions,
    derive_smtp_password,
    key_id_kind,
    password_check_finding,
    password_shape,
    ses_region_from_host,
)


def reference_vectors(test_data: Path) -> list[tuple[str, str | None, str, str]]:
    """REFERENCE.md section 1's vectors, as data: (version, region, secret, password)."""
    path = test_data / "vectors" / "ses" / "smtp-password-vectors.json"
    rows = json.loads(path.read_text(encoding="utf-8"))["vectors"]
    return [(f"V{r['version']}", r["region"], r["secret"], r["password"]) for r in rows]


def test_every_reference_vector_is_reproduced(test_data):
    vectors = reference_vectors(test_data)
    assert len(vectors) == 8  # the table as published; a parsing slip must not skip rows
    for version, region, secret, expected in vectors:
        derived = derive_smtp_password(Secret(secret), region, version=int(version[1]))
        assert derived.reveal() == expected, (version, region)


def test_every_reference_vector_checks_as_a_match(test_data):
    for version, region, secret, expected in reference_vectors(test_data):
        if version == "V4":
            assert region is not None
            check = check_stored_password(Secret(secret), Secret(expected), region)
            assert check.verdict is Verdict.MATCH
        else:
            check = check_stored_password(Secret(secret), Secret(expected), "us-east-1")
            assert check.verdict is Verdict.LEGACY_V2


def test_v4_needs_a_region_and_versions_are_2_or_4():
    with pytest.raises(ValueError):
        derive_smtp_password(Secret(SECRET), None)
    with pytest.raises(ValueError):
        derive_smtp_password(Secret(SECRET), "us-east-1", version=3)


def test_derived_password_is_a_secret():
    derived = derive_smtp_password(Secret(SECRET), "us-east-1")
    assert isinstance(derived, Secret)
    assert "BLBM" not in repr(derived) and "BLBM" not in f"{derived}"


@pytest.mark.parametrize(
    ("value", "kind", "decoded", "version"),
    [
        ("BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9", "v4", 33, 4),
        ("An60U4ZD3sd4fg+FvXUjayOipTt8LO4rUUmhpdX6ctDy", "v2", 33, 2),
        (SECRET, "raw_secret", 30, None),
        ("not base64 at all!", "unknown", None, None),
        ("QUJD", "unknown", 3, None),
    ],
)
def test_password_shape(value, kind, decoded, version):
    shape = password_shape(Secret(value))
    assert (shape.kind, shape.decoded_length, shape.version) == (kind, decoded, version)


def test_blog_formula_has_its_own_recognisable_shape():
    wrong = blog_formula_password(Secret(SECRET))
    shape = password_shape(wrong)
    assert shape.kind == "blog_formula" and shape.decoded_length == 32
    assert wrong.reveal().endswith("=") and len(wrong.reveal()) == 44


def test_version_byte_decides_v4_even_without_the_secret():
    # 33 bytes whose first byte is 0x04, i.e. any V4 password from any secret.
    shape = password_shape(derive_smtp_password(Secret("anything"), "eu-west-3"))
    assert shape.kind == "v4" and shape.derived


SECRET_S = Secret(SECRET)


@pytest.mark.parametrize(
    ("stored", "verdict", "matched"),
    [
        (derive_smtp_password(SECRET_S, "us-east-1"), Verdict.MATCH, None),
        (derive_smtp_password(SECRET_S, "ap-southeast-2"), Verdict.OTHER_REGION, "ap-southeast-2"),
        (derive_smtp_password(SECRET_S, version=2), Verdict.LEGACY_V2, None),
        (SECRET_S, Verdict.RAW_SECRET, None),
        (blog_formula_password(SECRET_S), Verdict.BLOG_FORMULA, None),
        (derive_smtp_password(Secret("rotated-away"), "us-east-1"), Verdict.DIFFERENT_KEY, None),
        (Secret("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"), Verdict.RAW_SECRET, None),
        (Secret("hunter2"), Verdict.MALFORMED, None),
    ],
)
def test_check_stored_password_names_the_likeliest_reason(stored, verdict, matched):
    check = check_stored_password(SECRET_S, stored, "us-east-1")
    assert check.verdict is verdict
    assert check.matched_region == matched


def test_region_table_is_configurable(monkeypatch):
    stored = derive_smtp_password(SECRET_S, "xx-test-1")
    assert check_stored_password(SECRET_S, stored, "us-east-1").verdict is Verdict.DIFFERENT_KEY
    monkeypatch.setenv("MAILDOCTOR_SES_REGIONS", "eu-west-1, xx-test-1")
    assert configured_regions() == ("eu-west-1", "xx-test-1")
    check = check_stored_password(SECRET_S, stored, "us-east-1")
    assert check.verdict is Verdict.OTHER_REGION and check.matched_region == "xx-test-1"
    explicit = check_stored_password(SECRET_S, stored, "us-east-1", regions=["xx-test-1"])
    assert explicit.matched_region == "xx-test-1" and explicit.regions_tried == 1


def test_default_region_table_has_the_reference_regions():
    for region in ("us-east-1", "us-west-1", "us-west-2", "eu-central-1"):
        assert region in SES_REGIONS


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("email-smtp.us-east-1.amazonaws.com", "us-east-1"),
        ("EMAIL-SMTP.eu-central-1.amazonaws.com.", "eu-central-1"),
        ("email-smtp-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("email-smtp.us-east-1.amazonaws.com.example.com", None),
        ("smtp.example.com", None),
        ("email.us-east-1.amazonaws.com", None),
    ],
)
def test_region_from_host(host, region):
    assert ses_region_from_host(host) == region


@pytest.mark.parametrize(
    ("user", "kind"),
    [
        ("AKIAIOSFODNN7EXAMPLE", KeyIdKind.LONG_TERM),
        ("ASIAIOSFODNN7EXAMPLE", KeyIdKind.TEMPORARY),
        ("AKIAIOSFODNN7EXAMPL", KeyIdKind.NOT_A_KEY_ID),
        ("ses-smtp-user.20240101", KeyIdKind.NOT_A_KEY_ID),
        ("admin@example.com", KeyIdKind.NOT_A_KEY_ID),
    ],
)
def test_key_id_kind(user, kind):
    assert key_id_kind(user) is kind


@pytest.mark.parametrize(
    ("user", "password", "causes"),
    [
        ("AKIAIOSFODNN7EXAMPLE", derive_smtp_password(SECRET_S, "us-east-1"), {""}),
        ("ASIAIOSFODNN7EXAMPLE", None, {"client.smtp_auth.temporary_key"}),
        ("admin@example.com", None, {"client.smtp_auth.username_not_access_key"}),
        (None, SECRET_S, {"client.smtp_auth.raw_secret_as_password"}),
        (None, blog_formula_password(SECRET_S), {"client.smtp_auth.wrong_formula"}),
        (None, derive_smtp_password(SECRET_S, version=2), {"client.smtp_auth.legacy_v2_password"}),
    ],
)
def test_offline_shape_findings(user, password, causes):
    findings = check_credentials_shape(user, password, region="us-east-1")
    assert {f.cause for f in findings} == causes


def test_password_check_finding_has_fix_and_no_secret():
    stored = derive_smtp_password(SECRET_S, "eu-west-2")
    check = check_stored_password(SECRET_S, stored, "us-east-1")
    finding = password_check_finding(check)
    assert finding.status is Status.FAIL
    assert finding.cause == "client.smtp_auth.wrong_region_password"
    assert "eu-west-2" in finding.summary and "Send mail as" in finding.fix
    text = finding.to_dict().__repr__()
    assert SECRET not in text and stored.reveal() not in text
    digest = hashlib.sha256(SECRET.encode()).hexdigest()
    assert digest[:8] not in text and "sha256" not in text
